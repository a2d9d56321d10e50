import type { Hooks } from 'got';
import type { KomerzaApi, KomerzaClient, PageQuery } from '../komerza/client.js';
import { type AnyKomerzaError, isKomerzaError } from '../komerza/errors.js';

/**
 * The Komerza reads the checks make, each made at most once per run however many checks look at its answer (the
 * doctor promises about 15 calls), with the time each one took on the wire.
 */

export type Outcome<T> =
  | { ok: true; value: T; ms: number | undefined }
  | { ok: false; error: AnyKomerzaError; ms: number | undefined };

type Result<F> = F extends (...args: never[]) => Promise<infer T> ? T : never;
type Api = KomerzaApi & Partial<Pick<KomerzaClient, 'listTickets'>>;

export interface KomerzaReads {
  store(): Promise<Outcome<Result<Api['getStore']>>>;
  permissions(): Promise<Outcome<Result<Api['getPermissions']>>>;
  products(): Promise<Outcome<Result<Api['listProducts']>>>;
  customerByEmail(email: string): Promise<Outcome<Result<Api['getCustomerByEmail']>>>;
  customer(id: string): Promise<Outcome<Result<Api['getCustomer']>>>;
  customers(email: string): Promise<Outcome<Result<Api['listCustomers']>>>;
  search(text: string): Promise<Outcome<Result<Api['searchCustomers']>>>;
  orders(email: string): Promise<Outcome<Result<Api['listOrders']>>>;
  subscriptions(email: string): Promise<Outcome<Result<Api['listSubscriptions']>>>;
  /** Undefined when the API given has no tickets list (the app's cached view). */
  tickets(email: string): Promise<Outcome<Result<KomerzaClient['listTickets']>>> | undefined;
  /** The same reads made again, not from the memo: to time one call several times. */
  again: {
    customerByEmail(email: string): Promise<Outcome<Result<Api['getCustomerByEmail']>>>;
    customer(id: string): Promise<Outcome<Result<Api['getCustomer']>>>;
  };
}

/** Komerza answers timed where the client's own hooks see them (got's timings: the wire, not the rate-limit queue). */
export interface KomerzaMeter {
  /** For `createKomerzaClient({ extend: { hooks } })`. */
  hooks: Partial<Hooks>;
  /** Requests sent so far (retries count: each one is a call Komerza sees). */
  readonly calls: number;
  /** Wire times of the answers received so far, in order. */
  readonly timings: readonly number[];
}

export function createKomerzaMeter(): KomerzaMeter {
  let calls = 0;
  const timings: number[] = [];
  return {
    hooks: {
      // After the rate limiter's own beforeRequest hook (got appends extended hooks): a request that is really sent.
      beforeRequest: [
        () => {
          calls += 1;
        },
      ],
      afterResponse: [
        (response) => {
          const total = response.timings.phases.total;
          if (total !== undefined) timings.push(total);
          return response;
        },
      ],
    },
    get calls() {
      return calls;
    },
    timings,
  };
}

/** Page sizes the checks ask for: enough to see another customer's row, small enough to read little. */
const PAGE: PageQuery = { page: 1, pageSize: 10 };

export function createKomerzaReads(api: Api, meter?: KomerzaMeter): KomerzaReads {
  const memo = new Map<string, Promise<Outcome<unknown>>>();

  async function run<T>(read: () => Promise<T>): Promise<Outcome<T>> {
    const before = meter?.timings.length ?? 0;
    const timed = () => (meter && meter.timings.length > before ? meter.timings.at(-1) : undefined);
    try {
      const value = await read();
      return { ok: true, value, ms: timed() };
    } catch (error) {
      // Only Komerza's typed errors are answers; anything else is a bug and should surface as one.
      if (isKomerzaError(error)) return { ok: false, error, ms: timed() };
      throw error;
    }
  }

  function once<T>(key: string, read: () => Promise<T>): Promise<Outcome<T>> {
    let pending = memo.get(key) as Promise<Outcome<T>> | undefined;
    if (!pending) {
      pending = run(read);
      memo.set(key, pending);
    }
    return pending;
  }

  const listTickets = api.listTickets?.bind(api);
  return {
    store: () => once('store', () => api.getStore()),
    permissions: () => once('permissions', () => api.getPermissions()),
    products: () => once('products', () => api.listProducts()),
    customerByEmail: (email) => once(`by-email:${email}`, () => api.getCustomerByEmail(email)),
    customer: (id) => once(`customer:${id}`, () => api.getCustomer(id)),
    customers: (email) => once(`customers:${email}`, () => api.listCustomers({ email, ...PAGE })),
    search: (text) => once(`search:${text}`, () => api.searchCustomers(text, PAGE)),
    orders: (email) => once(`orders:${email}`, () => api.listOrders({ email, ...PAGE })),
    subscriptions: (email) => once(`subscriptions:${email}`, () => api.listSubscriptions({ email, ...PAGE })),
    tickets: (email) =>
      listTickets ? once(`tickets:${email}`, () => listTickets({ customerEmail: email, ...PAGE })) : undefined,
    again: {
      customerByEmail: (email) => run(() => api.getCustomerByEmail(email)),
      customer: (id) => run(() => api.getCustomer(id)),
    },
  };
}

/** A Komerza error in a few words, without data from the request. */
export function describeKomerzaError(error: AnyKomerzaError): string {
  switch (error.kind) {
    case 'unavailable':
      return `Komerza unavailable: ${error.reason}${error.status ? ` ${error.status}` : ''}`;
    case 'rate_limited':
      return 'rate-limited by Komerza';
    case 'forbidden':
      return `refused: the key lacks ${error.scope ?? 'a scope'}`;
    case 'feature_unavailable':
      return `refused for the store's plan or account (${error.code})`;
    case 'not_found':
      return error.routeMissing ? `route not served (HTTP ${error.status})` : 'not found';
    case 'unauthorized':
      return 'the key was rejected';
    case 'rejected':
      return `refused (${error.code ?? error.status ?? 'no code'})`;
    case 'invalid_response':
      return error.message.replace(
        /^Komerza sent a response the app cannot read \((.*)\) at .*$/,
        'unreadable answer: $1',
      );
  }
}
