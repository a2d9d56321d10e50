import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, listen, sendJson } from './http.js';
import { type SampleData, type SampleOrder, sampleStore } from './sample-store.js';

/**
 * A local stand-in for api.komerza.com: the documented routes, envelopes and error shapes
 * (docs/komerza-api.md), over real HTTP, with faults that tests switch on. Where Komerza's docs are silent the fake
 * guesses, and each guess is listed in docs/komerza-api.md §10.
 */

export const FAKE_API_KEY = 'kmz_test_key_0123456789';

/** Every scope the app may use; a test narrows `scopes` to see "missing scope" paths. */
export const ALL_SCOPES = [
  'stores.view',
  'stores.customers.view',
  'stores.orders.view',
  'stores.tickets.view',
  'stores.subscriptions.view',
  'stores.products.view',
];

export type Fault =
  | {
      kind: 'status';
      status: number;
      body?: unknown;
      text?: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  | { kind: 'delay'; ms: number }
  /** Holds the request until `until` settles, then answers normally: "in flight" for exactly as long as a test wants. */
  | { kind: 'wait'; until: Promise<unknown> }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface FaultRule {
  /** Which requests: a substring or a test on the path (without query). Undefined → every request. */
  path?: string | RegExp;
  fault: Fault;
  /** How many requests it applies to; undefined → until removed. */
  times?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface FakeKomerzaOptions {
  data?: SampleData;
  apiKey?: string;
  scopes?: string[];
  /** Added before every answer, to imitate a real network round trip. */
  latencyMs?: number;
  /**
   * The newest route (`/customers/{email}/email`) is not deployed everywhere: `missing` answers a CDN 404;
   * `data_null` answers an unknown address with `200 {success: true, data: null}` instead of a 404.
   */
  emailRoute?: 'present' | 'missing' | 'data_null';
  /** `GET /permissions` says the key's user owns the store (`isOwner: true`, every permission listed). */
  owner?: boolean;
  /** The content type of every JSON answer: Komerza's spec also lists `text/plain` (docs/komerza-api.md §3.1). */
  jsonContentType?: string;
  /** Whether the orders list honours `Sorts=-dateCreated` / `dateCreated` (default true); otherwise stored order. */
  honourSorts?: boolean;
  /**
   * How each list's `email` filter matches (docs/komerza-api.md §10 rows 2, 3, 6): `contains` (the default, a
   * case-insensitive substring), `exact` (the whole address, ignoring case) or `ignored` (every row comes back).
   */
  emailFilters?: Partial<Record<'customers' | 'orders' | 'subscriptions' | 'tickets', EmailFilter>>;
  /** `false` sends every date-time without its offset (`2026-11-28T09:15:02`), as .NET writes an unspecified kind. */
  dateOffsets?: boolean;
  /**
   * Enforce Komerza's token bucket (docs/komerza-api.md §2; defaults 12, +4 every 2 s, counted from the fake's start):
   * a request that finds it empty is answered 429 `RateLimited`, before any latency or fault.
   */
  rateLimit?: FakeRateLimit;
}

export type EmailFilter = 'contains' | 'exact' | 'ignored';

export interface FakeRateLimit {
  capacity?: number;
  refillAmount?: number;
  refillIntervalMs?: number;
  /** Send `Retry-After` (whole seconds to the next refill) with each 429; default true. Komerza's is undocumented. */
  retryAfter?: boolean;
}

export interface FakeKomerza {
  url: string;
  data: SampleData;
  calls: RecordedCall[];
  options: FakeKomerzaOptions;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Calls whose path matches (to assert how often Komerza was asked). */
  callsTo(path: string | RegExp): RecordedCall[];
  /** How many requests the `rateLimit` bucket refused with 429. */
  readonly rateLimited: number;
  close(): Promise<void>;
}

const ROUTE_SCOPES: Array<[RegExp, string | undefined]> = [
  [/^\/stores\/[^/]+$/, 'stores.view'],
  [/^\/stores\/[^/]+\/permissions$/, undefined],
  [/^\/stores\/[^/]+\/customers(\/.*)?$/, 'stores.customers.view'],
  [/^\/stores\/[^/]+\/orders(\/.*)?$/, 'stores.orders.view'],
  [/^\/stores\/[^/]+\/subscriptions(\/.*)?$/, 'stores.subscriptions.view'],
  [/^\/stores\/[^/]+\/products(\/.*)?$/, 'stores.products.view'],
  [/^\/stores\/[^/]+\/tickets(\/.*)?$/, 'stores.tickets.view'],
];

export async function startFakeKomerza(options: FakeKomerzaOptions = {}): Promise<FakeKomerza> {
  const data = options.data ?? sampleStore();
  const calls: RecordedCall[] = [];
  let faults: FaultRule[] = [];
  const state: {
    options: Required<Omit<FakeKomerzaOptions, 'data' | 'latencyMs' | 'rateLimit'>> & FakeKomerzaOptions;
  } = {
    options: {
      apiKey: FAKE_API_KEY,
      scopes: ALL_SCOPES,
      emailRoute: 'present',
      owner: false,
      jsonContentType: 'application/json; charset=utf-8',
      honourSorts: true,
      emailFilters: {},
      dateOffsets: true,
      ...options,
    },
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    sendJson(res, status, state.options.dateOffsets ? body : withoutOffsets(body), {
      'content-type': state.options.jsonContentType,
      ...headers,
    });
  /** Whether a row with `email` passes the list's `email` filter `wanted` (lower case). */
  const passes = (list: keyof NonNullable<FakeKomerzaOptions['emailFilters']>, email: string, wanted?: string) => {
    const mode = state.options.emailFilters[list] ?? 'contains';
    if (!wanted || mode === 'ignored') return true;
    return mode === 'exact' ? email.toLowerCase() === wanted : email.toLowerCase().includes(wanted);
  };

  const bucket = options.rateLimit ? fakeBucket(options.rateLimit) : undefined;
  let rateLimited = 0;

  const server: LocalServer = await listen((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { success: false, code: 'InternalServerError', message: 'fake failed' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    calls.push({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers });
    if (bucket && !bucket.take()) {
      rateLimited++;
      const headers: Record<string, string> = bucket.retryAfter
        ? { 'retry-after': String(bucket.secondsToRefill()) }
        : {};
      json(res, 429, { success: false, code: 'RateLimited', message: 'Too many requests', data: null }, headers);
      return;
    }

    if (state.options.latencyMs) await sleep(state.options.latencyMs);
    const rule = faults.find((f) => matches(f.path, path));
    if (rule) {
      if (rule.times !== undefined && --rule.times <= 0) faults = faults.filter((f) => f !== rule);
      if (await applyFault(rule.fault, res)) return;
    }

    if (!req.headers['user-agent']) {
      // Komerza blocks requests without a User-Agent (docs/komerza-api.md §1).
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<html><body>Blocked: missing User-Agent</body></html>');
      return;
    }
    if (req.headers.authorization !== `Bearer ${state.options.apiKey}`) {
      json(res, 401, { success: false, code: 'BadToken', message: 'Invalid token', data: null });
      return;
    }
    const scope = ROUTE_SCOPES.find(([pattern]) => pattern.test(path))?.[1];
    if (scope && !state.options.scopes.includes(scope)) {
      json(res, 403, { success: false, code: 'AccessDenied', message: 'Missing permission', data: null });
      return;
    }
    // Model binding fails before any Komerza code runs: ASP.NET's own problem body, not Komerza's envelope (§3.3).
    const invalid = invalidPaging(url.searchParams);
    if (invalid) {
      sendJson(res, 400, problemBody(400, invalid), { 'content-type': 'application/problem+json; charset=utf-8' });
      return;
    }
    const answer = route(path, url.searchParams);
    if (answer.text !== undefined) {
      res.writeHead(answer.status, { 'content-type': 'text/html' });
      res.end(answer.text);
    } else json(res, answer.status, answer.body);
  }

  function route(path: string, query: URLSearchParams): Answer {
    const parts = path.split('/').filter(Boolean);
    const [stores, storeId, resource, id, extra] = parts;
    if (stores !== 'stores' || storeId !== String(data.store.id)) return notFound();
    const page = Number(query.get('Page') ?? 1);
    const pageSize = Number(query.get('PageSize') ?? 25);

    if (!resource) return ok(data.store);
    if (resource === 'permissions') {
      // An owner's answer lists what an owner may do, whatever the key's scopes (docs/komerza-api.md §10).
      return ok({ isOwner: state.options.owner, permissions: state.options.owner ? ALL_SCOPES : state.options.scopes });
    }
    if (resource === 'products' && id === 'all' && extra === undefined) return ok(data.products);

    if (resource === 'customers') {
      if (id === 'search' && extra !== undefined) {
        const needle = extra.toLowerCase();
        return paginate(
          data.customers.filter((c) => c.emailAddress.toLowerCase().includes(needle)).map(reference),
          page,
          pageSize,
        );
      }
      if (id !== undefined && extra === 'email') {
        if (state.options.emailRoute === 'missing') {
          return { status: 404, text: '<html><body>404 Not Found</body></html>' };
        }
        const customer = data.customers.find((c) => c.emailAddress.toLowerCase() === id.toLowerCase());
        if (customer) return ok(customer);
        return state.options.emailRoute === 'data_null' ? ok(null) : notFound();
      }
      if (id !== undefined) {
        const customer = data.customers.find((c) => c.id === id);
        return customer ? ok(customer) : notFound();
      }
      const email = query.get('email')?.toLowerCase();
      const list = data.customers.filter((c) => passes('customers', c.emailAddress, email));
      return paginate(list.map(reference), page, pageSize);
    }
    if (resource === 'orders' && id === undefined) {
      // The `email` filter as a case-insensitive "contains" on the customer's email, like the customers filter.
      const email = query.get('email')?.toLowerCase();
      const list = data.orders.filter((o) => passes('orders', o.customer.emailAddress, email)).map(orderListItem);
      return paginate(sortOrders(list, state.options.honourSorts ? query.get('Sorts') : null), page, pageSize);
    }
    if (resource === 'orders' && id && extra === undefined) {
      const order = data.orders.find((o) => o.id === id);
      return order
        ? ok({ order, storeId: data.store.id, storeName: data.store.name, logs: [], ipInfo: { ipAddress: null } })
        : notFound();
    }
    if (resource === 'subscriptions') {
      const email = query.get('email')?.toLowerCase();
      const list = data.subscriptions.filter((s) => passes('subscriptions', s.customerEmail, email));
      return paginate(list, page, pageSize);
    }
    if (resource === 'tickets' && id === undefined) {
      // `DisplayTicket` rows (§5.3) of every customer's tickets; `customerEmail` is a "contains" filter (§4.4).
      const email = query.get('customerEmail')?.toLowerCase();
      const list = data.customers
        .filter((c) => passes('tickets', c.emailAddress, email))
        .flatMap((c) =>
          ((c.tickets ?? []) as Array<Record<string, unknown>>).map((t) => displayTicket(t, c.emailAddress)),
        );
      return paginate(list, page, pageSize);
    }
    return notFound();
  }

  return {
    url: server.url,
    data,
    calls,
    get options() {
      return state.options;
    },
    addFault: (rule) => {
      faults.push({ ...rule });
    },
    clearFaults: () => {
      faults = [];
    },
    callsTo: (path) => calls.filter((call) => matches(path, call.path)),
    get rateLimited() {
      return rateLimited;
    },
    close: () => server.close(),
  };
}

/**
 * Komerza's bucket as documented: discrete refills of `refillAmount` every `refillIntervalMs`, capped at `capacity`.
 * Written independently of src/komerza/rate-limit.ts so a bug there is not mirrored here.
 */
function fakeBucket(options: FakeRateLimit) {
  const capacity = options.capacity ?? 12;
  const refillAmount = options.refillAmount ?? 4;
  const interval = options.refillIntervalMs ?? 2000;
  const started = performance.now();
  let tokens = capacity;
  let refillsApplied = 0;
  const update = () => {
    const due = Math.floor((performance.now() - started) / interval);
    tokens = Math.min(capacity, tokens + (due - refillsApplied) * refillAmount);
    refillsApplied = due;
  };
  return {
    retryAfter: options.retryAfter ?? true,
    take(): boolean {
      update();
      if (tokens <= 0) return false;
      tokens--;
      return true;
    },
    secondsToRefill(): number {
      const next = started + (refillsApplied + 1) * interval;
      return Math.max(1, Math.ceil((next - performance.now()) / 1000));
    },
  };
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path);
}

/** Applies a fault; returns true when the request has been answered (or killed) by it. */
async function applyFault(fault: Fault, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await sleep(fault.ms);
      return false;
    case 'wait':
      await fault.until.catch(() => undefined);
      return false;
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'hang':
      return true;
    case 'status': {
      const headers = {
        'content-type': fault.contentType ?? (fault.text !== undefined ? 'text/html' : 'application/json'),
        ...fault.headers,
      };
      res.writeHead(fault.status, headers);
      res.end(fault.text ?? JSON.stringify(fault.body ?? { success: false, code: null, message: 'fault', data: null }));
      return true;
    }
  }
}

/**
 * ASP.NET Core's RFC 7807 body for a request that fails model binding (docs/komerza-api.md §3.3): no `success`, no
 * `code`. Tests can send it as a fault body too.
 */
export function problemBody(status: number, errors: Record<string, string[]>): Record<string, unknown> {
  return {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
    title: 'One or more validation errors occurred.',
    status,
    errors,
    traceId: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
  };
}

/** `Page` and `PageSize` must be whole numbers from 1 (§3.2); anything else fails binding like an ASP.NET API. */
function invalidPaging(query: URLSearchParams): Record<string, string[]> | undefined {
  const errors: Record<string, string[]> = {};
  for (const name of ['Page', 'PageSize']) {
    const value = query.get(name);
    if (value !== null && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 2147483647)) {
      errors[name] = [`The value '${value}' is not valid for ${name}.`];
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** `PageOrder` (§5.7): the list item carries `customerEmail`; the order object itself does not. */
function orderListItem(order: SampleOrder): Record<string, unknown> {
  const { id, dateCreated, items, gateway, status, currencyCode, amountPaid, amount } = order;
  return {
    id,
    dateCreated,
    items,
    gateway,
    customerEmail: order.customer.emailAddress,
    status,
    currencyCode,
    amountPaid,
    amount,
  };
}

/** Sieve's `Sorts` for the one field the app sorts by (a guess, §4.6); anything else keeps the stored order. */
function sortOrders(list: Array<Record<string, unknown>>, sorts: string | null): Array<Record<string, unknown>> {
  const field = sorts?.trim();
  if (field !== '-dateCreated' && field !== 'dateCreated') return list;
  const sign = field.startsWith('-') ? -1 : 1;
  return [...list].sort((a, b) => sign * (Date.parse(String(a.dateCreated)) - Date.parse(String(b.dateCreated))));
}

/** The list/search item shape (`PublicCustomerReference`): no balance, no IP, no tickets. */
function reference(customer: Record<string, unknown>): Record<string, unknown> {
  const { id, dateCreated, emailAddress, status, totalSpend, averageSpend, totalOrders, isBlocked } = customer;
  return {
    id,
    dateCreated,
    emailAddress,
    status,
    totalSpend,
    averageSpend,
    totalOrders,
    isBlocked,
    isAffiliate: Boolean(customer.affiliate),
  };
}

/** A ticket as the tickets list shows it (`DisplayTicket`, §5.3): a count and the last message instead of entries. */
function displayTicket(ticket: Record<string, unknown>, customerEmail: string): Record<string, unknown> {
  const entries = (ticket.entries ?? []) as Array<{ message?: string }>;
  const { id, dateCreated, subject, status } = ticket;
  return {
    id,
    dateCreated,
    subject,
    status,
    emailAddress: ticket.emailAddress ?? customerEmail,
    messageCount: entries.length,
    lastMessage: entries.at(-1)?.message ?? null,
  };
}

/** Every ISO date-time under `value` without its offset, in UTC (as a .NET `DateTime` of unspecified kind prints). */
function withoutOffsets(value: unknown): unknown {
  if (typeof value === 'string') {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? new Date(value).toISOString().replace(/\.000Z$|Z$/, '')
      : value;
  }
  if (Array.isArray(value)) return value.map(withoutOffsets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutOffsets(inner)]));
  }
  return value;
}

/** What a route answers: a JSON body, or a non-JSON page (`text`) like a CDN's. */
interface Answer {
  status: number;
  body?: unknown;
  text?: string;
}

function ok(data: unknown): Answer {
  return { status: 200, body: { success: true, message: null, code: null, data } };
}

function notFound(): Answer {
  return { status: 404, body: { success: false, code: 'NotFound', message: 'Not found', data: null } };
}

/** An empty result says `pages: 0` (a guess: Komerza documents only "the total number of pages", §3.2). */
function paginate(items: unknown[], page: number, pageSize: number): Answer {
  const pages = Math.ceil(items.length / pageSize);
  return { status: 200, body: { success: true, pages, data: items.slice((page - 1) * pageSize, page * pageSize) } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
