import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import { deriveKey, hashedKeyName } from '../../src/redis/keys.js';
import { createSharedCache, type SharedCache, type SharedCacheOptions } from '../../src/redis/shared-cache.js';
import { sleep } from '../support/async.js';
import { captureLogger, deleteKeys, freePort, MACHINE_REDIS_URL, uniquePrefix } from '../support/redis.js';

const prefix = `${uniquePrefix('cache')}:`;
const secret = deriveKey('kmz_test_key_0123456789', 'cache-keys');
const connections: RedisConnection[] = [];
const caches: SharedCache[] = [];
let inspect: Redis;

beforeAll(() => {
  inspect = new Redis(MACHINE_REDIS_URL);
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});
afterAll(async () => {
  await deleteKeys(MACHINE_REDIS_URL, prefix);
  inspect.disconnect();
});

/** One replica's cache, on a connection of its own. */
async function replica(extra: Partial<SharedCacheOptions> = {}, url = MACHINE_REDIS_URL): Promise<SharedCache> {
  const connection = createRedisConnection({ url, logger: captureLogger() });
  connections.push(connection);
  await connection.ready();
  const cache = createSharedCache({ connection, keyPrefix: prefix, keySecret: secret, ...extra });
  caches.push(cache);
  // Let the invalidation subscription settle.
  await sleep(50);
  return cache;
}

/** A loader that counts its calls and returns a new version each time. */
function loader(name: string) {
  const counter = {
    calls: 0,
    load: async () => {
      counter.calls++;
      await sleep(10);
      return { name, version: counter.calls };
    },
  };
  return counter;
}

/** Waits until `count` clients listen on this prefix's invalidation channel. */
async function waitForSubscribers(count: number): Promise<void> {
  const channel = `${prefix}cache-invalidations`;
  for (let waited = 0; ; waited += 20) {
    const [, listening] = (await inspect.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(listening) >= count) return;
    if (waited > 5000) throw new Error(`${listening} of ${count} subscribers after 5 s`);
    await sleep(20);
  }
}

async function keysUnder(): Promise<string[]> {
  return (await inspect.keys(`${prefix}*`)).sort();
}

describe('createSharedCache (two levels: this process, then Redis)', () => {
  it('a customer read by one replica is not read from Komerza again by another', async () => {
    const [a, b] = [await replica(), await replica()];
    const komerza = loader('jane');
    const ttl = { ttlMs: 60_000 };
    expect(await a.fetch('email:jane@example.com', komerza.load, ttl)).toEqual({ name: 'jane', version: 1 });
    await sleep(20);
    expect(await b.fetch('email:jane@example.com', komerza.load, ttl)).toEqual({ name: 'jane', version: 1 });
    expect(komerza.calls).toBe(1);
  });

  it('Refresh on one replica makes the others see the new data at once', async () => {
    const [a, b] = [await replica(), await replica()];
    const komerza = loader('ann');
    const ttl = { ttlMs: 60_000 };
    await a.fetch('customer:ann', komerza.load, ttl);
    // Both now hold version 1 in their first level.
    expect(await b.fetch('customer:ann', komerza.load, ttl)).toMatchObject({ version: 1 });
    expect(await a.fetch('customer:ann', komerza.load, { ...ttl, fresh: true })).toMatchObject({ version: 2 });
    await sleep(30);
    expect(await b.fetch('customer:ann', komerza.load, ttl)).toMatchObject({ version: 2 });
    expect(komerza.calls).toBe(2);
  });

  it('a lazy connection (as the app makes it) receives invalidations once connected', async () => {
    const lazy = async () => {
      const connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger: captureLogger(), lazy: true });
      connections.push(connection);
      // Made before connect(), as createApp does (no I/O until start()).
      const cache = createSharedCache({ connection, keyPrefix: prefix, keySecret: secret });
      caches.push(cache);
      connection.connect();
      await connection.ready();
      return { cache, connection };
    };
    const [a, b] = [await lazy(), await lazy()];
    await waitForSubscribers(2);
    const komerza = loader('lee');
    const ttl = { ttlMs: 60_000 };
    await a.cache.fetch('customer:lee', komerza.load, ttl);
    expect(await b.cache.fetch('customer:lee', komerza.load, ttl)).toMatchObject({ version: 1 });
    expect(await a.cache.fetch('customer:lee', komerza.load, { ...ttl, fresh: true })).toMatchObject({ version: 2 });
    await sleep(30);
    expect(await b.cache.fetch('customer:lee', komerza.load, ttl)).toMatchObject({ version: 2 });
    expect(komerza.calls).toBe(2);
  });

  it('shares one load among concurrent reads of a key within a process', async () => {
    const cache = await replica();
    const komerza = loader('bob');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => cache.fetch('customer:bob', komerza.load, { ttlMs: 60_000 })),
    );
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
    expect(komerza.calls).toBe(1);
  });

  it('keeps no email in key names, and personal data only for its TTL', async () => {
    const cache = await replica();
    await cache.fetch('email:carol@example.com', loader('carol').load, { ttlMs: 30_000 });
    await sleep(20);
    const keys = (await keysUnder()).filter((key) => key.includes(':cache:email:'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/@|carol|example/);
    const ttl = await inspect.pttl(keys[keys.length - 1] as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('KOMERZA_SHARED_CACHE=false: customer data stays out of Redis, the store is still shared', async () => {
    const onlyStore = (key: string) => key === 'store';
    const [a, b] = [await replica({ shareKey: onlyStore }), await replica({ shareKey: onlyStore })];
    const customer = loader('dave');
    const store = loader('store');
    await a.fetch('customer:dave', customer.load, { ttlMs: 60_000 });
    await a.fetch('store', store.load, { ttlMs: 60_000 });
    await sleep(20);
    await b.fetch('customer:dave', customer.load, { ttlMs: 60_000 });
    await b.fetch('store', store.load, { ttlMs: 60_000 });
    expect(customer.calls).toBe(2);
    expect(store.calls).toBe(1);
    expect(await inspect.exists(`${prefix}cache:customer:${hashedKeyName(secret, 'customer:dave')}`)).toBe(0);
    expect(await inspect.exists(`${prefix}cache:store:${hashedKeyName(secret, 'store')}`)).toBe(1);
  });

  it('Redis down: the first level alone, as the in-memory cache', async () => {
    const cache = await replica({}, `redis://127.0.0.1:${await freePort()}`);
    const komerza = loader('erin');
    await cache.fetch('customer:erin', komerza.load, { ttlMs: 60_000 });
    expect(await cache.fetch('customer:erin', komerza.load, { ttlMs: 60_000 })).toMatchObject({ version: 1 });
    expect(komerza.calls).toBe(1);
  });
});
