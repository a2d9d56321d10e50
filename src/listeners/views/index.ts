import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { TICKET_VIEW } from '../../slack/ids.js';
import { sendReply } from './ticket-reply.js';

/** Modal submissions: the ticket thread's Send reply. */
export function registerViews(app: App<AppContext>, deps: Deps): void {
  app.view(TICKET_VIEW, sendReply(deps));
}
