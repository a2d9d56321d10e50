import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { COMMAND } from '../../slack/ids.js';
import { customerCommand } from './customer.js';

export function registerCommands(app: App<AppContext>, deps: Deps): void {
  app.command(COMMAND, customerCommand(deps));
}
