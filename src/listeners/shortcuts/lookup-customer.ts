import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { answerMessage, answerModal } from '../../blocks/answer.js';
import { loadingModal } from '../../blocks/modal.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupCandidates } from '../../lookup/candidates.js';
import { extractCandidates } from '../../lookup/extract.js';
import { messageStrings } from '../../lookup/message-strings.js';
import { privateView } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { slackErrorCode, slackFailure } from '../../slack/errors.js';
import { modalContext } from '../../slack/values.js';

/** Candidates resolved per message: each costs Komerza calls, and a picker of more is no longer "compact". */
export const MAX_SHORTCUT_CANDIDATES = 8;

type ShortcutArgs = AllMiddlewareArgs<AppContext> & SlackShortcutMiddlewareArgs<MessageShortcut>;

/**
 * "Look up customer" on a message. The trigger_id dies after 3 s and works once, so the modal is opened right
 * after the ack with a "Looking up…" view, before Komerza is asked anything; the answer then replaces it through
 * `views.update` (by view id and hash). If the modal cannot be opened, the answer goes to the response_url.
 */
export function lookupCustomerShortcut(deps: Deps) {
  return async ({ shortcut, ack, client, respond, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const message = shortcut.message;
    const metadata = modalContext.encode({
      channel: shortcut.channel.id,
      threadTs: typeof message.thread_ts === 'string' ? message.thread_ts : message.ts,
      ...(shortcut.response_url ? { responseUrl: shortcut.response_url } : {}),
    });

    let view: { id: string; hash: string | undefined } | undefined;
    try {
      const opened = await client.views.open({ trigger_id: shortcut.trigger_id, view: loadingModal(metadata) });
      if (opened.view?.id) view = { id: opened.view.id, hash: opened.view.hash };
    } catch (error) {
      // trigger_expired / trigger_exchanged: the answer still reaches the person through the response_url.
      deps.logger.warn('Could not open the lookup modal', slackFailure(error));
    }

    const started = performance.now();
    const candidates = extractCandidates(messageStrings(message), MAX_SHORTCUT_CANDIDATES);
    const result = await lookupCandidates(lookupWith(deps), candidates);
    const [only] = candidates;
    const queryKind = candidates.length > 1 ? 'several' : (only?.kind ?? 'none');
    audit(deps.logger, { source: 'shortcut', request: requestOf(context), queryKind, started }, result, {
      candidates: candidates.length,
    });

    if (view) {
      try {
        await client.views.update({
          view_id: view.id,
          ...(view.hash ? { hash: view.hash } : {}),
          view: answerModal(result, privateView(deps), metadata),
        });
        return;
      } catch (error) {
        // Closed by the person (not_found): nobody is left to tell. Anything else would leave "Looking up…" on
        // screen for good, so the answer goes through the shortcut's response_url, still unused, instead.
        deps.logger.warn('Could not update the lookup modal', slackFailure(error));
        if (slackErrorCode(error) === 'not_found') return;
      }
    }
    try {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...answerMessage(result, privateView(deps)),
      });
    } catch (error) {
      deps.logger.warn('Could not deliver the shortcut answer', slackFailure(error));
    }
  };
}
