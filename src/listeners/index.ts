import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { privatePresentation } from './presentation.js';
import { createSearchSessions } from './search-sessions.js';
import type { Services } from './services.js';
import { registerShortcuts } from './shortcuts/index.js';

/** Every listener the app has, by kind (commands/, shortcuts/, actions/). */
export function registerListeners(app: App, services: Services): void {
  // Search texts behind the picker's page buttons (in memory; see search-sessions.ts for why).
  const searches = createSearchSessions();
  registerCommands(app, services, privatePresentation(services, searches));
  registerShortcuts(app, services);
  registerActions(app, services, searches);
}
