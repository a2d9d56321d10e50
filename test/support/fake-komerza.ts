import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, listen, readBody, sendJson } from './http.js';
import { type SampleData, type SampleOrder, sampleStore } from './sample-store.js';

/**
 * A local stand-in for api.komerza.com: the documented routes, envelopes and error shapes
 * (docs/komerza-api.md), over real HTTP, with faults that tests switch on. Where Komerza's docs are silent the fake
 * guesses, and each guess is listed in docs/komerza-api.md §10.
 */

export const FAKE_API_KEY = 'kmz_test_key_0123456789';

/** Every scope the app reads with; a test narrows `scopes` to see "missing scope" paths. */
export const ALL_SCOPES = [
  'stores.view',
  'stores.customers.view',
  'stores.orders.view',
  'stores.tickets.view',
  'stores.subscriptions.view',
  'stores.products.view',
];

/** The scopes of the ticket writes (issue 14): replying and closing. The fake's default key holds them too. */
export const WRITE_SCOPES = ['stores.tickets.update', 'stores.tickets.delete'];

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
  | { kind: 'hang' }
  /**
   * The request is handled as usual (a write is applied), then `fault` replaces the answer: "the PUT reached Komerza
   * but its answer never came" with `{ kind: 'hang' }` or `{ kind: 'reset' }`.
   */
  | { kind: 'apply_then'; fault: Fault };

export interface FaultRule {
  /** Which requests: a substring or a test on the path (without query). Undefined → every request. */
  path?: string | RegExp;
  /** Only requests with this method (any case), e.g. `'PUT'` to fail a reply but not the reads around it. */
  method?: string;
  fault: Fault;
  /** How many requests it applies to; undefined → until removed. */
  times?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The request body as received (empty for a GET). */
  body: string;
}

/** A ticket write the fake applied to its data. */
export interface FakeWrite {
  method: 'PUT' | 'DELETE';
  ticketId: string;
  /** The reply's text (PUT only). */
  message?: string;
  /** `Date.now()` when it was applied. */
  at: number;
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
  /**
   * Ticket writes that were applied to `data`, in order. A write answered by a fault instead (or refused: key, scope,
   * body, unknown ticket, the bucket) is not in it; one under an `apply_then` fault is.
   */
  writes: FakeWrite[];
  /** Every PUT and DELETE received, whatever answered it (faults and 429s included): "exactly one PUT was sent". */
  readonly writeAttempts: number;
  close(): Promise<void>;
}

/** The scope each method and path needs; a request matching none needs no scope (and is answered 404). */
const ROUTE_SCOPES: Array<[method: string, pattern: RegExp, scope: string | undefined]> = [
  ['GET', /^\/stores\/[^/]+$/, 'stores.view'],
  ['GET', /^\/stores\/[^/]+\/permissions$/, undefined],
  ['GET', /^\/stores\/[^/]+\/customers(\/.*)?$/, 'stores.customers.view'],
  ['GET', /^\/stores\/[^/]+\/orders(\/.*)?$/, 'stores.orders.view'],
  ['GET', /^\/stores\/[^/]+\/subscriptions(\/.*)?$/, 'stores.subscriptions.view'],
  ['GET', /^\/stores\/[^/]+\/products(\/.*)?$/, 'stores.products.view'],
  ['GET', /^\/stores\/[^/]+\/tickets(\/.*)?$/, 'stores.tickets.view'],
  ['PUT', /^\/stores\/[^/]+\/tickets\/[^/]+$/, 'stores.tickets.update'],
  ['DELETE', /^\/stores\/[^/]+\/tickets\/[^/]+$/, 'stores.tickets.delete'],
];

export async function startFakeKomerza(options: FakeKomerzaOptions = {}): Promise<FakeKomerza> {
  const data = options.data ?? sampleStore();
  const calls: RecordedCall[] = [];
  const writes: FakeWrite[] = [];
  let writeAttempts = 0;
  let faults: FaultRule[] = [];
  const state: {
    options: Required<Omit<FakeKomerzaOptions, 'data' | 'latencyMs' | 'rateLimit'>> & FakeKomerzaOptions;
  } = {
    options: {
      apiKey: FAKE_API_KEY,
      scopes: [...ALL_SCOPES, ...WRITE_SCOPES],
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
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    calls.push({ method, path, query: url.searchParams, headers: req.headers, body });
    if (method === 'PUT' || method === 'DELETE') writeAttempts++;
    if (bucket && !bucket.take()) {
      rateLimited++;
      const headers: Record<string, string> = bucket.retryAfter
        ? { 'retry-after': String(bucket.secondsToRefill()) }
        : {};
      json(res, 429, { success: false, code: 'RateLimited', message: 'Too many requests', data: null }, headers);
      return;
    }

    if (state.options.latencyMs) await sleep(state.options.latencyMs);
    const fault = takeFault(method, path);
    // `apply_then`: handled as usual first, its own fault replaces the answer below.
    if (fault && fault.kind !== 'apply_then' && (await applyFault(fault, res))) return;

    const answer = refusal(req, method, path, url.searchParams) ?? route(method, path, url.searchParams, body);
    if (fault?.kind === 'apply_then' && (await applyFault(fault.fault, res))) return;
    if (answer.text !== undefined) {
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/html' });
      res.end(answer.text);
    } else json(res, answer.status, answer.body);
  }

  /** The first fault rule for this request, used up by one when it has `times`. */
  function takeFault(method: string, path: string): Fault | undefined {
    const rule = faults.find((f) => matches(f.path, path) && (!f.method || f.method.toUpperCase() === method));
    if (rule?.times !== undefined && --rule.times <= 0) faults = faults.filter((f) => f !== rule);
    return rule?.fault;
  }

  /** What answers before any route: the User-Agent block, the key, the scope, ASP.NET's paging validation. */
  function refusal(req: IncomingMessage, method: string, path: string, query: URLSearchParams): Answer | undefined {
    // Komerza blocks requests without a User-Agent (docs/komerza-api.md §1).
    if (!req.headers['user-agent'])
      return { status: 403, text: '<html><body>Blocked: missing User-Agent</body></html>' };
    if (req.headers.authorization !== `Bearer ${state.options.apiKey}`) {
      return { status: 401, body: { success: false, code: 'BadToken', message: 'Invalid token', data: null } };
    }
    const scope = ROUTE_SCOPES.find(([m, pattern]) => m === method && pattern.test(path))?.[2];
    if (scope && !state.options.scopes.includes(scope)) {
      return { status: 403, body: { success: false, code: 'AccessDenied', message: 'Missing permission', data: null } };
    }
    // Model binding fails before any Komerza code runs: ASP.NET's own problem body, not Komerza's envelope (§3.3).
    const invalid = invalidPaging(query);
    return invalid ? problem(invalid) : undefined;
  }

  function route(method: string, path: string, query: URLSearchParams, body: string): Answer {
    const parts = path.split('/').filter(Boolean);
    const [stores, storeId, resource, id, extra] = parts;
    if (stores !== 'stores' || storeId !== String(data.store.id)) return notFound();
    if (resource === 'tickets' && id !== undefined && extra === undefined) return ticketRoute(method, id, body);
    // Only the ticket routes above take another method; any other is a route the fake does not serve (§10 row 15).
    if (method !== 'GET') return notFound();
    const page = Number(query.get('Page') ?? 1);
    const pageSize = Number(query.get('PageSize') ?? 25);

    if (!resource) return ok(data.store);
    if (resource === 'permissions') {
      // An owner's answer lists what an owner may do, whatever the key's scopes (docs/komerza-api.md §10).
      const owned = [...ALL_SCOPES, ...WRITE_SCOPES];
      return ok({ isOwner: state.options.owner, permissions: state.options.owner ? owned : state.options.scopes });
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

  /** `tickets/{id}`: get (`PublicTicket` with entries), reply (PUT), close (DELETE); docs/komerza-api.md §10. */
  function ticketRoute(method: string, ticketId: string, body: string): Answer {
    const ticket = findTicket(data, ticketId);
    if (method === 'GET') return ticket ? ok(ticket) : notFound();
    if (method === 'PUT') {
      // ASP.NET binds and validates the body before Komerza's code looks for the ticket.
      const message = replyMessage(body);
      if (message === undefined) return problem({ message: ['The Message field is required.'] });
      if (!ticket) return notFound();
      const name = typeof data.store.name === 'string' && data.store.name ? data.store.name : 'Support';
      ticket.entries = [...(ticket.entries ?? []), newEntry(message, name)];
      ticket.status = TICKET_RESPONDED;
      writes.push({ method, ticketId, message, at: Date.now() });
      return ok(ticket);
    }
    if (method === 'DELETE') {
      if (!ticket) return notFound();
      ticket.status = TICKET_CLOSED;
      writes.push({ method, ticketId, at: Date.now() });
      return { status: 200, body: { success: true, message: 'Ticket closed', code: null, data: null } };
    }
    return notFound();
  }

  return {
    url: server.url,
    data,
    calls,
    writes,
    get writeAttempts() {
      return writeAttempts;
    },
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
    case 'apply_then':
      return applyFault(fault.fault, res);
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

/** What a route answers: a JSON body, or a non-JSON page (`text`, `text/html` unless `contentType`) like a CDN's. */
interface Answer {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
}

/** ASP.NET's 400 for a request that fails binding or validation (§3.3), as `application/problem+json`. */
function problem(errors: Record<string, string[]>): Answer {
  return {
    status: 400,
    text: JSON.stringify(problemBody(400, errors)),
    contentType: 'application/problem+json; charset=utf-8',
  };
}

/** TicketStatus values (docs/komerza-api.md §5.3) the fake's writes set. */
const TICKET_CLOSED = 2;
const TICKET_RESPONDED = 3;

/** A ticket as stored in a customer's embedded `tickets` (`PublicTicket`, §5.3): the writes change it in place. */
type StoredTicket = Record<string, unknown> & { entries?: Array<Record<string, unknown>> };

/** The ticket with this id in any customer's embedded tickets: the same object a customer lookup then shows. */
function findTicket(data: SampleData, ticketId: string): StoredTicket | undefined {
  for (const customer of data.customers) {
    const tickets = (customer.tickets ?? []) as StoredTicket[];
    const ticket = tickets.find((t) => t.id === ticketId);
    if (ticket) return ticket;
  }
  return undefined;
}

/** `TicketForm.message` from a PUT body: a non-blank string, or undefined when the body is not such a form. */
function replyMessage(body: string): string | undefined {
  try {
    const form: unknown = JSON.parse(body);
    const message = typeof form === 'object' && form !== null && 'message' in form ? form.message : undefined;
    return typeof message === 'string' && message.trim() !== '' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** A `PublicTicketEntry` (§5.3) for a reply: dated now, with an offset like every other date the fake sends. */
function newEntry(message: string, name: string): Record<string, unknown> {
  return { id: randomUUID(), dateCreated: new Date().toISOString(), message, name };
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
