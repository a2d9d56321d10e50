import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { replyErrors, replyNotice } from '../../blocks/ticket-messages.js';
import { checkReply, sendingModal } from '../../blocks/ticket-thread.js';
import type { Deps } from '../../deps.js';
import { auditWrite } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { slackFailure } from '../../slack/errors.js';
import { BLOCKS, INPUTS } from '../../slack/ids.js';
import { refreshCardBehind, threadModal, writeRefusal } from '../../slack/tickets.js';
import { decodeValue, ticketModal } from '../../slack/values.js';
import { sendClaimed } from '../../tickets/send-once.js';

type SubmitArgs = AllMiddlewareArgs<AppContext> & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** One view of the reply box sends at most one reply, whoever submits it and however often (a day covers redelivery). */
export const REPLY_CLAIM_MS = 24 * 60 * 60 * 1000;

/**
 * Send reply: checked in the modal first (empty, too long, not allowed, already sent: `response_action: errors`,
 * the text stays), then one PUT, never repeated. The modal shows "Sending…" at once, then the thread as Komerza has
 * it afterwards with what became of the reply; the card under it is read again (the ticket now "Responded").
 */
export function sendReply(deps: Deps) {
  return async (args: SubmitArgs): Promise<void> => {
    const started = performance.now();
    const request = requestOf(args.context);
    const meta = decodeValue(ticketModal, args.view.private_metadata);
    if (!meta) {
      await args.ack(replyErrors('This form is out of date. Close it and open the ticket again from the card.'));
      deps.logger.warn('A ticket reply came with metadata this app did not write');
      return;
    }
    const checked = checkReply(args.view.state.values[BLOCKS.ticketReply]?.[INPUTS.ticketReply]?.value);
    if (!checked.ok) {
      await args.ack(replyErrors(checked.error));
      return;
    }
    const audited = { action: 'reply' as const, request, customerId: meta.customerId, ticketId: meta.ticketId };
    const refusal = await writeRefusal(deps, request.userId, 'reply');
    if (refusal) {
      await args.ack(replyErrors(refusal.text));
      auditWrite(deps, { ...audited, outcome: 'refused', started });
      return;
    }
    const key = `reply:${meta.nonce}`;
    const claim = await deps.tickets.guard.claim(key, REPLY_CLAIM_MS);
    if (claim !== 'claimed') {
      const outcome = claim === 'taken' ? ({ kind: 'duplicate' } as const) : ({ kind: 'guard_unavailable' } as const);
      await args.ack(replyErrors(plain(replyNotice(outcome))));
      auditWrite(deps, { ...audited, outcome: outcome.kind, started });
      return;
    }
    await args.ack({
      response_action: 'update',
      view: sendingModal(args.view.blocks as KnownBlock[], args.view.private_metadata),
    });
    const outcome = await sendClaimed(deps.tickets.guard, key, () =>
      deps.tickets.komerza.replyToTicket(meta.ticketId, checked.message),
    );
    if (outcome.kind === 'failed' && outcome.error.kind === 'forbidden') deps.tickets.offer.lost(outcome.error.scope);
    auditWrite(deps, {
      ...audited,
      outcome: outcome.kind,
      started,
      errorKind: 'error' in outcome ? outcome.error?.kind : undefined,
    });
    // After a failure the typed text stays in the box; after a reply the box is empty for the next one.
    const box =
      outcome.kind === 'sent' ? { kind: 'input' as const } : { kind: 'input' as const, initial: checked.message };
    const view = await threadModal(deps, meta, box, replyNotice(outcome));
    try {
      await args.client.views.update({ view_id: args.view.id, view });
    } catch (error) {
      deps.logger.info('Could not show the ticket after the reply (modal closed?)', slackFailure(error));
    }
    if (outcome.kind === 'sent' || outcome.kind === 'uncertain') {
      await refreshCardBehind(deps, args.client, meta, request.userId);
    }
  };
}

/** A notice's words without its emoji and bold markup: Slack shows input errors as plain text. */
function plain(mrkdwnText: string): string {
  return mrkdwnText.replace(/^:[a-z_]+: /, '').replace(/\*/g, '');
}
