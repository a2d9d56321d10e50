import { LRUCache } from 'lru-cache';
import type { RedisConnection } from '../redis/connection.js';

/**
 * "Send this write once": a reply or a close claims its key before anything is sent to Komerza, and a second
 * claim of the same key (a double click, a double submit, Slack delivering a submission twice, to this replica or
 * another) is refused. Komerza documents no idempotency key (docs/komerza-api.md §4.4), so this is the only guard.
 *
 * - `claimed`: go ahead. `taken`: this write was already made or is under way. `unavailable`: the shared store
 *   (Redis) cannot be asked, so nobody can promise "once" across replicas; the write is refused, never risked.
 */
export type Claim = 'claimed' | 'taken' | 'unavailable';

export interface WriteGuard {
  claim(key: string, ttlMs: number): Promise<Claim>;
  /** Frees a key whose write certainly did not happen (Komerza refused it), so the person may try again. */
  release(key: string): Promise<void>;
}

/** One replica: claims in memory (at most 10,000 at once, each for its own time). */
export function createMemoryWriteGuard(): WriteGuard {
  const claims = new LRUCache<string, true>({ max: 10_000, ttl: 1, ttlAutopurge: false });
  return {
    async claim(key, ttlMs) {
      if (claims.has(key)) return 'taken';
      claims.set(key, true, { ttl: ttlMs });
      return 'claimed';
    },
    async release(key) {
      claims.delete(key);
    },
  };
}

/** Every replica: `SET key 1 NX PX ttl` in the shared Redis (docs/shared-state.md §7). */
export function createRedisWriteGuard(connection: RedisConnection, keyPrefix: string): WriteGuard {
  const name = (key: string) => `${keyPrefix}write:${key}`;
  return {
    async claim(key, ttlMs) {
      if (connection.health() !== 'up') return 'unavailable';
      try {
        const set = await connection.client.set(name(key), '1', 'PX', ttlMs, 'NX');
        return set === 'OK' ? 'claimed' : 'taken';
      } catch (error) {
        connection.reportFailure(error);
        return 'unavailable';
      }
    },
    async release(key) {
      try {
        await connection.client.del(name(key));
      } catch (error) {
        // The key expires by itself; until then the same modal view cannot send again (a new one can).
        connection.reportFailure(error);
      }
    },
  };
}
