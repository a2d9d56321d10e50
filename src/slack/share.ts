import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../blocks/message.js';
import { messageModal } from '../blocks/modal.js';
import {
  notInChannelMessage,
  sharedInChannelMessage,
  sharedInThreadMessage,
  shareFailedMessage,
} from '../blocks/share.js';
import type { AppLogger } from '../logger.js';
import type { RequestFacts, Surface } from './context.js';
import { postEphemeral, postToResponseUrl, type Reply, updateModal, withNotice } from './deliver.js';
import { slackErrorCode, slackFailure } from './errors.js';

/**
 * Posting a shared card for a channel to see. From a `/customer` card it goes to the channel through the
 * response_url (which bypasses channel membership, docs/slack-platform.md §1), then chat.postMessage; from the
 * shortcut's modal, into the message's thread with chat.postMessage, falling back to the shortcut's response_url
 * where the bot is not a member. Each returns how it went, for the audit line.
 */

/** The bot cannot post there; a response_url can. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

export type ShareOutcome = 'response_url' | 'chat_post' | 'thread' | 'not_in_channel' | 'failed';

type ModalSurface = Extract<Surface, { kind: 'modal' }>;

export async function shareFromMessage(
  reply: Reply,
  logger: AppLogger,
  request: RequestFacts,
  card: SlackMessage,
): Promise<ShareOutcome> {
  if (reply.respond) {
    try {
      await reply.respond({ response_type: 'in_channel', replace_original: false, ...card });
      return 'response_url';
    } catch (error) {
      logger.info('Sharing through the response_url failed; trying chat.postMessage', slackFailure(error));
    }
  }
  if (!request.channelId) return 'failed';
  try {
    await reply.client.chat.postMessage({ channel: request.channelId, text: card.text, blocks: card.blocks });
    return 'chat_post';
  } catch (error) {
    const notMember = NOT_A_MEMBER.has(slackErrorCode(error) ?? '');
    logger.warn('Could not share the card', slackFailure(error));
    await postEphemeral(
      reply.client,
      logger,
      request,
      notMember ? notInChannelMessage(request.channelId) : shareFailedMessage(),
    );
    return notMember ? 'not_in_channel' : 'failed';
  }
}

export async function shareFromModal(
  reply: Reply,
  logger: AppLogger,
  surface: ModalSurface,
  currentBlocks: readonly KnownBlock[],
  card: SlackMessage,
): Promise<ShareOutcome> {
  const show = (notice: SlackMessage) =>
    updateModal(reply, logger, surface, messageModal(withNotice(currentBlocks, notice), surface.metadata));
  const opener = surface.opener;
  if (!opener) {
    logger.warn('Share clicked in a modal without its channel context');
    await show(shareFailedMessage());
    return 'failed';
  }
  try {
    await reply.client.chat.postMessage({
      channel: opener.channel,
      thread_ts: opener.threadTs,
      text: card.text,
      blocks: card.blocks,
    });
    await show(sharedInThreadMessage(opener.channel));
    return 'thread';
  } catch (error) {
    const notMember = NOT_A_MEMBER.has(slackErrorCode(error) ?? '');
    logger.info('chat.postMessage refused the share', slackFailure(error));
    if (notMember && opener.responseUrl) {
      const body = { response_type: 'in_channel', replace_original: false, ...card };
      if (await postToResponseUrl(opener.responseUrl, body)) {
        await show(sharedInChannelMessage(opener.channel));
        return 'response_url';
      }
    }
    await show(notMember ? notInChannelMessage(opener.channel) : shareFailedMessage());
    return notMember ? 'not_in_channel' : 'failed';
  }
}
