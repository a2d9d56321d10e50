import { LRUCache } from 'lru-cache';
import type { RedisConnection } from '../redis/connection.js';

/**
 * Per-person lookup budget: "points" per minute and per hour, 1 point = one customer card or one picker row shown, so
 * the limit counts what is disclosed, not requests. Fixed windows (clock minutes and hours), so the reset time is
 * easy to tell a person. `take` grants up to what was asked across both windows at once: a partial grant means
 * "show only that many rows". In memory, or in Redis for every replica (keys hold Slack user ids only).
 */

export type BudgetWindow = 'minute' | 'hour';

export interface BudgetState {
  /** Points left in each window after this call (Infinity when that window is unlimited). */
  remaining: { minute: number; hour: number };
  /** The window that limits the person: an exhausted one (the later to reset if both are), else the fuller one. */
  window: BudgetWindow;
  /** When that window resets, from now. */
  resetsInMs: number;
}

export interface BudgetGrant extends BudgetState {
  /** Points granted, 0 to `wanted`. */
  granted: number;
}

export interface LookupBudget {
  /** Takes up to `wanted` points from both windows atomically. */
  take(userId: string, wanted: number): Promise<BudgetGrant>;
  /** What is left, without taking anything. */
  peek(userId: string): Promise<BudgetState>;
}

export interface BudgetLimits {
  /** Points per clock minute; 0 = unlimited. */
  perMinute: number;
  /** Points per clock hour; 0 = unlimited. */
  perHour: number;
}

export interface MemoryBudgetOptions extends BudgetLimits {
  /** Wall clock in ms (windows are clock minutes and hours). */
  now?: () => number;
  /** Most people tracked at once (least recently active forgotten first). Default 10,000. */
  maxUsers?: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface Usage {
  minute: number;
  minuteUsed: number;
  hour: number;
  hourUsed: number;
}

/** The decision both stores make: the same arithmetic as the Lua script below. */
export function decide(
  limits: BudgetLimits,
  usage: Usage,
  now: number,
  wanted: number,
): BudgetGrant & { usage: Usage } {
  const minute = Math.floor(now / MINUTE);
  const hour = Math.floor(now / HOUR);
  const minuteUsed = usage.minute === minute ? usage.minuteUsed : 0;
  const hourUsed = usage.hour === hour ? usage.hourUsed : 0;
  const minuteLeft = limits.perMinute > 0 ? Math.max(0, limits.perMinute - minuteUsed) : Number.POSITIVE_INFINITY;
  const hourLeft = limits.perHour > 0 ? Math.max(0, limits.perHour - hourUsed) : Number.POSITIVE_INFINITY;
  const granted = Math.max(0, Math.min(Math.floor(wanted), minuteLeft, hourLeft));
  return {
    granted,
    ...state(minuteLeft - granted, hourLeft - granted, (minute + 1) * MINUTE - now, (hour + 1) * HOUR - now),
    usage: { minute, minuteUsed: minuteUsed + granted, hour, hourUsed: hourUsed + granted },
  };
}

function state(minuteLeft: number, hourLeft: number, minuteResetMs: number, hourResetMs: number): BudgetState {
  const remaining = { minute: minuteLeft, hour: hourLeft };
  // Out of hourly points, the minute's reset changes nothing: say when the hour resets.
  const window: BudgetWindow = hourLeft <= 0 || (minuteLeft > 0 && hourLeft < minuteLeft) ? 'hour' : 'minute';
  return { remaining, window, resetsInMs: window === 'hour' ? hourResetMs : minuteResetMs };
}

export function createMemoryBudget(options: MemoryBudgetOptions): LookupBudget {
  const now = options.now ?? Date.now;
  const usage = new LRUCache<string, Usage>({ max: options.maxUsers ?? 10_000, ttl: HOUR });
  const run = (userId: string, wanted: number): BudgetGrant => {
    const at = now();
    const decision = decide(
      options,
      usage.get(userId) ?? { minute: -1, minuteUsed: 0, hour: -1, hourUsed: 0 },
      at,
      wanted,
    );
    if (decision.granted > 0) usage.set(userId, decision.usage);
    const { usage: _, ...grant } = decision;
    return grant;
  };
  return {
    take: async (userId, wanted) => run(userId, wanted),
    peek: async (userId) => {
      const { granted: _, ...rest } = run(userId, 0);
      return rest;
    },
  };
}

/** KEYS[1] the person's hash; ARGV per minute, per hour (0 = unlimited), wanted, a time for tests ('' = TIME). */
const BUDGET_LUA = `
local perMinute = tonumber(ARGV[1])
local perHour = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local now
if ARGV[4] ~= '' then now = tonumber(ARGV[4]) else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local minute = math.floor(now / 60000)
local hour = math.floor(now / 3600000)
local v = redis.call('HMGET', KEYS[1], 'm', 'mu', 'h', 'hu')
local minuteUsed, hourUsed = 0, 0
if tonumber(v[1]) == minute then minuteUsed = tonumber(v[2]) end
if tonumber(v[3]) == hour then hourUsed = tonumber(v[4]) end
local granted = math.max(0, math.floor(wanted))
local minuteLeft, hourLeft = -1, -1
if perMinute > 0 then minuteLeft = math.max(0, perMinute - minuteUsed); granted = math.min(granted, minuteLeft) end
if perHour > 0 then hourLeft = math.max(0, perHour - hourUsed); granted = math.min(granted, hourLeft) end
if granted > 0 then
  redis.call('HSET', KEYS[1], 'm', minute, 'mu', minuteUsed + granted, 'h', hour, 'hu', hourUsed + granted)
  redis.call('PEXPIRE', KEYS[1], (hour + 1) * 3600000 - now)
end
if minuteLeft >= 0 then minuteLeft = minuteLeft - granted end
if hourLeft >= 0 then hourLeft = hourLeft - granted end
return { granted, minuteLeft, hourLeft, (minute + 1) * 60000 - now, (hour + 1) * 3600000 - now }
`;

export interface RedisBudgetOptions extends BudgetLimits {
  connection: RedisConnection;
  keyPrefix: string;
  /** Used while Redis is down: each replica then counts alone. Default: an in-memory budget with the same limits. */
  fallback?: LookupBudget;
}

/**
 * The budget in Redis, atomic across replicas (one Lua script grants across both windows). Redis down or slow: the
 * in-memory fallback of this replica answers (the connection logs the outage once); a person could then get up to
 * one budget per replica until Redis is back.
 */
export function createRedisBudget(options: RedisBudgetOptions): LookupBudget {
  const { connection } = options;
  const script = connection.script('lookupBudget', BUDGET_LUA, 1);
  const fallback = options.fallback ?? createMemoryBudget(options);

  async function run(userId: string, wanted: number): Promise<BudgetGrant> {
    if (connection.health() === 'up') {
      try {
        const reply = (await script(
          [`${options.keyPrefix}budget:${userId}`],
          [options.perMinute, options.perHour, wanted, ''],
        )) as number[];
        const [granted, minuteLeft, hourLeft, minuteResetMs, hourResetMs] = reply.map(Number) as [
          number,
          number,
          number,
          number,
          number,
        ];
        const unlimited = (left: number) => (left < 0 ? Number.POSITIVE_INFINITY : left);
        return { granted, ...state(unlimited(minuteLeft), unlimited(hourLeft), minuteResetMs, hourResetMs) };
      } catch (error) {
        connection.reportFailure(error);
      }
    }
    return fallback.take(userId, wanted);
  }

  return {
    take: run,
    peek: async (userId) => {
      const { granted: _, ...rest } = await run(userId, 0);
      return rest;
    },
  };
}
