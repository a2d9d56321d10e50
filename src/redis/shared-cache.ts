import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheStore } from '../komerza/cache.js';
import type { RedisConnection } from './connection.js';
import { hashedKeyName } from './keys.js';

/**
 * A two-level CacheStore: a short-lived per-process first level (lru-cache) in front of Redis (second level, kept
 * for the data's own TTL), so a customer read by one replica is not read again by another within the TTL. A `fresh`
 * read (the card's Refresh) stores the new value in Redis and tells the other replicas (pub/sub) to drop their
 * first-level copy. Concurrent reads of one key within a process share one load. Redis down or slow: first level
 * only, as the in-memory cache does.
 *
 * Key names are HMACs of the cache key (which may hold an email), under `<prefix>cache:<kind>:`. Values are the
 * Komerza data as JSON: customers' personal data, in Redis only as long as its TTL (docs/shared-state.md §1).
 */

export interface SharedCacheOptions {
  connection: RedisConnection;
  /** Namespace of this app's keys, e.g. `customer-lookup:`. */
  keyPrefix: string;
  /** HMAC key for key names (deriveKey(KOMERZA_API_KEY, 'cache-keys')): every replica must have the same. */
  keySecret: Buffer;
  /** How long a replica reuses its own copy without asking Redis; bounds staleness after a missed invalidation. */
  firstLevelTtlMs?: number;
  /** Most first-level entries. */
  max?: number;
  /** Which cache keys may go to Redis (KOMERZA_SHARED_CACHE=false: only non-personal ones such as `store`). */
  shareKey?: (key: string) => boolean;
}

export interface SharedCache extends CacheStore {
  /** Stops listening for invalidations (the connection itself belongs to the caller). */
  close(): Promise<void>;
}

interface Boxed {
  value: unknown;
}

export const DEFAULT_FIRST_LEVEL_TTL_MS = 5_000;

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  const { connection } = options;
  const firstLevelTtlMs = options.firstLevelTtlMs ?? DEFAULT_FIRST_LEVEL_TTL_MS;
  const shareKey = options.shareKey ?? (() => true);
  const channel = `${options.keyPrefix}cache-invalidations`;
  const me = randomBytes(6).toString('hex');
  const firstLevel = new LRUCache<string, Boxed>({ max: options.max ?? 5000 });
  const inflight = new Map<string, Promise<unknown>>();

  const name = (key: string) =>
    `${options.keyPrefix}cache:${key.split(':')[0]}:${hashedKeyName(options.keySecret, key)}`;

  const subscriber = connection.subscriber();
  const subscribe = () => void subscriber.subscribe(channel).catch(() => undefined);
  subscriber.on('ready', subscribe);
  if (subscriber.status === 'ready') subscribe();
  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    const [sender, id] = message.split(' ');
    if (sender !== me && id) firstLevel.delete(id);
  };
  subscriber.on('message', onMessage);

  async function readShared(id: string): Promise<{ value: unknown; ttlMs: number } | undefined> {
    try {
      const results = await connection.client.pipeline().get(id).pttl(id).exec();
      const [[getError, raw], [, ttl]] = (results ?? []) as Array<[Error | null, unknown]> as [
        [Error | null, unknown],
        [Error | null, unknown],
      ];
      if (getError || typeof raw !== 'string') return undefined;
      return { value: JSON.parse(raw), ttlMs: Number(ttl) };
    } catch (error) {
      connection.reportFailure(error);
      return undefined;
    }
  }

  async function writeShared(id: string, value: unknown, ttlMs: number, invalidate: boolean): Promise<void> {
    try {
      const batch = connection.client.pipeline().set(id, JSON.stringify(value), 'PX', ttlMs);
      // On the same connection after the SET: a replica that drops its copy then reads the new value.
      if (invalidate) batch.publish(channel, `${me} ${id}`);
      await batch.exec();
    } catch (error) {
      connection.reportFailure(error);
    }
  }

  return {
    async fetch<T>(key: string, load: () => Promise<T>, fetchOptions: { ttlMs: number; fresh?: boolean }) {
      const id = name(key);
      const fresh = fetchOptions.fresh === true;
      if (!fresh) {
        const hit = firstLevel.get(id);
        if (hit) return hit.value as T;
      }
      const running = inflight.get(id);
      // Each key is only ever loaded by the one `load` that produces T (see withCache's key prefixes).
      if (running) return running as Promise<T>;
      const shared = shareKey(key) && connection.health() === 'up';
      const loading = (async () => {
        if (!fresh && shared) {
          const found = await readShared(id);
          if (found) {
            firstLevel.set(id, { value: found.value }, { ttl: Math.max(1, Math.min(firstLevelTtlMs, found.ttlMs)) });
            return found.value as T;
          }
        }
        const value = await load();
        firstLevel.set(id, { value }, { ttl: Math.min(firstLevelTtlMs, fetchOptions.ttlMs) });
        if (shared) {
          const writing = writeShared(id, value, fetchOptions.ttlMs, fresh);
          // A Refresh returns once the others have been told; an ordinary read does not wait for Redis.
          if (fresh) await writing;
        }
        return value;
      })().finally(() => inflight.delete(id));
      inflight.set(id, loading);
      return loading;
    },
    async close() {
      subscriber.off('ready', subscribe);
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
