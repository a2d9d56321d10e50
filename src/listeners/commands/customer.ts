import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerMessage } from '../../blocks/answer.js';
import { helpMessage } from '../../blocks/help.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupQuery } from '../../lookup/answer.js';
import { isHelpRequest, parseQuery } from '../../lookup/parse.js';
import { pickerToken } from '../../lookup/searches.js';
import { privateView } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { slackFailure } from '../../slack/errors.js';
import { postQueuedNotice, queueEstimate, withQueueNotice } from '../../slack/queue-notice.js';

/**
 * `/customer <email | id | order id | text>`: ack at once (Slack allows 3 s and Komerza's latency must never
 * delay it), then answer privately through the response_url.
 */
export function customerCommand(deps: Deps) {
  return async ({ command, ack, respond, context }: AllMiddlewareArgs<AppContext> & SlackCommandMiddlewareArgs) => {
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
    const { result, notified } = await withQueueNotice(
      lookupQuery(lookupWith(deps), query),
      queueEstimate(deps),
      postQueuedNotice(respond),
    );
    audit(deps.logger, { source: 'command', request: requestOf(context), queryKind: query.kind, started }, result, {
      ...(notified ? { queued: true } : {}),
    });
    const message = answerMessage(result, privateView(deps, await pickerToken(result, deps.searches)));
    try {
      await respond({ response_type: 'ephemeral', ...(notified ? { replace_original: true } : {}), ...message });
    } catch (error) {
      // The response_url lives 30 minutes and takes 5 posts; past that Slack answers 404 and nobody can be told.
      deps.logger.warn('Could not deliver the lookup answer to the response_url', slackFailure(error));
    }
  };
}
