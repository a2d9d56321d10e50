import { describe, expect, it } from '@jest/globals';
import { createLookupLimiter } from '../../src/access/rate-limit.js';

describe('createLookupLimiter', () => {
  it('allows `limit` lookups per user per window, then says when the next one is possible', () => {
    let now = 1_000_000;
    const limiter = createLookupLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect(limiter.take('U1')).toEqual({ allowed: true });
    now += 10_000;
    expect(limiter.take('U1')).toEqual({ allowed: true });
    expect(limiter.take('U1')).toEqual({ allowed: true });
    expect(limiter.take('U1')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    // Another user has their own budget.
    expect(limiter.take('U2')).toEqual({ allowed: true });
    // Refused attempts do not extend the wait.
    now += 20_000;
    expect(limiter.take('U1')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    // Once the first lookup leaves the window, one more is allowed.
    now += 30_001;
    expect(limiter.take('U1')).toEqual({ allowed: true });
    expect(limiter.take('U1').allowed).toBe(false);
  });

  it('is off when the limit is 0', () => {
    const limiter = createLookupLimiter({ limit: 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('U1').allowed).toBe(true);
  });

  it('keeps memory bounded by forgetting the least recently active users', () => {
    const limiter = createLookupLimiter({ limit: 1, maxUsers: 2, now: () => 0 });
    limiter.take('U1');
    limiter.take('U2');
    limiter.take('U3');
    // U1 was evicted, so it starts afresh; U3 is still limited.
    expect(limiter.take('U1').allowed).toBe(true);
    expect(limiter.take('U3').allowed).toBe(false);
  });
});
