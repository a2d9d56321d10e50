import type { App } from '@slack/bolt';
import type { AnswerPresentation } from '../lookup-answer.js';
import type { Services } from '../services.js';
import { customerCommand } from './customer.js';

export function registerCommands(app: App, services: Services, presentation?: AnswerPresentation): void {
  app.command('/customer', customerCommand(services, presentation));
}
