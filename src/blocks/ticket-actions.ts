import type { ActionsBlock, Button, ConfirmationDialog } from '@slack/types';
import type { Ticket } from '../komerza/schemas.js';
import { isOpenTicket } from '../komerza/tickets.js';
import { ACTIONS, BLOCKS } from '../slack/ids.js';
import { ticketButton } from '../slack/values.js';
import { clampText, oneLine, plainText } from './text.js';

/** What a person may do with a card's open tickets: worked out per person by the caller (setting, key scopes, write access). */
export interface TicketActions {
  reply: boolean;
  close: boolean;
}

/** Slack's confirmation dialog: text ≤ 300 characters (docs/slack-platform.md §3). */
const CONFIRM_TEXT_MAX = 300;

/**
 * The actions block under one open ticket (`${BLOCKS.ticketActions}_${index}`), or undefined when there is nothing
 * to offer or the ids are not UUIDs (a button the app would refuse when clicked is better left out).
 */
export function ticketActionsBlock(
  ticket: Ticket,
  index: number,
  ids: { customerId: string; orderId?: string },
  allowed: TicketActions,
): ActionsBlock | undefined {
  if ((!allowed.reply && !allowed.close) || !isOpenTicket(ticket)) return undefined;
  const value = ticketValue(ticket.id, ids);
  if (!value) return undefined;
  // Closing is offered without replying for someone who may only close: they still get to read what they close.
  const elements: Button[] = [
    {
      type: 'button',
      action_id: ACTIONS.ticketView,
      text: plainText(allowed.reply ? 'View & reply' : 'View thread', 75),
      value,
    },
  ];
  if (allowed.close) {
    elements.push({
      type: 'button',
      action_id: ACTIONS.ticketClose,
      text: plainText('Close ticket', 75),
      value,
      style: 'danger',
      confirm: closeConfirm(ticket),
    });
  }
  return { type: 'actions', block_id: `${BLOCKS.ticketActions}_${index}`, elements };
}

/** The button value; an order id that is not a UUID only costs the card's order mark, not the buttons. */
function ticketValue(ticketId: string, ids: { customerId: string; orderId?: string }): string | undefined {
  const withOrder = ids.orderId
    ? ticketButton.safeEncode({ customerId: ids.customerId, ticketId, orderId: ids.orderId })
    : undefined;
  if (withOrder?.success) return withOrder.data;
  const encoded = ticketButton.safeEncode({ customerId: ids.customerId, ticketId });
  return encoded.success ? encoded.data : undefined;
}

/** Plain text, so the subject needs no escaping; it is shortened so the whole text stays within Slack's 300. */
function closeConfirm(ticket: Ticket): ConfirmationDialog {
  const before = "Close ticket '";
  const after = "'? The customer is not notified by this app.";
  const subject = clampText(
    oneLine(ticket.subject ?? '') || '(no subject)',
    CONFIRM_TEXT_MAX - before.length - after.length,
  );
  return {
    title: plainText('Close this ticket?', 100),
    text: plainText(`${before}${subject}${after}`, CONFIRM_TEXT_MAX),
    confirm: plainText('Close ticket', 30),
    deny: plainText('Cancel', 30),
    style: 'danger',
  };
}
