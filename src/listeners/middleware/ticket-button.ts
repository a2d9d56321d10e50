import type { TicketAction } from '../../blocks/ticket-messages.js';
import type { Deps } from '../../deps.js';
import { auditWrite } from '../../slack/audit.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { tellClicker, writeRefusal } from '../../slack/tickets.js';
import { decodeValue, ticketButton } from '../../slack/values.js';

/**
 * Listener middleware for a card's ticket buttons: decodes the value into `context.ticket`, then lets only those
 * who may make `action` through (TICKET_ACTIONS, the key's scopes, ALLOWED_WRITE_*), checked on every click. A
 * value this app did not write is acknowledged, logged and goes no further; a refusal is told privately and audited.
 */
export function ticketFromButton(deps: Deps, action: TicketAction) {
  return async (args: ButtonArgs): Promise<void> => {
    const value = decodeValue(ticketButton, args.action.value);
    if (!value) {
      await args.ack();
      deps.logger.warn('A ticket button was clicked with a value this app did not write', {
        action: args.action.action_id,
      });
      return;
    }
    args.context.ticket = value;
    const request = requestOf(args.context);
    const refusal = await writeRefusal(deps, request.userId, action);
    if (!refusal) {
      await args.next();
      return;
    }
    const started = performance.now();
    await args.ack();
    await tellClicker(deps, args, refusal);
    if (action === 'view') {
      // Opening a thread writes nothing: refused like any request the access rules turn away.
      deps.logger.event('access_denied', {
        request: 'ticket_view',
        user: request.userId,
        team: request.teamId,
        channel: request.channelId,
        reason: 'ticket_view_not_allowed',
      });
    } else {
      auditWrite(deps, { action, request, ...value, outcome: 'refused', started });
    }
  };
}
