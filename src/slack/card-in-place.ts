import { discloseTo } from '../access/disclosure.js';
import { answerMessage } from '../blocks/answer.js';
import { restartingMessage } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { type Deps, lookupWith } from '../deps.js';
import type { KomerzaApi } from '../komerza/client.js';
import { lookupCustomerId } from '../lookup/answer.js';
import type { LookupResult } from '../lookup/result.js';
import { privateViewFor } from './answer-view.js';
import { audit } from './audit.js';
import { type ButtonArgs, requestOf, type Surface } from './context.js';
import { replaceAnswer, replyTo } from './deliver.js';

/** Which customer a card shows, and the order it marks. */
export interface CardIds {
  customerId: string;
  orderId?: string | undefined;
}

/**
 * One customer's card as `userId` sees it on `on`, read through `api` and charged to their budget, with `notice`
 * (already-safe mrkdwn) on top when given.
 */
export async function cardFor(
  deps: Deps,
  api: KomerzaApi,
  userId: string | undefined,
  ids: CardIds,
  on: Surface,
  notice?: string,
): Promise<{ result: LookupResult; message: SlackMessage }> {
  const found = await lookupCustomerId(lookupWith(deps, api), ids.customerId, ids.orderId);
  const result = await discloseTo(deps, userId, found);
  const view = await privateViewFor(deps, userId, result, undefined, on);
  return { result, message: answerMessage(result, notice ? { ...view, notice } : view) };
}

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
  const ids = { customerId: args.context.customerId ?? '', orderId: args.context.orderId };
  await deps.farewells.during(
    () => replaceAnswer(reply, deps.logger, request, restartingMessage()),
    async () => {
      const { result, message } = await cardFor(deps, api, request.userId, ids, request.surface);
      await replaceAnswer(reply, deps.logger, request, message);
      audit(deps, { source, request, queryKind: 'id', started }, result);
    },
  );
}
