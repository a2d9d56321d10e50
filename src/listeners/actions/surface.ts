import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/message.js';
import { type ModalContext, messageModal, parseModalContext } from '../../blocks/modal.js';
import type { Services } from '../services.js';
import { slackErrorCode, slackFailure } from '../slack-errors.js';

export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/**
 * Where a button was clicked: in the shortcut's modal (answers go through `views.update`) or on a message from
 * `/customer` (answers go through the click's response_url, which lives 30 minutes and takes 5 posts).
 */
export type Surface =
  | { kind: 'modal'; viewId: string; hash: string | undefined; metadata: string | undefined; context?: ModalContext }
  | { kind: 'message'; channel: string | undefined; user: string };

export function surfaceOf(body: BlockAction<ButtonAction>): Surface {
  const view = body.view;
  if (view && view.type === 'modal') {
    const context = parseModalContext(view.private_metadata);
    return {
      kind: 'modal',
      viewId: view.id,
      hash: view.hash,
      metadata: view.private_metadata || undefined,
      ...(context ? { context } : {}),
    };
  }
  return { kind: 'message', channel: body.channel?.id, user: body.user.id };
}

/** Who clicked, and where: a click in a modal carries no channel, the modal's context has it (for the audit log). */
export function whoClicked(args: ButtonArgs): { user: string; team: string | undefined; channel: string | undefined } {
  const surface = surfaceOf(args.body);
  const channel = args.body.channel?.id ?? (surface.kind === 'modal' ? surface.context?.channel : undefined);
  return { user: args.body.user.id, team: args.body.team?.id, channel };
}

/**
 * Puts `message` where the clicked content was: the modal's view, or the original message (replace_original).
 * An expired response_url falls back to a new ephemeral message through the Web API; if even that fails the
 * failure is logged (there is no other way to reach the person).
 */
export async function replaceAnswer(args: ButtonArgs, services: Services, message: SlackMessage): Promise<void> {
  const surface = surfaceOf(args.body);
  if (surface.kind === 'modal') {
    await updateModal(args, services, surface, message);
    return;
  }
  try {
    await args.respond({ response_type: 'ephemeral', replace_original: true, ...message });
    return;
  } catch (error) {
    services.logger.info('The card’s response_url is used up; answering through the Web API', slackFailure(error));
  }
  await postEphemeral(args, services, surface, message);
}

export async function updateModal(
  args: ButtonArgs,
  services: Services,
  surface: Extract<Surface, { kind: 'modal' }>,
  message: SlackMessage,
): Promise<void> {
  const view = messageModal(message, surface.metadata);
  try {
    await args.client.views.update({ view_id: surface.viewId, ...(surface.hash ? { hash: surface.hash } : {}), view });
  } catch (error) {
    // hash_conflict: another update (e.g. a second Refresh) landed first and shows a card as fresh as this one.
    const code = slackErrorCode(error);
    if (code === 'hash_conflict') {
      services.logger.info('Modal changed meanwhile; update skipped', slackFailure(error));
      return;
    }
    services.logger.warn('Could not update the lookup modal', slackFailure(error));
    // The modal is still open (not_found would mean it was closed): show the answer on top of it with the click's
    // trigger_id (valid 3 s, once), so the click does not end in silence.
    if (code !== 'not_found' && args.body.trigger_id) {
      try {
        await args.client.views.push({ trigger_id: args.body.trigger_id, view });
      } catch (pushError) {
        services.logger.warn('Could not show the answer over the modal either', slackFailure(pushError));
      }
    }
  }
}

/** A new private message to the person in the channel of the click (the old card's hook being gone). */
export async function postEphemeral(
  args: ButtonArgs,
  services: Services,
  surface: Extract<Surface, { kind: 'message' }>,
  message: SlackMessage,
): Promise<boolean> {
  if (!surface.channel) return false;
  try {
    await args.client.chat.postEphemeral({
      channel: surface.channel,
      user: surface.user,
      text: message.text,
      blocks: message.blocks,
    });
    return true;
  } catch (error) {
    services.logger.warn('Could not reach the person through the Web API either', slackFailure(error));
    return false;
  }
}
