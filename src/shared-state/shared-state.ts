import { createMemoryBudget, createRedisBudget, type LookupBudget } from '../access/budget.js';
import type { Config } from '../config.js';
import type { CacheStore } from '../komerza/cache.js';
import { createTokenBucket, type RateLimiter } from '../komerza/rate-limit.js';
import type { AppLogger } from '../logger.js';
import { createRedisConnection, type RedisConnection } from '../redis/connection.js';
import { deriveKey } from '../redis/keys.js';
import { createSharedCache } from '../redis/shared-cache.js';
import { createSharedRateLimiter } from '../redis/shared-rate-limit.js';
import { createMemoryWriteGuard, createRedisWriteGuard, type WriteGuard } from '../tickets/write-guard.js';
import { createSealedSearchStore, type SearchStore } from './search-store.js';

/**
 * What every replica of the app must agree on: Komerza's token bucket, each person's lookup budget, the cache, and
 * the picker's search lists (docs/shared-state.md). Without REDIS_URL each lives in this process; with it the bucket,
 * the budget and the cache are shared through Redis, each falling back to this replica alone while Redis is away.
 */
export interface SharedState {
  rateLimiter: RateLimiter;
  budget: LookupBudget;
  /** The cache's store; undefined: the in-memory default of komerza/cache.ts. */
  cacheStore: CacheStore | undefined;
  searches: SearchStore;
  /** Each write to Komerza (a ticket reply or close) claimed once across every replica (tickets/write-guard.ts). */
  writeGuard: WriteGuard;
  /** The Redis connection, when there is one (readiness reports it; it never makes the app unready). */
  redis: RedisConnection | undefined;
  /** Connects to Redis (bounded by its connect timeout; the app starts either way). Idempotent. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createSharedState(config: Config, logger: AppLogger, now: () => Date = () => new Date()): SharedState {
  const limits = { perMinute: config.access.lookupsPerUserPerMinute, perHour: config.access.lookupsPerUserPerHour };
  const clock = () => now().getTime();
  // The search text rides in the page buttons, sealed with a key every replica derives from the same secret: no
  // store to share or lose on a restart (src/shared-state/search-store.ts).
  const searches = createSealedSearchStore({ key: deriveKey(config.komerza.apiKey, 'search-tokens') });
  const redisUrl = config.sharedState.redisUrl;
  if (!redisUrl) {
    return {
      rateLimiter: createTokenBucket(config.rateLimit),
      budget: createMemoryBudget({ ...limits, now: clock }),
      cacheStore: undefined,
      searches,
      writeGuard: createMemoryWriteGuard(),
      redis: undefined,
      async start() {},
      async close() {},
    };
  }
  // The namespace of this deployment's keys in a Redis it may share with other apps (REDIS_KEY_PREFIX).
  const keyPrefix = config.sharedState.keyPrefix;
  const redis = createRedisConnection({
    url: redisUrl,
    logger,
    name: 'customer-lookup',
    lazy: true,
    commandTimeoutMs: config.sharedState.commandTimeoutMs,
  });
  const rateLimiter = createSharedRateLimiter({
    connection: redis,
    keyPrefix,
    ...config.rateLimit,
    replicas: config.sharedState.replicas,
  });
  const cache = createSharedCache({
    connection: redis,
    keyPrefix,
    keySecret: deriveKey(config.komerza.apiKey, 'cache-keys'),
    // KOMERZA_SHARED_CACHE=false: customers' data stays in each replica's memory; only store-wide reads are shared.
    ...(config.sharedState.sharedCache ? {} : { shareKey: isStoreWide }),
  });
  return {
    rateLimiter,
    budget: createRedisBudget({
      connection: redis,
      keyPrefix,
      ...limits,
      fallback: createMemoryBudget({ ...limits, now: clock }),
    }),
    cacheStore: cache,
    searches,
    writeGuard: createRedisWriteGuard(redis, keyPrefix),
    redis,
    async start() {
      redis.connect();
      await redis.ready();
    },
    async close() {
      rateLimiter.close();
      await cache.close();
      await redis.close();
    },
  };
}

/** Cache keys of reads about the store as a whole, not about a customer (komerza/cache.ts names them). */
function isStoreWide(key: string): boolean {
  return key === 'store' || key === 'products';
}
