import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheStore } from '../komerza/cache.js';
import type { RedisConnection } from './connection.js';
import { hashedKeyName } from './keys.js';

/**
 * A two-level CacheStore: a short-lived per-process first level (lru-cache) in front of Redis (second level, kept
 * for the data's own TTL), so a customer read by one replica is not read again by another within the TTL. A `fresh`
 * read (the card's Refresh) stores the new value in Redis and tells the other replicas (pub/sub) to drop their
 * first-level copy. Concurrent reads of one key share one load within a process, and across replicas too: the
 * first replica to miss claims the key in Redis while it loads, and the others wait for its value (woken by a
 * message, checking at least every `waitPollMs`) instead of asking Komerza again. A claim lapses `claimTtlMs` after
 * its last renewal, so a replica that dies mid-load holds the others no longer than that. Redis down or slow: first
 * level only, as the in-memory cache does.
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
  /** How long a claim to load a key lasts without renewal (renewed every third of it while the load runs). */
  claimTtlMs?: number;
  /** How often a replica waiting for another's load checks Redis, besides being woken when the value is stored. */
  waitPollMs?: number;
  /** The longest a replica waits for another's load before loading itself. */
  maxWaitMs?: number;
}

export interface SharedCache extends CacheStore {
  /** Stops listening for invalidations (the connection itself belongs to the caller). */
  close(): Promise<void>;
}

interface Boxed {
  value: unknown;
}

export const DEFAULT_FIRST_LEVEL_TTL_MS = 5_000;
const DEFAULT_CLAIM_TTL_MS = 3_000;
const DEFAULT_WAIT_POLL_MS = 250;
/** A load can queue for Komerza's bucket for up to 60 s (rate-limit.ts), then take a timeout and a retry. */
const DEFAULT_MAX_WAIT_MS = 90_000;

/**
 * KEYS[1] the value, KEYS[2] the claim; ARGV op, replica id, claim TTL, value, value TTL, channel.
 * read: the value if there is one, else claim the key if nobody has (`claimed`), else `loading`.
 * renew: extend this replica's claim. fill: store the value; then (fill and release) drop this replica's claim and
 * wake the replicas waiting for it.
 */
const CLAIM_LUA = `
local op = ARGV[1]
if op == 'read' then
  local value = redis.call('GET', KEYS[1])
  if value then return {'hit', value, redis.call('PTTL', KEYS[1])} end
  if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {'claimed'} end
  return {'loading'}
end
local mine = redis.call('GET', KEYS[2]) == ARGV[2]
if op == 'renew' then
  if mine then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
  return {'ok'}
end
if op == 'fill' then redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5]) end
if mine then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[6], KEYS[1])
return {'ok'}
`;

type ReadState = { kind: 'hit'; value: unknown; ttlMs: number } | { kind: 'claimed' } | { kind: 'loading' };

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  const { connection } = options;
  const firstLevelTtlMs = options.firstLevelTtlMs ?? DEFAULT_FIRST_LEVEL_TTL_MS;
  const shareKey = options.shareKey ?? (() => true);
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const waitPollMs = options.waitPollMs ?? DEFAULT_WAIT_POLL_MS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const channel = `${options.keyPrefix}cache-invalidations`;
  const filledChannel = `${options.keyPrefix}cache-filled`;
  const me = randomBytes(6).toString('hex');
  const firstLevel = new LRUCache<string, Boxed>({ max: options.max ?? 5000 });
  const inflight = new Map<string, Promise<unknown>>();
  /** Loads this replica waits for on others, by key name: woken when the value is stored (or the claim dropped). */
  const waiters = new Map<string, Set<() => void>>();
  const claimScript = connection.script('cacheClaim', CLAIM_LUA, 2);

  const kindOf = (key: string) => key.split(':')[0];
  const name = (key: string) => `${options.keyPrefix}cache:${kindOf(key)}:${hashedKeyName(options.keySecret, key)}`;
  const claimName = (key: string) =>
    `${options.keyPrefix}cache-loading:${kindOf(key)}:${hashedKeyName(options.keySecret, key)}`;

  const subscriber = connection.subscriber();
  const subscribe = () => void subscriber.subscribe(channel, filledChannel).catch(() => undefined);
  subscriber.on('ready', subscribe);
  if (subscriber.status === 'ready') subscribe();
  const onMessage = (from: string, message: string) => {
    if (from === filledChannel) {
      for (const wake of waiters.get(message) ?? []) wake();
      return;
    }
    if (from !== channel) return;
    const [sender, id] = message.split(' ');
    if (sender !== me && id) firstLevel.delete(id);
  };
  subscriber.on('message', onMessage);

  /** Resolves when another replica stores `id` or drops its claim, or after `ms`. */
  function wakeUp(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = waiters.get(id) ?? new Set();
      waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  async function claim(op: 'read' | 'renew' | 'fill' | 'release', key: string, value?: unknown, ttlMs?: number) {
    return (await claimScript(
      [name(key), claimName(key)],
      [op, me, claimTtlMs, value === undefined ? '' : JSON.stringify(value), ttlMs ?? 0, filledChannel],
    )) as unknown[];
  }

  /** The value in Redis, or this replica's claim to load it, or word that another replica is loading it. */
  async function readOrClaim(key: string): Promise<ReadState | undefined> {
    try {
      const [kind, raw, ttl] = await claim('read', key);
      if (kind === 'hit' && typeof raw === 'string') return { kind, value: JSON.parse(raw), ttlMs: Number(ttl) };
      return kind === 'claimed' ? { kind } : { kind: 'loading' };
    } catch (error) {
      connection.reportFailure(error);
      return undefined;
    }
  }

  /** Loads while holding the claim (renewed until the load ends), then stores the value and wakes the waiters. */
  async function loadClaimed<T>(key: string, load: () => Promise<T>, ttlMs: number): Promise<T> {
    const renew = setInterval(
      () => void claim('renew', key).catch((error: unknown) => connection.reportFailure(error)),
      Math.max(1, Math.floor(claimTtlMs / 3)),
    );
    renew.unref();
    let value: T;
    try {
      value = await load();
    } catch (error) {
      // Failures are not cached: the waiters are woken to find no claim and load themselves.
      void claim('release', key).catch((failure: unknown) => connection.reportFailure(failure));
      throw error;
    } finally {
      clearInterval(renew);
    }
    firstLevel.set(name(key), { value }, { ttl: Math.min(firstLevelTtlMs, ttlMs) });
    // Not awaited, as an ordinary write: the card does not wait for Redis.
    void claim('fill', key, value, ttlMs).catch((error: unknown) => connection.reportFailure(error));
    return value;
  }

  /** A read that may go to Redis: its value, or one load across every replica (this one's or another's). */
  async function readShared<T>(key: string, load: () => Promise<T>, ttlMs: number): Promise<T> {
    const id = name(key);
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const state = await readOrClaim(key);
      if (state?.kind === 'hit') {
        firstLevel.set(id, { value: state.value }, { ttl: Math.max(1, Math.min(firstLevelTtlMs, state.ttlMs)) });
        return state.value as T;
      }
      if (state?.kind === 'claimed') return loadClaimed(key, load, ttlMs);
      // Redis trouble, or waited long enough: load here, and store the value if Redis takes it.
      if (state === undefined || Date.now() >= deadline || connection.health() !== 'up') break;
      await wakeUp(id, Math.min(waitPollMs, Math.max(1, deadline - Date.now())));
    }
    const value = await load();
    firstLevel.set(id, { value }, { ttl: Math.min(firstLevelTtlMs, ttlMs) });
    if (connection.health() === 'up') void writeShared(id, value, ttlMs, false);
    return value;
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
        if (!fresh && shared) return readShared(key, load, fetchOptions.ttlMs);
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
      await subscriber.unsubscribe(channel, filledChannel).catch(() => undefined);
    },
  };
}
