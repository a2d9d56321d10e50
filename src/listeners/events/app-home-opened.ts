import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { publishHome } from '../../slack/home.js';

export type HomeOpenedArgs = AllMiddlewareArgs<AppContext> & SlackEventMiddlewareArgs<'app_home_opened'>;

/**
 * Someone opened the app's Home tab: publish it for them, fresh each time (Slack sends the event on every visit, and
 * the queue and their budget change). Bolt acked the event already. Opening the Messages tab changes nothing.
 */
export function appHomeOpened(deps: Deps) {
  return async ({ event, client }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await publishHome(deps, client, event.user);
  };
}
