import type { App } from '@slack/bolt';
import type { Services } from '../services.js';
import { customerCommand } from './customer.js';

export function registerCommands(app: App, services: Services): void {
  app.command('/customer', customerCommand(services));
}
