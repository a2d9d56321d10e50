import { discloseTo } from '../../access/disclosure.js';
import { answerMessage } from '../../blocks/answer.js';
import { restartingMessage } from '../../blocks/errors.js';
import { searchExpiredMessage } from '../../blocks/share.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupSearchPage } from '../../lookup/answer.js';
import { pickerToken } from '../../lookup/searches.js';
import { privateView } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { replaceAnswer, replyTo } from '../../slack/deliver.js';
import { decodeValue, pageButton } from '../../slack/values.js';

/** Previous / Next: the stored search's other Komerza page, in place of this one. */
export function pickerPage(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const started = performance.now();
    const request = requestOf(args.context);
    const reply = replyTo(args, deps.triggerClient);
    const value = decodeValue(pageButton, args.action.value);
    const text = value ? await deps.searches.get(value.token) : undefined;
    if (!value || text === undefined) {
      await replaceAnswer(reply, deps.logger, request, searchExpiredMessage());
      return;
    }
    await deps.farewells.during(
      () => replaceAnswer(reply, deps.logger, request, restartingMessage()),
      async () => {
        const found = await lookupSearchPage(lookupWith(deps), text, value.page);
        const result = await discloseTo(deps, request.userId, found);
        const token = await pickerToken(result, deps.searches, value.token);
        await replaceAnswer(
          reply,
          deps.logger,
          request,
          answerMessage(result, privateView(deps, token, request.surface)),
        );
        audit(deps, { source: 'picker_page', request, queryKind: 'search', started }, result, { page: value.page });
      },
    );
  };
}
