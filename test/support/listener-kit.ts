import type { webApi } from '@slack/bolt';
import { createMemoryBudget } from '../../src/access/budget.js';
import { describeRequest, requestFacts } from '../../src/access/request.js';
import { createWriteAccess } from '../../src/access/write-access.js';
import { createKeyCheckRecord } from '../../src/checks/key-scopes.js';
import type { Deps } from '../../src/deps.js';
import type { KomerzaApi } from '../../src/komerza/client.js';
import { type Customer, customerSchema } from '../../src/komerza/schemas.js';
import { createFarewells } from '../../src/lifecycle/farewells.js';
import { createLogger } from '../../src/logger.js';
import { noMetrics } from '../../src/metrics.js';
import { createMemorySearchStore } from '../../src/shared-state/search-store.js';
import type { AppContext } from '../../src/slack/context.js';
import { COMMAND, LOOKUP_SHORTCUT } from '../../src/slack/ids.js';
import { createTicketOffer } from '../../src/tickets/offer.js';
import { createMemoryWriteGuard } from '../../src/tickets/write-guard.js';
import { FAKE_TEAM_ID } from './fake-slack.js';
import { sampleStore } from './sample-store.js';

/**
 * Listener-level tests without HTTP: fake deps, a recording Web API client, and Bolt's arguments for a command, a
 * message shortcut, a button click or a view submission, with `context.request` filled as the access middleware
 * would. Call a listener (e.g. `customerCommand(deps)`) with `.args` and assert on what was recorded.
 */

type Json = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: Json;
}

export interface FakeClient {
  client: webApi.WebClient;
  calls: RecordedCall[];
  /** Makes `method` fail like Slack does (a platform error with `data.error`). */
  fail(method: string, error: string): void;
  callsTo(method: string): RecordedCall[];
}

/** A WebClient stand-in for the methods listeners use; answers like Slack's (views carry an id and a hash). */
export function fakeClient(): FakeClient {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, string>();
  let views = 0;
  const method =
    (name: string, answer: (args: Json) => Json) =>
    async (args: Json): Promise<Json> => {
      calls.push({ method: name, args });
      const error = failures.get(name);
      if (error)
        throw Object.assign(new Error(`An API error occurred: ${error}`), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error },
        });
      return { ok: true, ...answer(args) };
    };
  const view = (args: Json) => ({
    view: { ...(args.view as Json), id: (args.view_id as string) ?? `V${++views}`, hash: `h${views}` },
  });
  const client = {
    views: {
      open: method('views.open', view),
      update: method('views.update', view),
      push: method('views.push', view),
      publish: method('views.publish', view),
    },
    chat: {
      postMessage: method('chat.postMessage', (args) => ({ channel: args.channel, ts: '1700000001.000100' })),
      postEphemeral: method('chat.postEphemeral', () => ({ message_ts: '1700000001.000200' })),
    },
  } as unknown as webApi.WebClient;
  return {
    client,
    calls,
    fail: (name, error) => failures.set(name, error),
    callsTo: (name) => calls.filter((call) => call.method === name),
  };
}

/** A KomerzaApi where only the given reads are implemented; any other read fails the test loudly. */
export function stubKomerza(reads: Partial<KomerzaApi>): KomerzaApi {
  const missing = (name: string) => async () => {
    throw new Error(`the test did not expect Komerza's ${name}`);
  };
  return {
    getStore: async () => ({ id: 's', name: 'Northwind Goods', currencyCode: 'USD' }),
    getPermissions: missing('getPermissions'),
    getCustomer: missing('getCustomer'),
    getCustomerByEmail: missing('getCustomerByEmail'),
    listCustomers: missing('listCustomers'),
    searchCustomers: missing('searchCustomers'),
    getOrder: missing('getOrder'),
    listSubscriptions: async () => ({ items: [], page: 1, pages: 1 }),
    listOrders: async () => ({ items: [], page: 1, pages: 0 }),
    listProducts: async () => [],
    ...reads,
  };
}

export interface TestDeps extends Deps {
  /** Every line the deps' logger wrote (JSON). */
  logs: string[];
}

/**
 * Deps for one listener test: `api` serves both the cached and the fresh view unless `komerza` is given. Calls that
 * spend a trigger_id go to `triggerClient` (pass the same fake client as the request's to see them together).
 */
export function fakeDeps(overrides: Partial<Deps> & { api?: KomerzaApi } = {}): TestDeps {
  const logs: string[] = [];
  const { api, ...rest } = overrides;
  const komerza = api ?? stubKomerza({});
  return {
    komerza: { cached: komerza, fresh: komerza },
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    now: () => new Date('2026-11-29T12:00:00Z'),
    dashboardUrl: () => 'https://dashboard.komerza.com',
    privacy: { showIpAddress: true },
    queue: undefined,
    queueNoticeMs: 3000,
    searches: createMemorySearchStore(),
    budget: createMemoryBudget({ perMinute: 0, perHour: 0 }),
    budgetLimits: { perMinute: 0, perHour: 0 },
    triggerClient: fakeClient().client,
    farewells: createFarewells(),
    metrics: noMetrics,
    recentOrders: 5,
    access: { policy: {} },
    slackMode: 'http',
    keyCheck: createKeyCheckRecord(),
    tickets: {
      offer: createTicketOffer('off'),
      komerza: {
        getTicket: async () => {
          throw new Error('no ticket reads in this test');
        },
        replyToTicket: async () => {
          throw new Error('no ticket writes in this test');
        },
        closeTicket: async () => {
          throw new Error('no ticket writes in this test');
        },
      },
      writeAccess: createWriteAccess({}),
      guard: createMemoryWriteGuard(),
    },
    ...rest,
    logs,
  };
}

/** What a listener did with Bolt's functions. */
export interface Recorded {
  acks: unknown[];
  /** Bodies posted through the request's response_url (`respond`). */
  responses: Json[];
  fake: FakeClient;
  nextCalled: () => boolean;
}

interface BuiltArgs<A> extends Recorded {
  args: A;
}

export interface ArgsOptions {
  userId?: string;
  channelId?: string;
  /** Makes `respond` fail like an expired response_url (Bolt's RespondError carries the status). */
  respondStatus?: number;
  fake?: FakeClient;
}

function build<A>(body: Json, extra: Json, options: ArgsOptions): BuiltArgs<A> {
  const acks: unknown[] = [];
  const responses: Json[] = [];
  const fake = options.fake ?? fakeClient();
  let next = false;
  const described = describeRequest(body);
  const context: AppContext = described ? { request: requestFacts(described) } : {};
  const respond = async (message: Json) => {
    if (options.respondStatus) {
      throw Object.assign(new Error('respond failed'), {
        code: 'slack_bolt_respond_error',
        statusCode: options.respondStatus,
      });
    }
    responses.push(message);
  };
  const args = {
    body,
    ack: async (response?: unknown) => {
      acks.push(response);
    },
    ...(typeof body.response_url === 'string' ? { respond } : {}),
    client: fake.client,
    context,
    logger: createLogger({ level: 'error', write: () => undefined }),
    next: async () => {
      next = true;
    },
    ...extra,
  } as unknown as A;
  return { args, acks, responses, fake, nextCalled: () => next };
}

/** `/customer <text>`. */
export function commandArgs<A>(text: string, options: ArgsOptions = {}): BuiltArgs<A> {
  const command = {
    command: COMMAND,
    text,
    user_id: options.userId ?? 'U0AGENT',
    team_id: FAKE_TEAM_ID,
    channel_id: options.channelId ?? 'C0SUPPORT',
    response_url: 'https://hooks.slack.test/commands/1',
    trigger_id: 'trigger-command',
  };
  return build<A>(command, { command, payload: command }, options);
}

/** "Look up customer" on `message`. */
export function shortcutArgs<A>(message: Json, options: ArgsOptions = {}): BuiltArgs<A> {
  const shortcut = {
    type: 'message_action',
    callback_id: LOOKUP_SHORTCUT,
    trigger_id: 'trigger-shortcut',
    response_url: 'https://hooks.slack.test/shortcut/1',
    message: { type: 'message', ts: '1700000000.000100', ...message },
    user: { id: options.userId ?? 'U0AGENT' },
    channel: { id: options.channelId ?? 'C0SUPPORT' },
    team: { id: FAKE_TEAM_ID },
  };
  return build<A>(shortcut, { shortcut, payload: shortcut }, options);
}

/** A click on `button` (as the app rendered it), on a `/customer` message or inside a modal view. */
export function clickArgs<A>(
  button: Json,
  where: { surface: 'message' } | { surface: 'modal'; view: Json },
  options: ArgsOptions = {},
): BuiltArgs<A> {
  const action = { type: 'button', block_id: 'b', action_ts: '1700000002.000100', ...button };
  const base = {
    type: 'block_actions',
    user: { id: options.userId ?? 'U0AGENT', team_id: FAKE_TEAM_ID },
    team: { id: FAKE_TEAM_ID },
    trigger_id: 'trigger-click',
    actions: [action],
  };
  const body =
    where.surface === 'message'
      ? { ...base, channel: { id: options.channelId ?? 'C0SUPPORT' }, response_url: 'https://hooks.slack.test/click/1' }
      : { ...base, view: { type: 'modal', id: 'V1', hash: 'h-current', ...where.view } };
  return build<A>(body, { action, payload: action }, options);
}

/** A submission of `view` with the given input values (`state.values`). */
export function viewSubmissionArgs<A>(view: Json, values: Json, options: ArgsOptions = {}): BuiltArgs<A> {
  const submitted = { type: 'modal', id: 'V1', hash: 'h-current', ...view, state: { values } };
  const body = {
    type: 'view_submission',
    user: { id: options.userId ?? 'U0AGENT', team_id: FAKE_TEAM_ID },
    team: { id: FAKE_TEAM_ID },
    trigger_id: 'trigger-submit',
    view: submitted,
  };
  return build<A>(body, { view: submitted, payload: submitted }, options);
}

/** What a workflow step listener did with Bolt's `complete` and `fail`. */
export interface StepRecorded {
  completed: Json[];
  failed: string[];
}

/**
 * A run of the Workflow Builder step (`function_executed`) with `inputs`, as Bolt hands it to the step's listener
 * (already acked). `completeError` makes `complete` fail like Slack would (e.g. parameter_validation_failed).
 */
export function stepArgs<A>(
  inputs: Json,
  options: ArgsOptions & { completeError?: string } = {},
): BuiltArgs<A> & StepRecorded {
  const completed: Json[] = [];
  const failed: string[] = [];
  const event = {
    type: 'function_executed',
    function: { id: 'Fn1', callback_id: 'lookup_komerza_customer' },
    inputs,
    function_execution_id: 'Fx1',
    workflow_execution_id: 'Wx1',
    event_ts: '1700000003.000100',
    bot_access_token: 'xwfp-test',
  };
  const body = { type: 'event_callback', team_id: FAKE_TEAM_ID, api_app_id: 'A0APP', event };
  const complete = async ({ outputs }: { outputs?: Json } = {}) => {
    if (options.completeError) {
      throw Object.assign(new Error(`An API error occurred: ${options.completeError}`), {
        code: 'slack_webapi_platform_error',
        data: { ok: false, error: options.completeError },
      });
    }
    completed.push(outputs ?? {});
    return { ok: true };
  };
  const fail = async ({ error }: { error: string }) => {
    failed.push(error);
    return { ok: true };
  };
  const built = build<A>(body, { event, payload: event, inputs, complete, fail }, options);
  return { ...built, completed, failed };
}

/** Someone opened the app's Home tab (`tab`: which one). */
export function homeOpenedArgs<A>(userId = 'U0AGENT', tab: 'home' | 'messages' = 'home', options: ArgsOptions = {}) {
  const event = { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab, event_ts: '1700000004.000100' };
  return build<A>({ type: 'event_callback', team_id: FAKE_TEAM_ID, event }, { event, payload: event }, options);
}

/** A click in the Home tab: the Look up button with `text` in the search box, or Enter in the box (`via`). */
export function homeClickArgs<A>(text: string, options: ArgsOptions & { via?: 'button' | 'enter' } = {}): BuiltArgs<A> {
  const action =
    options.via === 'enter'
      ? { type: 'plain_text_input', action_id: 'home_search_input', block_id: 'home_search', value: text }
      : { type: 'button', action_id: 'home_search', block_id: 'b', action_ts: '1700000005.000100' };
  const body = {
    type: 'block_actions',
    user: { id: options.userId ?? 'U0AGENT', team_id: FAKE_TEAM_ID },
    team: { id: FAKE_TEAM_ID },
    trigger_id: 'trigger-home',
    container: { type: 'view', view_id: 'VHOME' },
    view: {
      id: 'VHOME',
      type: 'home',
      hash: 'h-home',
      state: { values: { home_search: { home_search_input: { type: 'plain_text_input', value: text } } } },
    },
    actions: [action],
  };
  return build<A>(body, { action, payload: action }, options);
}

/** The sample store's customers, parsed as the client would parse them (for stubbed reads). */
export function sampleCustomers(): Customer[] {
  return sampleStore().customers.map((customer) => customerSchema.parse(customer));
}

/** One sample customer by email. */
export function sampleCustomer(email: string): Customer {
  const found = sampleCustomers().find((customer) => customer.emailAddress === email);
  if (!found) throw new Error(`no sample customer ${email}`);
  return found;
}
