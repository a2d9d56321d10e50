import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  available,
  drain,
  fullState,
  nextAllowedAt,
  type PhaseBucketState,
  phantomBurst,
  phaseGeometry,
  take,
} from '../../src/komerza/phase-bucket.js';
import { createRedisConnection, type RedisConnection, type RedisScript } from '../../src/redis/connection.js';
import { KOMERZA_BUCKET_LUA } from '../../src/redis/komerza-bucket-script.js';
import { captureLogger, deleteKeys, MACHINE_REDIS_URL, uniquePrefix } from '../support/redis.js';

/**
 * The Lua script is the TypeScript model in another language: run both on the same random operations at the same
 * (whole-millisecond) times, and they must agree on every answer.
 */

const prefix = uniquePrefix('bucket-script');
let connection: RedisConnection;
let script: RedisScript;
beforeAll(async () => {
  connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger: captureLogger() });
  await connection.ready();
  script = connection.script('komerzaBucketTest', KOMERZA_BUCKET_LUA, 2);
});
afterAll(async () => {
  await deleteKeys(MACHINE_REDIS_URL, prefix);
  await connection.close();
});

type Op = { kind: 'take'; n: number; dt: number } | { kind: 'drain'; dt: number } | { kind: 'peek'; dt: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('take' as const),
      n: fc.integer({ min: 1, max: 8 }),
      dt: fc.integer({ min: 0, max: 1500 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain' as const), dt: fc.integer({ min: 0, max: 1500 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('peek' as const), dt: fc.integer({ min: 0, max: 5000 }) }) },
);

describe('the Lua bucket script', () => {
  it('answers exactly as the TypeScript model (150 random runs of up to 40 operations)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          capacity: fc.integer({ min: 1, max: 15 }),
          refillAmount: fc.integer({ min: 1, max: 6 }),
          intervalMs: fc.oneof(fc.integer({ min: 200, max: 3000 }), fc.integer({ min: 20, max: 150 })),
          jitterMs: fc.integer({ min: 0, max: 100 }),
          phaseStepMs: fc.integer({ min: 10, max: 100 }),
        }),
        fc.array(op, { minLength: 1, maxLength: 40 }),
        async (b, ops) => {
          const options = { ...b, refillIntervalMs: b.intervalMs };
          const g = phaseGeometry(options);
          const keys = [`${prefix}:${run}:state`, `${prefix}:${run}:queue`];
          run++;
          let now = 1_700_000_000_000;
          let model: PhaseBucketState | undefined;
          for (const step of ops) {
            now += step.dt;
            if (!model) {
              // The script finds no state at its first call: a full bucket spent just now.
              model = fullState(g, now);
              phantomBurst(g, model, now, g.capacity);
            }
            const wanted = step.kind === 'take' ? step.n : 0;
            const reply = (await script(keys, [
              step.kind,
              wanted,
              g.capacity,
              g.refillAmount,
              g.intervalMs,
              g.windowMs,
              g.stepMs,
              g.phases,
              'replica',
              wanted,
              3000,
              60_000,
              0,
              now,
            ])) as number[];
            let granted = 0;
            if (step.kind === 'take') granted = take(g, model, now, step.n);
            if (step.kind === 'drain') drain(g, model, now);
            const waitMs = nextAllowedAt(g, model, now) - now;
            // The last number is every replica's queue: here this one's, the part of its request not granted.
            expect(reply.map(Number)).toEqual([granted, Math.ceil(waitMs), available(model), wanted - granted]);
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('an unreadable state starts over as a bucket just spent, rather than failing every call', async () => {
    const keys = [`${prefix}:garbled:state`, `${prefix}:garbled:queue`];
    await connection.client.set(keys[0] as string, '{not json');
    const args = (now: number) => ['take', 1, 12, 4, 2000, 151, 50, 40, 'replica', 1, 3000, 60_000, 0, now];
    expect(((await script(keys, args(1_700_000_000_000))) as number[]).map(Number)).toEqual([0, 2150, 0, 1]);
    // Readable now: the next call goes on from that state.
    expect(((await script(keys, args(1_700_000_002_150))) as number[])[0]).toBe(1);
  });
});
