import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKomerzaClient, type KomerzaClientOptions, type RetryPolicy } from '../../src/komerza/client.js';
import { createTokenBucket, type RateLimiter } from '../../src/komerza/rate-limit.js';
import { FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { failure } from '../support/komerza-failure.js';
import { IDS, STORE_ID } from '../support/sample-store.js';

let fake: FakeKomerza;
beforeAll(async () => {
  fake = await startFakeKomerza();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.calls.length = 0;
});

/** A limiter that counts the tokens taken: every attempt, retries included, must take one. */
function countingLimiter(inner: RateLimiter): RateLimiter & { acquired: number; drained: number } {
  const counted = {
    acquired: 0,
    drained: 0,
    acquire: async () => {
      counted.acquired++;
      await inner.acquire();
    },
    status: () => inner.status(),
    drain: () => {
      counted.drained++;
      inner.drain();
    },
  };
  return counted;
}

function client(retry: RetryPolicy = {}, extra: Partial<KomerzaClientOptions> = {}) {
  return createKomerzaClient({
    baseUrl: `${fake.url}/`,
    apiKey: FAKE_API_KEY,
    storeId: STORE_ID,
    userAgent: 'test/1.0',
    timeoutMs: 1000,
    retry: { rateLimitBackoffMs: 20, serverErrorBackoffMs: 10, ...retry },
    ...extra,
  });
}

const customerPath = `/customers/${IDS.jane}`;
const rateLimited = (headers: Record<string, string> = {}) =>
  ({ kind: 'status', status: 429, body: { success: false, code: 'RateLimited', data: null }, headers }) as const;

describe('Komerza client retries (got retry options)', () => {
  it('waits for Retry-After after a 429, then succeeds', async () => {
    fake.addFault({ path: customerPath, fault: rateLimited({ 'retry-after': '1' }), times: 1 });
    const started = performance.now();
    const customer = await client().getCustomer(IDS.jane);
    expect(customer.emailAddress).toBe('jane@example.com');
    expect(fake.callsTo(customerPath)).toHaveLength(2);
    // Honoured: the retry came no sooner than the second Komerza asked for (minus timer slack).
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('backs off without Retry-After and gives up after `limit` retries with a rate_limited error', async () => {
    fake.addFault({ path: customerPath, fault: rateLimited() });
    const error = await failure(client({ limit: 3 }).getCustomer(IDS.jane));
    expect(error.kind).toBe('rate_limited');
    expect(fake.callsTo(customerPath)).toHaveLength(4);
  });

  it('recovers from 429s without Retry-After when Komerza has tokens again', async () => {
    fake.addFault({ path: customerPath, fault: rateLimited(), times: 2 });
    const customer = await client().getCustomer(IDS.jane);
    expect(customer.id).toBe(IDS.jane);
    expect(fake.callsTo(customerPath)).toHaveLength(3);
  });

  it('does not wait for a Retry-After longer than maxRetryAfter: fails at once, saying how long', async () => {
    fake.addFault({ path: customerPath, fault: rateLimited({ 'retry-after': '120' }) });
    const error = await failure(client({ maxRetryAfterMs: 5000 }).getCustomer(IDS.jane));
    expect(error.kind).toBe('rate_limited');
    expect(error.kind === 'rate_limited' && error.retryAfterSeconds).toBe(120);
    expect(fake.callsTo(customerPath)).toHaveLength(1);
  });

  it('takes a bucket token for every attempt, retries included, and drains the bucket on 429', async () => {
    const limiter = countingLimiter(
      createTokenBucket({ capacity: 5, refillAmount: 5, refillIntervalMs: 50, jitterMs: 10, phaseStepMs: 10 }),
    );
    fake.addFault({ path: customerPath, fault: rateLimited(), times: 2 });
    await client({}, { rateLimiter: limiter }).getCustomer(IDS.jane);
    expect(fake.callsTo(customerPath)).toHaveLength(3);
    expect(limiter.acquired).toBe(3);
    expect(limiter.drained).toBe(2);
  });

  it('retries a 5xx once only', async () => {
    fake.addFault({ path: customerPath, fault: { kind: 'status', status: 503, text: 'busy' } });
    const error = await failure(client().getCustomer(IDS.jane));
    expect(error.kind === 'unavailable' && error.reason).toBe('server_error');
    expect(fake.callsTo(customerPath)).toHaveLength(2);
  });

  it('gets past a single 5xx', async () => {
    fake.addFault({ path: customerPath, fault: { kind: 'status', status: 502, text: 'bad gateway' }, times: 1 });
    const customer = await client().getCustomer(IDS.jane);
    expect(customer.id).toBe(IDS.jane);
  });

  it('retries a timeout once only', async () => {
    fake.addFault({ path: customerPath, fault: { kind: 'hang' } });
    const error = await failure(client({}, { timeoutMs: 150 }).getCustomer(IDS.jane));
    expect(error.kind === 'unavailable' && error.reason).toBe('timeout');
    expect(fake.callsTo(customerPath)).toHaveLength(2);
  });

  it('does not retry answers that will not change (404, 403)', async () => {
    const missing = await failure(client().getCustomer('00000000-0000-4000-8000-000000000000'));
    expect(missing.kind).toBe('not_found');
    expect(fake.calls).toHaveLength(1);
    fake.addFault({
      path: customerPath,
      fault: { kind: 'status', status: 403, body: { success: false, code: 'AccessDenied', data: null } },
    });
    const forbidden = await failure(client().getCustomer(IDS.jane));
    expect(forbidden.kind).toBe('forbidden');
    expect(fake.callsTo(customerPath)).toHaveLength(1);
  });

  it('answers "rate limited" at once when the queue is longer than maxQueueWaitMs', async () => {
    const limiter = createTokenBucket({ capacity: 1, refillAmount: 1, refillIntervalMs: 60_000 });
    const api = client({ maxQueueWaitMs: 1000 }, { rateLimiter: limiter });
    await api.getCustomer(IDS.jane);
    const error = await failure(api.getCustomer(IDS.jane));
    expect(error.kind).toBe('rate_limited');
    expect(fake.callsTo(customerPath)).toHaveLength(1);
  });
});
