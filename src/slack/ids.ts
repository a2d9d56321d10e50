/**
 * Every Slack-side name the app answers to, in one place: the manifest test and the test harness import these
 * instead of repeating string literals, so a rename cannot leave one of them behind.
 */

/** The slash command (features.slash_commands[0].command in manifest.yml). */
export const COMMAND = '/customer';

/** The message shortcut's callback_id (features.shortcuts[0].callback_id in manifest.yml). */
export const LOOKUP_SHORTCUT = 'lookup_customer';

/** callback_id of the shortcut's modal (its views carry it back on every click). */
export const LOOKUP_VIEW = 'lookup_customer_result';

/**
 * The Workflow Builder step's callback_id: the key of `functions` in manifest.yml, and what `function_executed`
 * events name in `event.function.callback_id` (docs/slack-platform.md §9.1).
 */
export const LOOKUP_STEP = 'lookup_komerza_customer';

/** The step's input parameters (manifest.yml `functions.<LOOKUP_STEP>.input_parameters`), read from `event.inputs`. */
export const STEP_INPUTS = {
  /** What to look up: an email, a customer id or an order id (a string). */
  customer: 'customer',
  /** `slack#/types/user_context`: the person running the workflow, set by Slack, never by the workflow's builder. */
  person: 'person',
} as const;

/** callback_id of the Home tab's view (views.publish): it comes back on every click in the Home tab. */
export const HOME_VIEW = 'customer_lookup_home';

/**
 * callback_id of a ticket's thread modal (issue 14): opened from a card's "View & reply", it carries the reply box,
 * and its submission sends the reply.
 */
export const TICKET_VIEW = 'ticket_thread';

/** action_ids of the app's buttons. Previous and Next are `${pickerPage}_prev` / `_next` (unique within a block). */
export const ACTIONS = {
  share: 'card_share',
  refresh: 'card_refresh',
  /** A link button: Slack opens the URL itself, but still sends the click, which must be acknowledged. */
  open: 'card_open',
  pickerOpen: 'picker_open',
  pickerPage: 'picker_page',
  /** The Home tab's "Look up" button. */
  homeSearch: 'home_search',
  /** The Home tab's search box: Enter in it sends its own block_actions (dispatch_action). */
  homeSearchInput: 'home_search_input',
  /** A card's "View & reply" on an open ticket: opens the ticket's thread modal. */
  ticketView: 'ticket_view',
  /** A card's "Close ticket" (with Slack's confirmation dialog): closes the ticket in Komerza. */
  ticketClose: 'ticket_close',
} as const;

/** action_ids of inputs that send no block_actions of their own (read from `view.state.values` on submission). */
export const INPUTS = {
  /** The thread modal's reply box (a multiline plain_text_input in the BLOCKS.ticketReply block). */
  ticketReply: 'ticket_reply_text',
} as const;

/** block_ids the app looks for again in views it built. */
export const BLOCKS = {
  cardActions: 'card_actions',
  pickerNav: 'picker_nav',
  /** A notice on top of the modal (replaced, not stacked, by the next one). */
  notice: 'share_notice',
  /** The Home tab's search box (its value is read from `view.state.values[homeSearch][homeSearchInput]`). */
  homeSearch: 'home_search',
  /** The actions block under one open ticket of a card: `${ticketActions}_${n}` (block_ids are unique per message). */
  ticketActions: 'ticket_actions',
  /** The thread modal's reply input block (its errors are reported against it: `response_action: errors`). */
  ticketReply: 'ticket_reply',
} as const;

/** Whether a listener handles this action_id (the middleware for unknown ids asks: src/slack/unknown-requests.ts). */
export function handlesAction(actionId: string): boolean {
  return (
    (Object.values(ACTIONS) as string[]).includes(actionId) ||
    actionId === `${ACTIONS.pickerPage}_prev` ||
    actionId === `${ACTIONS.pickerPage}_next`
  );
}

export function handlesShortcut(callbackId: string): boolean {
  return callbackId === LOOKUP_SHORTCUT;
}

/**
 * Whether a listener handles this view's submission. Only the ticket thread has a submit button; the lookup modal has
 * none (and asks for no view_closed), so a submission of it was not sent by Slack for this app and is acked as unknown.
 */
export function handlesView(callbackId: string): boolean {
  return callbackId === TICKET_VIEW;
}

/** Whether a listener handles this custom step (function_executed of another callback_id is failed at once). */
export function handlesFunction(callbackId: string): boolean {
  return callbackId === LOOKUP_STEP;
}
