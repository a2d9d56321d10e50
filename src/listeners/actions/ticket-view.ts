import { threadNotOpenedMessage } from '../../blocks/ticket-messages.js';
import { ticketLoadingModal } from '../../blocks/ticket-thread.js';
import type { Deps } from '../../deps.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { slackFailure } from '../../slack/errors.js';
import { tellClicker, threadMetadata, threadModal } from '../../slack/tickets.js';
import { ticketModal } from '../../slack/values.js';

/**
 * View & reply: a modal with the ticket's whole conversation and a reply box. It opens at once with the trigger_id
 * (valid 3 s), pushed over the card's modal when the card is in one, and is filled in once Komerza has answered.
 */
export function viewTicket(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const request = requestOf(args.context);
    const ticket = args.context.ticket;
    if (!ticket) return;
    const meta = threadMetadata(ticket, request.channelId, request.surface, args.body.response_url);
    const loading = ticketLoadingModal(ticketModal.encode(meta));
    let viewId: string | undefined;
    try {
      const opened =
        request.surface.kind === 'modal'
          ? await deps.triggerClient.views.push({ trigger_id: args.body.trigger_id, view: loading })
          : await deps.triggerClient.views.open({ trigger_id: args.body.trigger_id, view: loading });
      viewId = opened.view?.id;
    } catch (error) {
      // trigger_expired / trigger_exchanged: nothing is open to fill in; the person is told to click again.
      deps.logger.warn('Could not open the ticket thread', slackFailure(error));
      await tellClicker(deps, args, threadNotOpenedMessage());
      return;
    }
    if (!viewId) return;
    // The reply box only for those who may reply (a key without stores.tickets.update still lets them read and close).
    const box = deps.tickets.offer.actions().reply ? { kind: 'input' as const } : { kind: 'none' as const };
    const view = await threadModal(deps, meta, box);
    try {
      await args.client.views.update({ view_id: viewId, view });
    } catch (error) {
      deps.logger.info('Could not show the ticket thread (modal closed?)', slackFailure(error));
    }
  };
}
