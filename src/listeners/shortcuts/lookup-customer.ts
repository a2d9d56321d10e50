import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { discloseTo } from '../../access/disclosure.js';
import { answerMessage } from '../../blocks/answer.js';
import { restartingMessage } from '../../blocks/errors.js';
import type { SlackMessage } from '../../blocks/message.js';
import { loadingModal, messageModal } from '../../blocks/modal.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupCandidates } from '../../lookup/candidates.js';
import { extractCandidates } from '../../lookup/extract.js';
import { messageStrings } from '../../lookup/message-strings.js';
import { privateViewFor } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { answerPrivately, replyTo } from '../../slack/deliver.js';
import { slackErrorCode, slackFailure } from '../../slack/errors.js';
import { modalContext } from '../../slack/values.js';

/** Candidates resolved per message: each costs Komerza calls, and a picker of more is no longer "compact". */
export const MAX_SHORTCUT_CANDIDATES = 8;

type ShortcutArgs = AllMiddlewareArgs<AppContext> & SlackShortcutMiddlewareArgs<MessageShortcut>;

/**
 * "Look up customer" on a message. The trigger_id dies after 3 s and works once, so a "Looking up…" modal is opened
 * right after the ack (never retried, given up inside the trigger's life) while Komerza is already being read; the
 * answer then replaces it through `views.update` (by view id and hash). Without a modal, the answer goes to the
 * response_url.
 */
export function lookupCustomerShortcut(deps: Deps) {
  return async (args: ShortcutArgs): Promise<void> => {
    const { shortcut, ack, client, context } = args;
    await ack();
    const started = performance.now();
    const request = requestOf(context);
    const reply = replyTo(args, deps.triggerClient);
    const message = shortcut.message;
    const metadata = modalContext.encode({
      channel: shortcut.channel.id,
      threadTs: typeof message.thread_ts === 'string' ? message.thread_ts : message.ts,
      ...(shortcut.response_url ? { responseUrl: shortcut.response_url } : {}),
    });

    let view: { id: string; hash: string | undefined } | undefined;
    /** Into the modal when it is open; otherwise (or when Slack refuses the update) privately in the channel. */
    const show = async (answer: SlackMessage): Promise<void> => {
      if (view) {
        try {
          await client.views.update({
            view_id: view.id,
            ...(view.hash ? { hash: view.hash } : {}),
            view: messageModal(answer, metadata),
          });
          return;
        } catch (error) {
          // Closed by the person (not_found): nobody is left to tell. Anything else would leave "Looking up…" on
          // screen for good, so the answer goes through the shortcut's response_url, still unused, instead.
          deps.logger.warn('Could not update the lookup modal', slackFailure(error));
          if (slackErrorCode(error) === 'not_found') return;
        }
      }
      await answerPrivately(reply, deps.logger, request, answer, { replace: false });
    };

    await deps.farewells.during(
      () => show(restartingMessage()),
      async () => {
        const candidates = extractCandidates(messageStrings(message), MAX_SHORTCUT_CANDIDATES);
        const lookup = lookupCandidates(lookupWith(deps), candidates);
        try {
          const opened = await deps.triggerClient.views.open({
            trigger_id: shortcut.trigger_id,
            view: loadingModal(metadata),
          });
          if (opened.view?.id) view = { id: opened.view.id, hash: opened.view.hash };
        } catch (error) {
          // trigger_expired / trigger_exchanged / no answer in time: the answer goes through the response_url.
          deps.logger.warn('Could not open the lookup modal', slackFailure(error));
        }
        const result = await discloseTo(deps, request.userId, await lookup);
        const [only] = candidates;
        const queryKind = candidates.length > 1 ? 'several' : (only?.kind ?? 'none');
        await show(answerMessage(result, await privateViewFor(deps, request.userId, result)));
        audit(deps, { source: 'shortcut', request, queryKind, started }, result, { candidates: candidates.length });
      },
    );
  };
}
