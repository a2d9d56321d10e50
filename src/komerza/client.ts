import got, {
  type ExtendOptions,
  type Got,
  type Method,
  RequestError,
  type Response,
  type RetryObject,
  TimeoutError,
} from 'got';
import type { z } from 'zod';
import {
  isKomerzaError,
  KomerzaFeatureUnavailableError,
  KomerzaForbiddenError,
  KomerzaInvalidResponseError,
  KomerzaNotFoundError,
  KomerzaRateLimitedError,
  KomerzaRejectedError,
  KomerzaUnauthorizedError,
  KomerzaUnavailableError,
} from './errors.js';
import { currentLookupPriority } from './lookup-priority.js';
import type { RateLimiter } from './rate-limit.js';
import {
  type Customer,
  type CustomerReference,
  customerReferenceSchema,
  customerSchema,
  envelopeSchema,
  isKomerzaId,
  type Order,
  type OrderListItem,
  orderListItemSchema,
  orderResponseSchema,
  type Page,
  type Permissions,
  type Product,
  paginatedEnvelopeSchema,
  permissionsSchema,
  productListSchema,
  type Store,
  type Subscription,
  storeSchema,
  subscriptionSchema,
  type Ticket,
  ticketSchema,
} from './schemas.js';

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

/**
 * Everything the app reads from Komerza. Implemented by the HTTP client and by the caching layer in front of it
 * (which offers a cached and a fresh view of the same reads: see cache.ts).
 */
export interface KomerzaApi {
  getStore(): Promise<Store>;
  getPermissions(): Promise<Permissions>;
  getCustomer(customerId: string): Promise<Customer>;
  getCustomerByEmail(email: string): Promise<Customer>;
  listCustomers(query: { email?: string } & PageQuery): Promise<Page<CustomerReference>>;
  searchCustomers(query: string, page?: PageQuery): Promise<Page<CustomerReference>>;
  getOrder(orderId: string): Promise<Order>;
  /** A customer's orders by the list's `email` filter (a "contains" match: keep exact matches), newest first. */
  listOrders(query: { email: string } & PageQuery): Promise<Page<OrderListItem>>;
  listSubscriptions(query: { email: string } & PageQuery): Promise<Page<Subscription>>;
  /**
   * Every product of the store (`products/all`, no pages). `including`: product ids the caller needs named; the
   * HTTP client ignores it, the cache uses it to decide whether a cached list is too old (cache.ts).
   */
  listProducts(options?: { including?: readonly string[] }): Promise<Product[]>;
}

/**
 * The HTTP client: every read of KomerzaApi, plus reads that only `npm run doctor` makes (src/checks/): the tickets
 * list, which proves the key holds `stores.tickets.view` by using it.
 */
export interface KomerzaClient extends KomerzaApi {
  /** Tickets whose customer email contains `customerEmail` (docs/komerza-api.md §4.4). */
  listTickets(query: { customerEmail: string } & PageQuery): Promise<Page<Ticket>>;
  /**
   * One ticket with its entries (docs/komerza-api.md §4.4). Not in KomerzaApi, so never cached: a thread is shown as
   * Komerza has it now, replies included.
   */
  getTicket(ticketId: string): Promise<Ticket>;
}

/** The app's only writes to a store (issue 14): each sent at most once, never retried (docs/komerza-api.md §4.4). */
export interface KomerzaWriter {
  /** PUT: adds `message` as a reply; resolves with the ticket as Komerza returns it (entries included when sent). */
  replyToTicket(ticketId: string, message: string): Promise<Ticket | undefined>;
  /** DELETE: closes the ticket. */
  closeTicket(ticketId: string): Promise<void>;
}

export interface KomerzaClientOptions {
  baseUrl: string;
  apiKey: string;
  storeId: string;
  /** Sent on every call: Komerza blocks requests without a descriptive User-Agent (docs/komerza-api.md §1). */
  userAgent: string;
  /** Whole-request timeout per call, in milliseconds. */
  timeoutMs?: number;
  /** Default page size for list and search calls (Komerza's default and maximum are undocumented). */
  pageSize?: number;
  /** Extra got options (tests and the rate limiter use hooks here). */
  extend?: Parameters<Got['extend']>[0];
  /** Every request, retries included, takes a token from it first (see rate-limit.ts). None: unlimited. */
  rateLimiter?: RateLimiter;
  /** How retries behave; the defaults suit Komerza's bucket (see `retryOptions`). */
  retry?: RetryPolicy;
}

export interface RetryPolicy {
  /** Retries after a 429 (got's `limit`; 5xx and timeouts get at most one of them). Default 2. */
  limit?: number;
  /**
   * The longest `Retry-After` honoured, in ms (got's `maxRetryAfter`); a longer one fails at once, so the person
   * is told "try again in N seconds" rather than left waiting. Default 5 s.
   */
  maxRetryAfterMs?: number;
  /** Wait after a 429 without `Retry-After`, times the attempt number: one refill interval is right. Default 2 s. */
  rateLimitBackoffMs?: number;
  /** Wait before the single retry of a 5xx or a timeout. Default 250 ms. */
  serverErrorBackoffMs?: number;
  /** A request whose token is further away than this fails at once as rate-limited instead of queueing. Default 60 s. */
  maxQueueWaitMs?: number;
}

/** Statuses got may retry for us: Komerza's 429, and the transient 5xx of Komerza or the CDN in front of it. */
const RETRY_STATUS_CODES = [429, 500, 502, 503, 504, 521, 522, 524];

/**
 * got 14's retry options, as read in node_modules/got/dist/source/core (index.js `_beforeError`,
 * calculate-retry-delay.js, as-promise/index.js):
 * - A non-2xx answer goes through the retry logic even with `throwHttpErrors: false` (as-promise raises an
 *   HTTPError internally); once retries are exhausted the last response is resolved as usual, so `send` still sees
 *   the 429 or 5xx and maps it to a typed error.
 * - `limit`: got first computes a default delay (`computedValue`), which is 0 ("do not retry") when attemptCount
 *   (attempts made so far, 1 after the first failure) > limit, when the method is not in `methods`, or when
 *   neither the status is in `statusCodes` nor the error code (ETIMEDOUT for got's own timeouts, ECONNRESET, …)
 *   in `errorCodes`.
 * - `Retry-After` (delay-seconds or an HTTP date) is parsed into ms and passed as `retryAfter`; when it exceeds
 *   `maxRetryAfter` (default: `timeout.request`) computedValue is 0, otherwise computedValue = retryAfter exactly.
 *   Without it computedValue is 1000·2^(attempt−1) ms + up to `noise` ms.
 * - `calculateDelay` (with `enforceRetryRules: false`, the default) is then always called with that value and
 *   has the last word: its return is the delay in ms, and 0 stops retrying.
 * - A retry is a new request: `beforeRequest` hooks run again (so a retry takes a bucket token like any request),
 *   and the `timeout.request` timer starts only after those hooks, so time spent queueing is not a timeout.
 */
export function retryOptions(policy: RetryPolicy = {}, limiter?: RateLimiter) {
  const rateLimitBackoffMs = policy.rateLimitBackoffMs ?? 2000;
  const serverErrorBackoffMs = policy.serverErrorBackoffMs ?? 250;
  return {
    // Bounded so a lookup ends within seconds: at worst 2 × 5 s with Retry-After, 2 s + 4 s without.
    limit: policy.limit ?? 2,
    // Only idempotent reads are retried; the app sends nothing else.
    methods: ['GET' as const],
    statusCodes: RETRY_STATUS_CODES,
    maxRetryAfter: policy.maxRetryAfterMs ?? 5_000,
    calculateDelay: ({ attemptCount, error, computedValue, retryAfter }: RetryObject): number => {
      const status = error.response?.statusCode;
      if (status === 429) limiter?.drain();
      // got's own rules said no (limit reached, not retryable, or Retry-After longer than maxRetryAfter).
      if (computedValue === 0) return 0;
      if (status === 429) return retryAfter ? computedValue : rateLimitBackoffMs * attemptCount;
      // 5xx, timeouts and network errors: one retry only.
      return attemptCount === 1 ? serverErrorBackoffMs : 0;
    },
  };
}

/**
 * got 14 retry options under which no request is ever sent twice: the writer's, since a repeated PUT would post the
 * reply twice (no idempotency key is documented, docs/komerza-api.md §4.4). As read in
 * node_modules/got/dist/source/core (index.js `_beforeError`, calculate-retry-delay.js):
 * - every failed attempt (a non-2xx answer, a timeout, a reset, an `afterResponse` hook asking to retry) goes through
 *   `_beforeError`, the only place a retry is started, and only when the delay it computes is non-zero;
 * - with `enforceRetryRules: false` (the default) `calculateDelay` is called even when `limit`/`methods` already said
 *   no, and its return is the delay: so it, not `limit: 0` or `methods: []`, is what must say 0, and it always does;
 * - `limit: 0` and `methods: []` make got's own verdict 0 too, should a later got skip `calculateDelay`.
 * It is still called for every failure, so a 429 drains the limiter exactly as a read's does.
 */
export function noRetryOptions(limiter?: RateLimiter) {
  return {
    limit: 0,
    methods: [] as Method[],
    enforceRetryRules: false,
    calculateDelay: ({ error }: RetryObject): number => {
      if (error.response?.statusCode === 429) limiter?.drain();
      return 0;
    },
  };
}

/** A Komerza route: its template names the call in errors and logs without any personal data in it. */
interface Route {
  name: string;
  /** The scope Komerza requires for it (docs/komerza-api.md §1.1), named in "missing scope" messages. */
  scope: string | undefined;
}

export const ROUTES = {
  store: { name: 'GET /stores/{storeId}', scope: 'stores.view' },
  permissions: { name: 'GET /stores/{storeId}/permissions', scope: undefined },
  customer: { name: 'GET /stores/{storeId}/customers/{customerId}', scope: 'stores.customers.view' },
  customerByEmail: { name: 'GET /stores/{storeId}/customers/{email}/email', scope: 'stores.customers.view' },
  customers: { name: 'GET /stores/{storeId}/customers', scope: 'stores.customers.view' },
  customerSearch: { name: 'GET /stores/{storeId}/customers/search/{query}', scope: 'stores.customers.view' },
  order: { name: 'GET /stores/{storeId}/orders/{orderId}', scope: 'stores.orders.view' },
  orders: { name: 'GET /stores/{storeId}/orders', scope: 'stores.orders.view' },
  subscriptions: { name: 'GET /stores/{storeId}/subscriptions', scope: 'stores.subscriptions.view' },
  products: { name: 'GET /stores/{storeId}/products/all', scope: 'stores.products.view' },
  tickets: { name: 'GET /stores/{storeId}/tickets', scope: 'stores.tickets.view' },
  ticket: { name: 'GET /stores/{storeId}/tickets/{ticketId}', scope: 'stores.tickets.view' },
  ticketReply: { name: 'PUT /stores/{storeId}/tickets/{ticketId}', scope: 'stores.tickets.update' },
  ticketClose: { name: 'DELETE /stores/{storeId}/tickets/{ticketId}', scope: 'stores.tickets.delete' },
} as const satisfies Record<string, Route>;

/**
 * Newest orders first, in the Sieve syntax the docs' examples use (`sorts=-dateFrom`, docs/komerza-api.md §4.6):
 * INFERRED, since the sortable field names are not published. The app sorts the page again itself, so an ignored
 * `Sorts` costs only the guarantee that page 1 holds the newest orders.
 */
export const ORDERS_NEWEST_FIRST = '-dateCreated';

const DEFAULT_PAGE_SIZE = 25;

/**
 * The got options the reader and the writer share; each adds its own `retry`. The key goes only to `baseUrl`.
 */
function sharedGotOptions(options: KomerzaClientOptions): ExtendOptions {
  const limiter = options.rateLimiter;
  return {
    prefixUrl: options.baseUrl,
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      'user-agent': options.userAgent,
      accept: 'application/json',
    },
    timeout: { request: options.timeoutMs ?? 8000 },
    throwHttpErrors: false,
    // got keeps the Authorization header on a redirect to http:// on the same host: never follow one.
    followRedirect: false,
    responseType: 'text',
    hooks: {
      // Runs before every attempt, retries included (got core `_makeRequest`), and before the timeout starts: a write
      // takes a token like any request. Inside a lookup (lookup-priority.ts) the call queues at that lookup's priority.
      beforeRequest: limiter ? [async () => void (await limiter.acquire(currentLookupPriority()))] : [],
    },
  };
}

/** A queue longer than `maxQueueWaitMs` is answered "busy" at once rather than left to wait indefinitely. */
function queueAdmission(options: KomerzaClientOptions): (route: Route) => void {
  const limiter = options.rateLimiter;
  const maxQueueWaitMs = options.retry?.maxQueueWaitMs ?? 60_000;
  return (route) => {
    const waitMs = limiter?.status().estimatedWaitMs ?? 0;
    if (waitMs > maxQueueWaitMs) throw new KomerzaRateLimitedError(route.name, Math.ceil(waitMs / 1000));
  };
}

function storePath(storeId: string): string {
  return `stores/${pathSegment(storeId)}`;
}

/**
 * A ticket's path. Ticket ids are UUIDs (docs/komerza-api.md §1): anything else (`..` would make a PUT to the store
 * itself) is sent nowhere and is "not found", with no status since Komerza was not asked.
 */
function ticketPath(route: Route, storeId: string, ticketId: string): string {
  if (!isKomerzaId(ticketId)) throw new KomerzaNotFoundError(route.name, undefined, false);
  return `${storePath(storeId)}/tickets/${pathSegment(ticketId)}`;
}

export function createKomerzaClient(options: KomerzaClientOptions): KomerzaClient {
  const http = got.extend(
    { ...sharedGotOptions(options), retry: retryOptions(options.retry, options.rateLimiter) },
    options.extend ?? {},
  );
  const admit = queueAdmission(options);
  const store = storePath(options.storeId);
  const defaultPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  async function getData<T>(
    route: Route,
    path: string,
    schema: z.ZodType<T, unknown>,
    shape: 'object' | 'list' = 'object',
  ): Promise<T> {
    const body = await send(http, route, { method: 'GET', path }, admit);
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) throw new KomerzaInvalidResponseError(route.name, 'not a Komerza envelope');
    // `data` is optional in every envelope (§3.1): a success with no object is "nothing there", like a 404.
    if (shape === 'object' && (envelope.data.data === null || envelope.data.data === undefined)) {
      throw new KomerzaNotFoundError(route.name, 200, false);
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) throw new KomerzaInvalidResponseError(route.name, describeZodError(data.error));
    return data.data;
  }

  async function getPage<T>(
    route: Route,
    path: string,
    itemSchema: z.ZodType<T>,
    query: PageQuery,
    searchParams: SearchParams = {},
  ): Promise<Page<T>> {
    const page = Math.max(1, Math.trunc(query.page ?? 1));
    const pageSize = query.pageSize ?? defaultPageSize;
    const searchPage = { ...searchParams, Page: page, PageSize: pageSize };
    const body = await send(http, route, { method: 'GET', path, searchParams: searchPage }, admit);
    const envelope = paginatedEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw new KomerzaInvalidResponseError(route.name, 'not a paginated Komerza envelope');
    const items: T[] = [];
    for (const raw of envelope.data.data ?? []) {
      const item = itemSchema.safeParse(raw);
      // One malformed row should not hide the others; a page where nothing parses is a real mismatch.
      if (item.success) items.push(item.data);
    }
    if (items.length === 0 && (envelope.data.data?.length ?? 0) > 0) {
      throw new KomerzaInvalidResponseError(route.name, 'no item of the page has the expected shape');
    }
    return { items, page, pages: Math.max(envelope.data.pages ?? 1, page) };
  }

  return {
    getStore: () => getData(ROUTES.store, store, storeSchema),
    getPermissions: () => getData(ROUTES.permissions, `${store}/permissions`, permissionsSchema),
    getCustomer: (customerId) =>
      getData(ROUTES.customer, `${store}/customers/${pathSegment(customerId)}`, customerSchema),
    getCustomerByEmail: (email) =>
      getData(ROUTES.customerByEmail, `${store}/customers/${pathSegment(email)}/email`, customerSchema),
    listCustomers: ({ email, ...page }) =>
      getPage(ROUTES.customers, `${store}/customers`, customerReferenceSchema, page, email ? { email } : {}),
    searchCustomers: async (query, page = {}) =>
      isDotSegment(query)
        ? { items: [], page: page.page ?? 1, pages: 1 }
        : getPage(
            ROUTES.customerSearch,
            `${store}/customers/search/${pathSegment(query)}`,
            customerReferenceSchema,
            page,
          ),
    getOrder: (orderId) => getData(ROUTES.order, `${store}/orders/${pathSegment(orderId)}`, orderResponseSchema),
    listOrders: ({ email, ...page }) =>
      getPage(ROUTES.orders, `${store}/orders`, orderListItemSchema, page, { email, Sorts: ORDERS_NEWEST_FIRST }),
    listSubscriptions: ({ email, ...page }) =>
      getPage(ROUTES.subscriptions, `${store}/subscriptions`, subscriptionSchema, page, { email }),
    listProducts: () => getData(ROUTES.products, `${store}/products/all`, productListSchema, 'list'),
    listTickets: ({ customerEmail, ...page }) =>
      getPage(ROUTES.tickets, `${store}/tickets`, ticketSchema, page, { customerEmail }),
    getTicket: async (ticketId) =>
      getData(ROUTES.ticket, ticketPath(ROUTES.ticket, options.storeId, ticketId), ticketSchema),
  };
}

/**
 * The writer: the reader's got options (key, user agent, timeout, no redirects, the bucket's hook), its queue check,
 * body cap and error mapping, but `noRetryOptions`, merged last so that nothing in `extend` can turn retries back on.
 */
export function createKomerzaWriter(options: KomerzaClientOptions): KomerzaWriter {
  const http = got.extend(sharedGotOptions(options), options.extend ?? {}, {
    retry: noRetryOptions(options.rateLimiter),
  });
  const admit = queueAdmission(options);

  /** One write; a 2xx whose body cannot be read resolves `undefined`: the write happened, so it is no failure. */
  async function write(route: Route, call: Omit<Call, 'path'>, ticketId: string): Promise<unknown> {
    const path = ticketPath(route, options.storeId, ticketId);
    try {
      return await send(http, route, { ...call, path }, admit);
    } catch (error) {
      if (isUnreadableSuccess(error)) return undefined;
      throw error;
    }
  }

  return {
    replyToTicket: async (ticketId, message) =>
      ticketInAnswer(await write(ROUTES.ticketReply, { method: 'PUT', json: { message } }, ticketId)),
    closeTicket: async (ticketId) => {
      await write(ROUTES.ticketClose, { method: 'DELETE' }, ticketId);
    },
  };
}

/** A 2xx answer the app could not read (not JSON, malformed, too large): Komerza accepted the request all the same. */
function isUnreadableSuccess(error: unknown): boolean {
  const answeredOk = isKomerzaError(error) && error.status !== undefined && error.status >= 200 && error.status < 300;
  if (!answeredOk) return false;
  return error.kind === 'invalid_response' || (error.kind === 'unavailable' && error.reason === 'non_json');
}

/** The ticket in a PUT's answer; `undefined` when `data` is null, absent or not a ticket (§3.1 makes it optional). */
function ticketInAnswer(body: unknown): Ticket | undefined {
  const envelope = envelopeSchema.safeParse(body);
  const ticket = ticketSchema.safeParse(envelope.success ? envelope.data.data : undefined);
  return ticket.success ? ticket.data : undefined;
}

type SearchParams = Record<string, string | number>;

const MB = 1024 * 1024;
/** The largest Komerza body read (hostile review: six 48 MB bodies took the process from 116 to 693 MiB). */
export const MAX_BODY_BYTES = 4 * MB;

/** A value as one URL path segment. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * `.` and `..` cannot be sent as a path segment at all: URL normalisation resolves them (even percent-encoded, per
 * the WHATWG URL standard), so a search for ".." would become `GET /customers/`, the list of every customer.
 */
function isDotSegment(value: string): boolean {
  return value === '.' || value === '..';
}

/** What `send` sends: a read is a GET with query parameters; a write a PUT with a JSON body, or a DELETE. */
interface Call {
  method: 'GET' | 'PUT' | 'DELETE';
  path: string;
  searchParams?: SearchParams;
  /** Sent as `application/json`, serialised by got (JSON.stringify): the text arrives exactly as given. */
  json?: Record<string, unknown>;
}

/**
 * One request, reads and writes alike, mapped to a parsed JSON body or a typed error. Never attaches got's error
 * (its options hold the key).
 */
async function send(http: Got, route: Route, call: Call, admit: (route: Route) => void): Promise<unknown> {
  admit(route);
  let response: Response<string>;
  const request = http(call.path, {
    method: call.method,
    // The route template travels in got's `context`, for hooks that count requests (src/metrics.ts).
    context: { route: route.name },
    ...(call.searchParams ? { searchParams: call.searchParams } : {}),
    ...(call.json ? { json: call.json } : {}),
  });
  // A customer with 1,000 tickets is far below the cap; a bigger body is not an answer to read into memory.
  let tooLarge = false;
  request.on('downloadProgress', ({ transferred, total }) => {
    if (!tooLarge && Math.max(transferred, total ?? 0) > MAX_BODY_BYTES) {
      tooLarge = true;
      request.cancel();
    }
  });
  try {
    response = await request;
  } catch (error) {
    if (tooLarge) {
      // The status travels with it: a write answered 2xx happened, however large the answer (createKomerzaWriter).
      const status = error instanceof RequestError ? error.response?.statusCode : undefined;
      throw new KomerzaInvalidResponseError(route.name, `a body over ${MAX_BODY_BYTES / MB} MB`, status);
    }
    if (error instanceof TimeoutError) throw new KomerzaUnavailableError(route.name, 'timeout');
    if (error instanceof RequestError || isNetworkError(error)) {
      throw new KomerzaUnavailableError(route.name, 'network');
    }
    throw error;
  }
  return interpretResponse(route, response.statusCode, response.headers, response.body);
}

/** Node's socket error codes that mean Komerza could not be reached (got's default retry codes, and two more). */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRINUSE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  // Node 24.20+: a retried refused connection rejects with this bare Node error, not got's RequestError (got issue 2469).
  'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
]);

/** Not `instanceof Error`: Node's own errors come from another realm under jest's VM modules, so that is false there. */
function isNetworkError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    NETWORK_ERROR_CODES.has(error.code)
  );
}

type Headers = Record<string, string | string[] | undefined>;

/** Pure mapping from an HTTP answer to a JSON body or a typed error (exported for unit tests). */
export function interpretResponse(route: Route, status: number, headers: Headers, rawBody: string): unknown {
  const body = parseJson(headers, rawBody);
  const envelope = body.kind === 'json' ? envelopeSchema.safeParse(body.value) : undefined;
  const code = envelope?.success ? (envelope.data.code ?? undefined) : undefined;

  if (status >= 200 && status < 300) {
    if (body.kind === 'not_json') throw new KomerzaUnavailableError(route.name, 'non_json', status);
    if (body.kind === 'malformed') throw new KomerzaInvalidResponseError(route.name, 'malformed JSON', status);
    if (envelope?.success && envelope.data.success === false) throw errorForCode(route, status, code, headers);
    return body.value;
  }
  switch (status) {
    case 401:
      throw new KomerzaUnauthorizedError(route.name, status);
    case 403:
      // Komerza's own 403 is JSON (`AccessDenied`: a missing scope). A 403 page from the CDN in front of it
      // (e.g. "Service unavailable in your region", docs/komerza-api.md §2) is not about scopes at all.
      if (body.kind !== 'json') throw new KomerzaUnavailableError(route.name, 'edge_blocked', status);
      // Any other code (`FeatureUnavailable`, `UpgradeRequired`…) is about the store or account, not the key (§3.3).
      if (code && code !== 'AccessDenied') throw forbiddenForCode(route, status, code, headers);
      throw new KomerzaForbiddenError(route.name, status, route.scope);
    case 404:
    case 405:
      throw new KomerzaNotFoundError(route.name, status, status === 405 || !envelope?.success);
    case 429:
      throw new KomerzaRateLimitedError(route.name, parseRetryAfter(headers['retry-after']));
    default:
      if (status >= 500) throw new KomerzaUnavailableError(route.name, 'server_error', status);
      // Komerza's API does not redirect; a 3xx (e.g. to plain http) is not followed and not trusted.
      if (status >= 300 && status < 400) throw new KomerzaInvalidResponseError(route.name, 'a redirect', status);
      throw new KomerzaRejectedError(route.name, status, code);
  }
}

function errorForCode(route: Route, status: number, code: string | undefined, headers: Headers): Error {
  switch (code) {
    case 'NotFound':
      return new KomerzaNotFoundError(route.name, status, false);
    case 'AccessDenied':
      return new KomerzaForbiddenError(route.name, status, route.scope);
    case 'BadToken':
    case 'OAuthLoginRequired':
    case 'TwoFactorRequired':
      return new KomerzaUnauthorizedError(route.name, status);
    case 'RateLimited':
      return new KomerzaRateLimitedError(route.name, parseRetryAfter(headers['retry-after']));
    case 'InternalServerError':
      return new KomerzaUnavailableError(route.name, 'server_error', status);
    case 'FeatureUnavailable':
    case 'UpgradeRequired':
    case 'VerificationRequired':
      return new KomerzaFeatureUnavailableError(route.name, status, code);
    default:
      return new KomerzaRejectedError(route.name, status, code);
  }
}

/** A JSON 403 with a code other than `AccessDenied`: a known code keeps its meaning, an unknown one is not a scope. */
function forbiddenForCode(route: Route, status: number, code: string, headers: Headers): Error {
  const error = errorForCode(route, status, code, headers);
  return error instanceof KomerzaRejectedError ? new KomerzaFeatureUnavailableError(route.name, status, code) : error;
}

type ParsedBody = { kind: 'json'; value: unknown } | { kind: 'malformed' } | { kind: 'not_json' };

function parseJson(headers: Headers, rawBody: string): ParsedBody {
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  const trimmed = rawBody.trimStart();
  const looksJson = contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksJson) return { kind: 'not_json' };
  try {
    return { kind: 'json', value: JSON.parse(rawBody) };
  } catch {
    return { kind: 'malformed' };
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  // delay-seconds is an integer by the RFC; a decimal ("1.5") is read as seconds too, rounded up.
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.ceil(Number(raw));
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function describeZodError(error: z.ZodError): string {
  // Paths only: the messages could quote values, and values are customers' data.
  const paths = error.issues.slice(0, 3).map((issue) => issue.path.join('.') || '(root)');
  return `unexpected shape at ${paths.join(', ')}`;
}
