import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKomerzaClient, type KomerzaApi } from '../../src/komerza/client.js';
import { parseQuery } from '../../src/lookup/parse.js';
import { loadProfile } from '../../src/lookup/profile.js';
import { resolveCustomer, resolveSearch } from '../../src/lookup/resolve.js';
import { ALL_SCOPES, FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
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

  it('resolves a UUID as a customer id first', async () => {
    expect(await resolveCustomer(api, parseQuery(IDS.bob))).toMatchObject({ kind: 'customer', via: 'id' });
    expect(paths()).toEqual([`/customers/${IDS.bob}`]);
  });

  it('then as an order id, and returns the order’s customer', async () => {
    const result = await resolveCustomer(api, parseQuery(IDS.janeOrder));
    expect(result).toMatchObject({ kind: 'customer', via: 'order', customer: { id: IDS.jane } });
    expect(paths()).toEqual([`/customers/${IDS.janeOrder}`, `/orders/${IDS.janeOrder}`, `/customers/${IDS.jane}`]);
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
    const first = await resolveSearch(apiSmallPages, 'example', 1);
    expect(first).toMatchObject({ kind: 'matches', page: 1, pages: 3 });
    const last = await resolveSearch(apiSmallPages, 'example', 3);
    expect(last).toMatchObject({ kind: 'matches', page: 3, pages: 3 });
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

describe('loadProfile', () => {
  it('reads subscriptions from the list route when the customer has none embedded, only the customer’s own', async () => {
    const bob = await api.getCustomer(IDS.bob);
    const profile = await loadProfile(api, bob);
    expect(profile.store).toMatchObject({ kind: 'loaded', store: { currencyCode: 'USD' } });
    expect(profile.subscriptions.kind).toBe('loaded');
    if (profile.subscriptions.kind === 'loaded') {
      expect(profile.subscriptions.items.map((s) => s.product).sort()).toEqual([
        'Add-on storage',
        'Pro plan',
        'Support plan',
      ]);
    }
    expect(fake.callsTo('/subscriptions')[0]?.query.get('email')).toBe('bob@example.org');
  });

  it('uses embedded subscriptions when the customer has them, without another call', async () => {
    const bob = await api.getCustomer(IDS.bob);
    const embedded = { ...bob, subscriptions: [{ id: 's1', productId: 'p1', expirationDate: '2030-01-01T00:00:00Z' }] };
    fake.calls.length = 0;
    const profile = await loadProfile(api, embedded);
    expect(profile.subscriptions).toMatchObject({ kind: 'loaded', items: [{ id: 's1', product: 'p1' }] });
    expect(fake.callsTo('/subscriptions')).toHaveLength(0);
  });

  it('keeps the card when subscriptions are forbidden, and says which scope would show them', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.subscriptions.view');
    const bob = await api.getCustomer(IDS.bob);
    const profile = await loadProfile(api, bob);
    expect(profile.subscriptions).toEqual({ kind: 'forbidden', scope: 'stores.subscriptions.view' });
  });

  it('keeps the card when the store cannot be read', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.view');
    const bob = await api.getCustomer(IDS.bob);
    expect((await loadProfile(api, bob)).store).toEqual({ kind: 'failed', error: 'forbidden' });
  });
});
