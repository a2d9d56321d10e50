import { randomBytes } from 'node:crypto';
import {
  advance,
  available,
  drain,
  fullState,
  nextAllowedAt,
  type PhaseGeometry,
  phantomBurst,
  phaseGeometry,
  take,
} from '../komerza/phase-bucket.js';
import {
  DEFAULT_JITTER_MS,
  estimateWait,
  type RateLimiter,
  type RateLimitStatus,
  type Timers,
} from '../komerza/rate-limit.js';
import { WaitQueue } from '../komerza/wait-queue.js';
import type { RedisConnection } from './connection.js';
import { KOMERZA_BUCKET_LUA } from './komerza-bucket-script.js';

/**
 * The Komerza token bucket shared by every replica on one API key: the phase-bucket model (src/komerza/phase-bucket.ts)
 * kept in Redis and run atomically by a Lua script on Redis `TIME`. Waiters queue here, by priority; the head of the
 * queue asks the script for as many tokens as there are waiters and, when it gets fewer, retries at the time the
 * script names (no polling). Each replica publishes its queue length, so `status()` counts every replica's queue.
 *
 * Redis down or slow (health `down`, or a call failing within the command timeout): this replica falls back to a
 * local bucket holding its share of Komerza's (see `fallbackShare`), started as if that share had just been spent.
 * Back on Redis after having sent anything alone, it first adds a phantom full burst to the shared state. Both
 * switches are safe while every replica switches together; a replica still alone while others are back can cost a
 * 429, which the client retries (docs/shared-state.md §3).
 */

export interface SharedRateLimiterOptions {
  connection: RedisConnection;
  /** Namespace of this app's keys, e.g. `customer-lookup:`. */
  keyPrefix: string;
  capacity: number;
  refillAmount: number;
  refillIntervalMs: number;
  jitterMs?: number;
  phaseStepMs?: number;
  /** How many replicas share the key (KOMERZA_REPLICAS): sizes the fallback share. Default 1. */
  replicas?: number;
  /** Names this replica's queue length in Redis. Default: random. */
  replicaId?: string;
  /** Clock and timers of the fallback bucket and of the retry timer. */
  now?: () => number;
  timers?: Timers;
}

export interface SharedRateLimiter extends RateLimiter {
  /** Where tokens come from right now. */
  mode(): 'shared' | 'fallback';
  /** Stops the retry timer (for shutdown). */
  close(): void;
}

/** How long a replica's published queue length counts without a refresh, and how often a waiting head refreshes it. */
const QUEUE_TTL_MS = 3000;
const QUEUE_REFRESH_MS = 1000;
/** `status()` asks Redis for the whole queue at most this often. */
const STATUS_CACHE_MS = 100;
/** The shared state outlives any idle spell that matters (after C/R intervals an idle bucket is full anyway). */
const STATE_TTL_MS = 24 * 60 * 60_000;

/**
 * A replica's safe share of Komerza's bucket: capacity floor(C/N), and R/N per interval, as a longer interval when R < N
 * (1 token every ceil(N/R) intervals: a whole number of Komerza's intervals, so its refills line up with Komerza's).
 * N shares then never exceed the bucket: N·floor(C/N) ≤ C and N·R'/I' ≤ R/I. With N > C it cannot be safe.
 */
export function fallbackShare(
  bucket: { capacity: number; refillAmount: number; refillIntervalMs: number },
  replicas: number,
): { capacity: number; refillAmount: number; refillIntervalMs: number } {
  const n = Math.max(1, Math.floor(replicas));
  const capacity = Math.max(1, Math.floor(bucket.capacity / n));
  if (bucket.refillAmount >= n) {
    return { capacity, refillAmount: Math.floor(bucket.refillAmount / n), refillIntervalMs: bucket.refillIntervalMs };
  }
  return { capacity, refillAmount: 1, refillIntervalMs: bucket.refillIntervalMs * Math.ceil(n / bucket.refillAmount) };
}

type Answer = { granted: number; waitMs: number; available: number; queued: number };

export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
  const shared = phaseGeometry({ ...options, jitterMs });
  // Whole milliseconds in Redis (TIME is read to the ms): one more ms of window covers the rounding.
  const sharedArgs = [
    shared.capacity,
    shared.refillAmount,
    shared.intervalMs,
    shared.windowMs + 1,
    shared.stepMs,
    shared.phases,
  ];
  const share = fallbackShare(options, options.replicas ?? 1);
  const local: PhaseGeometry = phaseGeometry({ ...share, jitterMs, phaseStepMs: options.phaseStepMs });
  const now = options.now ?? (() => performance.now());
  const timers = options.timers ?? {
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const replicaId = options.replicaId ?? randomBytes(6).toString('hex');
  const keys = [`${options.keyPrefix}komerza-bucket`, `${options.keyPrefix}komerza-queue`];
  const script = options.connection.script('komerzaBucket', KOMERZA_BUCKET_LUA, 2);
  const connection = options.connection;

  const waiting = new WaitQueue();
  let mode: 'shared' | 'fallback' = 'shared';
  const fallback = fullState(local, now());
  /** Sends made alone since the last switch to the fallback: if any, the shared state hears of them as a phantom burst. */
  let sentAlone = 0;
  let busy = false;
  let timer: unknown;
  let closed = false;
  let snapshot: (Answer & { at: number; ownQueued: number }) | undefined;
  let refreshing = false;

  async function ask(op: 'take' | 'drain' | 'peek', wanted: number): Promise<Answer | undefined> {
    if (connection.health() !== 'up') return undefined;
    const phantom = mode === 'fallback' && sentAlone > 0 ? shared.capacity : 0;
    try {
      const reply = await script(keys, [
        op,
        wanted,
        ...sharedArgs,
        replicaId,
        op === 'take' ? wanted : waiting.length,
        QUEUE_TTL_MS,
        STATE_TTL_MS,
        phantom,
        '',
      ]);
      const [granted, waitMs, tokens, queued] = (reply as number[]).map(Number);
      const answer = { granted: granted ?? 0, waitMs: waitMs ?? 0, available: tokens ?? 0, queued: queued ?? 0 };
      mode = 'shared';
      sentAlone = 0;
      snapshot = { ...answer, at: now(), ownQueued: (op === 'take' ? wanted : waiting.length) - answer.granted };
      return answer;
    } catch (error) {
      connection.reportFailure(error);
      return undefined;
    }
  }

  function alone(wanted: number): { granted: number; waitMs: number } {
    const at = now();
    if (mode === 'shared') {
      mode = 'fallback';
      // Other replicas' recent sends are unknown here: start as if this replica's whole share had just been used.
      phantomBurst(local, fallback, at, local.capacity);
    }
    const granted = take(local, fallback, at, wanted);
    sentAlone += granted;
    return { granted, waitMs: granted < wanted ? nextAllowedAt(local, fallback, at) - at : 0 };
  }

  function pump(): void {
    if (busy || closed || waiting.length === 0) return;
    if (timer !== undefined) {
      timers.clearTimeout(timer);
      timer = undefined;
    }
    busy = true;
    const wanted = waiting.length;
    void ask('take', wanted).then((answer) => {
      busy = false;
      const { granted, waitMs } = answer ?? alone(wanted);
      waiting.release(granted);
      if (waiting.length === 0 || closed) return;
      // Newcomers arrived during the call: ask again at once (tokens may be left, and the published queue length is
      // short of them). Otherwise wait for the named time, waking at least every second to keep that length alive.
      if (waiting.length > wanted - granted) return pump();
      timer = timers.setTimeout(
        () => {
          timer = undefined;
          pump();
        },
        Math.max(1, Math.min(waitMs, QUEUE_REFRESH_MS)),
      );
    });
  }

  function refreshStatus(): void {
    if (refreshing || busy || connection.health() !== 'up') return;
    refreshing = true;
    void ask('peek', 0).finally(() => {
      refreshing = false;
    });
  }

  // Back from an outage: waiters need not sit out the fallback's longer wait.
  const unsubscribe = connection.onChange((health) => {
    if (health === 'up') pump();
  });

  return {
    acquire(priority) {
      return new Promise<void>((resolve) => {
        waiting.push(priority ?? now(), resolve);
        pump();
      });
    },
    status(): RateLimitStatus {
      const at = now();
      if (mode === 'fallback' || connection.health() !== 'up' || !snapshot) {
        if (!snapshot) refreshStatus();
        advance(local, fallback, at);
        const tokens = available(fallback);
        const queued = waiting.length;
        return {
          queued,
          available: tokens,
          estimatedWaitMs: estimateWait(queued, tokens, nextAllowedAt(local, fallback, at) - at, local),
        };
      }
      if (at - snapshot.at > STATUS_CACHE_MS) refreshStatus();
      // Every replica's queue as of the snapshot, with this replica's own count as of now.
      const queued = Math.max(0, snapshot.queued - snapshot.ownQueued) + waiting.length;
      const tokens = at - snapshot.at > snapshot.waitMs ? Math.max(snapshot.available, 1) : snapshot.available;
      return {
        queued,
        available: tokens,
        estimatedWaitMs: estimateWait(queued, tokens, snapshot.waitMs - (at - snapshot.at), shared),
      };
    },
    drain() {
      if (mode === 'fallback' || connection.health() !== 'up') drain(local, fallback, now());
      else void ask('drain', 0);
    },
    mode: () => mode,
    close() {
      closed = true;
      unsubscribe();
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
