import { describe, expect, it } from '@jest/globals';
import { createInflight } from '../../src/lifecycle/inflight.js';
import { deferred } from '../support/async.js';

describe('createInflight', () => {
  it('drains at once when nothing is running', async () => {
    await expect(createInflight().drain(10_000)).resolves.toEqual({ abandoned: 0 });
  });

  it('returns the tracked work unchanged and counts it until it settles', async () => {
    const inflight = createInflight();
    const work = deferred<string>();
    const tracked = inflight.track(work.promise);
    expect(inflight.size()).toBe(1);
    work.resolve('done');
    await expect(tracked).resolves.toBe('done');
    await Promise.resolve();
    expect(inflight.size()).toBe(0);
  });

  it('waits for every running piece of work, including one that fails', async () => {
    const inflight = createInflight();
    const first = deferred();
    const second = deferred();
    const failing = inflight.track(second.promise);
    inflight.track(first.promise);
    let drained = false;
    const drain = inflight.drain(10_000).then((result) => {
      drained = true;
      return result;
    });
    first.resolve();
    await first.promise;
    await Promise.resolve();
    expect(drained).toBe(false);
    second.reject(new Error('lookup failed'));
    await expect(failing).rejects.toThrow('lookup failed');
    await expect(drain).resolves.toEqual({ abandoned: 0 });
  });

  it('gives up after the timeout and says how many were abandoned', async () => {
    const inflight = createInflight();
    inflight.track(new Promise(() => {}));
    inflight.track(new Promise(() => {}));
    await expect(inflight.drain(20)).resolves.toEqual({ abandoned: 2 });
  });
});
