import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKomerzaClient } from '../../src/komerza/client.js';
import { currentLookupPriority, runAsLookup, runWithLookupPriority } from '../../src/komerza/lookup-priority.js';
import { createTokenBucket } from '../../src/komerza/rate-limit.js';
import { FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { IDS, STORE_ID } from '../support/sample-store.js';

let fake: FakeKomerza;
beforeAll(async () => {
  fake = await startFakeKomerza({ latencyMs: 5 });
});
afterAll(async () => {
  await fake.close();
});

describe('lookup priority', () => {
  it('follows a lookup through awaits and timers, and not outside it', async () => {
    expect(currentLookupPriority()).toBeUndefined();
    const seen = await runWithLookupPriority(42, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentLookupPriority();
    });
    expect(seen).toBe(42);
    expect(currentLookupPriority()).toBeUndefined();
  });

  it("a burst of lookups through the client: each started lookup's second call goes before later lookups' first", async () => {
    // A bucket of 2, +1 every 100 ms: the burst of 8 lookups × 2 calls queues for about a second.
    const rateLimiter = createTokenBucket({ capacity: 2, refillAmount: 1, refillIntervalMs: 100, jitterMs: 10 });
    const api = createKomerzaClient({
      baseUrl: `${fake.url}/`,
      apiKey: FAKE_API_KEY,
      storeId: STORE_ID,
      userAgent: 'test/1.0',
      rateLimiter,
    });
    fake.calls.length = 0;
    const lookups = Array.from({ length: 8 }, (_, i) =>
      runAsLookup(async () => {
        // A lookup in two sequential calls, as an email lookup makes (customer, then subscriptions).
        await api.getCustomer(IDS.jane);
        await api.listSubscriptions({ email: `lookup${i}@example.com` });
      }),
    );
    // Started one after another, as Slack delivers a burst of commands.
    await Promise.all(lookups);
    // Which lookup each call at Komerza belonged to, in arrival order: first calls are "c", second calls "s<i>".
    const order = fake.calls.map((call) =>
      call.path.endsWith('/subscriptions') ? `s${call.query.get('email')?.slice(6, 7)}` : 'c',
    );
    const firstSecond = order.indexOf('s0');
    // Lookup 0's second call arrives before most lookups' first calls (first come first served: after all 8).
    expect(order.slice(0, firstSecond).filter((call) => call === 'c').length).toBeLessThanOrEqual(3);
    for (let i = 0; i < 6; i++) {
      const second = order.indexOf(`s${i}`);
      const firstsBefore = order.slice(0, second).filter((call) => call === 'c').length;
      expect(firstsBefore).toBeLessThanOrEqual(i + 3);
    }
  });
});
