import {
  advance,
  available,
  drain,
  fullState,
  nextAllowedAt,
  type PhaseBucketState,
  phantomBurst,
  phaseGeometry,
  take,
} from './phase-bucket.js';
import { WaitQueue } from './wait-queue.js';

/**
 * Client-side rate limiting for Komerza. Komerza gives an API key a token bucket of 12 requests, refilled by 4 every
 * 2 seconds (docs/komerza-api.md §2): a request sent to an empty bucket is refused with 429. Here every request first
 * takes a token from a model of that bucket, waiting in line when it is empty, so requests queue in the app instead
 * of being refused by Komerza.
 *
 * The interface is small on purpose: the shared implementation (src/redis/shared-rate-limit.ts, for several
 * replicas on one key) replaces the in-memory one without touching the client or the lookup code.
 */

export interface RateLimitStatus {
  /** Requests waiting for a token right now (every replica's, with the shared limiter). */
  queued: number;
  /** Tokens available right now. */
  available: number;
  /** How long a request arriving now would wait for its token, in milliseconds (0 when one is free). */
  estimatedWaitMs: number;
}

export interface RateLimiter {
  /**
   * Resolves once a token has been taken for one request (immediately when the bucket has one). Waiters are served
   * by `priority` (lower first; default: now, i.e. behind every lookup already started), then by arrival.
   */
  acquire(priority?: number): Promise<void>;
  /** A snapshot for the "queued, N lookups ahead" notice and for logs. */
  status(): RateLimitStatus;
  /**
   * Komerza answered 429 although the model had tokens: its bucket is empty now (another process on the same key,
   * or a delay beyond the jitter margin). Nobody else is sent until the model's next refill.
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
  /**
   * How much later than we send it a request may reach Komerza (the spread of that delay), in ms. Default
   * `DEFAULT_JITTER_MS`; see docs/shared-state.md §2 for why.
   */
  jitterMs?: number;
  /** Grid of candidate refill phases, in ms (default 50). */
  phaseStepMs?: number;
  /** `full` (default): as after an idle spell. `used`: as if a full bucket had just been spent (a safe restart). */
  start?: 'full' | 'used';
  /** Monotonic clock in milliseconds; jest's modern fake timers fake `performance.now` too. */
  now?: () => number;
  /** Timer functions (a discrete-event simulation passes its own). */
  timers?: Timers;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Komerza's documented bucket for authenticated calls (docs/komerza-api.md §2). */
export const KOMERZA_BUCKET = { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 } as const;

/** 50 ms of network jitter plus as much again for event-loop delay and connection set-up (docs/shared-state.md §2). */
export const DEFAULT_JITTER_MS = 100;

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The in-memory limiter: the phase-bucket model of src/komerza/phase-bucket.ts (safe against Komerza's bucket
 * whatever its refill phase, for requests that arrive within `jitterMs` of being sent) in front of a priority queue.
 * Throughput is Komerza's (R per interval, a full burst after an idle spell); the first refill after a burst is
 * counted `jitterMs` + one phase step late. A 429 still calls `drain()` through the client's retry options.
 */
export function createTokenBucket(options: TokenBucketOptions): RateLimiter {
  const geometry = phaseGeometry({ ...options, jitterMs: options.jitterMs ?? DEFAULT_JITTER_MS });
  const now = options.now ?? (() => performance.now());
  const timers = options.timers ?? realTimers;
  const state: PhaseBucketState = fullState(geometry, now());
  if (options.start === 'used') phantomBurst(geometry, state, now(), geometry.capacity);
  const waiting = new WaitQueue();
  let timer: unknown;

  function release(): void {
    if (waiting.length > 0) waiting.release(take(geometry, state, now(), waiting.length));
  }

  /** One timer at a time, set for the next moment a token may go, only while someone waits. */
  function schedule(): void {
    if (timer !== undefined || waiting.length === 0) return;
    const at = now();
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        release();
        schedule();
      },
      Math.max(0, nextAllowedAt(geometry, state, at) - at),
    );
    // Not unref'd: a request waiting for a token has no socket yet, so before the HTTP server listens (the start-up
    // key check) this timer is all that keeps the process alive; unref'd, Node would exit 0 mid-start after a 429.
  }

  return {
    acquire(priority) {
      const at = now();
      if (waiting.length === 0 && take(geometry, state, at, 1) === 1) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.push(priority ?? at, resolve);
        schedule();
      });
    },
    status() {
      const at = now();
      advance(geometry, state, at);
      const queued = waiting.length;
      const tokens = available(state);
      return {
        queued,
        available: tokens,
        estimatedWaitMs: estimateWait(queued, tokens, nextAllowedAt(geometry, state, at) - at, geometry),
      };
    },
    drain() {
      drain(geometry, state, now());
    },
  };
}

/**
 * How long a newcomer behind `queued` requests waits: until the model's next token, then one interval per
 * `refillAmount` further tokens. An estimate for the "queued" notice, not a promise.
 */
export function estimateWait(
  queued: number,
  tokens: number,
  nextTokenInMs: number,
  bucket: { refillAmount: number; intervalMs: number },
): number {
  const missing = queued + 1 - tokens;
  if (missing <= 0) return 0;
  return Math.max(0, nextTokenInMs) + (Math.ceil(missing / bucket.refillAmount) - 1) * bucket.intervalMs;
}
