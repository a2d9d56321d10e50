import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKomerzaClient, type KomerzaApi } from '../../src/komerza/client.js';
import { loadProfile, startEarlyLoads } from '../../src/lookup/profile.js';
import { deferred, waitFor } from '../support/async.js';
import { ALL_SCOPES, FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { IDS, STORE_ID } from '../support/sample-store.js';

/** The card's data over HTTP, against the fake in each of Komerza's documented shapes and failures. */

let fake: FakeKomerza;
let api: KomerzaApi;
beforeAll(async () => {
  fake = await startFakeKomerza();
  api = createKomerzaClient({ baseUrl: fake.url, apiKey: FAKE_API_KEY, storeId: STORE_ID, userAgent: 'test/1' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  fake.options.scopes = ALL_SCOPES;
  fake.options.honourSorts = true;
  fake.clearFaults();
});

const customer = (id: string) => api.getCustomer(id);
const called = (path: string | RegExp) => fake.callsTo(path).length;

describe('loadProfile: subscriptions', () => {
  it('reads them from the list route, only the customer’s own, with their state', async () => {
    const profile = await loadProfile(api, await customer(IDS.bob));
    expect(profile.store).toMatchObject({ kind: 'loaded', store: { currencyCode: 'USD' } });
    if (profile.subscriptions.kind !== 'loaded') throw new Error('expected subscriptions');
    expect(profile.subscriptions.items.map((s) => s.product).sort()).toEqual([
      'Add-on storage',
      'Pro plan',
      'Support plan',
    ]);
    expect(profile.subscriptions.items.find((s) => s.product === 'Pro plan')).toMatchObject({
      komerzaStatus: 0,
      autoRenew: true,
      price: 19,
      currency: 'USD',
      intervalDays: 30,
      failedPayments: 0,
    });
    expect(fake.callsTo('/subscriptions')[0]?.query.get('email')).toBe('bob@example.org');
    // Every product came with its name: no product list was read.
    expect(called('/products/all')).toBe(0);
    expect(profile.productNames).toEqual({ kind: 'not_needed' });
  });

  it('keeps the failed payments and the next retry of a renewal that keeps failing', async () => {
    const profile = await loadProfile(api, await customer(IDS.riley));
    if (profile.subscriptions.kind !== 'loaded') throw new Error('expected subscriptions');
    expect(profile.subscriptions.items.find((s) => s.product === 'Team plan')).toMatchObject({
      variant: '5 seats',
      failedPayments: 2,
      lastFailedPaymentAt: expect.any(String),
      nextRetryAt: expect.any(String),
      autoRenew: true,
    });
  });

  it('names embedded subscriptions (the documented shape) from the product list, read once, in parallel', async () => {
    const dana = await customer(IDS.dana);
    fake.calls.length = 0;
    const gate = deferred();
    fake.addFault({ fault: { kind: 'wait', until: gate.promise } });
    const loading = loadProfile(api, dana);
    // Store, subscriptions, orders and products are all asked for before any of them has answered.
    await waitFor(() => (fake.calls.length >= 4 ? true : undefined), 5000, 'four parallel reads');
    expect(fake.calls.map((c) => c.path.replace(`/stores/${STORE_ID}`, '') || '/').sort()).toEqual([
      '/',
      '/orders',
      '/products/all',
      '/subscriptions',
    ]);
    gate.resolve();
    const profile = await loading;
    expect(profile.subscriptions).toMatchObject({ kind: 'loaded', more: false });
    if (profile.subscriptions.kind !== 'loaded') throw new Error('expected subscriptions');
    expect(profile.subscriptions.items.map((s) => s.product).sort()).toEqual(['Community access', 'Starter kit']);
    expect(profile.productNames).toEqual({ kind: 'loaded' });
    expect(called('/products/all')).toBe(1);
  });

  it('merges the list into embedded subscriptions: a listed one replaces its embedded copy', async () => {
    const bob = await customer(IDS.bob);
    const embedded = {
      ...bob,
      subscriptions: [
        { id: 'd0000000-0000-4000-8000-000000000001', productId: 'x', expirationDate: '2030-01-01T00:00:00' },
        { id: 'e-only', productId: '9f000000-0000-4000-8000-000000000007', expirationDate: '2030-01-01T00:00:00' },
      ],
    };
    const profile = await loadProfile(api, embedded);
    if (profile.subscriptions.kind !== 'loaded') throw new Error('expected subscriptions');
    expect(profile.subscriptions.items).toHaveLength(4);
    expect(profile.subscriptions.items.find((s) => s.id === 'd0000000-0000-4000-8000-000000000001')?.product).toBe(
      'Pro plan',
    );
    expect(profile.subscriptions.items.find((s) => s.id === 'e-only')?.product).toBe('Community access');
  });

  it('a 404 from /subscriptions is "unavailable", not "none"; embedded ones are still shown', async () => {
    fake.addFault({
      path: '/subscriptions',
      fault: { kind: 'status', status: 404, body: { success: false, code: 'NotFound', message: 'x', data: null } },
    });
    expect((await loadProfile(api, await customer(IDS.bob))).subscriptions).toEqual({ kind: 'unavailable' });
    const dana = await loadProfile(api, await customer(IDS.dana));
    expect(dana.subscriptions).toMatchObject({ kind: 'loaded', items: [{}, {}] });
  });

  it('says so when Komerza has more pages than the app read', async () => {
    for (let i = 0; i < 55; i++) {
      fake.data.subscriptions.push({
        id: `d1000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        customerId: IDS.quiet,
        customerEmail: 'quiet@example.net',
        productName: `Plan ${i}`,
      });
    }
    try {
      const profile = await loadProfile(api, await customer(IDS.quiet));
      expect(profile.subscriptions).toMatchObject({ kind: 'loaded', more: true });
      if (profile.subscriptions.kind === 'loaded') expect(profile.subscriptions.items).toHaveLength(50);
    } finally {
      fake.data.subscriptions = fake.data.subscriptions.filter((s) => s.customerId !== IDS.quiet);
    }
  });

  it('says which scope would show them when the key lacks it', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.subscriptions.view');
    expect((await loadProfile(api, await customer(IDS.bob))).subscriptions).toEqual({
      kind: 'forbidden',
      scope: 'stores.subscriptions.view',
    });
  });

  it('says when the store’s plan does not include them (a 403 that is not about a scope)', async () => {
    fake.addFault({
      path: '/subscriptions',
      fault: {
        kind: 'status',
        status: 403,
        body: { success: false, code: 'UpgradeRequired', message: 'x', data: null },
      },
    });
    expect((await loadProfile(api, await customer(IDS.bob))).subscriptions).toEqual({
      kind: 'failed',
      error: 'feature_unavailable',
      code: 'UpgradeRequired',
    });
  });
});

describe('loadProfile: recent orders', () => {
  it('keeps only the customer’s own orders (the filter is "contains"), newest first, and counts the rest', async () => {
    const profile = await loadProfile(api, await customer(IDS.riley));
    expect(profile.orders).toMatchObject({ kind: 'loaded', more: 2, morePages: false });
    if (profile.orders.kind !== 'loaded') throw new Error('expected orders');
    expect(profile.orders.items).toHaveLength(5);
    expect(profile.orders.items.map((o) => o.status)).toEqual([
      'Pending',
      'Delivered',
      'Refunded',
      'Delivered',
      'Delivered',
    ]);
    expect(profile.orders.items[0]).toMatchObject({
      amount: 29,
      currency: 'USD',
      items: [{ product: 'Team plan', quantity: 1 }],
    });
    expect(JSON.stringify(profile.orders)).not.toContain('ffee1234');
    expect(fake.callsTo(/\/orders$/)[0]?.query.get('email')).toBe('riley@example.com');
  });

  it('sorts them itself when Komerza ignores Sorts', async () => {
    fake.options.honourSorts = false;
    const profile = await loadProfile(api, await customer(IDS.riley), undefined, { recentOrders: 3 });
    if (profile.orders.kind !== 'loaded') throw new Error('expected orders');
    const times = profile.orders.items.map((o) => Date.parse(o.createdAt ?? ''));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(profile.orders).toMatchObject({ more: 4 });
  });

  it('says when Komerza has more pages of orders', async () => {
    for (let i = 0; i < 30; i++) {
      fake.data.orders.push({
        ...structuredClone(fake.data.orders[0] as (typeof fake.data.orders)[number]),
        id: `0d000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        customer: { id: 'x', customerId: IDS.quiet, emailAddress: 'quiet@example.net' },
      });
    }
    try {
      expect((await loadProfile(api, await customer(IDS.quiet))).orders).toMatchObject({
        kind: 'loaded',
        more: 20,
        morePages: true,
      });
    } finally {
      fake.data.orders = fake.data.orders.filter((o) => o.customer.customerId !== IDS.quiet);
    }
  });

  it('reads none when the card shows none', async () => {
    const profile = await loadProfile(api, await customer(IDS.riley), undefined, { recentOrders: 0 });
    expect(profile.orders).toEqual({ kind: 'off' });
    expect(called(/\/orders$/)).toBe(0);
  });

  it('says why they are missing: scope, a missing route, the store’s plan', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.orders.view');
    expect((await loadProfile(api, await customer(IDS.riley))).orders).toEqual({
      kind: 'forbidden',
      scope: 'stores.orders.view',
    });
    fake.options.scopes = ALL_SCOPES;
    fake.addFault({ path: /\/orders$/, times: 1, fault: { kind: 'status', status: 404, text: '<html>404</html>' } });
    expect((await loadProfile(api, await customer(IDS.riley))).orders).toEqual({ kind: 'unavailable' });
    fake.addFault({
      path: /\/orders$/,
      times: 1,
      fault: { kind: 'status', status: 403, body: { success: false, code: 'FeatureUnavailable', data: null } },
    });
    expect((await loadProfile(api, await customer(IDS.riley))).orders).toMatchObject({
      kind: 'failed',
      error: 'feature_unavailable',
      code: 'FeatureUnavailable',
    });
  });

  it('carries the looked-up order: delivery, refund (reason in words) and chargeback', async () => {
    const order = await api.getOrder(IDS.rileyRefundedOrder);
    const profile = await loadProfile(api, await customer(IDS.riley), undefined, { order });
    expect(profile.order).toMatchObject({
      id: IDS.rileyRefundedOrder,
      status: 'Refunded',
      deliveredItems: 1,
      refund: { amount: 190, reason: 'requested by the customer' },
      chargeback: { status: 'UnderReview', reason: 'Fraudulent' },
      items: [{ product: 'Pro plan' }],
    });
  });
});

describe('startEarlyLoads', () => {
  it('asks for the store, subscriptions and orders of an email before the customer is known', async () => {
    const early = startEarlyLoads(api, 'riley@example.com');
    await Promise.all([early.store, early.subscriptions, early.orders]);
    expect(fake.calls.map((c) => c.path.replace(`/stores/${STORE_ID}`, '') || '/').sort()).toEqual([
      '/',
      '/orders',
      '/subscriptions',
    ]);
    fake.calls.length = 0;
    const profile = await loadProfile(api, await customer(IDS.riley), early);
    // The early reads were used: only the customer itself was read again.
    expect(fake.calls.map((c) => c.path)).toEqual([`/stores/${STORE_ID}/customers/${IDS.riley}`]);
    expect(profile.orders).toMatchObject({ kind: 'loaded' });
  });
});
