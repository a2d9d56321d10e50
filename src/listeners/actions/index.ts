import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../blocks/card-actions.js';
import type { SearchSessions } from '../search-sessions.js';
import type { Services } from '../services.js';
import { openInKomerza, refreshCard, shareCard } from './card-actions.js';
import { openFromPicker, pickerPage } from './picker.js';

/** The card's and the picker's buttons. Registered like any listener, so global middleware applies to them. */
export function registerActions(app: App, services: Services, searches: SearchSessions): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.share, shareCard(services));
  app.action<BlockAction<ButtonAction>>(ACTIONS.refresh, refreshCard(services));
  app.action<BlockAction<ButtonAction>>(ACTIONS.open, openInKomerza(services));
  app.action<BlockAction<ButtonAction>>(ACTIONS.pickerOpen, openFromPicker(services));
  // Previous and Next share one handler (an action_id must be unique within its block).
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.pickerPage}_`), pickerPage(services, searches));
}
