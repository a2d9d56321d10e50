import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { discloseTo } from '../../access/disclosure.js';
import { answerMessage } from '../../blocks/answer.js';
import { restartingMessage, searchTooBroadMessage } from '../../blocks/errors.js';
import { helpMessage } from '../../blocks/help.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupQuery } from '../../lookup/answer.js';
import { isHelpRequest, isTooBroad, MIN_SEARCH_CHARS, parseQuery } from '../../lookup/parse.js';
import { pickerToken } from '../../lookup/searches.js';
import { privateViewFor } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { answerPrivately, replyTo } from '../../slack/deliver.js';
import { postQueuedNotice, queueEstimate, withQueueNotice } from '../../slack/queue-notice.js';

/**
 * `/customer <email | id | order id | text>`: ack at once (Slack allows 3 s and Komerza's latency must never
 * delay it), then answer privately through the response_url.
 */
export function customerCommand(deps: Deps) {
  return async (args: AllMiddlewareArgs<AppContext> & SlackCommandMiddlewareArgs) => {
    const { command, ack, respond, context } = args;
    const request = requestOf(context);
    const query = parseQuery(command.text ?? '');
    if (query.kind === 'empty' || isHelpRequest(command.text ?? '')) {
      await ack({ response_type: 'ephemeral', ...helpMessage(command.command) });
      return;
    }
    if (isTooBroad(query)) {
      await ack({ response_type: 'ephemeral', ...searchTooBroadMessage(MIN_SEARCH_CHARS) });
      return;
    }
    await ack();
    const started = performance.now();
    // A cached lookup finishes in microtasks, which run before Node reads the next request: yield to the event loop
    // once so a burst of commands is acked first and looked up after (bench: ack p99 at 200 concurrent).
    await new Promise((resolve) => setImmediate(resolve));

    const reply = replyTo(args, deps.triggerClient);
    let noticeShown = false;
    const notify = postQueuedNotice(respond);
    // If the app must stop first, the person is told to run it again (replacing a "queued" notice).
    const farewell = () => answerPrivately(reply, deps.logger, request, restartingMessage(), { replace: noticeShown });
    await deps.farewells.during(farewell, async () => {
      // Behind a long Komerza queue, say "queued" first; the card then replaces that message.
      const { result, notified } = await withQueueNotice(
        lookupQuery(lookupWith(deps), query).then((found) => discloseTo(deps, request.userId, found)),
        queueEstimate(deps),
        async (info) => (noticeShown = await notify(info)),
      );
      const message = answerMessage(
        result,
        await privateViewFor(deps, request.userId, result, await pickerToken(result, deps.searches)),
      );
      // Replacing the "queued" notice when there was one; an ephemeral message when the response_url fails.
      await answerPrivately(reply, deps.logger, request, message, { replace: notified });
      audit(deps, { source: 'command', request, queryKind: query.kind, started }, result, {
        ...(notified ? { queued: true } : {}),
      });
    });
  };
}
