import { discloseTo } from '../access/disclosure.js';
import { answerMessage } from '../blocks/answer.js';
import { restartingMessage } from '../blocks/errors.js';
import { type Deps, lookupWith } from '../deps.js';
import type { KomerzaApi } from '../komerza/client.js';
import { lookupCustomerId } from '../lookup/answer.js';
import { privateView } from './answer-view.js';
import { audit } from './audit.js';
import { type ButtonArgs, requestOf } from './context.js';
import { replaceAnswer, replyTo } from './deliver.js';

/**
 * A click that shows one customer's card where the clicked answer was (a picker row's Open, a card's Refresh):
 * read through `api` (cached, or fresh for Refresh), audit, and replace. The customer id comes from the listener
 * middleware that decoded the button (listeners/middleware/customer-button.ts).
 */
export async function showCardInPlace(
  deps: Deps,
  args: ButtonArgs,
  source: 'picker' | 'refresh',
  api: KomerzaApi,
): Promise<void> {
  await args.ack();
  const started = performance.now();
  const request = requestOf(args.context);
  const reply = replyTo(args, deps.triggerClient);
  await deps.farewells.during(
    () => replaceAnswer(reply, deps.logger, request, restartingMessage()),
    async () => {
      const found = await lookupCustomerId(lookupWith(deps, api), args.context.customerId ?? '', args.context.orderId);
      const result = await discloseTo(deps, request.userId, found);
      await replaceAnswer(
        reply,
        deps.logger,
        request,
        answerMessage(result, privateView(deps, undefined, request.surface)),
      );
      audit(deps, { source, request, queryKind: 'id', started }, result);
    },
  );
}
