import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { discloseTo } from '../../access/disclosure.js';
import { answerMessage } from '../../blocks/answer.js';
import { restartingMessage, searchTooBroadMessage } from '../../blocks/errors.js';
import { homeSearchHelp, homeSearchNotOpened } from '../../blocks/home.js';
import type { SlackMessage } from '../../blocks/message.js';
import { loadingModal, messageModal } from '../../blocks/modal.js';
import type { Deps } from '../../deps.js';
import { lookupQuery } from '../../lookup/answer.js';
import { isHelpRequest, isTooBroad, MIN_SEARCH_CHARS, parseQuery } from '../../lookup/parse.js';
import { pickerToken } from '../../lookup/searches.js';
import { privateViewFor } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { slackErrorCode, slackFailure } from '../../slack/errors.js';
import { publishHome } from '../../slack/home.js';
import { ACTIONS, BLOCKS } from '../../slack/ids.js';

export type HomeSearchArgs = AllMiddlewareArgs<AppContext> & SlackActionMiddlewareArgs<BlockAction>;

/** What Slack sends back of the Home tab's search box: `view.state.values[block][action].value`. */
const homeState = z.object({
  values: z.object({
    [BLOCKS.homeSearch]: z.object({
      [ACTIONS.homeSearchInput]: z.object({ value: z.string().max(4000).nullish() }),
    }),
  }),
});

/** The search text: the box's own value when Enter was pressed in it, else the box as the view state holds it. */
export function homeSearchText(body: BlockAction, action: unknown): string {
  const typed = z
    .object({ action_id: z.literal(ACTIONS.homeSearchInput), value: z.string().max(4000) })
    .safeParse(action);
  if (typed.success) return typed.data.value;
  const state = homeState.safeParse(body.view?.state);
  return state.success ? (state.data.values[BLOCKS.homeSearch][ACTIONS.homeSearchInput].value ?? '') : '';
}

/**
 * The Home tab's search: `/customer`'s lookup, answered in a modal only the person sees (a Home tab has no
 * response_url). Like the message shortcut, a "Looking up…" modal is opened with the click's trigger_id (3 s, once)
 * while Komerza is already being read, and the answer replaces it (views.update by id and hash). The answer is
 * charged to the person's budget only once the modal is open to show it. Access control checked the click first.
 */
export function homeSearch(deps: Deps) {
  return async (args: HomeSearchArgs): Promise<void> => {
    await args.ack();
    const started = performance.now();
    const request = requestOf(args.context);
    const userId = request.userId ?? args.body.user.id;
    const text = homeSearchText(args.body, args.action);
    const query = parseQuery(text);
    const open = async (view: ReturnType<typeof loadingModal>) => {
      try {
        const opened = await deps.triggerClient.views.open({ trigger_id: args.body.trigger_id, view });
        return opened.view?.id ? { id: opened.view.id, hash: opened.view.hash } : undefined;
      } catch (error) {
        deps.logger.warn('Could not open the Home search modal', slackFailure(error));
        return undefined;
      }
    };

    // Nothing to look up, or a search too broad to run: say what to type (Komerza is not asked).
    const advice: SlackMessage | undefined =
      query.kind === 'empty' || isHelpRequest(text)
        ? homeSearchHelp()
        : isTooBroad(query)
          ? searchTooBroadMessage(MIN_SEARCH_CHARS)
          : undefined;
    if (advice) {
      await open(messageModal(advice));
      return;
    }

    const lookup = lookupQuery({ api: deps.komerza.cached, logger: deps.logger }, query);
    const view = await open(loadingModal());
    if (!view) {
      // Nowhere to show it: nothing is charged, and the Home tab says so instead of staying silent.
      await lookup;
      await publishHome(deps, args.client, userId, homeSearchNotOpened());
      return;
    }
    const show = async (message: SlackMessage) => {
      try {
        await args.client.views.update({
          view_id: view.id,
          ...(view.hash ? { hash: view.hash } : {}),
          view: messageModal(message),
        });
      } catch (error) {
        // Closed by the person meanwhile (not_found): nobody is left to tell.
        if (slackErrorCode(error) !== 'not_found')
          deps.logger.warn('Could not update the Home search modal', slackFailure(error));
      }
    };
    await deps.farewells.during(
      () => show(restartingMessage()),
      async () => {
        const result = await discloseTo(deps, userId, await lookup);
        const token = await pickerToken(result, deps.searches);
        await show(answerMessage(result, await privateViewFor(deps, userId, result, token, request.surface)));
        audit(deps, { source: 'home', request, queryKind: query.kind, started }, result);
      },
    );
  };
}
