/**
 * Client-side rate limiting for Komerza. Komerza gives an API key a token bucket of 12 requests, refilled by 4 every
 * 2 seconds (docs/komerza-api.md §2): a request sent to an empty bucket is refused with 429. Here every request first
 * takes a token from a local copy of that bucket, waiting in line (FIFO) when it is empty, so requests queue in the
 * app instead of being refused by Komerza.
 *
 * The interface is small on purpose: a shared implementation (e.g. Redis, for several replicas on one key) can
 * replace the in-memory one without touching the client or the lookup code.
 */

export interface RateLimitStatus {
  /** Requests waiting for a token right now. */
  queued: number;
  /** Tokens available right now. */
  available: number;
  /** How long a request arriving now would wait for its token, in milliseconds (0 when one is free). */
  estimatedWaitMs: number;
}

export interface RateLimiter {
  /** Resolves once a token has been taken for one request (immediately when the bucket has one). */
  acquire(): Promise<void>;
  /** A snapshot for the "queued, N lookups ahead" notice and for logs. */
  status(): RateLimitStatus;
  /**
   * Komerza answered 429 although the local bucket had tokens: its bucket is emptier than ours (another process on
   * the same key, or a different refill phase). Empty ours so that nobody else is sent until the next refill.
   */
  drain(): void;
}

export interface TokenBucketOptions {
  /** Most tokens the bucket holds (Komerza: 12). */
  capacity: number;
  /** Tokens added at each refill (Komerza: 4). */
  refillAmount: number;
  /** Time between refills in milliseconds (Komerza: 2000). */
  refillIntervalMs: number;
  /** Monotonic clock in milliseconds; jest's modern fake timers fake `performance.now` too. */
  now?: () => number;
}

/** Komerza's documented bucket for authenticated calls (docs/komerza-api.md §2). */
export const KOMERZA_BUCKET = { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 } as const;

/**
 * An in-memory token bucket with discrete refills, like Komerza's ("4 tokens every 2 seconds"), counted from the
 * moment the bucket is created. Komerza's bucket for the key already existed then, so the k-th refill Komerza makes
 * after our start comes no later than ours, whatever the phase of its clock: in the steady state this copy does
 * not believe in a token Komerza lacks. Two cases escape it: another process using the same key, and a Komerza
 * refill that falls while our first requests after an idle (full) spell are still in flight, which Komerza's full
 * bucket wastes (likely only if the network delay is a fair part of the refill interval). Then Komerza answers
 * 429; the client's retry options call `drain()` and retry after waiting for a token again, so nobody sees it.
 */
export function createTokenBucket(options: TokenBucketOptions): RateLimiter {
  const { capacity, refillAmount, refillIntervalMs } = options;
  if (!(capacity >= 1 && refillAmount >= 1 && refillIntervalMs >= 1)) {
    throw new RangeError('a token bucket needs capacity, refillAmount and refillIntervalMs of at least 1');
  }
  const now = options.now ?? (() => performance.now());
  let tokens = capacity;
  let lastRefill = now();
  const waiting: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function refill(): void {
    const ticks = Math.floor((now() - lastRefill) / refillIntervalMs);
    if (ticks <= 0) return;
    tokens = Math.min(capacity, tokens + ticks * refillAmount);
    lastRefill += ticks * refillIntervalMs;
  }

  function release(): void {
    refill();
    while (tokens > 0 && waiting.length > 0) {
      tokens--;
      waiting.shift()?.();
    }
  }

  /** One timer at a time, set for the next refill, only while someone waits (an idle bucket holds no timer). */
  function schedule(): void {
    if (timer !== undefined || waiting.length === 0) return;
    const delay = Math.max(0, lastRefill + refillIntervalMs - now());
    timer = setTimeout(() => {
      timer = undefined;
      release();
      schedule();
    }, delay);
    // Not unref'd: a request waiting for a token has no socket yet, so before the HTTP server listens (the start-up
    // key check) this timer is all that keeps the process alive; unref'd, Node would exit 0 mid-start after a 429.
  }

  return {
    acquire() {
      refill();
      if (waiting.length === 0 && tokens > 0) {
        tokens--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        schedule();
      });
    },
    status() {
      refill();
      const queued = waiting.length;
      // Tokens a newcomer needs beyond those available: itself plus everyone ahead of it.
      const missing = queued + 1 - tokens;
      let estimatedWaitMs = 0;
      if (missing > 0) {
        const refills = Math.ceil(missing / refillAmount);
        estimatedWaitMs = Math.max(0, lastRefill + refillIntervalMs - now()) + (refills - 1) * refillIntervalMs;
      }
      return { queued, available: tokens, estimatedWaitMs };
    },
    drain() {
      refill();
      tokens = 0;
    },
  };
}
