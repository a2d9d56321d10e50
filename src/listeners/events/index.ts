import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { appHomeOpened } from './app-home-opened.js';

/** Events API subscriptions (manifest.yml `settings.event_subscriptions.bot_events`), apart from workflow steps. */
export function registerEvents(app: App<AppContext>, deps: Deps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
