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

/** Waits until `count` clients listen on one of this prefix's channels. */
async function waitForSubscribers(count: number, name = 'cache-invalidations'): Promise<void> {
  const channel = `${prefix}${name}`;
  for (let waited = 0; ; waited += 20) {
    const [, listening] = (await inspect.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(listening) >= count) return;
    if (waited > 5000) throw new Error(`${listening} of ${count} subscribers after 5 s`);
    await sleep(20);
  }
}

/** Waits until some replica holds a claim to load a key of that kind. */
async function claimed(kind: string): Promise<void> {
  for (let waited = 0; ; waited += 10) {
    if ((await keysUnder()).some((key) => key.includes(`:cache-loading:${kind}:`))) return;
    if (waited > 5000) throw new Error(`no claim on a ${kind} key after 5 s`);
    await sleep(10);
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

  it('concurrent reads of one key on three replicas cost one load: the others wait for its value', async () => {
    const replicas = [await replica(), await replica(), await replica()];
    await waitForSubscribers(3, 'cache-filled');
    let calls = 0;
    const slowLoad = async () => {
      calls++;
      await sleep(150);
      return { name: 'fay', version: calls };
    };
    const ttl = { ttlMs: 60_000 };
    const results = await Promise.all(
      replicas.flatMap((cache) => [
        cache.fetch('email:fay@example.com', slowLoad, ttl),
        cache.fetch('email:fay@example.com', slowLoad, ttl),
      ]),
    );
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
    // The claim is gone once the value is stored.
    expect((await keysUnder()).filter((key) => key.includes(':cache-loading:'))).toEqual([]);
  });

  it('a replica that dies while loading holds the others only until its claim lapses; then one of them loads', async () => {
    const claimTtlMs = 300;
    const dying = await replica({ claimTtlMs });
    const [b, c] = [await replica({ claimTtlMs }), await replica({ claimTtlMs })];
    const never = new Promise<{ name: string; version: number }>(() => undefined);
    void dying.fetch('customer:gus', () => never, { ttlMs: 60_000 });
    await claimed('customer');
    // The replica is gone: no more renewals (its connection closes as a killed process's would).
    connections[0]?.client.disconnect();
    const komerza = loader('gus');
    const results = await Promise.all([
      b.fetch('customer:gus', komerza.load, { ttlMs: 60_000 }),
      c.fetch('customer:gus', komerza.load, { ttlMs: 60_000 }),
    ]);
    expect(results).toEqual([
      { name: 'gus', version: 1 },
      { name: 'gus', version: 1 },
    ]);
    expect(komerza.calls).toBe(1);
  });

  it('a failed load is not shared: its error reaches its caller, and a waiting replica loads itself', async () => {
    const [a, b] = [await replica(), await replica()];
    await waitForSubscribers(2, 'cache-filled');
    const failing = a.fetch(
      'subscriptions:hal@example.com:1:',
      async () => {
        await sleep(100);
        throw new Error('Komerza said no');
      },
      { ttlMs: 60_000 },
    );
    await claimed('subscriptions');
    const komerza = loader('hal');
    const waiting = b.fetch('subscriptions:hal@example.com:1:', komerza.load, { ttlMs: 60_000 });
    await expect(failing).rejects.toThrow('Komerza said no');
    expect(await waiting).toEqual({ name: 'hal', version: 1 });
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
