import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage } from '../../blocks/help.js';
import { isHelpRequest, parseQuery } from '../../lookup/parse.js';
import { auditLookup } from '../audit.js';
import { type AnswerPresentation, answerLookup } from '../lookup-answer.js';
import { postQueuedNotice, queueEstimate, withQueueNotice } from '../queue-notice.js';
import type { Services } from '../services.js';

/**
 * `/customer <email | id | order id | text>`: ack at once (Slack allows 3 s and Komerza's latency must never
 * delay it), then answer privately through the response_url. `presentation` adds the card's buttons and the
 * picker for several matches.
 */
export function customerCommand(services: Services, presentation: AnswerPresentation = {}) {
  return async ({ command, ack, respond }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const query = parseQuery(command.text ?? '');
    if (query.kind === 'empty' || isHelpRequest(command.text ?? '')) {
      await ack({ response_type: 'ephemeral', ...helpMessage(command.command) });
      return;
    }
    await ack();
    // A cached lookup finishes in microtasks, which run before Node reads the next request: yield to the event loop
    // once so a burst of commands is acked first and looked up after (bench: ack p99 at 200 concurrent).
    await new Promise((resolve) => setImmediate(resolve));

    const started = performance.now();
    // Behind a long Komerza queue, say "queued" first; the card then replaces that message.
    const { result: answer, notified } = await withQueueNotice(
      answerLookup(services, query, {}, presentation),
      queueEstimate(services),
      postQueuedNotice(respond),
    );
    const who = { user: command.user_id, team: command.team_id, channel: command.channel_id };
    auditLookup(services, { source: 'command', ...who, queryKind: query.kind, started }, answer, {
      ...(notified ? { queued: true } : {}),
    });
    try {
      await respond({ response_type: 'ephemeral', ...(notified ? { replace_original: true } : {}), ...answer.message });
    } catch (error) {
      // The response_url lives 30 minutes and takes 5 posts; past that Slack answers 404 and nobody can be told.
      services.logger.warn('Could not deliver the lookup answer to the response_url', {
        code: (error as { code?: string }).code,
        statusCode: (error as { statusCode?: number }).statusCode,
      });
    }
  };
}
