import type { InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { Ticket } from '../komerza/schemas.js';
import { ticketNeedsReply } from '../komerza/tickets.js';
import { BLOCKS, INPUTS, TICKET_VIEW } from '../slack/ids.js';
import { ticketStatusPhrase } from './card.js';
import { ago, formatCount, parseDate, slackDate } from './format.js';
import { modalView } from './modal.js';
import { clampMrkdwn, clampText, escapeAndClamp, mrkdwn, oneLine, plainText } from './text.js';
import { conversationBlocks } from './ticket-conversation.js';

/**
 * The ticket thread modal (issue 14): a ticket's whole conversation, opened from a card's "View & reply", with the
 * box to answer the customer. Pure: the listeners read the ticket and send the reply.
 */

/** The most a reply may hold: Slack's plain_text_input max_length (docs/slack-platform.md). */
export const REPLY_MAX_CHARS = 3000;

export type ReplyBox =
  /** The reply box, optionally pre-filled (a failed reply keeps the typed text). */
  | { kind: 'input'; initial?: string }
  /** Read-only (the person may not reply, or the ticket is closed). */
  | { kind: 'none' };

export interface TicketThreadInput {
  /** From GET /tickets/{id}, entries included (they may be missing, empty or in any order). */
  ticket: Ticket;
  now: Date;
  /** Carried as the view's private_metadata (already encoded by the caller). */
  privateMetadata: string;
  reply: ReplyBox;
  /** A notice at the top, already-safe mrkdwn (e.g. ":white_check_mark: Reply sent." or a failure), block_id BLOCKS.notice. */
  notice?: string;
}

const TITLE = 'Ticket';
const SUBJECT_MAX = 150;
const EMAIL_MAX = 254;
/** A notice is a line or two; a longer one must not crowd out the conversation (the view's text is bounded). */
const NOTICE_MAX = 1000;

export function ticketThreadModal(input: TicketThreadInput): ModalView {
  const { ticket, reply } = input;
  const blocks: KnownBlock[] = [];
  if (input.notice) blocks.push(noticeBlock(input.notice));
  blocks.push(section(summaryText(ticket, input.now)), { type: 'divider' });
  blocks.push(...conversationBlocks(ticket.entries ?? []).blocks);
  if (reply.kind !== 'none') blocks.push({ type: 'divider' }, replyBlock(reply));
  return modalView({
    callbackId: TICKET_VIEW,
    title: TITLE,
    blocks,
    privateMetadata: input.privateMetadata,
    ...(reply.kind === 'input' ? { submit: 'Send reply' } : {}),
  });
}

/**
 * The thread while a reply is on its way (the ack of Send reply, before Komerza is asked): the view's blocks as they
 * were, the reply box replaced by a "Sending…" line, and no submit button, so the same view cannot be sent again.
 */
export function sendingModal(currentBlocks: readonly KnownBlock[], privateMetadata: string): ModalView {
  const blocks = currentBlocks.map(
    (block): KnownBlock =>
      block.block_id === BLOCKS.ticketReply ? section(':hourglass_flowing_sand: Sending your reply…') : block,
  );
  return modalView({ callbackId: TICKET_VIEW, title: TITLE, blocks, privateMetadata });
}

/** Opened at once with the trigger_id (valid 3 s) before the ticket is read. */
export function ticketLoadingModal(privateMetadata: string): ModalView {
  return messageOnly(':hourglass_flowing_sand: *Loading the ticket…*\nThis takes a moment.', privateMetadata);
}

/** The thread modal when the ticket could not be read: the message (already-safe mrkdwn), no submit. */
export function ticketProblemModal(message: string, privateMetadata: string): ModalView {
  return messageOnly(message, privateMetadata);
}

/**
 * Checks a submitted reply. Lengths are UTF-16 code units, as Slack counts max_length (an emoji is 2, a family
 * emoji more): the same count that let the box accept it. The message is returned exactly as typed, not trimmed.
 */
export function checkReply(
  text: string | null | undefined,
): { ok: true; message: string } | { ok: false; error: string } {
  const message = text ?? '';
  if (message.trim() === '') return { ok: false, error: 'Write a reply first.' };
  if (message.length > REPLY_MAX_CHARS) {
    const over = message.length - REPLY_MAX_CHARS;
    return {
      ok: false,
      error: `A reply holds at most ${formatCount(REPLY_MAX_CHARS)} characters: this one is ${formatCount(over)} over.`,
    };
  }
  return { ok: true, message };
}

function messageOnly(text: string, privateMetadata: string): ModalView {
  return modalView({ callbackId: TICKET_VIEW, title: TITLE, blocks: [section(text)], privateMetadata });
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function noticeBlock(notice: string): SectionBlock {
  return { type: 'section', block_id: BLOCKS.notice, text: mrkdwn(clampMrkdwn(notice, NOTICE_MAX)) };
}

/** Subject, status (and whether the team owes a reply), when it was opened, who wrote in, how many messages. */
function summaryText(ticket: Ticket, now: Date): string {
  const subject = escapeAndClamp(oneLine(ticket.subject ?? '') || '(no subject)', SUBJECT_MAX);
  const opened = parseDate(ticket.dateCreated);
  const email = oneLine(ticket.emailAddress ?? '');
  const count = ticket.entries?.length ?? ticket.messageCount;
  const meta = [
    ticketStatusPhrase(ticket),
    opened ? `opened ${slackDate(opened)} (${ago(opened, now)})` : undefined,
    email ? escapeAndClamp(email, EMAIL_MAX) : undefined,
    typeof count === 'number' && count >= 0
      ? `${formatCount(count)} message${Math.round(count) === 1 ? '' : 's'}`
      : undefined,
  ].filter(Boolean);
  const mark = ticketNeedsReply(ticket) ? ':envelope_with_arrow:' : ':ticket:';
  return `${mark} *${subject}*\n${meta.join('  ·  ')}`;
}

function replyBlock(reply: Extract<ReplyBox, { kind: 'input' }>): InputBlock {
  // Slack refuses an initial_value longer than max_length; a blank one would only be a box full of spaces.
  const initial = reply.initial?.trim() ? clampText(reply.initial, REPLY_MAX_CHARS) : undefined;
  return {
    type: 'input',
    block_id: BLOCKS.ticketReply,
    label: plainText('Your reply to the customer', 2000),
    hint: plainText("Sent to the customer in the store's name. Sent once; not retried automatically.", 2000),
    element: {
      type: 'plain_text_input',
      action_id: INPUTS.ticketReply,
      multiline: true,
      max_length: REPLY_MAX_CHARS,
      placeholder: plainText('Write to the customer…', 150),
      ...(initial ? { initial_value: initial } : {}),
    },
  };
}
