import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMemoryBudget, createRedisBudget, type LookupBudget } from '../../src/access/budget.js';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
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

/** 10:00:30 on some day: 30 s into a minute, 30 s into an hour. */
const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);

describe('createMemoryBudget', () => {
  it('grants up to what is left across both windows, and says which one limits and when it resets', async () => {
    let now = T0;
    const budget = createMemoryBudget({ perMinute: 30, perHour: 100, now: () => now });
    expect(await budget.take('U1', 25)).toEqual({
      granted: 25,
      remaining: { minute: 5, hour: 75 },
      window: 'minute',
      resetsInMs: 30_000,
    });
    // Asked for 25 again: only 5 are left this minute.
    expect(await budget.take('U1', 25)).toMatchObject({
      granted: 5,
      remaining: { minute: 0, hour: 70 },
      window: 'minute',
    });
    expect(await budget.take('U1', 1)).toMatchObject({ granted: 0, resetsInMs: 30_000 });
    // Another person has a budget of their own.
    expect(await budget.take('U2', 1)).toMatchObject({ granted: 1 });
    // The next clock minute: the minute's points are back, the hour's are not.
    now = T0 + 30_000;
    expect(await budget.peek('U1')).toEqual({
      remaining: { minute: 30, hour: 70 },
      window: 'minute',
      resetsInMs: 60_000,
    });
    for (let minute = 1; minute <= 3; minute++) {
      now = T0 + 30_000 + minute * 60_000;
      await budget.take('U1', 30);
    }
    // 100 points this hour: the hour is spent, and its reset (not the minute's) is what the person is told.
    now = T0 + 30_000 + 4 * 60_000 + 10_000;
    expect(await budget.take('U1', 5)).toEqual({
      granted: 0,
      remaining: { minute: 30, hour: 0 },
      window: 'hour',
      // Now 10:05:10: the hour resets at 11:00.
      resetsInMs: 3_600_000 - 5 * 60_000 - 10_000,
    });
  });

  it('0 means unlimited for that window', async () => {
    const budget = createMemoryBudget({ perMinute: 0, perHour: 50, now: () => T0 });
    expect(await budget.take('U1', 40)).toMatchObject({
      granted: 40,
      remaining: { minute: Number.POSITIVE_INFINITY, hour: 10 },
      window: 'hour',
    });
    const none = createMemoryBudget({ perMinute: 0, perHour: 0, now: () => T0 });
    expect(await none.take('U1', 1_000)).toMatchObject({ granted: 1_000 });
  });
});

describe('createRedisBudget', () => {
  const prefix = `${uniquePrefix('budget')}:`;
  let connection: RedisConnection;
  beforeAll(async () => {
    connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger: captureLogger() });
    await connection.ready();
  });
  afterAll(async () => {
    await deleteKeys(MACHINE_REDIS_URL, prefix);
    await connection.close();
  });

  it('is one budget for every replica: concurrent takes never grant more than the limit', async () => {
    const replicas: LookupBudget[] = [1, 2, 3].map(() =>
      createRedisBudget({ connection, keyPrefix: prefix, perMinute: 1_000, perHour: 40 }),
    );
    const grants = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (replicas[i % 3] as LookupBudget).take('UCONCURRENT', 3)),
    );
    const granted = grants.map((grant) => grant.granted);
    expect(granted.reduce((sum, n) => sum + n, 0)).toBe(40);
    // One partial grant (40 = 13 × 3 + 1), the rest all or nothing.
    expect(granted.filter((n) => n === 1)).toHaveLength(1);
    const peek = await (replicas[0] as LookupBudget).peek('UCONCURRENT');
    expect(peek.remaining.hour).toBe(0);
    expect(peek.window).toBe('hour');
    expect(peek.resetsInMs).toBeGreaterThan(0);
    expect(peek.resetsInMs).toBeLessThanOrEqual(3_600_000);
  });

  it('keys hold the Slack user id only, and expire when the hour ends', async () => {
    const budget = createRedisBudget({ connection, keyPrefix: prefix, perMinute: 10, perHour: 100 });
    await budget.take('UKEYS', 2);
    expect(await connection.client.hgetall(`${prefix}budget:UKEYS`)).toMatchObject({ mu: '2', hu: '2' });
    const ttl = await connection.client.pttl(`${prefix}budget:UKEYS`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('Redis down: counts in memory on this replica, at once', async () => {
    const logger = captureLogger();
    const down = createRedisConnection({ url: `redis://127.0.0.1:${await freePort()}`, logger });
    await down.ready();
    const budget = createRedisBudget({ connection: down, keyPrefix: prefix, perMinute: 5, perHour: 100 });
    expect(await budget.take('U1', 4)).toMatchObject({ granted: 4 });
    expect(await budget.take('U1', 4)).toMatchObject({ granted: 1, window: 'minute' });
    expect(logger.count('warn')).toBe(1);
    await down.close();
  });

  describe('with a Redis of its own', () => {
    let child: RedisChild;
    beforeAll(async () => {
      child = await startRedisChild();
    });
    afterAll(async () => {
      await child.stop();
    });

    it('a hung Redis (SIGSTOP) holds take() no longer than the command timeout', async () => {
      const own = createRedisConnection({ url: child.url, logger: captureLogger(), commandTimeoutMs: 150 });
      await own.ready();
      const budget = createRedisBudget({ connection: own, keyPrefix: prefix, perMinute: 5, perHour: 100 });
      expect(await budget.take('U1', 1)).toMatchObject({ granted: 1 });
      child.freeze();
      try {
        const started = performance.now();
        expect(await budget.take('U1', 1)).toMatchObject({ granted: 1 });
        expect(performance.now() - started).toBeLessThan(250 + SCHEDULING_SLACK_MS);
        const next = performance.now();
        await budget.take('U1', 1);
        expect(performance.now() - next).toBeLessThan(20 + SCHEDULING_SLACK_MS);
      } finally {
        child.thaw();
        await own.close();
      }
    });
  });
});
