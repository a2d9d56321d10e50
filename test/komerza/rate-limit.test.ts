import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createTokenBucket, type RateLimiter } from '../../src/komerza/rate-limit.js';

/** Starts `count` acquisitions and records, in order, which have been granted. */
function acquireMany(limiter: RateLimiter, count: number): number[] {
  const granted: number[] = [];
  for (let i = 0; i < count; i++) void limiter.acquire().then(() => granted.push(i));
  return granted;
}

/** Lets resolved promises run their `then` callbacks (fake timers do not advance microtasks). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('createTokenBucket (Komerza: 12, +4 every 2 s; 100 ms jitter, 50 ms phase grid)', () => {
  beforeEach(() => {
    // Modern fake timers fake performance.now as well, the bucket's default clock.
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const komerza = () => createTokenBucket({ capacity: 12, refillAmount: 4, refillIntervalMs: 2000 });
  /** After a burst, the first refill every candidate phase agrees on: one interval plus D' (jitter + step). */
  const firstRefill = 2000 + 100 + 50;

  it('grants a full bucket at once and makes the 13th request wait one interval plus the margin', async () => {
    const limiter = komerza();
    const granted = acquireMany(limiter, 13);
    await flush();
    expect(granted).toHaveLength(12);
    expect(limiter.status()).toEqual({ queued: 1, available: 0, estimatedWaitMs: firstRefill });

    await jest.advanceTimersByTimeAsync(firstRefill - 1);
    expect(granted).toHaveLength(12);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(13);
    // 4 tokens came, 1 was used: 3 are left.
    expect(limiter.status()).toEqual({ queued: 0, available: 3, estimatedWaitMs: 0 });
  });

  it('releases waiting requests 4 per interval, first come first served', async () => {
    const limiter = komerza();
    const granted = acquireMany(limiter, 22);
    await flush();
    expect(granted).toHaveLength(12);
    await jest.advanceTimersByTimeAsync(firstRefill);
    expect(granted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    await jest.advanceTimersByTimeAsync(2000);
    expect(granted).toHaveLength(20);
    await jest.advanceTimersByTimeAsync(2000);
    expect(granted).toHaveLength(22);
  });

  it('serves waiters by priority, then by arrival', async () => {
    const limiter = komerza();
    await jest.advanceTimersByTimeAsync(1000);
    acquireMany(limiter, 12);
    const order: string[] = [];
    for (const [name, priority] of [
      ['late lookup', 30],
      ['early lookup, 2nd call', 10],
      ['no priority', undefined],
      ['late lookup, 2nd call', 30],
      ['earliest lookup', 5],
    ] as const) {
      void limiter.acquire(priority).then(() => order.push(name));
    }
    await jest.advanceTimersByTimeAsync(firstRefill + 2000);
    // "No priority" means "a lookup starting now" (the clock's now, 1000, is above every lookup's start).
    expect(order).toEqual([
      'earliest lookup',
      'early lookup, 2nd call',
      'late lookup',
      'late lookup, 2nd call',
      'no priority',
    ]);
  });

  it('estimates the wait of a newcomer from the queue ahead of it', async () => {
    const limiter = komerza();
    acquireMany(limiter, 12 + 9);
    await flush();
    // 9 waiting + the newcomer = 10 tokens = 3 refills: the first after 2.15 s, then one every 2 s.
    expect(limiter.status()).toEqual({ queued: 9, available: 0, estimatedWaitMs: firstRefill + 4000 });
    await jest.advanceTimersByTimeAsync(500);
    expect(limiter.status().estimatedWaitMs).toBe(firstRefill + 3500);
  });

  it('never holds more than its capacity after a long idle time', async () => {
    const limiter = komerza();
    acquireMany(limiter, 12);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(limiter.status().available).toBe(12);
  });

  it('after drain() (Komerza said 429) nobody goes until every candidate phase has refilled', async () => {
    const limiter = komerza();
    await jest.advanceTimersByTimeAsync(500);
    limiter.drain();
    const granted = acquireMany(limiter, 1);
    await flush();
    expect(granted).toHaveLength(0);
    // Komerza's own next refill may be anywhere in the coming interval: the model waits for the latest.
    await jest.advanceTimersByTimeAsync(1999);
    expect(granted).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(1);
  });

  it("started 'used', it waits as after a full burst (a safe start when the past is unknown)", async () => {
    const limiter = createTokenBucket({ capacity: 12, refillAmount: 4, refillIntervalMs: 2000, start: 'used' });
    const granted = acquireMany(limiter, 1);
    await jest.advanceTimersByTimeAsync(firstRefill - 1);
    expect(granted).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(1);
  });

  it('holds no timer while nobody waits', async () => {
    const limiter = komerza();
    acquireMany(limiter, 3);
    await flush();
    expect(jest.getTimerCount()).toBe(0);
    acquireMany(limiter, 10);
    await flush();
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(firstRefill);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses a bucket that could never grant anything', () => {
    expect(() => createTokenBucket({ capacity: 0, refillAmount: 4, refillIntervalMs: 2000 })).toThrow(RangeError);
  });

  it('with a margin longer than the interval, still serves every waiter (waking again when woken early)', async () => {
    const limiter = createTokenBucket({ capacity: 2, refillAmount: 1, refillIntervalMs: 100, jitterMs: 250 });
    const granted = acquireMany(limiter, 6);
    await jest.advanceTimersByTimeAsync(5000);
    expect(granted).toHaveLength(6);
  });
});

describe('a request waiting for a token', () => {
  it('keeps the process alive on its own (before any server listens, e.g. during the start-up key check)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = [
      "import { createTokenBucket } from './src/komerza/rate-limit.ts';",
      'const bucket = createTokenBucket({ capacity: 1, refillAmount: 1, refillIntervalMs: 200 });',
      'bucket.drain();',
      'await bucket.acquire();',
      "console.log('acquired');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
    });
    // An unref'd refill timer would let Node exit 0 here without ever printing.
    expect(run.stdout).toContain('acquired');
  }, 20_000);
});
