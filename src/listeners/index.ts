import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { AppContext } from '../slack/context.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerFunctions } from './functions/index.js';
import { registerShortcuts } from './shortcuts/index.js';
import { registerViews } from './views/index.js';

/** Every listener the app has, by kind (commands/, shortcuts/, actions/, views/, functions/, events/). */
export function registerListeners(app: App<AppContext>, deps: Deps): void {
  registerCommands(app, deps);
  registerShortcuts(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerFunctions(app, deps);
  registerEvents(app, deps);
}
