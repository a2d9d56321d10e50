import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import {
  createSharedRateLimiter,
  fallbackShare,
  type SharedRateLimiter,
  type SharedRateLimiterOptions,
} from '../../src/redis/shared-rate-limit.js';
import { sleep } from '../support/async.js';
import { exactBucket, seeded } from '../support/bucket-sim.js';
import {
  captureLogger,
  deleteKeys,
  freePort,
  MACHINE_REDIS_URL,
  type RedisChild,
  SCHEDULING_SLACK_MS,
  startRedisChild,
  uniquePrefix,
} from '../support/redis.js';

const prefixes: string[] = [];
const connections: RedisConnection[] = [];
const limiters: SharedRateLimiter[] = [];
let child: RedisChild | undefined;

afterEach(async () => {
  for (const limiter of limiters.splice(0)) limiter.close();
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await child?.stop();
  child = undefined;
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(MACHINE_REDIS_URL, prefix);
});

/** A small bucket so real time stays short: 6 tokens, +2 every 200 ms, 10 ms of delay. */
const SMALL = { capacity: 6, refillAmount: 2, refillIntervalMs: 200, jitterMs: 10, phaseStepMs: 10 };

async function replica(
  url: string,
  keyPrefix: string,
  extra: Partial<SharedRateLimiterOptions> = {},
  logger = captureLogger(),
) {
  const connection = createRedisConnection({ url, logger, commandTimeoutMs: 150, maxReconnectDelayMs: 200 });
  connections.push(connection);
  await connection.ready();
  const limiter = createSharedRateLimiter({ connection, keyPrefix, ...SMALL, ...extra });
  limiters.push(limiter);
  return { connection, limiter, logger };
}

function newPrefix(name: string): string {
  const prefix = `${uniquePrefix(name)}:`;
  prefixes.push(prefix);
  return prefix;
}

/**
 * Komerza's exact bucket in this process, in real time, at a random phase; each request reaches it after a random
 * 0–10 ms delay (the jitter the limiters are told about).
 */
function komerzaInProcess(seed: number) {
  const random = seeded(seed);
  const origin = performance.now();
  const bucket = exactBucket({ capacity: 6, refillAmount: 2, intervalMs: 200, phaseMs: random() * 200 });
  const result = { accepted: 0, refused: 0 };
  let lastArrival = 0;
  return {
    result,
    async send(): Promise<void> {
      await sleep(random() * SMALL.jitterMs);
      // Timers can fire out of order by a millisecond; the bucket needs arrivals in order.
      lastArrival = Math.max(lastArrival, performance.now() - origin);
      if (bucket.arrive(lastArrival)) result.accepted++;
      else result.refused++;
    },
  };
}

describe('the shared Komerza bucket, three replicas on one Redis', () => {
  it('never gets a 429 from the exact bucket, and sends no faster than one replica would', async () => {
    const prefix = newPrefix('three');
    const replicas = await Promise.all([1, 2, 3].map(() => replica(MACHINE_REDIS_URL, prefix)));
    const komerza = komerzaInProcess(42);
    const random = seeded(7);
    const started = performance.now();
    const calls: Array<Promise<void>> = [];
    // Bursts and trickles of lookups (two calls each) spread over the replicas, for about 2.5 s.
    for (let wave = 0; wave < 8; wave++) {
      const count = 1 + Math.floor(random() * 8);
      for (let i = 0; i < count; i++) {
        const { limiter } = replicas[Math.floor(random() * 3)] as { limiter: SharedRateLimiter };
        const priority = performance.now();
        calls.push(
          (async () => {
            for (let call = 0; call < 2; call++) {
              await limiter.acquire(priority);
              await komerza.send();
            }
          })(),
        );
      }
      await sleep(random() * 350);
    }
    await Promise.all(calls);
    const elapsed = performance.now() - started;
    expect(komerza.result.refused).toBe(0);
    expect(komerza.result.accepted).toBe(calls.length * 2);
    // One bucket's worth: 6 at once, then 2 per 200 ms (no replica ever fell back to its own share).
    expect(komerza.result.accepted).toBeLessThanOrEqual(6 + 2 * Math.ceil(elapsed / 200));
    expect(replicas.every(({ limiter }) => limiter.mode() === 'shared')).toBe(true);
  }, 15_000);

  it("counts every replica's queue in status()", async () => {
    const prefix = newPrefix('queue');
    const [a, b] = await Promise.all([replica(MACHINE_REDIS_URL, prefix), replica(MACHINE_REDIS_URL, prefix)]);
    if (!a || !b) throw new Error('two replicas');
    // The state starts as a bucket just spent, so all ten wait.
    for (let i = 0; i < 10; i++) void a.limiter.acquire();
    await sleep(50);
    b.limiter.status();
    await sleep(150);
    b.limiter.status();
    await sleep(20);
    const status = b.limiter.status();
    expect(status.queued).toBeGreaterThanOrEqual(8);
    expect(status.estimatedWaitMs).toBeGreaterThan(200);
  });

  it("a lost state (Redis restarted) starts as a bucket spent just now: nothing goes for one interval and D'", async () => {
    const prefix = newPrefix('lost');
    const { limiter } = await replica(MACHINE_REDIS_URL, prefix);
    const started = performance.now();
    await limiter.acquire();
    // D' = 10 ms jitter + 10 ms step (+1 ms rounding); the first refill every candidate phase agrees on.
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(performance.now() - started).toBeLessThan(300 + SCHEDULING_SLACK_MS);
  });
});

describe('the fallback share', () => {
  it('is floor(C/N) and R/N per interval, or one token per longer interval when R < N', () => {
    const komerza = { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 };
    expect(fallbackShare(komerza, 1)).toEqual(komerza);
    expect(fallbackShare(komerza, 2)).toEqual({ capacity: 6, refillAmount: 2, refillIntervalMs: 2000 });
    expect(fallbackShare(komerza, 3)).toEqual({ capacity: 4, refillAmount: 1, refillIntervalMs: 2000 });
    expect(fallbackShare(komerza, 5)).toEqual({ capacity: 2, refillAmount: 1, refillIntervalMs: 4000 });
    expect(fallbackShare(komerza, 8)).toEqual({ capacity: 1, refillAmount: 1, refillIntervalMs: 4000 });
  });

  it('Redis down at start: tokens from the share at once, one warning', async () => {
    const logger = captureLogger();
    const { limiter } = await replica(
      `redis://127.0.0.1:${await freePort()}`,
      newPrefix('down'),
      { replicas: 2 },
      logger,
    );
    const started = performance.now();
    await limiter.acquire();
    // Started as if its share (3 tokens, +1 per 200 ms) had just been used: the first token comes after D' + I.
    expect(performance.now() - started).toBeLessThan(300 + SCHEDULING_SLACK_MS);
    expect(limiter.mode()).toBe('fallback');
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    expect(logger.count('warn')).toBe(1);
  });

  it('Redis killed mid-run: no call waits longer than the command timeout for it; shared again once restarted', async () => {
    child = await startRedisChild();
    const { limiter, connection } = await replica(child.url, newPrefix('killed'));
    await limiter.acquire();
    expect(limiter.mode()).toBe('shared');
    await child.stop();
    const started = performance.now();
    await limiter.acquire();
    // The fallback's start as a just-spent share: its first token after one interval and D'.
    expect(performance.now() - started).toBeLessThan(150 + 250 + SCHEDULING_SLACK_MS);
    expect(limiter.mode()).toBe('fallback');
    await child.restart();
    const deadline = Date.now() + 3000;
    while (connection.health() !== 'up' && Date.now() < deadline) await sleep(20);
    await limiter.acquire();
    expect(limiter.mode()).toBe('shared');
  });

  it('a hung Redis (SIGSTOP) holds acquire() no longer than the command timeout', async () => {
    child = await startRedisChild();
    const { limiter } = await replica(child.url, newPrefix('hung'));
    await sleep(250);
    await limiter.acquire();
    child.freeze();
    const started = performance.now();
    await limiter.acquire();
    const waited = performance.now() - started;
    // 150 ms command timeout, then the fallback share started as just spent (≤ 200 ms + D').
    expect(waited).toBeLessThan(150 + 250 + SCHEDULING_SLACK_MS);
    expect(limiter.mode()).toBe('fallback');
    const next = performance.now();
    await limiter.acquire();
    // Now known to be down: nobody asks Redis any more, the fallback answers.
    expect(performance.now() - next).toBeLessThan(250 + SCHEDULING_SLACK_MS);
    child.thaw();
  });
});
