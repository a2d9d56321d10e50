import { afterEach, describe, expect, it } from '@jest/globals';
import { runStartupChecks } from '../../src/checks/startup.js';
import { fatalVerdict, sentence, type Verdict } from '../../src/checks/verdict.js';
import { parseConfig } from '../../src/config.js';
import { createKomerzaClient } from '../../src/komerza/client.js';
import { KOMERZA_FEATURES } from '../../src/requirements.js';
import { MINIMAL_ENV } from '../support/config.js';
import {
  FAKE_API_KEY,
  type FakeKomerza,
  type FakeKomerzaOptions,
  type FaultRule,
  startFakeKomerza,
} from '../support/fake-komerza.js';
import { STORE_ID } from '../support/sample-store.js';

/** The start-up check (src/checks/startup.ts): the two Komerza reads the app makes before it starts. */

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
    userAgent: 'startup-check-test/1.0',
    timeoutMs: 2000,
  });
  const { verdicts, keyScopes } = await runStartupChecks(parseConfig(MINIMAL_ENV), api);
  const byStatus = (status: Verdict['status']) => verdicts.filter((v) => v.status === status).map(sentence);
  return {
    verdicts,
    keyScopes,
    fatal: fatalVerdict(verdicts),
    ok: byStatus('ok'),
    failed: byStatus('fail'),
    unknown: byStatus('unknown'),
  };
}

describe('the start-up checks', () => {
  it('report the store and every feature for a key with all scopes, with no problem', async () => {
    const report = await check();
    expect(report.fatal).toBeUndefined();
    expect(report.failed).toEqual([]);
    expect(report.verdicts.map((v) => v.id)).toEqual(['komerza.store', 'komerza.permissions']);
    expect(report.ok.join('\n')).toContain('Komerza key works for store "Northwind Goods", prices in USD.');
    // Every feature this configuration uses (ticket writes are off by default, so not asked for).
    for (const feature of KOMERZA_FEATURES.filter((f) => !f.when))
      expect(report.ok.join('\n')).toContain(feature.feature);
    expect(fake?.callsTo(/\/permissions$/)).toHaveLength(1);
    expect(fake?.calls).toHaveLength(2);
    // For the Home tab: every feature allowed, from the same two calls.
    expect(report.keyScopes).toEqual({ allowed: KOMERZA_FEATURES.filter((f) => !f.when), missing: [] });
  });

  it('are fatal for a wrong key, naming KOMERZA_API_KEY and never the key itself, and stop there', async () => {
    const report = await check({}, { apiKey: 'kmz_wrong_key_999999' });
    expect(sentence(report.fatal as Verdict)).toMatch(/^Komerza rejected KOMERZA_API_KEY .* set KOMERZA_API_KEY\.$/);
    expect(JSON.stringify(report.verdicts)).not.toContain('kmz_wrong_key_999999');
    expect(report.verdicts).toHaveLength(1);
    // The permissions are not read after a fatal answer.
    expect(fake?.calls).toHaveLength(1);
    expect(report.keyScopes).toEqual({ allowed: [], missing: [] });
  });

  it('are fatal for a wrong store id, naming KOMERZA_STORE_ID', async () => {
    const report = await check({}, { storeId: '00000000-0000-4000-8000-000000000000' });
    expect(report.fatal?.meaning).toMatch(/no store with KOMERZA_STORE_ID/);
  });

  it('name each missing scope and the feature it costs, but do not stop the start', async () => {
    const report = await check({ scopes: ['stores.view', 'stores.customers.view'] });
    expect(report.fatal).toBeUndefined();
    const failed = report.failed.join('\n');
    expect(failed).toContain('lacks stores.orders.view: no lookups by order id');
    expect(failed).toContain('lacks stores.subscriptions.view');
    expect(failed).toContain('lacks stores.products.view: no product names');
    expect(failed).toContain('lacks stores.tickets.view');
    expect(failed).not.toContain('lacks stores.customers.view');
    // The permissions route describes the key's user: what the user may do, the key may still lack.
    expect(failed).toContain("Komerza key's user may use: customer lookups");
    expect(failed).toContain("the key's own scopes may be narrower");
    expect(report.keyScopes.missing.map((f) => f.scope)).toEqual([
      'stores.orders.view',
      'stores.subscriptions.view',
      'stores.products.view',
      'stores.tickets.view',
    ]);
  });

  it('for the store owner, say the scopes could not be verified instead of listing every feature as allowed', async () => {
    // The fake's owner answer lists every permission, whatever the key holds: it proves nothing about the key.
    const report = await check({ owner: true, scopes: ['stores.view', 'stores.customers.view'] });
    expect(report.fatal).toBeUndefined();
    expect(report.failed).toEqual([]);
    const unknown = report.unknown.join('\n');
    expect(unknown).toContain("The Komerza key's scopes could not be verified");
    expect(unknown).toContain('stores.products.view');
    expect(unknown).not.toMatch(/may use|allows/);
    expect(report.keyScopes).toEqual({ allowed: [], missing: [] });
  });

  it('say plainly when the key cannot look up customers at all', async () => {
    const report = await check({ scopes: ['stores.view'] });
    expect(report.fatal).toBeUndefined();
    expect(report.failed.join('\n')).toMatch(/lacks stores\.customers\.view: no customer lookups .* will work/);
    expect(report.verdicts.find((v) => v.id === 'komerza.permissions')?.required).toBe(true);
  });

  it('let the app start when Komerza is down (a restart would not help)', async () => {
    const report = await check({}, {}, [{ fault: { kind: 'status', status: 503, text: '<html>down</html>' } }]);
    expect(report.fatal).toBeUndefined();
    expect(report.failed.join('\n')).toContain(
      'Could not verify the Komerza key (Komerza unavailable: server_error 503)',
    );
    expect(report.failed.join('\n')).toContain("Could not read the Komerza key's scopes");
  });

  it('treat a missing permissions route as "scopes unknown", not as a wrong store', async () => {
    const report = await check({}, {}, [
      { path: /\/permissions$/, fault: { kind: 'status', status: 404, text: '<html>404</html>' } },
    ]);
    expect(report.fatal).toBeUndefined();
    expect(report.ok.join('\n')).toContain('Northwind Goods');
    expect(report.failed).toEqual([]);
    expect(report.unknown).toHaveLength(1);
    expect(report.unknown[0]).toContain('features are checked as they are used');
  });
});
