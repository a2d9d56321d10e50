import type { RespondFn, webApi } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { SlackMessage } from '../blocks/message.js';
import { messageModal } from '../blocks/modal.js';
import type { AppLogger } from '../logger.js';
import type { RequestFacts, Surface } from './context.js';
import { respondStatus, slackErrorCode, slackFailure } from './errors.js';
import { BLOCKS } from './ids.js';

type WebClient = webApi.WebClient;
type ModalSurface = Extract<Surface, { kind: 'modal' }>;

/**
 * Getting an answer to the person, wherever they asked: a response_url (30 minutes, 5 posts), an ephemeral message
 * through the Web API when that hook is gone, or the shortcut's modal (`views.update`, `views.push` when an update
 * is refused). Failures fall back, then are logged: these helpers never throw.
 */

/** What a request offers for answering it (from Bolt's listener arguments). */
export interface Reply {
  /** Present when the request carries a response_url (commands, message shortcuts, clicks on messages). */
  respond?: RespondFn | undefined;
  client: WebClient;
  /** A click's trigger_id (valid 3 s, once): lets an answer be pushed over a modal that refused an update. */
  triggerId?: string | undefined;
  /** For calls that spend the trigger_id (slack/web-client-options.ts); the request's client otherwise. */
  triggerClient?: WebClient;
}

/**
 * Puts `message` where the clicked content was: the modal's view, or the original message (replace_original). An
 * expired response_url falls back to a new ephemeral message in the channel.
 */
export async function replaceAnswer(
  reply: Reply,
  logger: AppLogger,
  request: RequestFacts,
  message: SlackMessage,
): Promise<void> {
  if (request.surface.kind === 'modal') {
    await updateModal(reply, logger, request.surface, messageModal(message, request.surface.metadata));
    return;
  }
  await answerPrivately(reply, logger, request, message, { replace: true });
}

/**
 * A private answer that must arrive: through the request's response_url (replacing the message it came from, or
 * as a new one), or, when that hook is gone or keeps failing, as an ephemeral message in the channel.
 */
export async function answerPrivately(
  reply: Reply,
  logger: AppLogger,
  request: RequestFacts,
  message: SlackMessage,
  options: { replace: boolean },
): Promise<void> {
  if (await respondPrivately(reply, logger, message, options)) return;
  await postEphemeral(reply.client, logger, request, message);
}

/** Wait before posting to a response_url again after a 5xx or a network error. */
const RESPOND_RETRY_MS = 500;

/**
 * An ephemeral post through the response_url, tried once more after a transient failure (a 5xx or no answer; an
 * expired hook, 404, is not retried). False when there is none or Slack still refused it.
 */
export async function respondPrivately(
  reply: Reply,
  logger: AppLogger,
  message: SlackMessage,
  options: { replace: boolean },
): Promise<boolean> {
  if (!reply.respond) return false;
  const body = { response_type: 'ephemeral' as const, replace_original: options.replace, ...message };
  for (let attempt = 1; ; attempt++) {
    try {
      await reply.respond(body);
      return true;
    } catch (error) {
      const status = respondStatus(error);
      const transient = status === undefined || status >= 500;
      if (attempt === 1 && transient) {
        logger.info('The response_url failed; trying it once more', slackFailure(error));
        await new Promise((resolve) => setTimeout(resolve, RESPOND_RETRY_MS));
        continue;
      }
      logger.info('The response_url refused the answer; trying the Web API', slackFailure(error));
      return false;
    }
  }
}

/** Replaces a modal's view (by id and hash). A closed modal (not_found) has nobody left to tell. */
export async function updateModal(reply: Reply, logger: AppLogger, surface: ModalSurface, view: ModalView) {
  try {
    await reply.client.views.update({
      view_id: surface.viewId,
      ...(surface.hash ? { hash: surface.hash } : {}),
      view,
    });
  } catch (error) {
    // hash_conflict: another update (e.g. a second Refresh) landed first and shows a card as fresh as this one.
    const code = slackErrorCode(error);
    if (code === 'hash_conflict') {
      logger.info('Modal changed meanwhile; update skipped', slackFailure(error));
      return;
    }
    logger.warn('Could not update the lookup modal', slackFailure(error));
    // Still open (not_found would mean closed): show the answer on top of it, so the click does not end in silence.
    if (code !== 'not_found' && reply.triggerId) {
      try {
        await (reply.triggerClient ?? reply.client).views.push({ trigger_id: reply.triggerId, view });
      } catch (pushError) {
        logger.warn('Could not show the answer over the modal either', slackFailure(pushError));
      }
    }
  }
}

/** A new private message to the person in the request's channel (the old card's hook being gone). */
export async function postEphemeral(
  client: WebClient,
  logger: AppLogger,
  request: RequestFacts,
  message: SlackMessage,
): Promise<boolean> {
  if (!request.channelId || !request.userId) return false;
  try {
    await client.chat.postEphemeral({
      channel: request.channelId,
      user: request.userId,
      text: message.text,
      blocks: message.blocks,
    });
    return true;
  } catch (error) {
    logger.warn('Could not reach the person through the Web API either', slackFailure(error));
    return false;
  }
}

/**
 * A click in a modal carries no response_url, so the shortcut's one (kept in private_metadata) is posted to
 * directly, the way Bolt's respond() does it: JSON, no auth header. False when Slack refuses (expired, used up).
 */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
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

/** A modal's current blocks with `notice` on top (replacing an earlier notice rather than stacking them). */
export function withNotice(currentBlocks: readonly KnownBlock[], notice: SlackMessage): SlackMessage {
  const current = currentBlocks.filter((block) => block.block_id !== BLOCKS.notice);
  const [first, ...rest] = notice.blocks;
  const head: KnownBlock[] = first ? [{ ...first, block_id: BLOCKS.notice } as KnownBlock, ...rest] : [];
  return { text: notice.text, blocks: [...head, ...current].slice(0, 100) };
}

/** The Reply of a Bolt request (command, shortcut, click): its response_url, client and trigger_id. */
export function replyTo(
  args: { respond?: RespondFn; client: WebClient; body: unknown },
  triggerClient?: WebClient,
): Reply {
  const triggerId = (args.body as { trigger_id?: unknown }).trigger_id;
  return {
    respond: args.respond,
    client: args.client,
    ...(typeof triggerId === 'string' ? { triggerId } : {}),
    ...(triggerClient ? { triggerClient } : {}),
  };
}
