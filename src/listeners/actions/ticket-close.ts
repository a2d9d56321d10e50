import { closeNotice } from '../../blocks/ticket-messages.js';
import type { Deps } from '../../deps.js';
import { audit, auditWrite } from '../../slack/audit.js';
import { cardFor } from '../../slack/card-in-place.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { replaceAnswer, replyTo } from '../../slack/deliver.js';
import { sendOnce } from '../../tickets/send-once.js';

/** A second Close of the same ticket within this time is the same click twice (or Slack's redelivery). */
export const CLOSE_CLAIM_MS = 60_000;

/**
 * Close ticket (after Slack's confirmation dialog): one DELETE, never repeated by a double click or a redelivery,
 * then the card read again past the cache and put where it was, saying what became of the close.
 */
export function closeTicket(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const started = performance.now();
    const request = requestOf(args.context);
    const ticket = args.context.ticket;
    if (!ticket) return;
    const { ticketId } = ticket;
    const outcome = await sendOnce(deps.tickets.guard, `close:${ticketId}`, CLOSE_CLAIM_MS, () =>
      deps.tickets.komerza.closeTicket(ticketId),
    );
    if (outcome.kind === 'failed' && outcome.error.kind === 'forbidden') deps.tickets.offer.lost(outcome.error.scope);
    auditWrite(deps, {
      action: 'close',
      request,
      ...ticket,
      outcome: outcome.kind,
      started,
      errorKind: 'error' in outcome ? outcome.error?.kind : undefined,
    });
    const shown = performance.now();
    const { result, message } = await cardFor(
      deps,
      deps.komerza.fresh,
      request.userId,
      ticket,
      request.surface,
      closeNotice(outcome),
    );
    await replaceAnswer(replyTo(args, deps.triggerClient), deps.logger, request, message);
    audit(deps, { source: 'refresh', request, queryKind: 'id', started: shown }, result, { after: 'ticket_close' });
  };
}
