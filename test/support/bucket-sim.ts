import type { RateLimiter, Timers } from '../../src/komerza/rate-limit.js';

/**
 * A deterministic discrete-event simulation of lookups going through a rate limiter to Komerza's bucket: a fake clock,
 * timers that fire in time order, and the exact bucket written here independently of src/komerza/phase-bucket.ts (as
 * the fake's fakeBucket is), so a mistake in the model is not mirrored in the judge.
 */

export interface KomerzaBucketSpec {
  capacity: number;
  refillAmount: number;
  intervalMs: number;
  /** Komerza refills at phaseMs + k·intervalMs (unknown to the limiter). */
  phaseMs: number;
  /** Tokens at time 0 (default: full). */
  initialTokens?: number;
}

export interface SimLookup {
  /** When the lookup starts (its priority). */
  at: number;
  /** Sequential Komerza calls it makes (each after the previous one's answer). */
  calls: number;
}

export interface SimCase {
  komerza: KomerzaBucketSpec;
  lookups: SimLookup[];
  /** Send → arrival at Komerza, for the n-th request sent (sent at `sentAt`). */
  delay: (sentAt: number, n: number) => number;
  /** Arrival → answer back at the app. */
  answerDelay: (n: number) => number;
}

export interface SimResult {
  sent: number;
  refused: number;
  /** When the last answer came back. */
  finishedAt: number;
  /** Order in which lookups' calls were granted, as "lookup.call". */
  grants: string[];
}

/** Komerza's bucket as documented (discrete refills, capped), at a phase the limiter does not know. */
export function exactBucket(spec: KomerzaBucketSpec) {
  let tokens = spec.initialTokens ?? spec.capacity;
  // Index of the last refill instant applied; instants are phase + k·interval, k ≥ 1 after time 0.
  let applied = Math.floor((0 - spec.phaseMs) / spec.intervalMs);
  return {
    /** A request arrives at `time` (non-decreasing): true when accepted. */
    arrive(time: number): boolean {
      const due = Math.floor((time - spec.phaseMs) / spec.intervalMs);
      if (due > applied) {
        tokens = Math.min(spec.capacity, tokens + (due - applied) * spec.refillAmount);
        applied = due;
      }
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface SimClock {
  now: () => number;
  timers: Timers;
}

/** Runs the case to completion through the limiter that `makeLimiter` builds on the simulation's clock. */
export async function simulate(makeLimiter: (clock: SimClock) => RateLimiter, c: SimCase): Promise<SimResult> {
  type Event = { at: number; seq: number; run: () => void; cancelled: boolean };
  const queue: Event[] = [];
  let now = 0;
  let seq = 0;
  const schedule = (at: number, run: () => void): Event => {
    const event = { at, seq: seq++, run, cancelled: false };
    let i = queue.length;
    while (i > 0 && (queue[i - 1] as Event).at > at) i--;
    queue.splice(i, 0, event);
    return event;
  };
  const clock: SimClock = {
    now: () => now,
    timers: {
      setTimeout: (run, ms) => schedule(now + Math.max(0, ms), run),
      clearTimeout: (handle) => {
        (handle as Event).cancelled = true;
      },
    },
  };
  const limiter = makeLimiter(clock);
  const komerza = exactBucket(c.komerza);
  const arrivals: number[] = [];
  const result: SimResult = { sent: 0, refused: 0, finishedAt: 0, grants: [] };

  const call = (lookup: number, priority: number, index: number, total: number): void => {
    void limiter.acquire(priority).then(() => {
      const n = result.sent++;
      result.grants.push(`${lookup}.${index}`);
      const arrival = now + c.delay(now, n);
      arrivals.push(arrival);
      schedule(arrival, () => {
        if (!komerza.arrive(now)) {
          result.refused++;
          limiter.drain();
        }
        schedule(now + c.answerDelay(n), () => {
          result.finishedAt = Math.max(result.finishedAt, now);
          if (index + 1 < total) call(lookup, priority, index + 1, total);
        });
      });
    });
  };
  c.lookups.forEach((lookup, i) => {
    schedule(lookup.at, () => call(i, lookup.at, 0, lookup.calls));
  });

  // Each event may resolve promises (a grant): let them run before the next event moves the clock.
  await settle();
  for (let event = queue.shift(); event; event = queue.shift()) {
    if (event.cancelled) continue;
    now = event.at;
    event.run();
    await settle();
  }
  return result;
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A small seeded generator (mulberry32), so a failing case replays from fast-check's seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
