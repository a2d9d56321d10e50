import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import { handlesAction, handlesFunction, handlesShortcut, handlesView } from './ids.js';

/**
 * Interactions for ids no listener handles (a button from an older version of the app, another app's shortcut
 * sent here by mistake, a forged payload): Bolt leaves them unacknowledged, and after 3 s Slack shows the person an
 * error. This global middleware (after access control) acknowledges them at once, logs one line, and stops them
 * there. A workflow step this version does not define (a step removed from the manifest, still in a workflow) is
 * also ended with `fail`, or it would stay "in progress" for good (docs/slack-platform.md §9.1).
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
    if (unknown.request === 'function_executed' && 'fail' in args && typeof args.fail === 'function') {
      const fail = args.fail as (params: { error: string }) => Promise<unknown>;
      await fail({ error: 'This step is not part of this version of the Customer Lookup app.' }).catch(
        (error: unknown) =>
          logger.warn('Could not end an unknown workflow step', { code: (error as { code?: string }).code }),
      );
    }
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
    case 'event_callback': {
      // Of the events only a step needs an answer; Bolt acks the others itself.
      const event = isObject(body.event) ? body.event : undefined;
      if (event?.type !== 'function_executed') return undefined;
      const callbackId = isObject(event.function) ? event.function.callback_id : undefined;
      return handlesFunction(String(callbackId)) ? undefined : { request: 'function_executed', id: safeId(callbackId) };
    }
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
