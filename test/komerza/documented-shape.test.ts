import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { customerCard } from '../../src/blocks/card.js';
import { createKomerzaClient, type KomerzaApi } from '../../src/komerza/client.js';
import { createLogger } from '../../src/logger.js';
import { lookupCustomerId } from '../../src/lookup/answer.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { ALL_SCOPES, FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { injectionProblems } from '../support/no-injection.js';
import { documentedCustomerExample, IDS, PRODUCT_IDS, STORE_ID } from '../support/sample-store.js';

/**
 * Komerza's documented "Get customer" example (test/fixtures/komerza-get-customer.json, verbatim): the fake serves
 * it as it is, and the sample store's customer in that shape keeps exactly its keys.
 */

/** Every key path of a JSON value, arrays read through their items (`subscriptions[].productId`). */
function keyPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, `${at}[]`)))].sort();
  if (value === null || typeof value !== 'object') return [at];
  return Object.entries(value)
    .flatMap(([key, child]) => keyPaths(child, at ? `${at}.${key}` : key))
    .sort();
}

const example = documentedCustomerExample().response.data;
const now = new Date('2026-03-01T12:00:00Z');

let fake: FakeKomerza;
let api: KomerzaApi;
beforeAll(async () => {
  fake = await startFakeKomerza();
  // The example exactly as documented, placeholders and all.
  fake.data.customers.push(structuredClone(example) as (typeof fake.data.customers)[number]);
  api = createKomerzaClient({ baseUrl: fake.url, apiKey: FAKE_API_KEY, storeId: STORE_ID, userAgent: 'test/1' });
});
afterAll(() => fake.close());

const logger = createLogger({ level: 'error', write: () => undefined });
async function cardOfId(id: string) {
  const result = await lookupCustomerId({ api, logger }, id);
  if (result.kind !== 'card') throw new Error(`expected a card, got ${result.kind}`);
  return { profile: result.profile, card: customerCard(result.profile, { now }) };
}

describe("the documented customer shape (Komerza's own example)", () => {
  it('the sample store’s customer in that shape has exactly the example’s keys, and no /subscriptions entry', () => {
    const dana = fake.data.customers.find((c) => c.id === IDS.dana);
    expect(keyPaths(dana)).toEqual(keyPaths(example));
    expect(fake.data.subscriptions.some((s) => s.customerEmail === 'dana@example.net')).toBe(false);
  });

  it('a card built from the example names its subscription’s product and dates it right', async () => {
    const { profile, card } = await cardOfId(example.id as string);
    const text = JSON.stringify(card);
    // Embedded with only a product id: the name comes from products/all.
    expect(profile.subscriptions).toMatchObject({
      kind: 'loaded',
      items: [{ productId: PRODUCT_IDS.documented, product: 'Starter kit', expiresAt: '2023-11-07T05:31:56Z' }],
    });
    expect(text).toContain(':warning: *Starter kit* — expired <!date^1699335116^{date_short}|2023-11-07 UTC>');
    expect(text).toContain('customer since <!date^1699335116^{date_short}|2023-11-07 UTC>');
    // Never the product's UUID as its name (the example's ids are all 3c90c3cc-…; only the customer id is shown).
    expect(text.match(/3c90c3cc/g)).toHaveLength(1);
    expect(text).toContain('ID `3c90c3cc-0d44-4b50-8888-8dd25736052a`');
    // Its placeholder affiliate link is no URL: plain text, not a link.
    expect(text).toContain('link &lt;string&gt;');
    expect(fake.callsTo('/products/all').length).toBeGreaterThan(0);
    expect([
      ...blockKitViolations(card as unknown as Record<string, unknown>, { surface: 'message' }),
      ...injectionProblems(card),
    ]).toEqual([]);
  });

  it('without stores.products.view the card says which scope would name the product, and shows no id', async () => {
    fake.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.products.view');
    try {
      const { profile, card } = await cardOfId(example.id as string);
      const text = JSON.stringify(card);
      expect(profile.productNames).toEqual({ kind: 'forbidden', scope: 'stores.products.view' });
      expect(text).toContain('_product name hidden_');
      expect(text).toContain('needs the `stores.products.view` scope to show them');
      expect(text.match(/3c90c3cc/g)).toHaveLength(1);
    } finally {
      fake.options.scopes = ALL_SCOPES;
    }
  });
});
