import { LRUCache } from 'lru-cache';
import type { KomerzaApi } from './client.js';

/**
 * Where cached Komerza reads live. Small on purpose: a shared store (e.g. Redis, for several replicas) can replace
 * the in-memory one without touching the lookup code, as long as it keeps the single-flight promise below.
 */
export interface CacheStore {
  /**
   * The cached value of `key`, or the result of `load()`, kept for `ttlMs`. Concurrent calls for one key share a
   * single `load()` (single flight). `fresh` skips the cached value and stores the new one. A rejected load is
   * not cached and reaches every caller waiting on it.
   */
  fetch<T>(key: string, load: () => Promise<T>, options: { ttlMs: number; fresh?: boolean }): Promise<T>;
}

export interface MemoryCacheOptions {
  /** Most entries kept (least recently used go first). */
  max?: number;
}

/** lru-cache stores no `undefined`, and its fetchMethod is per cache: the loader travels as the fetch `context`. */
interface Boxed {
  value: unknown;
}

/**
 * The in-memory store on lru-cache 11, whose `fetch` de-duplicates concurrent loads of a key (read in
 * node_modules/lru-cache `#fetch`: a key whose value is an in-flight fetch returns that same promise, and
 * `forceRefresh` also joins an in-flight load instead of starting a second one). Per-call `ttl` is a fetch option.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): CacheStore {
  const cache = new LRUCache<string, Boxed, () => Promise<unknown>>({
    max: options.max ?? 5000,
    fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
    // A failed load must not be cached, and must reach the caller as the typed error it is.
    noDeleteOnFetchRejection: false,
    allowStaleOnFetchRejection: false,
  });
  return {
    async fetch<T>(key: string, load: () => Promise<T>, fetchOptions: { ttlMs: number; fresh?: boolean }) {
      const boxed = await cache.fetch(key, {
        context: load,
        ttl: fetchOptions.ttlMs,
        forceRefresh: fetchOptions.fresh === true,
      });
      if (!boxed) throw new Error(`cache returned nothing for ${key.split(':')[0]}`);
      // Each key is only ever loaded by the one `load` that produces T (see withCache's key prefixes).
      return boxed.value as T;
    },
  };
}

export interface CacheOptions {
  /**
   * How long the store (name, currency) and the product list (names) are reused. They change rarely; many cards
   * need them. Default 10 min.
   */
  storeTtlMs?: number;
  /** How long a customer, a customer-by-email, a subscription list and an order list are reused. Default 60 s. */
  ttlMs?: number;
  /** A product id missing from the cached list reloads it, but no sooner than this after the last load. Default 60 s. */
  productsRefreshMs?: number;
  /** Where entries live; in memory by default. */
  store?: CacheStore;
  /**
   * Told of every cached read (not Refresh's fresh ones): `hit` when it cost no Komerza call, a stored value or a
   * load another caller had already started. `read` is the key's kind: store, customer, email or subscriptions.
   */
  onRead?: (read: string, hit: boolean) => void;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_STORE_CACHE_TTL_MS = 10 * 60_000;
export const DEFAULT_PRODUCTS_REFRESH_MS = 60_000;

/**
 * The two ways the app reads Komerza, built once: `cached` for every lookup, `fresh` for the card's Refresh (it
 * asks Komerza again and stores what it got, so the next cached read sees it too). Lookup code takes one
 * `KomerzaApi` and never knows which it was given.
 */
export interface KomerzaReads {
  cached: KomerzaApi;
  fresh: KomerzaApi;
}

/**
 * Puts a cache in front of the reads that many lookups repeat: the store, the product list, a customer (by id and
 * by email) and a customer's subscriptions and orders. Several agents opening the same customer at once cost one
 * Komerza call, and repeated lookups within the TTL cost none. Searches, customer lists and single orders are not
 * cached: they are one-off and their results vary with paging. Keys hold customers' ids and emails: they stay in
 * memory and are never logged.
 */
export function withCache(api: KomerzaApi, options: CacheOptions = {}): KomerzaReads {
  const cache = options.store ?? createMemoryCache();
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const storeTtlMs = options.storeTtlMs ?? DEFAULT_STORE_CACHE_TTL_MS;
  const productsRefreshMs = options.productsRefreshMs ?? DEFAULT_PRODUCTS_REFRESH_MS;

  // Products are named for cards, not shown as data of their own: Refresh re-reads the customer, not the catalogue.
  // The list is reloaded when it expires, or early when a card needs a product it lacks (a new product), at most
  // once per `productsRefreshMs` so a deleted product's id cannot make every lookup reload it.
  let productsLoadedAt = Number.NEGATIVE_INFINITY;
  const loadProducts = async () => {
    const products = await api.listProducts();
    productsLoadedAt = performance.now();
    return products;
  };
  const products = (fresh: boolean) => cache.fetch('products', loadProducts, { ttlMs: storeTtlMs, fresh });
  const listProducts: KomerzaApi['listProducts'] = async (query) => {
    if (storeTtlMs <= 0) return loadProducts();
    const list = await products(false);
    const known = new Set(list.map((product) => product.id.toLowerCase()));
    const unknown = (query?.including ?? []).some((id) => !known.has(id.toLowerCase()));
    if (!unknown || performance.now() - productsLoadedAt < productsRefreshMs) return list;
    return products(true);
  };

  function view(fresh: boolean): KomerzaApi {
    /** A TTL of 0 turns caching off for that kind of read (lru-cache would read 0 as "never expires"). */
    const cached = <T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> =>
      ttl > 0 ? observed(key, fresh, (loader) => cache.fetch(key, loader, { ttlMs: ttl, fresh }), load) : load();
    return {
      ...api,
      getStore: () => cached('store', storeTtlMs, () => api.getStore()),
      getCustomer: (customerId) =>
        cached(`customer:${customerId.toLowerCase()}`, ttlMs, () => api.getCustomer(customerId)),
      // Komerza treats emails case-insensitively (its filters do), so one entry serves every spelling.
      getCustomerByEmail: (email) => cached(`email:${email.toLowerCase()}`, ttlMs, () => api.getCustomerByEmail(email)),
      listSubscriptions: (query) =>
        cached(`subscriptions:${query.email.toLowerCase()}:${query.page ?? 1}:${query.pageSize ?? ''}`, ttlMs, () =>
          api.listSubscriptions(query),
        ),
      listOrders: (query) =>
        cached(`orders:${query.email.toLowerCase()}:${query.page ?? 1}:${query.pageSize ?? ''}`, ttlMs, () =>
          api.listOrders(query),
        ),
      listProducts,
    };
  }

  /** Runs `fetch` with a loader that notes whether it was called, and reports the read to `onRead`. */
  function observed<T>(
    key: string,
    fresh: boolean,
    fetch: (loader: () => Promise<T>) => Promise<T>,
    load: () => Promise<T>,
  ): Promise<T> {
    const onRead = options.onRead;
    if (!onRead || fresh) return fetch(load);
    let loaded = false;
    return fetch(() => {
      loaded = true;
      return load();
    }).finally(() => onRead(key.split(':', 1)[0] ?? key, !loaded));
  }

  return { cached: view(false), fresh: view(true) };
}

/** Reads without a cache: both views are the API itself (tests and tools that want every call to reach Komerza). */
export function uncached(api: KomerzaApi): KomerzaReads {
  return { cached: api, fresh: api };
}
