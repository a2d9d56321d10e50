import type { Config } from '../config.js';
import type { RedisConnection } from '../redis/connection.js';
import type { Verdict } from './verdict.js';

/**
 * With REDIS_URL: does Redis answer? Replicas share Komerza's bucket, the per-person budgets and the cache through
 * it (docs/shared-state.md); without it each replica runs on its own share, so the app works, less well.
 */
export async function checkRedis(context: {
  config: Config;
  redis: RedisConnection | undefined;
}): Promise<Verdict | undefined> {
  const { redis, config } = context;
  if (!config.sharedState.redisUrl || !redis) return undefined;
  const base = { id: 'shared.redis', title: 'Redis', required: false } as const;
  // The URL may carry a password: it is never printed.
  if ((await redis.ready()) === 'up') {
    return {
      ...base,
      status: 'ok',
      meaning: 'REDIS_URL answers: replicas share the Komerza bucket, the per-person budgets and the cache.',
    };
  }
  return {
    ...base,
    status: 'fail',
    meaning: `REDIS_URL does not answer: each replica falls back to 1/${config.sharedState.replicas} of Komerza's bucket (KOMERZA_REPLICAS) and budgets of its own.`,
    advice: 'Check REDIS_URL (host, port, password, rediss:// for TLS) and that Redis is reachable from here.',
  };
}
