import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { refusalModal } from '../blocks/access.js';
import { lookupErrorMessage } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { messageModal } from '../blocks/modal.js';
import { actionOffMessage, type TicketAction, writeRefusedMessage } from '../blocks/ticket-messages.js';
import { type ReplyBox, ticketProblemModal, ticketThreadModal } from '../blocks/ticket-thread.js';
import { type Deps, lookupWith } from '../deps.js';
import { isOpenTicket } from '../komerza/tickets.js';
import { readTicket } from '../lookup/ticket.js';
import { cardFor } from './card-in-place.js';
import { type ButtonArgs, requestOf, type Surface } from './context.js';
import { answerPrivately, postToResponseUrl, replyTo } from './deliver.js';
import { slackFailure } from './errors.js';
import { decodeValue, modalContext, type TicketModal, ticketModal } from './values.js';

/**
 * Slack-side helpers of ticket actions (issue 14) that are not listeners: who may write, the thread modal as
 * Komerza has the ticket now, and the card refreshed after a write wherever it is.
 */

/**
 * Why this person may not do `action` now (setting, key scopes, write access), or undefined: go ahead. A thread may
 * be opened by whoever may reply or close (the View button is theirs), with the reply box only for those who may reply.
 */
export async function writeRefusal(
  deps: Deps,
  userId: string | undefined,
  action: TicketAction,
): Promise<SlackMessage | undefined> {
  const offered = deps.tickets.offer.actions();
  const allowed = action === 'view' ? offered.reply || offered.close : offered[action];
  if (!allowed) return actionOffMessage(action, deps.tickets.offer.missing());
  const decision = await deps.tickets.writeAccess.check(userId);
  return decision.allowed ? undefined : writeRefusedMessage(action, decision.reason);
}

/** A private word to whoever clicked: pushed over the modal the click came from, or next to the card. */
export async function tellClicker(deps: Deps, args: ButtonArgs, message: SlackMessage): Promise<void> {
  const request = requestOf(args.context);
  if (request.surface.kind !== 'modal') {
    await answerPrivately(replyTo(args), deps.logger, request, message, { replace: false });
    return;
  }
  try {
    await deps.triggerClient.views.push({ trigger_id: args.body.trigger_id, view: refusalModal(message) });
  } catch (error) {
    deps.logger.warn('Could not tell the person about their ticket action', slackFailure(error));
  }
}

/** A new name for one view of the reply box: a reply is sent at most once per name (tickets/write-guard.ts). */
export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

/** The thread modal's private_metadata for a click on a card at `surface` (where the card will be refreshed). */
export function threadMetadata(
  ids: { ticketId: string; customerId: string; orderId?: string | undefined },
  channel: string | undefined,
  surface: Surface,
  responseUrl: string | undefined,
): TicketModal {
  const meta: TicketModal = {
    ticketId: ids.ticketId,
    customerId: ids.customerId,
    ...(ids.orderId ? { orderId: ids.orderId } : {}),
    nonce: newNonce(),
    ...(channel ? { channel } : {}),
    ...(surface.kind === 'modal'
      ? { cardViewId: surface.viewId, ...(surface.metadata ? { cardMetadata: surface.metadata } : {}) }
      : responseUrl
        ? { cardResponseUrl: responseUrl }
        : {}),
  };
  // Where the card is cannot always be kept (an over-long response_url or metadata): the thread still opens.
  return ticketModal.safeEncode(meta).success
    ? meta
    : { ticketId: meta.ticketId, customerId: meta.customerId, nonce: meta.nonce, ...(channel ? { channel } : {}) };
}

/** The thread as Komerza has it now, with a fresh nonce for its reply box; a problem modal when it cannot be read. */
export async function threadModal(deps: Deps, meta: TicketModal, reply: ReplyBox, notice?: string): Promise<ModalView> {
  const fresh = { ...meta, nonce: newNonce() };
  const privateMetadata = ticketModal.encode(fresh);
  const found = await readTicket(lookupWith(deps), deps.tickets.komerza, meta.ticketId, meta.customerId);
  if (found.kind === 'error') {
    const problem = lookupErrorMessage(found.error).text;
    return ticketProblemModal(notice ? `${notice}\n\n${problem}` : `:warning: ${problem}`, privateMetadata);
  }
  return ticketThreadModal({
    ticket: found.ticket,
    now: deps.now(),
    privateMetadata,
    // A resolved or closed ticket is shown read-only: what a reply does to one is not documented (komerza-api.md §4.4).
    reply: isOpenTicket(found.ticket) ? reply : { kind: 'none' },
    ...(notice ? { notice } : {}),
  });
}

/**
 * The card a thread was opened from, read again past the cache after a write (the ticket now Responded, or gone
 * once closed): its message through the response_url it came with, or the modal view it sits in.
 */
export async function refreshCardBehind(
  deps: Deps,
  client: webApi.WebClient,
  meta: TicketModal,
  userId: string | undefined,
): Promise<void> {
  if (!meta.cardResponseUrl && !meta.cardViewId) return;
  const on: Surface = meta.cardViewId
    ? {
        kind: 'modal',
        viewId: meta.cardViewId,
        hash: undefined,
        metadata: meta.cardMetadata,
        opener: decodeValue(modalContext, meta.cardMetadata),
      }
    : { kind: 'message' };
  const { message } = await cardFor(deps, deps.komerza.fresh, userId, meta, on);
  if (meta.cardViewId) {
    try {
      await client.views.update({ view_id: meta.cardViewId, view: messageModal(message, meta.cardMetadata) });
    } catch (error) {
      deps.logger.info('Could not refresh the card under the ticket (modal closed?)', slackFailure(error));
    }
  } else if (meta.cardResponseUrl) {
    const posted = await postToResponseUrl(meta.cardResponseUrl, {
      response_type: 'ephemeral',
      replace_original: true,
      ...message,
    });
    if (!posted) deps.logger.info('Could not refresh the card under the ticket (its response_url has expired)');
  }
}
