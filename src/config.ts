import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * The environment, as a zod schema (the names and meanings are the app's outside contract: see README).
 * Every problem is reported at once, by variable name; values are never echoed, since most of them are secrets.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `FOO=` in a .env file means "not set", not "set to nothing". */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const required = (what: string) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string({ error: `is required (${what})` }));
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => (url.endsWith('/') ? url : `${url}/`));

const environmentSchema = z.object({
  SLACK_BOT_TOKEN: required('the bot token, xoxb-…').pipe(
    z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp- (or unset for HTTP mode)')
      .optional(),
  ),
  PORT: z.preprocess(
    (value) => (value === '' || value === undefined ? 3000 : Number(value)),
    z.number({ error: 'must be a port number' }).int('must be a whole number').min(0).max(65535),
  ),
  SLACK_API_URL: optionalString.pipe(httpUrl.default('https://slack.com/api/')),
  KOMERZA_API_KEY: required('a Komerza API key').pipe(z.string().min(8, 'is too short to be a Komerza API key')),
  KOMERZA_STORE_ID: required('the store id, a UUID').pipe(
    z.string().regex(UUID, 'must be a UUID (the store id from the Komerza dashboard)'),
  ),
  KOMERZA_API_URL: optionalString.pipe(httpUrl.default('https://api.komerza.com/')),
  KOMERZA_TIMEOUT_MS: z.preprocess(
    (value) => (value === '' || value === undefined ? 8000 : Number(value)),
    z.number({ error: 'must be a number of milliseconds' }).int().min(100).max(60_000),
  ),
  LOG_LEVEL: optionalString.pipe(
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
  ),
  // Rate limiting and caching (issue 5). The bucket mirrors Komerza's: 12 requests, refilled by 4 every 2 s.
  KOMERZA_RATE_CAPACITY: wholeNumber(12, 1, 10_000, 'must be a number of requests'),
  KOMERZA_RATE_REFILL: wholeNumber(4, 1, 10_000, 'must be a number of requests'),
  KOMERZA_RATE_INTERVAL_MS: wholeNumber(2000, 1, 3_600_000, 'must be a number of milliseconds'),
  KOMERZA_CACHE_TTL_MS: wholeNumber(60_000, 0, 86_400_000, 'must be a number of milliseconds (0 turns caching off)'),
  KOMERZA_STORE_CACHE_TTL_MS: wholeNumber(600_000, 0, 86_400_000, 'must be a number of milliseconds'),
  LOOKUP_QUEUE_NOTICE_MS: wholeNumber(3000, 0, 600_000, 'must be a number of milliseconds'),
});

/** An optional whole number with a default (empty means unset, as everywhere in this schema). */
function wholeNumber(fallback: number, min: number, max: number, error: string) {
  return z.preprocess(
    (value) => (value === '' || value === undefined ? fallback : Number(value)),
    z.number({ error }).int('must be a whole number').min(min).max(max),
  );
}

/** Checks across variables, made on the raw input so they are reported together with the per-variable ones. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    return ['SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)'];
  }
  return [];
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  slack: {
    botToken: string;
    /** Required in HTTP mode, where every request's signature is checked with it. */
    signingSecret: string | undefined;
    /** Set → Socket Mode; unset → HTTP on `port`. */
    appToken: string | undefined;
    /** Web API base (with a trailing slash) for every call, auth.test included. */
    apiUrl: string;
  };
  port: number;
  komerza: {
    apiKey: string;
    storeId: string;
    apiUrl: string;
    timeoutMs: number;
  };
  logLevel: LogLevelName;
  /** The client-side token bucket every Komerza request waits on (Komerza's own: 12, +4 per 2 s). */
  rateLimit: {
    capacity: number;
    refillAmount: number;
    refillIntervalMs: number;
  };
  /** How long Komerza reads are reused (0 turns the cache off); the store, which rarely changes, longer. */
  cache: {
    ttlMs: number;
    storeTtlMs: number;
  };
  /** A lookup whose Komerza calls would wait longer than this in the queue says "queued" first. */
  queueNoticeMs: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The app cannot start: fix these settings (in the environment or .env):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = environmentSchema.safeParse(env);
  // Name and message only: zod issues can carry the input, and the input is secrets.
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = result.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    port: e.PORT,
    komerza: {
      apiKey: e.KOMERZA_API_KEY,
      storeId: e.KOMERZA_STORE_ID.toLowerCase(),
      apiUrl: e.KOMERZA_API_URL,
      timeoutMs: e.KOMERZA_TIMEOUT_MS,
    },
    logLevel: e.LOG_LEVEL,
    rateLimit: {
      capacity: e.KOMERZA_RATE_CAPACITY,
      refillAmount: e.KOMERZA_RATE_REFILL,
      refillIntervalMs: e.KOMERZA_RATE_INTERVAL_MS,
    },
    cache: { ttlMs: e.KOMERZA_CACHE_TTL_MS, storeTtlMs: e.KOMERZA_STORE_CACHE_TTL_MS },
    queueNoticeMs: e.LOOKUP_QUEUE_NOTICE_MS,
  };
}

/**
 * The process environment with `.env` (if present) underneath it: a real environment variable wins, as with
 * dotenv's defaults. Reads the file but does not change `process.env`.
 */
export function readEnvironment(
  processEnv: Record<string, string | undefined> = process.env,
  path = '.env',
): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  loadDotenv({ path, processEnv: fromFile, quiet: true });
  return { ...fromFile, ...processEnv };
}
