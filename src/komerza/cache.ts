import { LRUCache } from 'lru-cache';
import type { KomerzaApi } from './client.js';
import type { Store } from './schemas.js';

export interface CacheOptions {
  /** How long the store (name, currency) is reused. It changes rarely; every card needs it. */
  storeTtlMs?: number;
}

/**
 * Puts a cache in front of the reads that many lookups repeat. `lru-cache`'s `fetch` also de-duplicates
 * concurrent loads of one key (single flight). `{ fresh: true }` bypasses the cache and stores the new value.
 */
export function withCache(api: KomerzaApi, options: CacheOptions = {}): KomerzaApi {
  const store = new LRUCache<'store', Store>({
    max: 1,
    ttl: options.storeTtlMs ?? 10 * 60_000,
    fetchMethod: () => api.getStore(),
    // A failed load must not be cached, and must reach the caller as the typed error it is.
    noDeleteOnFetchRejection: false,
    allowStaleOnFetchRejection: false,
  });

  return {
    ...api,
    getStore: async (readOptions) => {
      const value = await store.fetch('store', { forceRefresh: readOptions?.fresh === true });
      if (!value) throw new Error('store cache returned nothing');
      return value;
    },
  };
}
