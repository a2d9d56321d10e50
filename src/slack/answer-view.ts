import type { AnswerView } from '../blocks/answer.js';
import { sharedBanner } from '../blocks/share.js';
import type { TicketActions } from '../blocks/ticket-actions.js';
import type { Deps } from '../deps.js';
import type { LookupResult } from '../lookup/result.js';
import type { Surface } from './context.js';

/**
 * How the person who asked sees an answer (buttons, a picker with page buttons when `pickerToken` is given). `on`
 * is where it is shown, when that may have nowhere to share to: a modal that records no conversation (one opened
 * from the Home tab) gets no Share button.
 */
export function privateView(deps: Deps, pickerToken?: string, on?: Surface, tickets?: TicketActions): AnswerView {
  return {
    audience: 'private',
    now: deps.now(),
    showIpAddress: deps.privacy.showIpAddress,
    dashboardUrl: deps.dashboardUrl,
    ...(pickerToken ? { pickerToken } : {}),
    ...(on && !canShareFrom(on) ? { shareable: false } : {}),
    ...(tickets ? { tickets } : {}),
  };
}

/** `privateView` for `result` shown to `userId`: a card gets the ticket buttons this person may use. */
export async function privateViewFor(
  deps: Deps,
  userId: string | undefined,
  result: LookupResult,
  pickerToken?: string,
  on?: Surface,
): Promise<AnswerView> {
  const tickets = result.kind === 'card' ? await ticketActionsFor(deps, userId) : undefined;
  return privateView(deps, pickerToken, on, tickets);
}

/**
 * The ticket buttons a person's own card carries: what TICKET_ACTIONS and the key allow, if the person may write
 * (access/write-access.ts). None at all for someone who may not: no button they would only be refused at.
 */
export async function ticketActionsFor(deps: Deps, userId: string | undefined): Promise<TicketActions | undefined> {
  const offered = deps.tickets.offer.actions();
  if (!offered.reply && !offered.close) return undefined;
  const decision = await deps.tickets.writeAccess.check(userId);
  return decision.allowed ? offered : undefined;
}

/** Share posts into the conversation an answer came from; a modal that records none has nowhere to post. */
export function canShareFrom(surface: Surface): boolean {
  if (surface.kind === 'modal') return surface.opener !== undefined;
  return surface.kind !== 'home' && surface.kind !== 'workflow_step';
}

/** How a channel sees a shared card: redacted, saying who shared it and when. */
export function sharedView(deps: Deps, sharedBy: string | undefined): AnswerView {
  const now = deps.now();
  return {
    audience: 'shared',
    now,
    showIpAddress: false,
    dashboardUrl: deps.dashboardUrl,
    banner: sharedBanner(sharedBy ?? '', now),
  };
}
