import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { encodeModalContext, loadingModal, messageModal } from '../../blocks/modal.js';
import { extractCandidates } from '../../lookup/extract.js';
import { auditLookup } from '../audit.js';
import { answerCandidates } from '../candidates-answer.js';
import { privatePresentation } from '../presentation.js';
import type { Services } from '../services.js';
import { slackErrorCode, slackFailure } from '../slack-errors.js';
import { messageStrings } from './message-strings.js';

export const LOOKUP_SHORTCUT = 'lookup_customer';

/** Candidates resolved per message: each costs Komerza calls, and a picker of more is no longer "compact". */
export const MAX_SHORTCUT_CANDIDATES = 8;

/**
 * "Look up customer" on a message. The trigger_id dies after 3 s and works once, so the modal is opened right
 * after the ack with a "Looking up…" view, before Komerza is asked anything; the answer then replaces it through
 * `views.update` (by view id and hash). If the modal cannot be opened, the answer goes to the response_url.
 */
export function lookupCustomerShortcut(services: Services) {
  return async ({
    shortcut,
    ack,
    client,
    respond,
  }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>): Promise<void> => {
    await ack();
    const message = shortcut.message;
    const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : message.ts;
    const metadata = encodeModalContext({
      channel: shortcut.channel.id,
      threadTs,
      ...(shortcut.response_url ? { responseUrl: shortcut.response_url } : {}),
    });

    let view: { id: string; hash: string | undefined } | undefined;
    try {
      const opened = await client.views.open({ trigger_id: shortcut.trigger_id, view: loadingModal(metadata) });
      if (opened.view?.id) view = { id: opened.view.id, hash: opened.view.hash };
    } catch (error) {
      // trigger_expired / trigger_exchanged: the answer still reaches the person through the response_url.
      services.logger.warn('Could not open the lookup modal', slackFailure(error));
    }

    const started = performance.now();
    const candidates = extractCandidates(messageStrings(message), MAX_SHORTCUT_CANDIDATES);
    const answer = await answerCandidates(services, candidates, privatePresentation(services));
    const [only] = candidates;
    const queryKind = candidates.length > 1 ? 'several' : (only?.kind ?? 'none');
    const who = { user: shortcut.user.id, team: shortcut.team?.id, channel: shortcut.channel.id };
    auditLookup(services, { source: 'shortcut', ...who, queryKind, started }, answer, {
      candidates: candidates.length,
    });

    if (view) {
      try {
        await client.views.update({
          view_id: view.id,
          ...(view.hash ? { hash: view.hash } : {}),
          view: messageModal(answer.message, metadata),
        });
        return;
      } catch (error) {
        // Closed by the person (not_found): nobody is left to tell. Anything else would leave "Looking up…" on
        // screen for good, so the answer goes through the shortcut's response_url, still unused, instead.
        services.logger.warn('Could not update the lookup modal', slackFailure(error));
        if (slackErrorCode(error) === 'not_found') return;
      }
    }
    try {
      await respond({ response_type: 'ephemeral', replace_original: false, ...answer.message });
    } catch (error) {
      services.logger.warn('Could not deliver the shortcut answer', slackFailure(error));
    }
  };
}
