import type { App, MessageShortcut } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { LOOKUP_SHORTCUT } from '../../slack/ids.js';
import { lookupCustomerShortcut } from './lookup-customer.js';

export function registerShortcuts(app: App<AppContext>, deps: Deps): void {
  app.shortcut<MessageShortcut>({ callback_id: LOOKUP_SHORTCUT, type: 'message_action' }, lookupCustomerShortcut(deps));
}
