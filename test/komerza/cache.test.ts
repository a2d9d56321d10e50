import { describe, expect, it } from '@jest/globals';
import { createMemoryCache, withCache } from '../../src/komerza/cache.js';
import type { KomerzaApi } from '../../src/komerza/client.js';
import { KomerzaNotFoundError, KomerzaUnavailableError } from '../../src/komerza/errors.js';
import type { Customer, OrderListItem, Page, Product, Store, Subscription } from '../../src/komerza/schemas.js';

/** A KomerzaApi whose reads count their calls and answer after a tick (so concurrent callers overlap). */
function countingApi() {
  const counts = { store: 0, customer: 0, email: 0, subscriptions: 0, orders: 0, products: 0 };
  let products: Product[] = [{ id: 'p1', name: 'Pro plan' }];
  let version = 0;
  let failNext = false;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const customer = (id: string, email = 'jane@example.com'): Customer =>
    ({ id, emailAddress: email, totalSpend: version }) as unknown as Customer;
  const api: KomerzaApi = {
    getStore: async () => {
      counts.store++;
      await tick();
      return { id: 's', name: `v${version}` } as unknown as Store;
    },
    getPermissions: async () => ({ permissions: [] }) as never,
    getCustomer: async (id) => {
      counts.customer++;
      await tick();
      if (failNext) {
        failNext = false;
        throw new KomerzaUnavailableError('GET customer', 'timeout');
      }
      if (id === 'missing') throw new KomerzaNotFoundError('GET customer', 404, false);
      return customer(id);
    },
    getCustomerByEmail: async (email) => {
      counts.email++;
      await tick();
      return customer('c-email', email);
    },
    listCustomers: async () => ({ items: [], page: 1, pages: 1 }),
    searchCustomers: async () => ({ items: [], page: 1, pages: 1 }),
    getOrder: async () => ({}) as never,
    listSubscriptions: async () => {
      counts.subscriptions++;
      await tick();
      return { items: [], page: 1, pages: 1 } as Page<Subscription>;
    },
    listOrders: async () => {
      counts.orders++;
      await tick();
      return { items: [], page: 1, pages: 0 } as Page<OrderListItem>;
    },
    listProducts: async () => {
      counts.products++;
      await tick();
      return products;
    },
  };
  return {
    api,
    counts,
    setProducts: (next: Product[]) => {
      products = next;
    },
    bump: () => {
      version++;
    },
    failOnce: () => {
      failNext = true;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withCache', () => {
  it('single flight: 20 concurrent reads of one customer cost one call and get the same answer', async () => {
    const { api, counts } = countingApi();
    const { cached } = withCache(api);
    const results = await Promise.all(Array.from({ length: 20 }, () => cached.getCustomer('c1')));
    expect(counts.customer).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('single flight for the store, a customer by email (any case) and subscriptions', async () => {
    const { api, counts } = countingApi();
    const { cached } = withCache(api);
    await Promise.all([
      ...Array.from({ length: 5 }, () => cached.getStore()),
      cached.getCustomerByEmail('Jane@Example.com'),
      cached.getCustomerByEmail('jane@example.com'),
      cached.listSubscriptions({ email: 'jane@example.com', pageSize: 50 }),
      cached.listSubscriptions({ email: 'JANE@example.com', pageSize: 50 }),
    ]);
    expect(counts).toEqual({ store: 1, customer: 0, email: 1, subscriptions: 1, orders: 0, products: 0 });
    // A different page is a different read.
    await cached.listSubscriptions({ email: 'jane@example.com', page: 2, pageSize: 50 });
    expect(counts.subscriptions).toBe(2);
  });

  it('caches a customer’s orders like the other per-customer reads, and the fresh view reads them again', async () => {
    const { api, counts } = countingApi();
    const { cached, fresh } = withCache(api, { ttlMs: 60_000 });
    await Promise.all([
      cached.listOrders({ email: 'jane@example.com', pageSize: 25 }),
      cached.listOrders({ email: 'JANE@example.com', pageSize: 25 }),
    ]);
    await cached.listOrders({ email: 'jane@example.com', pageSize: 25 });
    expect(counts.orders).toBe(1);
    await cached.listOrders({ email: 'bob@example.org', pageSize: 25 });
    await cached.listOrders({ email: 'jane@example.com', page: 2, pageSize: 25 });
    expect(counts.orders).toBe(3);
    await fresh.listOrders({ email: 'jane@example.com', pageSize: 25 });
    expect(counts.orders).toBe(4);
  });

  it('keeps the product list as long as the store, in both views (Refresh re-reads the customer, not the catalogue)', async () => {
    const { api, counts } = countingApi();
    const { cached, fresh } = withCache(api, { ttlMs: 20, storeTtlMs: 60_000 });
    await Promise.all(Array.from({ length: 5 }, () => cached.listProducts({ including: ['p1'] })));
    await sleep(50);
    await cached.listProducts();
    await fresh.listProducts({ including: ['P1'] });
    expect(counts.products).toBe(1);
  });

  it('reloads the product list early for a product it lacks, but not within the refresh interval', async () => {
    const { api, counts, setProducts } = countingApi();
    const { cached } = withCache(api, { storeTtlMs: 60_000, productsRefreshMs: 60_000 });
    expect((await cached.listProducts({ including: ['p1'] })).map((p) => p.name)).toEqual(['Pro plan']);
    // A product added since, or a deleted one no list will ever have: too soon after the last load to reload.
    setProducts([
      { id: 'p1', name: 'Pro plan' },
      { id: 'p2', name: 'Team plan' },
    ]);
    expect((await cached.listProducts({ including: ['p2'] })).map((p) => p.id)).toEqual(['p1']);
    await cached.listProducts({ including: ['gone'] });
    expect(counts.products).toBe(1);
  });

  it('once the refresh interval has passed, lookups lacking a product share one reload', async () => {
    const { api, counts, setProducts } = countingApi();
    // An interval of 0 has always passed: no waiting on the clock in this test.
    const { cached } = withCache(api, { storeTtlMs: 60_000, productsRefreshMs: 0 });
    await cached.listProducts();
    setProducts([
      { id: 'p1', name: 'Pro plan' },
      { id: 'p2', name: 'Team plan' },
    ]);
    const lists = await Promise.all(Array.from({ length: 4 }, () => cached.listProducts({ including: ['P2'] })));
    expect(lists.every((list) => list.some((p) => p.id === 'p2'))).toBe(true);
    expect(counts.products).toBe(2);
    // Known products need no reload.
    await cached.listProducts({ including: ['p1', 'p2'] });
    expect(counts.products).toBe(2);
  });

  it('does not cache a failed product list', async () => {
    const { api, counts } = countingApi();
    let fail = true;
    const listProducts = api.listProducts;
    api.listProducts = async (options) => {
      if (fail) {
        fail = false;
        counts.products++;
        throw new KomerzaUnavailableError('GET products', 'timeout');
      }
      return listProducts(options);
    };
    const { cached } = withCache(api);
    await expect(cached.listProducts()).rejects.toBeInstanceOf(KomerzaUnavailableError);
    await expect(cached.listProducts()).resolves.toHaveLength(1);
    expect(counts.products).toBe(2);
  });

  it('keeps distinct customers apart', async () => {
    const { api, counts } = countingApi();
    const { cached } = withCache(api);
    const [a, b] = await Promise.all([cached.getCustomer('c1'), cached.getCustomer('c2')]);
    expect([a.id, b.id]).toEqual(['c1', 'c2']);
    expect(counts.customer).toBe(2);
  });

  it('reuses a value within the TTL and asks again once it has expired', async () => {
    const { api, counts, bump } = countingApi();
    const { cached } = withCache(api, { ttlMs: 250 });
    await cached.getCustomer('c1');
    await cached.getCustomer('c1');
    expect(counts.customer).toBe(1);
    bump();
    await sleep(300);
    const after = await cached.getCustomer('c1');
    expect(counts.customer).toBe(2);
    expect(after.totalSpend).toBe(1);
  });

  it('keeps the store for its own, longer TTL', async () => {
    const { api, counts } = countingApi();
    const { cached } = withCache(api, { ttlMs: 20, storeTtlMs: 60_000 });
    await cached.getStore();
    await cached.getCustomer('c1');
    await sleep(50);
    await cached.getStore();
    await cached.getCustomer('c1');
    expect(counts.store).toBe(1);
    expect(counts.customer).toBe(2);
  });

  it('fresh (Refresh) bypasses the cached value and stores the new one', async () => {
    const { api, counts, bump } = countingApi();
    const { cached, fresh } = withCache(api);
    const first = await cached.getCustomer('c1');
    bump();
    const refreshed = await fresh.getCustomer('c1');
    expect(counts.customer).toBe(2);
    expect(refreshed.totalSpend).toBe((first.totalSpend ?? 0) + 1);
    const later = await cached.getCustomer('c1');
    expect(counts.customer).toBe(2);
    expect(later.totalSpend).toBe(refreshed.totalSpend);
  });

  it('does not cache failures, and every waiting caller gets the typed error', async () => {
    const { api, counts, failOnce } = countingApi();
    const { cached } = withCache(api);
    failOnce();
    const settled = await Promise.allSettled([cached.getCustomer('c1'), cached.getCustomer('c1')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(settled[0]?.status === 'rejected' && settled[0].reason).toBeInstanceOf(KomerzaUnavailableError);
    expect(counts.customer).toBe(1);
    await expect(cached.getCustomer('c1')).resolves.toMatchObject({ id: 'c1' });
    await expect(cached.getCustomer('missing')).rejects.toBeInstanceOf(KomerzaNotFoundError);
    await expect(cached.getCustomer('missing')).rejects.toBeInstanceOf(KomerzaNotFoundError);
    expect(counts.customer).toBe(4);
  });

  it('a TTL of 0 turns caching off', async () => {
    const { api, counts } = countingApi();
    const { cached } = withCache(api, { ttlMs: 0 });
    await cached.getCustomer('c1');
    await cached.getCustomer('c1');
    expect(counts.customer).toBe(2);
  });

  it('takes any CacheStore (a shared one can replace the in-memory store)', async () => {
    const { api } = countingApi();
    const memory = createMemoryCache();
    const keys: string[] = [];
    const { cached } = withCache(api, {
      store: {
        fetch: (key, load, options) => {
          keys.push(key);
          return memory.fetch(key, load, options);
        },
      },
    });
    await cached.getStore();
    await cached.getCustomer('C1');
    expect(keys).toEqual(['store', 'customer:c1']);
  });
});
