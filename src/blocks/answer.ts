import type { ModalView } from '@slack/types';
import type { LookupResult, Withheld } from '../lookup/result.js';
import { budgetLimit, lookupLimitMessage, resetsAt } from './access.js';
import { customerCard } from './card.js';
import { cardActions, sharedCardActions } from './card-actions.js';
import { lookupErrorMessage, noCandidatesMessage, notFoundMessage } from './errors.js';
import type { SlackMessage } from './message.js';
import { messageModal } from './modal.js';
import { candidatePicker, searchPicker } from './picker.js';
import { mrkdwn } from './text.js';
import type { TicketActions } from './ticket-actions.js';

/**
 * A LookupResult as Block Kit, rendered once at the edge. The same result looks different for each audience:
 * `private` (the person who asked: buttons, a picker to page through) or `shared` (a Share for the channel: the
 * redacted card with who shared it, and only the link button).
 */
export interface AnswerView {
  audience: 'private' | 'shared';
  /** When the data was read: the card's "as of" and its countdowns. */
  now: Date;
  /** SHOW_IP_ADDRESS (a shared card never shows the IP address anyway). */
  showIpAddress: boolean;
  /** The card's "Open in Komerza" link for a customer; none when it returns undefined. */
  dashboardUrl: (customerId: string) => string | undefined;
  /** The stored search behind a search picker's page buttons (see lookup/searches.ts); no buttons without it. */
  pickerToken?: string;
  /** `shared`: who shared the card and when (already-safe mrkdwn). */
  banner?: string;
  /** False where a card has no conversation to be shared into (a modal opened from the Home tab): no Share. */
  shareable?: boolean;
  /** The ticket buttons this person may have on the card's open tickets. A shared card never gets any. */
  tickets?: TicketActions;
  /** A line on top of the answer, already-safe mrkdwn (what became of a ticket closed from the card). */
  notice?: string;
}

/** As a message (a `/customer` answer, an ephemeral reply, a shared card). */
export function answerMessage(result: LookupResult, view: AnswerView): SlackMessage {
  const message = render(result, view);
  // A card has a place for it (its alert line); the other answers are a few blocks, with room for one more on top.
  if (!view.notice || result.kind === 'card') return message;
  return { ...message, blocks: [{ type: 'section', text: mrkdwn(view.notice) }, ...message.blocks] };
}

function render(result: LookupResult, view: AnswerView): SlackMessage {
  switch (result.kind) {
    case 'card': {
      const { customer } = result.profile;
      const link = view.dashboardUrl(customer.id);
      const shared = view.audience === 'shared';
      const orderId = result.profile.order?.id;
      const actions = shared
        ? sharedCardActions(link)
        : cardActions({
            customerId: customer.id,
            dashboardUrl: link,
            share: view.shareable !== false,
            ...(orderId ? { orderId } : {}),
          });
      return customerCard(result.profile, {
        now: view.now,
        audience: view.audience,
        showIpAddress: view.showIpAddress,
        ...(actions ? { actions } : {}),
        ...(!shared && view.tickets ? { ticketActions: view.tickets } : {}),
        ...(shared && view.banner ? { banner: view.banner } : {}),
        ...alertOf(view.notice, result.uncheckedCandidates),
      });
    }
    case 'matches': {
      const picker =
        result.source === 'search' ? searchPicker({ ...result, token: view.pickerToken }) : candidatePicker(result);
      return result.withheld ? withWithheldNote(picker, result.withheld, view.now) : picker;
    }
    case 'over_budget':
      return lookupLimitMessage(result.budget, view.now);
    case 'not_found':
      return result.query === undefined ? noCandidatesMessage() : notFoundMessage(result.query, result.note);
    case 'error':
      return lookupErrorMessage(result.error);
  }
}

/** As the shortcut's modal (its private_metadata carried along). */
export function answerModal(result: LookupResult, view: AnswerView, privateMetadata?: string): ModalView {
  return messageModal(answerMessage(result, view), privateMetadata);
}

/** Rows the budget did not cover: a context line at the end of the list says so. */
function withWithheldNote(message: SlackMessage, withheld: Withheld, now: Date): SlackMessage {
  const count = `${withheld.count} more ${withheld.count === 1 ? 'customer' : 'customers'}`;
  const note = `:hourglass: ${count} not shown: you have been shown ${budgetLimit(withheld.budget)}. It resets ${resetsAt(withheld.budget, now)}.`;
  return { ...message, blocks: [...message.blocks, { type: 'context', elements: [mrkdwn(note)] }] };
}

function alertOf(notice: string | undefined, unchecked: number | undefined): { alert?: string } {
  const lines = [notice, unchecked ? uncheckedNote(unchecked) : undefined].filter((line) => line !== undefined);
  return lines.length > 0 ? { alert: lines.join('\n') } : {};
}

function uncheckedNote(failed: number): string {
  return `:warning: ${failed} other ${failed === 1 ? 'id or address' : 'ids or addresses'} in this message could not be checked: Komerza did not answer. Try the shortcut again.`;
}
