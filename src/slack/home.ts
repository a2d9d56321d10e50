import type { webApi } from '@slack/bolt';
import { personAccess } from '../access/standing.js';
import { homeView } from '../blocks/home.js';
import type { SlackMessage } from '../blocks/message.js';
import type { Deps } from '../deps.js';
import { slackFailure } from './errors.js';

/**
 * Publishes one person's Home tab (`views.publish`, no scope needed: docs/slack-platform.md §9.2) with what is true
 * now: their access, the start-up key check, Komerza's queue. Never throws: a tab that cannot be published is
 * logged, and the person still has the command and the shortcut.
 */
export async function publishHome(
  deps: Deps,
  client: webApi.WebClient,
  userId: string,
  notice?: SlackMessage,
): Promise<boolean> {
  try {
    const access = await personAccess(deps.access, deps.budget, deps.budgetLimits, userId, deps.tickets);
    const view = homeView({
      now: deps.now(),
      access,
      slackMode: deps.slackMode,
      keyCheck: deps.keyCheck.latest(),
      queue: deps.queue?.status(),
      ...(notice ? { notice } : {}),
    });
    await client.views.publish({ user_id: userId, view });
    return true;
  } catch (error) {
    deps.logger.warn('Could not publish the Home tab', { user: userId, ...slackFailure(error) });
    return false;
  }
}
