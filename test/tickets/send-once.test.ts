import { describe, expect, it } from '@jest/globals';
import {
  KomerzaForbiddenError,
  KomerzaInvalidResponseError,
  KomerzaNotFoundError,
  KomerzaRateLimitedError,
  KomerzaRejectedError,
  KomerzaUnauthorizedError,
  KomerzaUnavailableError,
} from '../../src/komerza/errors.js';
import { certainlyNotApplied, sendOnce } from '../../src/tickets/send-once.js';
import { createMemoryWriteGuard } from '../../src/tickets/write-guard.js';

const ROUTE = 'PUT /stores/{storeId}/tickets/{ticketId}';

describe('sendOnce', () => {
  it('makes the write once per key: a second call while claimed is a duplicate and writes nothing', async () => {
    const guard = createMemoryWriteGuard();
    let writes = 0;
    const write = async () => ++writes;
    const [a, b] = await Promise.all([sendOnce(guard, 'k', 60_000, write), sendOnce(guard, 'k', 60_000, write)]);
    expect([a.kind, b.kind].sort()).toEqual(['duplicate', 'sent']);
    expect(writes).toBe(1);
  });

  it('a refusal frees the key (nothing was written, the person may try again); an uncertain failure keeps it', async () => {
    const guard = createMemoryWriteGuard();
    const refused = await sendOnce(guard, 'r', 60_000, async () => {
      throw new KomerzaForbiddenError(ROUTE, 403, 'stores.tickets.update');
    });
    expect(refused).toEqual({ kind: 'failed', error: expect.objectContaining({ kind: 'forbidden' }) });
    expect(await guard.claim('r', 60_000)).toBe('claimed');

    const lost = await sendOnce(guard, 'u', 60_000, async () => {
      throw new KomerzaUnavailableError(ROUTE, 'timeout');
    });
    expect(lost).toEqual({ kind: 'uncertain', error: expect.objectContaining({ kind: 'unavailable' }) });
    expect(await guard.claim('u', 60_000)).toBe('taken');
  });

  it('an error that is not Komerza’s (a bug) is uncertain too: it may have followed the write', async () => {
    const outcome = await sendOnce(createMemoryWriteGuard(), 'x', 60_000, async () => {
      throw new TypeError('boom');
    });
    expect(outcome).toEqual({ kind: 'uncertain', error: undefined });
  });

  it('sends nothing when the guard cannot promise "once"', async () => {
    let writes = 0;
    const outcome = await sendOnce(
      { claim: async () => 'unavailable', release: async () => undefined },
      'k',
      60_000,
      async () => ++writes,
    );
    expect(outcome).toEqual({ kind: 'guard_unavailable' });
    expect(writes).toBe(0);
  });
});

describe('certainlyNotApplied', () => {
  it.each([
    [new KomerzaNotFoundError(ROUTE, 404, false), true],
    [new KomerzaUnauthorizedError(ROUTE, 401), true],
    [new KomerzaForbiddenError(ROUTE, 403, 'stores.tickets.update'), true],
    [new KomerzaRateLimitedError(ROUTE, 2), true],
    [new KomerzaRejectedError(ROUTE, 400, 'ValidationFailed'), true],
    [new KomerzaUnavailableError(ROUTE, 'edge_blocked', 403), true],
    [new KomerzaUnavailableError(ROUTE, 'timeout'), false],
    [new KomerzaUnavailableError(ROUTE, 'network'), false],
    [new KomerzaUnavailableError(ROUTE, 'server_error', 502), false],
    [new KomerzaUnavailableError(ROUTE, 'non_json', 200), false],
    [new KomerzaInvalidResponseError(ROUTE, 'a redirect', 302), false],
  ])('%s → %s', (error, expected) => {
    expect(certainlyNotApplied(error)).toBe(expected);
  });
});
