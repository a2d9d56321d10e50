import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTokenBucket, type RateLimiter } from '../../src/komerza/rate-limit.js';
import { type KomerzaBucketSpec, type SimCase, type SimLookup, seeded, simulate } from '../support/bucket-sim.js';

/**
 * The proof that the Komerza bucket model never causes a 429 against Komerza's exact bucket, whatever its refill
 * phase, when requests reach Komerza within the jitter margin of being sent (docs/shared-state.md §2): a
 * deterministic discrete-event simulation (no real time) over many random phases, delays and lookup patterns.
 */

/**
 * The fix the issue first suggested, kept here to show that it is not enough: a plain token bucket whose refills
 * are anchored to the moment it last left "full", plus a margin for jitter.
 */
function anchoredBucket(
  spec: { capacity: number; refillAmount: number; intervalMs: number; marginMs: number },
  now: () => number,
  timers: { setTimeout(run: () => void, ms: number): unknown },
): RateLimiter {
  let tokens = spec.capacity;
  let anchor = 0;
  let refills = 0;
  const waiting: Array<() => void> = [];
  const refill = () => {
    if (tokens >= spec.capacity) return;
    const due = Math.floor((now() - anchor - spec.marginMs) / spec.intervalMs);
    if (due > refills) {
      tokens = Math.min(spec.capacity, tokens + (due - refills) * spec.refillAmount);
      refills = due;
    }
  };
  const takeOne = () => {
    if (tokens >= spec.capacity) {
      anchor = now();
      refills = 0;
    }
    tokens--;
  };
  const pump = () => {
    refill();
    while (tokens > 0 && waiting.length > 0) {
      takeOne();
      waiting.shift()?.();
    }
    if (waiting.length > 0) timers.setTimeout(pump, 10);
  };
  return {
    acquire() {
      refill();
      if (waiting.length === 0 && tokens > 0) {
        takeOne();
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 1) timers.setTimeout(pump, 10);
      });
    },
    status: () => ({ queued: waiting.length, available: tokens, estimatedWaitMs: 0 }),
    drain() {
      tokens = 0;
    },
  };
}

/** The counterexample (C=12, R=4, I=2000, D=50): a refill Komerza wastes because three requests straddle it. */
function counterexample(): SimCase {
  return {
    komerza: { capacity: 12, refillAmount: 4, intervalMs: 2000, phaseMs: 1000 },
    lookups: [
      { at: 0, calls: 1 },
      ...Array.from({ length: 3 }, () => ({ at: 990, calls: 1 })),
      ...Array.from({ length: 12 }, () => ({ at: 2060, calls: 1 })),
    ],
    // Sent at 990, they arrive at 1010, just after Komerza's refill at 1000, which its full bucket wasted.
    delay: (sentAt) => (sentAt === 990 ? 20 : 0),
    answerDelay: () => 5,
  };
}

describe('the counterexample to "anchor the refill plus a margin"', () => {
  it('gets 3 × 429 from a bucket anchored to when it left "full" (so the simulation can fail)', async () => {
    const result = await simulate(
      ({ now, timers }) =>
        anchoredBucket({ capacity: 12, refillAmount: 4, intervalMs: 2000, marginMs: 50 }, now, timers),
      counterexample(),
    );
    expect(result.refused).toBe(3);
  });

  it('gets none from the phase-bucket model with the same margin', async () => {
    const result = await simulate(
      ({ now, timers }) =>
        createTokenBucket({ capacity: 12, refillAmount: 4, refillIntervalMs: 2000, jitterMs: 50, now, timers }),
      counterexample(),
    );
    expect(result).toMatchObject({ refused: 0, sent: 16 });
  });
});

/** Lookups arriving in bursts, trickles and idle spells. */
const segmentedPattern = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('burst' as const), n: fc.integer({ min: 1, max: 20 }) }),
      fc.record({
        kind: fc.constant('trickle' as const),
        n: fc.integer({ min: 1, max: 15 }),
        gap: fc.integer({ min: 1, max: 800 }),
      }),
      fc.record({ kind: fc.constant('idle' as const), gap: fc.integer({ min: 1, max: 6000 }) }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((segments) =>
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 200, maxLength: 200 }).map((calls): SimLookup[] => {
      const lookups: SimLookup[] = [];
      let at = 0;
      for (const segment of segments) {
        if (segment.kind === 'idle') at += segment.gap;
        else {
          for (let i = 0; i < segment.n; i++) {
            lookups.push({ at, calls: calls[lookups.length % calls.length] ?? 1 });
            if (segment.kind === 'trickle') at += segment.gap;
          }
        }
      }
      return lookups;
    }),
  );

/** Clusters of lookups at arbitrary times (some close to a refill, some not). */
const scatteredPattern = fc
  .array(
    fc.record({
      at: fc.double({ min: 0, max: 15_000, noNaN: true }),
      n: fc.integer({ min: 1, max: 12 }),
      calls: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((clusters): SimLookup[] =>
    clusters
      .sort((a, b) => a.at - b.at)
      .flatMap((cluster) => Array.from({ length: cluster.n }, () => ({ at: cluster.at, calls: cluster.calls }))),
  );

const lookupPattern = fc.oneof(segmentedPattern, scatteredPattern);

type DelayKind = 'uniform' | 'extremes' | 'adversarial';

/**
 * Send → arrival delays in [0, maxDelay]: uniform, only the extremes, or adversarial (the worst case the model
 * guards against: a request sent shortly before one of Komerza's refills arrives after it, the others at once).
 */
function delays(kind: DelayKind, maxDelay: number, komerza: KomerzaBucketSpec, seed: number) {
  const random = seeded(seed);
  return (sentAt: number): number => {
    if (kind === 'uniform') return random() * maxDelay;
    if (kind === 'extremes') return random() < 0.5 ? 0 : maxDelay;
    const sincePhase = (((sentAt - komerza.phaseMs) % komerza.intervalMs) + komerza.intervalMs) % komerza.intervalMs;
    const untilRefill = komerza.intervalMs - sincePhase;
    return untilRefill <= maxDelay ? Math.min(maxDelay, untilRefill + random() * (maxDelay - untilRefill)) : 0;
  };
}

const delayKind = fc.constantFrom<DelayKind>('uniform', 'extremes', 'adversarial');

describe('no 429 against the exact bucket, whatever its phase', () => {
  it("Komerza's bucket (12, +4 / 2 s), 0–50 ms of delay, the default 100 ms margin: 400 random cases", async () => {
    let cases = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 2000, noNaN: true, maxExcluded: true }),
        lookupPattern,
        delayKind,
        fc.integer(),
        fc.boolean(),
        async (phaseMs, lookups, kind, seed, startUsed) => {
          const komerza: KomerzaBucketSpec = {
            capacity: 12,
            refillAmount: 4,
            intervalMs: 2000,
            phaseMs,
            // A limiter started "used" must be safe whatever Komerza holds (nothing in flight from before).
            initialTokens: startUsed ? Math.floor(seeded(seed)() * 13) : 12,
          };
          const random = seeded(seed ^ 0x5bd1e995);
          const result = await simulate(
            ({ now, timers }) =>
              createTokenBucket({
                capacity: 12,
                refillAmount: 4,
                refillIntervalMs: 2000,
                start: startUsed ? 'used' : 'full',
                now,
                timers,
              }),
            {
              komerza,
              lookups,
              delay: delays(kind, 50, komerza, seed),
              answerDelay: () => random() * 50,
            },
          );
          cases++;
          sent += result.sent;
          expect(result.refused).toBe(0);
          expect(result.sent).toBe(lookups.reduce((sum, lookup) => sum + lookup.calls, 0));
        },
      ),
      { numRuns: 400 },
    );
    expect(cases).toBe(400);
    expect(sent).toBeGreaterThan(400 * 10);
  }, 60_000);

  it('any bucket, any delay bound, a margin exactly that bound, any phase grid: 250 random cases', async () => {
    const bucket = fc
      .record({
        capacity: fc.integer({ min: 1, max: 15 }),
        refillRatio: fc.double({ min: 0, max: 1, noNaN: true }),
        // Down to intervals shorter than the margin, where a refill's window reaches back past the previous one.
        intervalMs: fc.oneof(fc.integer({ min: 100, max: 3000 }), fc.integer({ min: 20, max: 150 })),
        maxDelay: fc.integer({ min: 0, max: 60 }),
        phaseStepMs: fc.integer({ min: 1, max: 100 }),
      })
      .map((b) => ({ ...b, phaseStepMs: Math.min(b.phaseStepMs, b.intervalMs) }));
    await fc.assert(
      fc.asyncProperty(
        bucket,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        lookupPattern,
        delayKind,
        fc.integer(),
        async (b, phase, lookups, kind, seed) => {
          const refillAmount = Math.max(1, Math.round(b.refillRatio * b.capacity));
          const komerza: KomerzaBucketSpec = {
            capacity: b.capacity,
            refillAmount,
            intervalMs: b.intervalMs,
            phaseMs: phase * b.intervalMs,
          };
          const random = seeded(seed);
          const result = await simulate(
            ({ now, timers }) =>
              createTokenBucket({
                capacity: b.capacity,
                refillAmount,
                refillIntervalMs: b.intervalMs,
                jitterMs: b.maxDelay,
                phaseStepMs: b.phaseStepMs,
                now,
                timers,
              }),
            { komerza, lookups, delay: delays(kind, b.maxDelay, komerza, seed), answerDelay: () => random() * 30 },
          );
          expect(result.refused).toBe(0);
        },
      ),
      { numRuns: 250 },
    );
  }, 60_000);
});

describe('what the safety costs', () => {
  it('still sends a full burst at once and then R per interval: 100 single-call lookups in one burst', async () => {
    const result = await simulate(
      ({ now, timers }) => createTokenBucket({ capacity: 12, refillAmount: 4, refillIntervalMs: 2000, now, timers }),
      {
        komerza: { capacity: 12, refillAmount: 4, intervalMs: 2000, phaseMs: 700 },
        lookups: Array.from({ length: 100 }, () => ({ at: 0, calls: 1 })),
        delay: () => 0,
        answerDelay: () => 0,
      },
    );
    expect(result.refused).toBe(0);
    // 12 at once, then 88 more at 4 per 2 s: 22 refills, the first 150 ms (the margin and one phase step) late.
    expect(result.finishedAt).toBe(22 * 2000 + 150);
  });

  it('a started lookup finishes first: early lookups get their second call before later lookups get their first', async () => {
    const result = await simulate(
      ({ now, timers }) => createTokenBucket({ capacity: 4, refillAmount: 2, refillIntervalMs: 1000, now, timers }),
      {
        komerza: { capacity: 4, refillAmount: 2, intervalMs: 1000, phaseMs: 300 },
        lookups: Array.from({ length: 10 }, (_, i) => ({ at: i, calls: 2 })),
        delay: () => 10,
        answerDelay: () => 10,
      },
    );
    expect(result.refused).toBe(0);
    const position = (grant: string) => result.grants.indexOf(grant);
    // The bucket holds 4: lookups 0-3 start at once, and each one's second call goes before lookup n+4's first.
    // First come first served would grant all ten first calls before any second call.
    for (let lookup = 0; lookup < 6; lookup++) {
      expect(position(`${lookup}.1`)).toBeLessThan(position(`${lookup + 4}.0`));
    }
  });
});
