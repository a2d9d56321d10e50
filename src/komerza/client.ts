import got, { type Got, RequestError, type Response, TimeoutError } from 'got';
import type { z } from 'zod';
import {
  KomerzaForbiddenError,
  KomerzaInvalidResponseError,
  KomerzaNotFoundError,
  KomerzaRateLimitedError,
  KomerzaRejectedError,
  KomerzaUnauthorizedError,
  KomerzaUnavailableError,
} from './errors.js';
import {
  type Customer,
  type CustomerReference,
  customerReferenceSchema,
  customerSchema,
  envelopeSchema,
  type Order,
  orderResponseSchema,
  type Page,
  type Permissions,
  paginatedEnvelopeSchema,
  permissionsSchema,
  type Store,
  type Subscription,
  storeSchema,
  subscriptionSchema,
} from './schemas.js';

/** Options a caller may pass to any read. The raw client ignores them; caching layers honour them. */
export interface ReadOptions {
  /** Skip caches and ask Komerza again (the card's Refresh button). */
  fresh?: boolean;
}

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

/** Everything the app reads from Komerza. Implemented by the HTTP client and by the caching layer in front of it. */
export interface KomerzaApi {
  getStore(options?: ReadOptions): Promise<Store>;
  getPermissions(options?: ReadOptions): Promise<Permissions>;
  getCustomer(customerId: string, options?: ReadOptions): Promise<Customer>;
  getCustomerByEmail(email: string, options?: ReadOptions): Promise<Customer>;
  listCustomers(query: { email?: string } & PageQuery, options?: ReadOptions): Promise<Page<CustomerReference>>;
  searchCustomers(query: string, page?: PageQuery, options?: ReadOptions): Promise<Page<CustomerReference>>;
  getOrder(orderId: string, options?: ReadOptions): Promise<Order>;
  listSubscriptions(query: { email: string } & PageQuery, options?: ReadOptions): Promise<Page<Subscription>>;
}

export interface KomerzaClientOptions {
  baseUrl: string;
  apiKey: string;
  storeId: string;
  /** Sent on every call: Komerza blocks requests without a descriptive User-Agent (komerza-api.md §1). */
  userAgent: string;
  /** Whole-request timeout per call, in milliseconds. */
  timeoutMs?: number;
  /** Default page size for list and search calls (Komerza's default and maximum are undocumented). */
  pageSize?: number;
  /** Extra got options (tests and the rate limiter use hooks here). */
  extend?: Parameters<Got['extend']>[0];
}

/** A Komerza route: its template names the call in errors and logs without any personal data in it. */
interface Route {
  name: string;
  /** The scope Komerza requires for it (komerza-api.md §1.1), named in "missing scope" messages. */
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
  subscriptions: { name: 'GET /stores/{storeId}/subscriptions', scope: 'stores.subscriptions.view' },
} as const satisfies Record<string, Route>;

const DEFAULT_PAGE_SIZE = 25;

export function createKomerzaClient(options: KomerzaClientOptions): KomerzaApi {
  const http = got.extend(
    {
      prefixUrl: options.baseUrl,
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'user-agent': options.userAgent,
        accept: 'application/json',
      },
      timeout: { request: options.timeoutMs ?? 8000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
    },
    options.extend ?? {},
  );
  const store = `stores/${encodeURIComponent(options.storeId)}`;
  const defaultPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  async function getData<T>(route: Route, path: string, schema: z.ZodType<T>, searchParams?: SearchParams): Promise<T> {
    const body = await send(http, route, path, searchParams);
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) throw new KomerzaInvalidResponseError(route.name, 'not a Komerza envelope');
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
    const body = await send(http, route, path, { ...searchParams, Page: page, PageSize: pageSize });
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
      getData(ROUTES.customer, `${store}/customers/${encodeURIComponent(customerId)}`, customerSchema),
    getCustomerByEmail: (email) =>
      getData(ROUTES.customerByEmail, `${store}/customers/${encodeURIComponent(email)}/email`, customerSchema),
    listCustomers: ({ email, ...page }) =>
      getPage(ROUTES.customers, `${store}/customers`, customerReferenceSchema, page, email ? { email } : {}),
    searchCustomers: (query, page = {}) =>
      getPage(
        ROUTES.customerSearch,
        `${store}/customers/search/${encodeURIComponent(query)}`,
        customerReferenceSchema,
        page,
      ),
    getOrder: (orderId) => getData(ROUTES.order, `${store}/orders/${encodeURIComponent(orderId)}`, orderResponseSchema),
    listSubscriptions: ({ email, ...page }) =>
      getPage(ROUTES.subscriptions, `${store}/subscriptions`, subscriptionSchema, page, { email }),
  };
}

type SearchParams = Record<string, string | number>;

/** One GET, mapped to a parsed JSON body or a typed error. Never attaches got's error (its options hold the key). */
async function send(http: Got, route: Route, path: string, searchParams?: SearchParams): Promise<unknown> {
  let response: Response<string>;
  try {
    response = await http.get(path, searchParams ? { searchParams } : {});
  } catch (error) {
    if (error instanceof TimeoutError) throw new KomerzaUnavailableError(route.name, 'timeout');
    if (error instanceof RequestError) throw new KomerzaUnavailableError(route.name, 'network');
    throw error;
  }
  return interpretResponse(route, response.statusCode, response.headers, response.body);
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
      // (e.g. "Service unavailable in your region", komerza-api.md §2) is not about scopes at all.
      if (body.kind !== 'json') throw new KomerzaUnavailableError(route.name, 'edge_blocked', status);
      throw new KomerzaForbiddenError(route.name, status, route.scope);
    case 404:
    case 405:
      throw new KomerzaNotFoundError(route.name, status, status === 405 || !envelope?.success);
    case 429:
      throw new KomerzaRateLimitedError(route.name, parseRetryAfter(headers['retry-after']));
    default:
      if (status >= 500) throw new KomerzaUnavailableError(route.name, 'server_error', status);
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
    default:
      return new KomerzaRejectedError(route.name, status, code);
  }
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
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function describeZodError(error: z.ZodError): string {
  // Paths only: the messages could quote values, and values are customers' data.
  const paths = error.issues.slice(0, 3).map((issue) => issue.path.join('.') || '(root)');
  return `unexpected shape at ${paths.join(', ')}`;
}
