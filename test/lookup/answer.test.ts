import { describe, expect, it } from '@jest/globals';
import type { KomerzaApi } from '../../src/komerza/client.js';
import { KomerzaNotFoundError } from '../../src/komerza/errors.js';
import type { Customer, Product, Store, Subscription } from '../../src/komerza/schemas.js';
import { createLogger } from '../../src/logger.js';
import { type Lookup, lookupQuery } from '../../src/lookup/answer.js';
import { deferred } from '../support/async.js';

const customer = { id: 'c1', emailAddress: 'jane@example.com', totalSpend: 1, totalOrders: 1 } as unknown as Customer;
const subscription = {
  id: 'sub1',
  customerEmail: 'jane@example.com',
  productName: 'Monthly box',
} as unknown as Subscription;

function setup() {
  const log: string[] = [];
  const customerAnswer = deferred<Customer>();
  const api: KomerzaApi = {
    getStore: async () => {
      log.push('store');
      return { id: 's', name: 'Shop', currencyCode: 'USD' } as unknown as Store;
    },
    getPermissions: async () => ({ permissions: [] }) as never,
    getCustomer: async () => customer,
    getCustomerByEmail: (email) => {
      log.push(`customerByEmail:${email}`);
      return customerAnswer.promise;
    },
    listCustomers: async () => ({ items: [], page: 1, pages: 1 }),
    searchCustomers: async () => ({ items: [], page: 1, pages: 1 }),
    getOrder: async () => ({}) as never,
    listSubscriptions: async ({ email }) => {
      log.push(`subscriptions:${email}`);
      return { items: [subscription], page: 1, pages: 1 };
    },
    listOrders: async ({ email }) => {
      log.push(`orders:${email}`);
      return { items: [], page: 1, pages: 0 };
    },
    listProducts: async () => {
      log.push('products');
      return [];
    },
  };
  const lookup: Lookup = { api, logger: createLogger({ level: 'error', write: () => undefined }) };
  return { log, customerAnswer, lookup };
}

describe('lookupQuery: parallel where independent', () => {
  it('starts the subscriptions, the orders and the store for an email before the customer call has answered', async () => {
    const { log, customerAnswer, lookup } = setup();
    const answer = lookupQuery(lookup, { kind: 'email', email: 'jane@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual([
      'store',
      'subscriptions:jane@example.com',
      'orders:jane@example.com',
      'customerByEmail:jane@example.com',
    ]);
    customerAnswer.resolve(customer);
    const result = await answer;
    expect(result.kind).toBe('card');
    expect(JSON.stringify(result)).toContain('Monthly box');
    // Nothing was asked twice, and no product list was needed (every product came with its name).
    expect(log).toHaveLength(4);
  });

  it('reads no orders at all when the card shows none (CARD_RECENT_ORDERS=0)', async () => {
    const { log, customerAnswer, lookup } = setup();
    const answer = lookupQuery({ ...lookup, recentOrders: 0 }, { kind: 'email', email: 'jane@example.com' });
    customerAnswer.resolve(customer);
    const result = await answer;
    expect(result.kind === 'card' && result.profile.orders).toEqual({ kind: 'off' });
    expect(log.filter((line) => line.startsWith('orders'))).toEqual([]);
  });

  it('names embedded subscriptions from the product list, read alongside the other reads', async () => {
    const { log, customerAnswer, lookup } = setup();
    const products = deferred<Product[]>();
    lookup.api.listProducts = (options) => {
      log.push(`products:${options?.including?.join(',')}`);
      return products.promise;
    };
    const embedded = {
      ...customer,
      subscriptions: [
        { id: 'e1', productId: 'AB000000-0000-4000-8000-000000000001', expirationDate: '2030-01-01T00:00:00' },
      ],
    } as Customer;
    const answer = lookupQuery(lookup, { kind: 'email', email: 'jane@example.com' });
    customerAnswer.resolve(embedded);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Asked for as soon as the customer showed ids without names, not after the other reads.
    expect(log).toContain('products:ab000000-0000-4000-8000-000000000001');
    products.resolve([{ id: 'ab000000-0000-4000-8000-000000000001', name: 'Starter kit' }]);
    const result = await answer;
    if (result.kind !== 'card' || result.profile.subscriptions.kind !== 'loaded') throw new Error('expected a card');
    expect(result.profile.subscriptions.items.map((sub) => sub.product).sort()).toEqual(['Monthly box', 'Starter kit']);
    expect(result.profile.productNames).toEqual({ kind: 'loaded' });
  });

  it('answers not found for an unknown email (the early reads are simply unused)', async () => {
    const { customerAnswer, lookup } = setup();
    lookup.api.listCustomers = async () => ({ items: [], page: 1, pages: 1 });
    const answer = lookupQuery(lookup, { kind: 'email', email: 'nobody@example.com' });
    customerAnswer.reject(new KomerzaNotFoundError('GET customer by email', 404, false));
    expect(await answer).toEqual({ kind: 'not_found', query: 'nobody@example.com' });
  });
});
