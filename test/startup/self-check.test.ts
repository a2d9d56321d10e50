import { afterEach, describe, expect, it } from '@jest/globals';
import { createKomerzaClient } from '../../src/komerza/client.js';
import { checkKomerzaKey, FEATURES } from '../../src/startup/self-check.js';
import {
  FAKE_API_KEY,
  type FakeKomerza,
  type FakeKomerzaOptions,
  type FaultRule,
  startFakeKomerza,
} from '../support/fake-komerza.js';
import { STORE_ID } from '../support/sample-store.js';

let fake: FakeKomerza | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function check(
  options: FakeKomerzaOptions = {},
  client: { apiKey?: string; storeId?: string } = {},
  faults: FaultRule[] = [],
) {
  fake = await startFakeKomerza(options);
  for (const rule of faults) fake.addFault(rule);
  const api = createKomerzaClient({
    baseUrl: `${fake.url}/`,
    apiKey: client.apiKey ?? FAKE_API_KEY,
    storeId: client.storeId ?? STORE_ID,
    userAgent: 'self-check-test/1.0',
    timeoutMs: 2000,
  });
  return checkKomerzaKey(api);
}

describe('checkKomerzaKey', () => {
  it('reports the store and every feature for a key with all scopes, with no warning', async () => {
    const report = await check();
    expect(report.fatal).toBeUndefined();
    expect(report.warnings).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.allowed.map((f) => f.scope).sort()).toEqual(FEATURES.map((f) => f.scope).sort());
    expect(report.info.join('\n')).toContain('Northwind Goods');
    expect(report.info.join('\n')).toContain('lookups by order id');
    expect(fake?.callsTo(/\/permissions$/)).toHaveLength(1);
  });

  it('is fatal for a wrong key, naming KOMERZA_API_KEY and never the key itself', async () => {
    const report = await check({}, { apiKey: 'kmz_wrong_key_999999' });
    expect(report.fatal).toMatch(/Komerza rejected KOMERZA_API_KEY/);
    expect(report.fatal).not.toContain('kmz_wrong_key_999999');
  });

  it('is fatal for a wrong store id, naming KOMERZA_STORE_ID', async () => {
    const report = await check({}, { storeId: '00000000-0000-4000-8000-000000000000' });
    expect(report.fatal).toMatch(/no store with KOMERZA_STORE_ID/);
  });

  it('warns about each missing scope and the feature it costs, but starts', async () => {
    const report = await check({ scopes: ['stores.view', 'stores.customers.view'] });
    expect(report.fatal).toBeUndefined();
    expect(report.missing.map((f) => f.scope).sort()).toEqual([
      'stores.orders.view',
      'stores.products.view',
      'stores.subscriptions.view',
      'stores.tickets.view',
    ]);
    const warnings = report.warnings.join('\n');
    expect(warnings).toContain('lacks stores.orders.view: no lookups by order id');
    expect(warnings).toContain('lacks stores.subscriptions.view');
    expect(warnings).toContain('lacks stores.products.view: no product names');
    expect(report.info.join('\n')).toContain('customer lookups');
    // The permissions route describes the key's user: what the user may do, the key may still lack.
    expect(report.info.join('\n')).toContain("the key's own scopes may be narrower");
  });

  it('for the store owner, says the scopes could not be verified instead of listing every feature as allowed', async () => {
    // The fake's owner answer lists every permission, whatever the key holds: it proves nothing about the key.
    const report = await check({ owner: true, scopes: ['stores.view', 'stores.customers.view'] });
    expect(report.fatal).toBeUndefined();
    expect(report.scopesUnverified).toBe(true);
    expect(report.allowed).toEqual([]);
    expect(report.missing).toEqual([]);
    const info = report.info.join('\n');
    expect(info).toContain("The Komerza key's scopes could not be verified");
    expect(info).toContain('stores.products.view');
    expect(info).not.toMatch(/may use|allows/);
    expect(report.warnings).toEqual([]);
  });

  it('says plainly when the key cannot look up customers at all', async () => {
    const report = await check({ scopes: ['stores.view'] });
    expect(report.fatal).toBeUndefined();
    expect(report.warnings.join('\n')).toMatch(/lacks stores\.customers\.view: no customer lookups .* will work/);
  });

  it('starts with a warning when Komerza is down at start-up (a restart would not help)', async () => {
    const report = await check({}, {}, [{ fault: { kind: 'status', status: 503, text: '<html>down</html>' } }]);
    expect(report.fatal).toBeUndefined();
    expect(report.warnings.join('\n')).toContain('Could not verify the Komerza key');
    expect(report.warnings.join('\n')).toContain("Could not read the Komerza key's scopes");
  });

  it('treats a missing permissions route as "scopes unknown", not as a wrong store', async () => {
    const report = await check({}, {}, [
      { path: /\/permissions$/, fault: { kind: 'status', status: 404, text: '<html>404</html>' } },
    ]);
    expect(report.fatal).toBeUndefined();
    expect(report.info.join('\n')).toContain('Northwind Goods');
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain('features are checked as they are used');
  });
});
