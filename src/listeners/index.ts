import type { App } from '@slack/bolt';
import { registerCommands } from './commands/index.js';
import type { Services } from './services.js';

/** Every listener the app has, by kind (commands/, shortcuts/, actions/). */
export function registerListeners(app: App, services: Services): void {
  registerCommands(app, services);
}
