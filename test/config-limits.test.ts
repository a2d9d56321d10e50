import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../src/config.js';
import { MINIMAL_ENV as base, configProblems } from './support/config.js';

const problems = (env: Record<string, string>) => configProblems(() => parseConfig({ ...base, ...env }));

describe('config: rate limit, cache and queue notice', () => {
  it("defaults to Komerza's bucket, a 60 s cache, a 10 min store cache and a 3 s notice", () => {
    const config = parseConfig({ ...base, KOMERZA_RATE_CAPACITY: '' });
    expect(config.rateLimit).toEqual({ capacity: 12, refillAmount: 4, refillIntervalMs: 2000, jitterMs: 100 });
    expect(config.cache).toEqual({ ttlMs: 60_000, storeTtlMs: 600_000 });
    expect(config.queueNoticeMs).toBe(3000);
  });

  it('reads every variable', () => {
    const config = parseConfig({
      ...base,
      KOMERZA_RATE_CAPACITY: '20',
      KOMERZA_RATE_REFILL: '5',
      KOMERZA_RATE_INTERVAL_MS: '1000',
      KOMERZA_CACHE_TTL_MS: '0',
      KOMERZA_STORE_CACHE_TTL_MS: '5000',
      LOOKUP_QUEUE_NOTICE_MS: '1500',
      KOMERZA_RATE_JITTER_MS: '60',
    });
    expect(config.rateLimit).toEqual({ capacity: 20, refillAmount: 5, refillIntervalMs: 1000, jitterMs: 60 });
    expect(config.cache).toEqual({ ttlMs: 0, storeTtlMs: 5000 });
    expect(config.queueNoticeMs).toBe(1500);
  });

  it('names every bad value at once', () => {
    const found = problems({ KOMERZA_RATE_CAPACITY: '0', KOMERZA_RATE_REFILL: 'many', KOMERZA_CACHE_TTL_MS: '-1' });
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toMatch(/KOMERZA_RATE_CAPACITY/);
    expect(found.join('\n')).toMatch(/KOMERZA_RATE_REFILL/);
    expect(found.join('\n')).toMatch(/KOMERZA_CACHE_TTL_MS/);
  });

  it('refuses a refill interval over 60 s (a token that far away fails at once as rate-limited)', () => {
    expect(problems({ KOMERZA_RATE_INTERVAL_MS: '120000' })).toEqual([
      'KOMERZA_RATE_INTERVAL_MS must be a number of milliseconds (at most 60000)',
    ]);
    expect(problems({ KOMERZA_RATE_INTERVAL_MS: '60000' })).toEqual([]);
  });

  it('shared state: none by default; REDIS_URL, KOMERZA_REPLICAS, KOMERZA_SHARED_CACHE and the Redis settings when set', () => {
    expect(parseConfig(base).sharedState).toEqual({
      redisUrl: undefined,
      replicas: 1,
      sharedCache: true,
      keyPrefix: 'customer-lookup:',
      commandTimeoutMs: 200,
    });
    const config = parseConfig({
      ...base,
      REDIS_URL: 'redis://:secret@redis.internal:6379/0',
      KOMERZA_REPLICAS: '3',
      KOMERZA_SHARED_CACHE: 'false',
      REDIS_KEY_PREFIX: 'lookup-staging:',
      REDIS_COMMAND_TIMEOUT_MS: '500',
    });
    expect(config.sharedState).toEqual({
      redisUrl: 'redis://:secret@redis.internal:6379/0',
      replicas: 3,
      sharedCache: false,
      keyPrefix: 'lookup-staging:',
      commandTimeoutMs: 500,
    });
  });

  it('refuses a REDIS_KEY_PREFIX with spaces or over 100 characters, and a command timeout under 10 ms', () => {
    expect(problems({ REDIS_KEY_PREFIX: 'customer lookup:' })).toEqual([
      'REDIS_KEY_PREFIX must be printable ASCII without spaces',
    ]);
    expect(problems({ REDIS_KEY_PREFIX: 'x'.repeat(101) })).toEqual([
      'REDIS_KEY_PREFIX must be at most 100 characters',
    ]);
    expect(problems({ REDIS_KEY_PREFIX: '' })).toEqual([]);
    expect(problems({ REDIS_COMMAND_TIMEOUT_MS: '5' })).toEqual([
      'REDIS_COMMAND_TIMEOUT_MS must be a number of milliseconds (10 to 10000)',
    ]);
  });

  it('names bad shared-state values without echoing them (a Redis URL may hold a password)', () => {
    const found = problems({
      REDIS_URL: 'http://:hunter2@redis:6379',
      KOMERZA_REPLICAS: '0',
      KOMERZA_SHARED_CACHE: 'yes',
      KOMERZA_RATE_JITTER_MS: '5000',
    });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).not.toContain('hunter2');
    expect(found.join('\n')).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});

describe('config: the card', () => {
  it('shows 5 recent orders by default; 0 turns them off; at most 10', () => {
    expect(parseConfig(base).card).toEqual({ recentOrders: 5 });
    expect(parseConfig({ ...base, CARD_RECENT_ORDERS: '' }).card).toEqual({ recentOrders: 5 });
    expect(parseConfig({ ...base, CARD_RECENT_ORDERS: '0' }).card).toEqual({ recentOrders: 0 });
    expect(parseConfig({ ...base, CARD_RECENT_ORDERS: '10' }).card).toEqual({ recentOrders: 10 });
    expect(problems({ CARD_RECENT_ORDERS: '11' })).toEqual([
      'CARD_RECENT_ORDERS must be a number of orders from 0 to 10',
    ]);
    expect(problems({ CARD_RECENT_ORDERS: 'some' })).toEqual([
      'CARD_RECENT_ORDERS must be a number of orders from 0 to 10',
    ]);
  });
});
