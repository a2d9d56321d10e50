import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { ACTIONS } from '../../slack/ids.js';
import { customerFromButton } from '../middleware/customer-button.js';
import { ticketFromButton } from '../middleware/ticket-button.js';
import { homeSearch } from './home-search.js';
import { openInKomerza } from './open-in-komerza.js';
import { openFromPicker } from './picker-open.js';
import { pickerPage } from './picker-page.js';
import { refreshCard } from './refresh.js';
import { shareCard } from './share.js';
import { closeTicket } from './ticket-close.js';
import { viewTicket } from './ticket-view.js';

/**
 * The card's and the picker's buttons (ticket buttons included), and the Home tab's search. Registered like any listener, so global
 * middleware applies to them.
 */
export function registerActions(app: App<AppContext>, deps: Deps): void {
  const customer = customerFromButton(deps);
  app.action<BlockAction<ButtonAction>>(ACTIONS.share, customer, shareCard(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.refresh, customer, refreshCard(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.open, openInKomerza(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.pickerOpen, customer, openFromPicker(deps));
  // Previous and Next share one handler (an action_id must be unique within its block).
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.pickerPage}_`), pickerPage(deps));
  // The Look up button, and Enter in the search box (its own block action, dispatch_action).
  app.action<BlockAction>(ACTIONS.homeSearch, homeSearch(deps));
  app.action<BlockAction>(ACTIONS.homeSearchInput, homeSearch(deps));
  // A card's open tickets (TICKET_ACTIONS): each click checked against the write rules first.
  app.action<BlockAction<ButtonAction>>(ACTIONS.ticketView, ticketFromButton(deps, 'view'), viewTicket(deps));
  app.action<BlockAction<ButtonAction>>(ACTIONS.ticketClose, ticketFromButton(deps, 'close'), closeTicket(deps));
}
