import type { AllMiddlewareArgs, AnyMiddlewareArgs, Middleware, RespondFn, webApi } from '@slack/bolt';
import { accessDeniedMessage, lookupLimitMessage, refusalModal } from '../blocks/access.js';
import type { SlackMessage } from '../blocks/message.js';
import type { AppLogger } from '../logger.js';
import { stepLimitError, stepRefusalError } from '../slack/workflow-step.js';
import type { BudgetLimits, LookupBudget } from './budget.js';
import { budgetNote } from './disclosure.js';
import { type AccessPolicy, decideAccess, type GroupMembership, needsGroupMembership } from './policy.js';
import { describeRequest, type IncomingRequest, requestFacts } from './request.js';
import type { GroupMembershipChecker } from './usergroups.js';

export interface AccessControl {
  policy: AccessPolicy;
  /** Present when ALLOWED_USERGROUP_IDS is set. */
  groups?: GroupMembershipChecker | undefined;
  /** Each person's budget of customers shown; spent → refused here, before Komerza is asked anything. */
  budget: LookupBudget;
  limits: BudgetLimits;
  now: () => Date;
  logger: AppLogger;
  /** For the refusal modal, which spends the request's trigger_id (src/slack/web-client-options.ts). */
  triggerClient?: webApi.WebClient;
}

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;
/** Bolt's `ack` differs per request type (a command takes a message, a view submission a response_action, …). */
type LooseAck = (response?: unknown) => Promise<void>;
/** Bolt's `fail` of a function_executed event (functions.completeError with the event's own token). */
type StepFail = (params: { error: string }) => Promise<unknown>;

/**
 * Global middleware, registered before any listener, so every command, shortcut, block action and view submission
 * is checked, listeners added later included (test/integration/access-control.test.ts clicks every button), and so
 * is every run of the Workflow Builder step (`function_executed`: the person who ran the workflow). Other Events API
 * bodies (app_home_opened) are not requests for customer data: they pass untouched.
 *
 * A refused request is acked (Slack needs that within 3 s), answered privately, logged by user id, and never reaches
 * a listener, so Komerza is not called. The decisions are in policy.ts / rate-limit.ts; this is glue.
 */
export function accessMiddleware(control: AccessControl): Middleware<AnyMiddlewareArgs> {
  return async (args: Args) => {
    const request = describeRequest(args.body);
    if (!request) {
      await args.next();
      return;
    }
    // Who and where, once for every listener (slack/context.ts).
    args.context.request = requestFacts(request);
    let membership: GroupMembership = 'not_member';
    if (control.groups && request.userId && needsGroupMembership(control.policy, request)) {
      membership = await control.groups.membership(request.userId);
    }
    const decision = decideAccess(control.policy, request, membership);
    if (!decision.allowed) {
      control.logger.event('access_denied', { ...auditFields(request), reason: decision.reason });
      await refuse(
        args,
        request,
        accessDeniedMessage(decision.reason, [...(control.policy.channelIds ?? [])]),
        control,
        stepRefusalError(decision.reason),
      );
      return;
    }
    if (request.countsAsLookup && request.userId) {
      // Only a look here: what is shown is charged once the answer is known (access/disclosure.ts).
      const budget = await control.budget.peek(request.userId);
      if (budget.remaining.minute <= 0 || budget.remaining.hour <= 0) {
        const note = budgetNote(budget, control.limits);
        control.logger.event('lookup_limited', {
          ...auditFields(request),
          window: note.window,
          limit: note.limit,
          retryAfterSeconds: Math.ceil(note.resetsInMs / 1000),
        });
        const now = control.now();
        await refuse(args, request, lookupLimitMessage(note, now), control, stepLimitError(note, now));
        return;
      }
    }
    await args.next();
  };
}

/** Ids only: never names, query text or anything else a person typed. */
function auditFields(request: IncomingRequest): Record<string, unknown> {
  return {
    request: request.kind,
    user: request.userId ?? null,
    team: request.teamId ?? null,
    channel: request.channelId ?? null,
  };
}

/**
 * Acks, then tells the person privately: a command's ack body is its answer; a view submission is acked with the
 * refusal in place of the modal; a workflow step ends with `stepError` (functions.completeError: the workflow stops
 * there rather than pass empty values on as if the customer did not exist); anything else gets an ephemeral reply
 * through its response_url or, without one (global shortcuts, clicks inside a modal or in the Home tab), a small
 * modal opened (or pushed) with its trigger_id.
 */
async function refuse(
  args: Args,
  request: IncomingRequest,
  message: SlackMessage,
  control: AccessControl,
  stepError: string,
) {
  const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as unknown as LooseAck) : undefined;
  switch (request.kind) {
    case 'workflow_step': {
      // Bolt leaves function_executed to be acked by whoever handles it (docs/slack-platform.md §9.1).
      await ack?.();
      const fail = 'fail' in args && typeof args.fail === 'function' ? (args.fail as StepFail) : undefined;
      try {
        await fail?.({ error: stepError });
      } catch (error) {
        control.logger.warn('Could not end a refused workflow step', {
          user: request.userId ?? null,
          code: (error as { code?: string }).code,
        });
      }
      return;
    }
    case 'command':
      await ack?.({ response_type: 'ephemeral', ...message });
      return;
    case 'view_submission': {
      // A form with a text box keeps what was typed: the refusal goes under the box instead of replacing the view.
      const input = firstInputBlock(args);
      await ack?.(
        input
          ? { response_action: 'errors', errors: { [input]: message.text } }
          : { response_action: 'update', view: refusalModal(message) },
      );
      return;
    }
    case 'block_suggestion':
      // An options request can only be answered with options: an empty list says "nothing here".
      await ack?.({ options: [] });
      return;
    case 'view_closed':
      await ack?.();
      return;
    default:
      await ack?.();
  }
  const respond: RespondFn | undefined = 'respond' in args ? args.respond : undefined;
  try {
    if (request.responseUrl && respond) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    } else if (request.triggerId) {
      const view = refusalModal(message);
      // views.open fails over an open modal: a click inside one pushes the refusal on top of it instead.
      const client = control.triggerClient ?? args.client;
      if (request.inModal) await client.views.push({ trigger_id: request.triggerId, view });
      else await client.views.open({ trigger_id: request.triggerId, view });
    }
  } catch (error) {
    control.logger.warn('Could not tell a refused user why', {
      request: request.kind,
      user: request.userId ?? null,
      code: (error as { code?: string }).code,
    });
  }
}

/** The block_id of the first input block of a submitted view (Slack shows `errors` only under input blocks). */
function firstInputBlock(args: Args): string | undefined {
  const view = (args.body as { view?: { blocks?: unknown } }).view;
  const blocks = Array.isArray(view?.blocks) ? (view.blocks as Array<{ type?: unknown; block_id?: unknown }>) : [];
  for (const block of blocks) if (block.type === 'input' && typeof block.block_id === 'string') return block.block_id;
  return undefined;
}
