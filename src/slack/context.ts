import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalContext, TicketButton } from './values.js';

/**
 * Who asked, from where, on which surface: worked out once per request by the access middleware
 * (src/access/middleware.ts) and put on Bolt's `context` as `context.request`, so no listener works it out again.
 */
export interface RequestFacts {
  userId: string | undefined;
  teamId: string | undefined;
  /** The conversation: the payload's, or for a click inside the app's modal, the one the modal was opened from. */
  channelId: string | undefined;
  surface: Surface;
}

/**
 * Where an answer to this request goes: a `/customer` or a click on its message (the request's response_url),
 * the message shortcut (its modal), a click inside that modal (`views.update` of that view), a click in the Home
 * tab (a modal opened with its trigger_id: a Home tab has no response_url), or a Workflow Builder step (its
 * outputs, through `functions.completeSuccess`).
 */
export type Surface =
  | { kind: 'command' }
  | { kind: 'message' }
  | { kind: 'shortcut' }
  | {
      kind: 'modal';
      viewId: string;
      hash: string | undefined;
      /** The view's private_metadata as received, carried into every update of the view. */
      metadata: string | undefined;
      /** The same, decoded: where the shortcut that opened the modal was used. */
      opener: ModalContext | undefined;
    }
  | { kind: 'home'; viewId: string | undefined }
  | { kind: 'workflow_step' }
  | { kind: 'other' };

/** The app's custom Bolt context (App<AppContext>): `request` is set for every request a person makes. */
export interface AppContext {
  [key: string]: unknown;
  request?: RequestFacts;
  /** Set by the listener middleware that reads a customer button (src/listeners/middleware/customer-button.ts). */
  customerId?: string;
  /** The same: the order a card from an order lookup marks, when the button carries one. */
  orderId?: string;
  /** Set by the listener middleware that reads a ticket button (src/listeners/middleware/ticket-button.ts). */
  ticket?: TicketButton;
}

const UNKNOWN: RequestFacts = {
  userId: undefined,
  teamId: undefined,
  channelId: undefined,
  surface: { kind: 'other' },
};

/** The request's facts; requests the middleware does not describe (Events API) have none. */
export function requestOf(context: AppContext): RequestFacts {
  return context.request ?? UNKNOWN;
}

/** A click on one of the app's buttons, as Bolt hands it to a listener. */
export type ButtonArgs = AllMiddlewareArgs<AppContext> & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
