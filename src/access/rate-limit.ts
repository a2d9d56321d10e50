import { LRUCache } from 'lru-cache';

/**
 * A per-user sliding-window limit on lookups, so one account cannot scrape the customer base through the bot.
 * Each user's recent lookup times are kept (at most `limit` of them) in an LRU with a TTL of one window, so memory
 * stays bounded however many people use the app. Pure apart from the clock, which is injected.
 */
export interface LookupLimiterOptions {
  /** Lookups allowed per window; 0 means unlimited. */
  limit: number;
  windowMs?: number;
  now?: () => number;
  /** Most users tracked at once (least recently active forgotten first). */
  maxUsers?: number;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface LookupLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one lookup for the user if the limit allows it. A refused attempt is not counted. */
  take(userId: string): LimitDecision;
}

export function createLookupLimiter(options: LookupLimiterOptions): LookupLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const { limit } = options;
  const recent = new LRUCache<string, number[]>({ max: options.maxUsers ?? 10_000, ttl: windowMs });

  return {
    limit,
    windowMs,
    take(userId) {
      if (limit <= 0) return { allowed: true };
      const at = now();
      const times = (recent.get(userId) ?? []).filter((time) => time > at - windowMs);
      if (times.length >= limit) {
        recent.set(userId, times);
        // The oldest lookup in the window is the next to leave it.
        const oldest = times[0] ?? at;
        return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - at) };
      }
      times.push(at);
      recent.set(userId, times);
      return { allowed: true };
    },
  };
}
