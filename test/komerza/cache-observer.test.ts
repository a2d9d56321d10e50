import { describe, expect, it } from '@jest/globals';
import { withCache } from '../../src/komerza/cache.js';
import { KomerzaUnavailableError } from '../../src/komerza/errors.js';
import type { Customer, Store } from '../../src/komerza/schemas.js';
import { stubKomerza } from '../support/listener-kit.js';

/** withCache's `onRead`: every cached read reported as a hit (no Komerza call) or a miss, by kind of read. */

function observedReads(options: { ttlMs?: number; failCustomer?: boolean } = {}) {
  const reads: string[] = [];
  let calls = 0;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const api = stubKomerza({
    getStore: async () => {
      calls++;
      await tick();
      return { id: 's', name: 'Store' } as unknown as Store;
    },
    getCustomer: async (id) => {
      calls++;
      await tick();
      if (options.failCustomer) throw new KomerzaUnavailableError('GET customer', 'timeout');
      return { id, emailAddress: 'jane@example.com' } as unknown as Customer;
    },
  });
  const reads$ = withCache(api, {
    ttlMs: options.ttlMs ?? 60_000,
    onRead: (read, hit) => reads.push(`${read}:${hit ? 'hit' : 'miss'}`),
  });
  return { reads, calls: () => calls, ...reads$ };
}

describe('withCache onRead', () => {
  it('reports a miss, then hits, by the kind of read (never the key itself)', async () => {
    const cache = observedReads();
    await cache.cached.getCustomer('C-1');
    await cache.cached.getCustomer('C-1');
    await cache.cached.getStore();
    expect(cache.reads).toEqual(['customer:miss', 'customer:hit', 'store:miss']);
  });

  it('counts callers that join a load already under way as hits: they cost no Komerza call', async () => {
    const cache = observedReads();
    await Promise.all([
      cache.cached.getCustomer('C-1'),
      cache.cached.getCustomer('C-1'),
      cache.cached.getCustomer('C-1'),
    ]);
    expect(cache.calls()).toBe(1);
    expect(cache.reads.sort()).toEqual(['customer:hit', 'customer:hit', 'customer:miss']);
  });

  it('reports a failed read as a miss, and the next read as a miss too (failures are not cached)', async () => {
    const cache = observedReads({ failCustomer: true });
    await expect(cache.cached.getCustomer('C-1')).rejects.toBeInstanceOf(KomerzaUnavailableError);
    await expect(cache.cached.getCustomer('C-1')).rejects.toBeInstanceOf(KomerzaUnavailableError);
    expect(cache.reads).toEqual(['customer:miss', 'customer:miss']);
  });

  it('does not report Refresh (fresh) reads, nor reads with caching turned off', async () => {
    const fresh = observedReads();
    await fresh.fresh.getCustomer('C-1');
    expect(fresh.reads).toEqual([]);
    const off = observedReads({ ttlMs: 0 });
    await off.cached.getCustomer('C-1');
    expect(off.reads).toEqual([]);
    expect(off.calls()).toBe(1);
  });
});
