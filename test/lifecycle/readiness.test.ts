import { describe, expect, it } from '@jest/globals';
import { createReadiness } from '../../src/lifecycle/readiness.js';

describe('readiness', () => {
  it('is not ready while starting, ready once serving, and never again once stopping', () => {
    const readiness = createReadiness();
    expect(readiness.report()).toEqual({ ready: false, reason: 'starting', checks: {} });
    readiness.serving();
    expect(readiness.report()).toEqual({ ready: true, checks: {} });
    readiness.stopping();
    readiness.serving();
    expect(readiness.report()).toEqual({ ready: false, reason: 'stopping', checks: {} });
  });

  it('is held unready by a failing check, with its reason; the phase is reported first', () => {
    const readiness = createReadiness();
    let connected = false;
    readiness.add({
      name: 'socket_mode',
      check: () => (connected ? { ok: true } : { ok: false, reason: 'socket_disconnected' }),
    });
    expect(readiness.report()).toMatchObject({ ready: false, reason: 'starting' });
    readiness.serving();
    expect(readiness.report()).toEqual({
      ready: false,
      reason: 'socket_disconnected',
      checks: { socket_mode: { ok: false, reason: 'socket_disconnected' } },
    });
    connected = true;
    expect(readiness.report()).toEqual({ ready: true, checks: { socket_mode: { ok: true } } });
  });

  it('reports an informational check (a dependency with a fallback) without ever becoming unready for it', () => {
    const readiness = createReadiness();
    readiness.add({ name: 'shared_cache', informational: true, check: () => ({ ok: false, reason: 'unreachable' }) });
    readiness.serving();
    expect(readiness.report()).toEqual({
      ready: true,
      checks: { shared_cache: { ok: false, reason: 'unreachable', informational: true } },
    });
  });

  it('counts a check that throws as failing, and refuses two checks of one name', () => {
    const readiness = createReadiness();
    readiness.add({
      name: 'broken',
      check: () => {
        throw new Error('boom');
      },
    });
    readiness.serving();
    expect(readiness.report()).toMatchObject({ ready: false, reason: 'check_failed' });
    expect(() => readiness.add({ name: 'broken', check: () => ({ ok: true }) })).toThrow(/already exists/);
  });
});
