import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import { createMemoryWriteGuard, createRedisWriteGuard, type WriteGuard } from '../../src/tickets/write-guard.js';
import { sleep } from '../support/async.js';
import {
  captureLogger,
  deleteKeys,
  freePort,
  MACHINE_REDIS_URL,
  startRedisChild,
  uniquePrefix,
} from '../support/redis.js';

const prefix = `${uniquePrefix('writes')}:`;
const connections: RedisConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});
afterAll(async () => {
  await deleteKeys(MACHINE_REDIS_URL, prefix);
});

async function redisGuard(url = MACHINE_REDIS_URL): Promise<WriteGuard> {
  const connection = createRedisConnection({ url, logger: captureLogger() });
  connections.push(connection);
  await connection.ready();
  return createRedisWriteGuard(connection, prefix);
}

describe.each([
  ['in memory (one replica)', async () => [createMemoryWriteGuard()] as const],
  ['in Redis (two replicas)', async () => [await redisGuard(), await redisGuard()] as const],
])('the write guard %s', (_name, make) => {
  it('lets one claim of a key through, refuses the rest (from any replica), and frees a released key', async () => {
    const guards = await make();
    const key = `reply:${Math.random()}`;
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (guards[i % guards.length] as WriteGuard).claim(key, 60_000)),
    );
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c === 'taken')).toHaveLength(9);
    await (guards.at(-1) as WriteGuard).release(key);
    expect(await (guards[0] as WriteGuard).claim(key, 60_000)).toBe('claimed');
  });

  it('forgets a claim once its time is up', async () => {
    const [guard] = await make();
    const key = `close:${Math.random()}`;
    expect(await guard.claim(key, 50)).toBe('claimed');
    expect(await guard.claim(key, 50)).toBe('taken');
    await sleep(120);
    expect(await guard.claim(key, 50)).toBe('claimed');
  });
});

describe('the Redis write guard when Redis is away', () => {
  it('says unavailable (so nothing is sent) rather than claiming alone, and works again once Redis is back', async () => {
    const child = await startRedisChild();
    try {
      const guard = await redisGuard(child.url);
      expect(await guard.claim('reply:a', 60_000)).toBe('claimed');
      await child.stop();
      await sleep(100);
      expect(await guard.claim('reply:b', 60_000)).toBe('unavailable');
      await child.restart();
      const back = Date.now() + 10_000;
      let claim = await guard.claim('reply:b', 60_000);
      while (claim === 'unavailable' && Date.now() < back) {
        await sleep(100);
        claim = await guard.claim('reply:b', 60_000);
      }
      expect(claim).toBe('claimed');
    } finally {
      await child.stop();
    }
  });

  it('a frozen Redis (no answer within the command timeout): unavailable, never a claim it cannot vouch for', async () => {
    const child = await startRedisChild();
    try {
      const guard = await redisGuard(child.url);
      child.freeze();
      expect(await guard.claim('reply:d', 60_000)).toBe('unavailable');
    } finally {
      child.thaw();
      await child.stop();
    }
  });

  it('a Redis that never answered: unavailable', async () => {
    const guard = await redisGuard(`redis://127.0.0.1:${await freePort()}`);
    expect(await guard.claim('reply:c', 60_000)).toBe('unavailable');
  });
});
