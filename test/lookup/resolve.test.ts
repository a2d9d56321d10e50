import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKomerzaClient, type KomerzaApi } from '../../src/komerza/client.js';
import { parseQuery } from '../../src/lookup/parse.js';
import { resolveCustomer, resolveSearch } from '../../src/lookup/resolve.js';
import { ALL_SCOPES, FAKE_API_KEY, type FakeKomerza, problemBody, startFakeKomerza } from '../support/fake-komerza.js';
import { IDS, STORE_ID } from '../support/sample-store.js';

let fake: FakeKomerza;
let api: KomerzaApi;
beforeAll(async () => {
  fake = await startFakeKomerza();
  api = createKomerzaClient({ baseUrl: fake.url, apiKey: FAKE_API_KEY, storeId: STORE_ID, userAgent: 'test/1' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  fake.options.emailRoute = 'present';
  fake.options.scopes = ALL_SCOPES;
  fake.clearFaults();
});

const paths = () => fake.calls.map((call) => call.path.replace(`/stores/${STORE_ID}`, ''));

describe('resolveCustomer', () => {
  it('finds an email with the exact-email route, in one call', async () => {
    const result = await resolveCustomer(api, parseQuery('JANE@example.com'));
    expect(result).toMatchObject({ kind: 'customer', via: 'email', customer: { id: IDS.jane } });
    expect(paths()).toEqual(['/customers/JANE@example.com/email']);
  });

  it('falls back to the email filter when the route is missing, keeping only the exact match', async () => {
    fake.options.emailRoute = 'missing';
    // "ne@example.com" is contained in jane@example.com: the filter matches it, the exact check must not.
    expect(await resolveCustomer(api, parseQuery('ne@example.com'))).toMatchObject({ kind: 'not_found' });
    const result = await resolveCustomer(api, parseQuery('jane@EXAMPLE.com'));
    expect(result).toMatchObject({ kind: 'customer', customer: { id: IDS.jane } });
    expect(paths().slice(-3)).toEqual(['/customers/jane@EXAMPLE.com/email', '/customers', `/customers/${IDS.jane}`]);
  });

  it('falls back to the email filter when the route answers `200` with `data: null` (not found)', async () => {
    fake.options.emailRoute = 'data_null';
    const result = await resolveCustomer(api, parseQuery('jane@example.com'));
    // jane exists: the route finds her. An address the route does not know falls back to the filter.
    expect(result).toMatchObject({ kind: 'customer', customer: { id: IDS.jane } });
    fake.calls.length = 0;
    expect(await resolveCustomer(api, parseQuery('ne@example.com'))).toMatchObject({ kind: 'not_found' });
    expect(paths()).toEqual(['/customers/ne@example.com/email', '/customers']);
  });

  it('falls back to the email filter when the route answers an ASP.NET problem 404 (no envelope)', async () => {
    fake.addFault({
      path: '/email',
      fault: {
        kind: 'status',
        status: 404,
        body: problemBody(404, {}),
        contentType: 'application/problem+json',
      },
    });
    const result = await resolveCustomer(api, parseQuery('bob@example.org'));
    expect(result).toMatchObject({ kind: 'customer', customer: { id: IDS.bob } });
    expect(paths()).toEqual(['/customers/bob@example.org/email', '/customers', `/customers/${IDS.bob}`]);
  });

  it('resolves a UUID as a customer id first', async () => {
    expect(await resolveCustomer(api, parseQuery(IDS.bob))).toMatchObject({ kind: 'customer', via: 'id' });
    expect(paths()).toEqual([`/customers/${IDS.bob}`]);
  });

  it('then as an order id, and returns the order’s customer with the order', async () => {
    const result = await resolveCustomer(api, parseQuery(IDS.janeOrder));
    expect(result).toMatchObject({ kind: 'customer', via: 'order', customer: { id: IDS.jane } });
    expect(result).toMatchObject({ order: { id: IDS.janeOrder, status: 'Delivered' } });
    expect(paths()).toEqual([`/customers/${IDS.janeOrder}`, `/orders/${IDS.janeOrder}`, `/customers/${IDS.jane}`]);
  });

  it('finds an order’s customer by the order’s customer.emailAddress when no id matches (orders carry no customerEmail)', async () => {
    const order = fake.data.orders.find((o) => o.id === IDS.rileyRefundedOrder);
    if (!order) throw new Error('fixture');
    const saved = structuredClone(order);
    Object.assign(order, {
      realCustomerId: '00000000-0000-4000-8000-0000000000aa',
      customer: {
        ...order.customer,
        id: '00000000-0000-4000-8000-0000000000ab',
        customerId: '00000000-0000-4000-8000-0000000000ac',
      },
    });
    try {
      expect('customerEmail' in order).toBe(false);
      const result = await resolveCustomer(api, parseQuery(IDS.rileyRefundedOrder));
      expect(result).toMatchObject({ kind: 'customer', via: 'order', customer: { id: IDS.riley } });
      expect(paths()).toContain('/customers/riley@example.com/email');
    } finally {
      Object.assign(order, saved);
    }
  });

  it('says when an unknown id could not be checked as an order for lack of scope', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.orders.view');
    const result = await resolveCustomer(api, parseQuery('00000000-0000-4000-8000-00000000dead'));
    expect(result).toMatchObject({ kind: 'not_found', note: { skipped: 'orders', scope: 'stores.orders.view' } });
  });

  it('opens the card of a single search hit and lists several', async () => {
    expect(await resolveCustomer(api, parseQuery('quiet'))).toMatchObject({ kind: 'customer', via: 'search' });
    const several = await resolveCustomer(api, parseQuery('alex'));
    expect(several).toMatchObject({ kind: 'matches', page: 1, pages: 1 });
    expect(several.kind === 'matches' && several.matches.map((m) => m.emailAddress)).toEqual([
      'alex.smith@example.com',
      'alexandra@example.co.uk',
    ]);
    expect(await resolveCustomer(api, parseQuery('nobody-like-this'))).toMatchObject({ kind: 'not_found' });
  });

  it('pages through search results', async () => {
    const apiSmallPages = createKomerzaClient({
      baseUrl: fake.url,
      apiKey: FAKE_API_KEY,
      storeId: STORE_ID,
      userAgent: 't/1',
      pageSize: 2,
    });
    // Seven sample customers have "example" in their address: four pages of two.
    const first = await resolveSearch(apiSmallPages, 'example', 1);
    expect(first).toMatchObject({ kind: 'matches', page: 1, pages: 4 });
    const last = await resolveSearch(apiSmallPages, 'example', 4);
    expect(last).toMatchObject({ kind: 'matches', page: 4, pages: 4 });
  });

  it('treats a NotFound answer to a search as no customer found', async () => {
    fake.addFault({
      path: '/customers/search/',
      fault: { kind: 'status', status: 404, body: { success: false, code: 'NotFound' } },
    });
    expect(await resolveCustomer(api, parseQuery('zzz'))).toMatchObject({
      kind: 'not_found',
      query: { kind: 'search' },
    });
  });

  it('lets other Komerza errors through, typed', async () => {
    fake.addFault({ path: '/email', fault: { kind: 'status', status: 503, text: '<html>down</html>' } });
    await expect(resolveCustomer(api, parseQuery('jane@example.com'))).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
