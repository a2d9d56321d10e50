import type { Refusal } from '../access/policy.js';
import { BLOCKS } from '../slack/ids.js';
import type { WriteOutcome } from '../tickets/send-once.js';
import { komerzaErrorMessage } from './errors.js';
import type { SlackMessage } from './message.js';
import { notice } from './notice.js';

/**
 * What a person is told about ticket actions: refusals, and what became of a reply or a close. Every string here is
 * the app's own words or already-safe text from blocks/errors.ts; nothing a person typed or Komerza sent.
 */

/** What a ticket button or the reply box asks for: opening a thread (View & reply), replying, closing. */
export type TicketAction = 'view' | 'reply' | 'close';

const VERB: Record<TicketAction, string> = {
  view: 'open ticket threads',
  reply: 'reply to tickets',
  close: 'close tickets',
};

/** The person may look customers up but not write (ALLOWED_WRITE_USER_IDS / ALLOWED_WRITE_USERGROUP_IDS). */
export function writeRefusedMessage(action: TicketAction, reason: Refusal): SlackMessage {
  if (reason === 'membership_unknown') {
    return notice(
      ':hourglass:',
      `Your permission to ${VERB[action]} could not be checked just now`,
      'Slack did not say whether you are in a user group allowed to write. Nothing was sent. Try again in a minute.',
    );
  }
  return notice(
    ':lock:',
    `You may look customers up, but not ${VERB[action]} from Slack`,
    'Nothing was sent. Ask whoever runs this app to add you to the people allowed to write, or answer in the Komerza dashboard.',
  );
}

/** The button is from a card drawn before TICKET_ACTIONS was turned off, or the key lost the scope since. */
export function actionOffMessage(action: TicketAction, missingScopes: readonly string[]): SlackMessage {
  const scopes = missingScopes.map((scope) => `\`${scope}\``).join(', ');
  return notice(
    ':no_entry_sign:',
    `This app does not ${VERB[action]} right now`,
    missingScopes.length > 0
      ? `The app's Komerza API key lacks ${scopes}. Nothing was sent. Answer in the Komerza dashboard, or ask whoever runs this app to add the permission.`
      : 'Ticket actions are turned off (TICKET_ACTIONS). Nothing was sent. Answer in the Komerza dashboard.',
  );
}

/** Slack would not open the thread's window (a click's trigger lasts 3 s): nothing was read or sent. */
export function threadNotOpenedMessage(): SlackMessage {
  return notice(
    ':warning:',
    'The ticket could not be opened',
    'Slack did not open the window in time (it must open within 3 seconds of a click). Click View & reply again.',
  );
}

/** The headline of a Komerza failure (already-safe mrkdwn, markup removed). */
function failure(outcome: { error: Parameters<typeof komerzaErrorMessage>[0] }): string {
  return komerzaErrorMessage(outcome.error).text;
}

/** The notice on top of the thread after a reply was submitted (already-safe mrkdwn). */
export function replyNotice(outcome: WriteOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'sent':
      return ':white_check_mark: *Reply sent.* It is at the end of the conversation below.';
    case 'duplicate':
      return ':information_source: *This reply was already sent* (or is being sent). It was not sent again.';
    case 'guard_unavailable':
      return `:warning: *Not sent.* ${GUARD_DOWN} Your text is kept below: try again in a minute.`;
    case 'failed':
      return `:x: *Your reply was not sent:* ${failure(outcome)}. Your text is kept below.`;
    case 'uncertain':
      return ':warning: *Your reply may or may not have been sent:* Komerza did not answer in time. The conversation below is as Komerza has it now: check it before sending again. Your text is kept below.';
  }
}

/** The line on top of the refreshed card after a close (already-safe mrkdwn). */
export function closeNotice(outcome: WriteOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'sent':
      return ':white_check_mark: Ticket closed. The customer is not notified by this app.';
    case 'duplicate':
      return ':information_source: This ticket is already being closed. It was not closed twice.';
    case 'guard_unavailable':
      return `:warning: The ticket was not closed. ${GUARD_DOWN} Try again in a minute.`;
    case 'failed':
      return `:x: The ticket was not closed: ${failure(outcome)}.`;
    case 'uncertain':
      return ':warning: The ticket may or may not have been closed: Komerza did not answer in time. The card below is as Komerza has it now.';
  }
}

const GUARD_DOWN =
  'The app cannot make sure it is sent only once right now (its shared store, Redis, is unreachable), so it sent nothing.';

/** Replies are refused in the modal itself (`response_action: errors`): the typed text stays in the box. */
export function replyErrors(message: string): { response_action: 'errors'; errors: Record<string, string> } {
  return { response_action: 'errors', errors: { [BLOCKS.ticketReply]: message } };
}
