import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import { handlesAction, handlesShortcut, handlesView } from './ids.js';

/**
 * Interactions for ids no listener handles (a button from an older version of the app, another app's shortcut
 * sent here by mistake, a forged payload): Bolt leaves them unacknowledged, and after 3 s Slack shows the person an
 * error. This global middleware (after access control) acknowledges them at once, logs one line, and stops them
 * there.
 */
export function acknowledgeUnknownRequests(logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const unknown = unknownTarget(args.body);
    if (!unknown) {
      await args.next();
      return;
    }
    const ack =
      'ack' in args && typeof args.ack === 'function' ? (args.ack as (body?: unknown) => Promise<void>) : undefined;
    await ack?.(unknown.request === 'block_suggestion' ? { options: [] } : undefined);
    logger.event('unknown_request', {
      request: unknown.request,
      id: unknown.id,
      user: userOf(args.body),
    });
  };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
/** Ids are the app's own names; a forged one is cut and kept to id characters before it is logged. */
const safeId = (value: unknown) => (typeof value === 'string' ? value.replace(/[^\w.-]/g, '').slice(0, 64) : '');

function unknownTarget(body: unknown): { request: string; id: string } | undefined {
  if (!isObject(body) || typeof body.type !== 'string') return undefined;
  switch (body.type) {
    case 'block_actions': {
      const actions = Array.isArray(body.actions) ? body.actions.filter(isObject) : [];
      if (actions.some((action) => handlesAction(String(action.action_id)))) return undefined;
      return { request: body.type, id: safeId(actions[0]?.action_id) };
    }
    case 'block_suggestion':
      return handlesAction(String(body.action_id)) ? undefined : { request: body.type, id: safeId(body.action_id) };
    case 'shortcut':
    case 'message_action':
      return handlesShortcut(String(body.callback_id))
        ? undefined
        : { request: body.type, id: safeId(body.callback_id) };
    case 'view_submission':
    case 'view_closed': {
      const callbackId = isObject(body.view) ? body.view.callback_id : undefined;
      return handlesView(String(callbackId)) ? undefined : { request: body.type, id: safeId(callbackId) };
    }
    default:
      return undefined;
  }
}

function userOf(body: unknown): string | undefined {
  const user = isObject(body) ? body.user : undefined;
  return isObject(user) && typeof user.id === 'string' ? safeId(user.id) : undefined;
}
