import type { KnownBlock } from '@slack/types';
import { parseCustomerValue } from '../../blocks/card-actions.js';
import type { SlackMessage } from '../../blocks/message.js';
import { notInChannelMessage, sharedBanner, sharedNotice, shareFailedMessage } from '../../blocks/share.js';
import { mrkdwn } from '../../blocks/text.js';
import { auditLookup } from '../audit.js';
import { answerCustomerId, type LookupAnswer } from '../lookup-answer.js';
import { privatePresentation, sharedPresentation } from '../presentation.js';
import type { Services } from '../services.js';
import { slackErrorCode, slackFailure } from '../slack-errors.js';
import {
  type ButtonArgs,
  postEphemeral,
  replaceAnswer,
  type Surface,
  surfaceOf,
  updateModal,
  whoClicked,
} from './surface.js';

/** The bot cannot post there; a response_url can (it bypasses channel membership, slack-platform.md §1). */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);
const NOTICE_BLOCK = 'share_notice';

function audit(
  services: Services,
  args: ButtonArgs,
  action: 'share' | 'refresh',
  started: number,
  answer: LookupAnswer,
  extra = {},
): void {
  auditLookup(services, { source: action, ...whoClicked(args), queryKind: 'id', started }, answer, extra);
}

/** Refresh: read the customer again past every cache and put the new card where the old one was. */
export function refreshCard(services: Services) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const customerId = parseCustomerValue(args.action.value);
    if (!customerId) return services.logger.warn('Refresh clicked with a value this app did not write');
    const started = performance.now();
    const answer = await answerCustomerId(services, customerId, { fresh: true }, privatePresentation(services));
    audit(services, args, 'refresh', started, answer);
    await replaceAnswer(args, services, answer.message);
  };
}

/** "Open in Komerza" is a link: Slack opens it, but still sends the click, which must be acknowledged. */
export function openInKomerza(services: Services) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    services.logger.debug('Open in Komerza clicked');
  };
}

/**
 * Share: post the redacted card for everyone, saying who shared it and when. From a `/customer` card it goes to
 * the channel through the response_url; from the shortcut's modal, into the message's thread with
 * chat.postMessage (falling back to the shortcut's response_url where the bot is not a member).
 */
export function shareCard(services: Services) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const customerId = parseCustomerValue(args.action.value);
    if (!customerId) return services.logger.warn('Share clicked with a value this app did not write');
    const started = performance.now();
    const banner = sharedBanner(args.body.user.id, services.now());
    const answer = await answerCustomerId(services, customerId, {}, sharedPresentation(services, banner));
    const surface = surfaceOf(args.body);
    let result: string;
    if (answer.outcome !== 'card') {
      // Komerza failed: the person sees why; nothing is posted for the channel.
      result = 'not_shared';
      if (surface.kind === 'modal') await updateModal(args, services, surface, withNotice(args, answer.message));
      else await privateNotice(args, services, surface, answer.message);
    } else if (surface.kind === 'modal') {
      result = await shareFromModal(args, services, surface, answer.message);
    } else {
      result = await shareFromMessage(args, services, surface, answer.message);
    }
    audit(services, args, 'share', started, answer, { result });
  };
}

async function shareFromMessage(
  args: ButtonArgs,
  services: Services,
  surface: Extract<Surface, { kind: 'message' }>,
  card: SlackMessage,
): Promise<string> {
  try {
    await args.respond({ response_type: 'in_channel', replace_original: false, ...card });
    return 'response_url';
  } catch (error) {
    services.logger.info('Sharing through the response_url failed; trying chat.postMessage', slackFailure(error));
  }
  if (!surface.channel) return 'failed';
  try {
    await args.client.chat.postMessage({ channel: surface.channel, text: card.text, blocks: card.blocks });
    return 'chat_post';
  } catch (error) {
    const code = slackErrorCode(error);
    services.logger.warn('Could not share the card', slackFailure(error));
    await postEphemeral(
      args,
      services,
      surface,
      code && NOT_A_MEMBER.has(code) ? notInChannelMessage(surface.channel) : shareFailedMessage(),
    );
    return code && NOT_A_MEMBER.has(code) ? 'not_in_channel' : 'failed';
  }
}

async function shareFromModal(
  args: ButtonArgs,
  services: Services,
  surface: Extract<Surface, { kind: 'modal' }>,
  card: SlackMessage,
): Promise<string> {
  const context = surface.context;
  if (!context) {
    services.logger.warn('Share clicked in a modal without its channel context');
    await updateModal(args, services, surface, withNotice(args, shareFailedMessage()));
    return 'failed';
  }
  try {
    await args.client.chat.postMessage({
      channel: context.channel,
      thread_ts: context.threadTs,
      text: card.text,
      blocks: card.blocks,
    });
    await updateModal(args, services, surface, withNotice(args, noticeMessage(sharedNotice(context.channel))));
    return 'thread';
  } catch (error) {
    const code = slackErrorCode(error);
    services.logger.info('chat.postMessage refused the share', slackFailure(error));
    if (code && NOT_A_MEMBER.has(code) && context.responseUrl) {
      if (
        await postToResponseUrl(context.responseUrl, { response_type: 'in_channel', replace_original: false, ...card })
      ) {
        const text = `:white_check_mark: Shared in <#${context.channel}> (not in the thread: the app is not a member of the channel; \`/invite @customer-lookup\` there to share into threads)`;
        await updateModal(args, services, surface, withNotice(args, noticeMessage(text)));
        return 'response_url';
      }
    }
    const notice = code && NOT_A_MEMBER.has(code) ? notInChannelMessage(context.channel) : shareFailedMessage();
    await updateModal(args, services, surface, withNotice(args, notice));
    return code && NOT_A_MEMBER.has(code) ? 'not_in_channel' : 'failed';
  }
}

/** A failure on a `/customer` card: a new private message, leaving the card in place. */
async function privateNotice(
  args: ButtonArgs,
  services: Services,
  surface: Extract<Surface, { kind: 'message' }>,
  message: SlackMessage,
): Promise<void> {
  try {
    await args.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  } catch {
    await postEphemeral(args, services, surface, message);
  }
}

function noticeMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** The modal's current content with a notice on top (replacing an earlier notice rather than stacking them). */
function withNotice(args: ButtonArgs, notice: SlackMessage): SlackMessage {
  const current = ((args.body.view?.blocks ?? []) as KnownBlock[]).filter((block) => block.block_id !== NOTICE_BLOCK);
  const [first, ...rest] = notice.blocks;
  const head: KnownBlock[] = first ? [{ ...first, block_id: NOTICE_BLOCK } as KnownBlock, ...rest] : [];
  return { text: notice.text, blocks: [...head, ...current].slice(0, 100) };
}

/**
 * The modal's click carries no response_url, so the shortcut's one (kept in private_metadata) is posted to
 * directly, the way Bolt's respond() does it: JSON, no auth header. False when Slack refuses (expired, used up).
 */
async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
