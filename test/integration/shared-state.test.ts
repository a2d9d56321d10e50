import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { sleep } from '../support/async.js';
import { type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { MODES, type Mode, startTestApp, type TestApp } from '../support/harness.js';
import { deleteKeys, MACHINE_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { IDS } from '../support/sample-store.js';
import { button, buttons } from '../support/slack-payloads.js';

/**
 * Two app instances (A and B) sharing the machine's Redis under a key prefix of their own and one fake Komerza: what
 * a person does on one replica holds on the other (budget, cache, invalidation, picker pages), and what Redis holds
 * is what docs/shared-state.md §1 says, no more. Each app has its own fake Slack (and Socket Mode server), as two
 * replicas have their own connections.
 */

type Json = Record<string, unknown>;
const text = (value: unknown) => JSON.stringify(value);

/** What a key under the prefix holds, as text, whatever its type (the app uses strings and hashes only). */
interface Entry {
  key: string;
  type: string;
  value: string;
  /** PTTL: ms left, -1 without an expiry. */
  ttlMs: number;
}

async function scan(prefix: string): Promise<Entry[]> {
  const redis = new Redis(MACHINE_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const entries: Entry[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? ((await redis.get(key)) ?? '')
            : type === 'hash'
              ? JSON.stringify(await redis.hgetall(key))
              : `(unexpected type ${type})`;
        entries.push({ key: key.slice(prefix.length), type, value, ttlMs: await redis.pttl(key) });
      }
    } while (cursor !== '0');
    return entries;
  } finally {
    redis.disconnect();
  }
}

/** The budget windows are clock hours: keep a test that spends one hour's budget away from the hour's end. */
async function clearOfTheHourEnd(): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < 20_000) await sleep(left + 100);
}

/** Customers whose address holds a text no other data does, for a search that pages (25 a page). */
function addPagedCustomers(komerza: FakeKomerza, count: number): string[] {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `pagingsample${String(i).padStart(2, '0')}@example.com`;
    emails.push(email);
    komerza.data.customers.push({
      id: `5a5a5a5a-0000-4000-8000-${String(i).padStart(12, '0')}`,
      emailAddress: email,
      dateCreated: new Date().toISOString(),
      status: 'New',
      totalSpend: i,
      averageSpend: i,
      totalOrders: 1,
      tickets: [],
    });
  }
  return emails;
}

describe.each(MODES)('%s mode: two replicas sharing one Redis', (mode: Mode) => {
  let komerza: FakeKomerza | undefined;
  let apps: TestApp[] = [];
  let prefix = '';

  afterEach(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await komerza?.close();
    await deleteKeys(MACHINE_REDIS_URL, prefix);
    apps = [];
    komerza = undefined;
  });

  /** Replicas A and B on one fake Komerza and one Redis prefix, with the cache on (60 s, as shipped). */
  async function replicas(env: Record<string, string> = {}): Promise<[TestApp, TestApp]> {
    komerza = await startFakeKomerza();
    prefix = `${uniquePrefix('two-replicas')}:`;
    const shared = {
      REDIS_URL: MACHINE_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      KOMERZA_REPLICAS: '2',
      KOMERZA_CACHE_TTL_MS: '60000',
      ...env,
    };
    const a = await startTestApp({ mode, komerzaServer: komerza, env: shared });
    apps.push(a);
    const b = await startTestApp({ mode, komerzaServer: komerza, env: shared });
    apps.push(b);
    // Both listen for invalidations before anything happens (start() resolves once the main connection is up).
    await until(async () => (await subscribers(`${prefix}cache-invalidations`)) === 2);
    return [a, b];
  }

  /** `/customer <query>` on one replica, and its answer on that replica's response_url. */
  async function lookup(app: TestApp, query: string, userId?: string): Promise<Json> {
    const ack = await app.command(query, userId ? { userId } : {});
    expect(ack.status).toBe(200);
    if (ack.body !== '') return { ack: ack.body };
    return app.slack.waitForPost(ack.responseId);
  }

  async function click(app: TestApp, b: Json): Promise<Json> {
    const ack = await app.click(b, { surface: 'message' });
    expect(ack.status).toBe(200);
    return app.slack.waitForPost(ack.responseId);
  }

  it('a person’s budget spent on A is refused on B; another person still gets a card there', async () => {
    await clearOfTheHourEnd();
    const [a, b] = await replicas({ LOOKUPS_PER_USER_PER_MINUTE: '0', LOOKUPS_PER_USER_PER_HOUR: '2' });
    expect(text(await lookup(a, 'jane@example.com'))).toContain('jane@example.com');
    expect(text(await lookup(a, 'bob@example.org'))).toContain('bob@example.org');
    const calls = komerza?.calls.length;
    const refused = await lookup(b, 'quiet@example.net');
    expect(text(refused)).toContain('You have been shown 2 customers this hour');
    expect(text(refused)).not.toContain('quiet@example.net');
    // Refused before Komerza is asked.
    expect(komerza?.calls.length).toBe(calls);
    expect(text(await lookup(b, 'quiet@example.net', 'U0OTHER'))).toContain('quiet@example.net');
  });

  it('a customer read by A is not read from Komerza again by B; a Refresh on A is what B shows next', async () => {
    const [a, b] = await replicas();
    const fake = komerza as FakeKomerza;
    const card = await lookup(a, 'jane@example.com');
    expect(text(card)).toContain('$12,345.50');
    expect(fake.callsTo('/email')).toHaveLength(1);
    expect(fake.callsTo('/subscriptions')).toHaveLength(1);
    // A's read reaches Redis just after its card (it does not wait for Redis): wait for the key, not for a time.
    await until(async () => (await scan(prefix)).some((e) => e.key.startsWith('cache:email:')));
    expect(text(await lookup(b, 'jane@example.com'))).toContain('$12,345.50');
    expect(fake.callsTo('/email')).toHaveLength(1);
    expect(fake.callsTo('/subscriptions')).toHaveLength(1);
    expect(fake.callsTo(/^\/stores\/[^/]+$/)).toHaveLength(1);

    // B opens a customer from a picker (a read by id, cached), then A opens the same row.
    const alex = await lookup(b, 'alex');
    const openOnB = await click(b, button(alex, 'picker_open'));
    expect(text(openOnB)).toContain('$120.00');
    expect(fake.callsTo(`/customers/${IDS.alex1}`)).toHaveLength(1);
    await until(async () => (await scan(prefix)).some((e) => e.key.startsWith('cache:customer:')));
    // A opens the same row: read from Redis, not from Komerza.
    const openOnA = await click(a, button(await lookup(a, 'alex'), 'picker_open'));
    expect(text(openOnA)).toContain('$120.00');
    expect(fake.callsTo(`/customers/${IDS.alex1}`)).toHaveLength(1);

    // Her spend changes at Komerza; A's Refresh reads it and stores it.
    const customer = fake.data.customers.find((c) => c.id === IDS.alex1) as Json;
    customer.totalSpend = 777.77;
    const refreshed = await click(a, button(openOnA, 'card_refresh'));
    expect(text(refreshed)).toContain('$777.77');
    expect(fake.callsTo(`/customers/${IDS.alex1}`)).toHaveLength(2);
    // B had its own copy of the old value; the Refresh on A told it to drop it, and Redis holds the new one.
    const reopened = await click(b, button(await lookup(b, 'alex'), 'picker_open'));
    expect(text(reopened)).toContain('$777.77');
    expect(fake.callsTo(`/customers/${IDS.alex1}`)).toHaveLength(2);
  });

  it('a search on A pages with Next on B and back with Previous on A', async () => {
    const [a, b] = await replicas();
    const emails = addPagedCustomers(komerza as FakeKomerza, 30);
    const first = await lookup(a, 'pagingsample');
    expect(text(first)).toContain('page 1 of 2');
    const next = button(first, 'picker_page_next');
    expect(String(next.value)).not.toContain('pagingsample');
    const second = await click(b, next);
    expect(text(second)).toContain('page 2 of 2');
    expect(text(second)).toContain(emails[29]);
    expect(buttons(second).filter((x) => x.action_id === 'picker_open')).toHaveLength(5);
    const back = await click(a, button(second, 'picker_page_prev'));
    expect(text(back)).toContain('page 1 of 2');
  });

  it('KOMERZA_SHARED_CACHE=false keeps customers out of Redis: only store-wide keys, and B asks Komerza itself', async () => {
    const [a, b] = await replicas({ KOMERZA_SHARED_CACHE: 'false' });
    expect(text(await lookup(a, 'jane@example.com'))).toContain('jane@example.com');
    expect(text(await lookup(b, 'jane@example.com'))).toContain('jane@example.com');
    expect(komerza?.callsTo('/email')).toHaveLength(2);
    await Promise.all([a.settled(), b.settled()]);
    const entries = await scan(prefix);
    const kinds = new Set(entries.map((e) => e.key.replace(/:[^:]*$/, ':…')));
    expect([...kinds].filter((k) => k.startsWith('cache:') && k !== 'cache:products:…')).toEqual(['cache:store:…']);
    for (const entry of entries) {
      expect(entry.key).toMatch(
        /^(komerza-bucket|komerza-queue|budget:U0AGENT|cache:(store|products):[A-Za-z0-9_-]{43})$/,
      );
      expect(entry.value).not.toContain('jane@example.com');
      expect(entry.value).not.toContain(IDS.jane);
    }
  });

  it('nothing in Redis names an email, a customer id or a search text; customers’ data only under cache values', async () => {
    const [a, b] = await replicas();
    const fake = komerza as FakeKomerza;
    const listedOnly = addPagedCustomers(fake, 30);
    const emails = fake.data.customers.map((c) => c.emailAddress.toLowerCase());
    const ids = fake.data.customers.map((c) => c.id);
    const queries = ['jane@example.com', 'Bob@Example.org', 'pagingsample', 'alex'];
    await lookup(a, 'jane@example.com');
    await lookup(b, 'Bob@Example.org');
    const search = await lookup(a, 'pagingsample');
    await click(b, button(search, 'picker_page_next'));
    await click(b, button(await lookup(b, 'alex'), 'picker_open', 1));
    await Promise.all([a.settled(), b.settled()]);
    await until(async () => (await scan(prefix)).filter((e) => e.key.startsWith('cache:email:')).length === 2);

    const entries = await scan(prefix);
    expect(entries.every((e) => e.type === 'string' || e.type === 'hash')).toBe(true);
    const personal = /^cache:(customer|email|subscriptions|orders):/;
    for (const entry of entries) {
      // Key names: HMACs, never an email, a customer id or what was typed.
      for (const secret of [...emails, ...ids]) expect(entry.key.toLowerCase()).not.toContain(secret);
      for (const query of queries) expect(entry.key).not.toContain(query);
      // Values other than the cache's customer entries (bucket, queue, budget, store): no personal data at all.
      if (!personal.test(entry.key)) {
        for (const secret of [...emails, ...ids]) expect(entry.value.toLowerCase()).not.toContain(secret);
        for (const query of queries) expect(entry.value).not.toContain(query);
      }
      // A search text is nowhere, nor are the customers a search only listed (search results are not cached).
      expect(entry.value).not.toContain('pagingsample');
      for (const email of listedOnly) expect(entry.value).not.toContain(email);
    }
    // Customers' data is there, as docs/shared-state.md §1 says, for the cache's TTL (60 s here) at most.
    const cached = entries.filter((e) => personal.test(e.key));
    expect(new Set(cached.map((e) => e.key.split(':')[1]))).toEqual(
      new Set(['customer', 'email', 'subscriptions', 'orders']),
    );
    for (const entry of cached) {
      expect(entry.ttlMs).toBeGreaterThan(0);
      expect(entry.ttlMs).toBeLessThanOrEqual(60_000);
    }
  });
});

async function subscribers(channel: string): Promise<number> {
  const redis = new Redis(MACHINE_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    return Number(count);
  } finally {
    redis.disconnect();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for Redis');
    await sleep(20);
  }
}
