import type { App, MessageShortcut } from '@slack/bolt';
import type { Services } from '../services.js';
import { LOOKUP_SHORTCUT, lookupCustomerShortcut } from './lookup-customer.js';

export function registerShortcuts(app: App, services: Services): void {
  app.shortcut<MessageShortcut>(
    { callback_id: LOOKUP_SHORTCUT, type: 'message_action' },
    lookupCustomerShortcut(services),
  );
}
