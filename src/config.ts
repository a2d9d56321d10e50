import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { isKomerzaId } from './komerza/schemas.js';

/**
 * The environment, as a zod schema (the names and meanings are the app's outside contract: see README).
 * Every problem is reported at once, by variable name; values are never echoed, since most of them are secrets.
 */

/** `FOO=` in a .env file means "not set", not "set to nothing". */
const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const required = (what: string) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string({ error: `is required (${what})` }));
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => (url.endsWith('/') ? url : `${url}/`));

/**
 * SHUTDOWN_DRAIN_DELAY_MS in HTTP mode when unset: the usual allowance for Kubernetes to take a terminating pod out of
 * its Service and for proxies to follow (docs/operations.md §1). A load balancer that itself probes /readyz needs
 * interval × threshold.
 */
export const DEFAULT_HTTP_DRAIN_DELAY_MS = 5000;
export const DEFAULT_DASHBOARD_URL = 'https://dashboard.komerza.com';
export const DEFAULT_REDIS_KEY_PREFIX = 'customer-lookup:';
const PLACEHOLDER = /\{(storeId|customerId)\}/g;
/** A URL once its placeholders are filled with sample ids: it must then be an http(s) URL. */
const dashboardTemplate = z
  .string()
  .refine((template) => !/\{(?!storeId\}|customerId\})[^}]*\}/.test(template), {
    error: 'may only use the placeholders {storeId} and {customerId}',
  })
  .refine(
    (template) => {
      try {
        const url = new URL(template.replace(PLACEHOLDER, '00000000-0000-4000-8000-000000000000'));
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    },
    { error: 'must be an http(s) URL (optionally with {storeId} and {customerId})' },
  );
/**
 * A comma- or space-separated list of Slack ids; unset or empty → undefined (no restriction). Ids are validated so a
 * typo (a channel *name*, a user's handle) is a start-up error rather than a silently empty allow-list.
 */
function idList(pattern: RegExp, what: string) {
  return optionalString.pipe(
    z
      .string()
      .transform((value) => value.split(/[\s,]+/).filter(Boolean))
      // A blank or comma-only value would be an empty allow-list that refuses everyone: say so instead.
      .refine((ids) => ids.length > 0, 'names no ids (leave it unset to allow everyone)')
      .refine((ids) => ids.every((id) => pattern.test(id)), `must be a comma-separated list of ${what}`)
      .optional(),
  );
}

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
    z.string().refine(isKomerzaId, 'must be a UUID (the store id from the Komerza dashboard)'),
  ),
  KOMERZA_API_URL: optionalString.pipe(httpUrl.default('https://api.komerza.com/')),
  KOMERZA_TIMEOUT_MS: z.preprocess(
    (value) => (value === '' || value === undefined ? 8000 : Number(value)),
    z.number({ error: 'must be a number of milliseconds' }).int().min(100).max(60_000),
  ),
  LOG_LEVEL: optionalString.pipe(
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
  ),
  // The card's "Open in Komerza" link: a template with {storeId} and {customerId}. Komerza's deep-link paths are
  // not documented, so the default is the dashboard's root.
  KOMERZA_DASHBOARD_URL: optionalString.pipe(dashboardTemplate.default(DEFAULT_DASHBOARD_URL)),
  /** `json` (one object per line, for log shippers) or `pretty` (for a terminal). Unset: pretty on a TTY, else json. */
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional()),
  /** On SIGTERM/SIGINT, how long lookups already under way may take to deliver their answer before the exit. */
  SHUTDOWN_TIMEOUT_MS: z.preprocess(
    (value) => (value === '' || value === undefined ? 10_000 : Number(value)),
    z.number({ error: 'must be a number of milliseconds' }).int().min(0).max(120_000),
  ),
  /**
   * On SIGTERM, how long the app keeps serving while /readyz already says "stopping", so a load balancer stops
   * sending requests before the port closes. Unset: 5000 in HTTP mode, 0 in Socket Mode (see parseConfig).
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.preprocess(
    (value) => (value === '' || value === undefined ? undefined : Number(value)),
    z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number')
      .min(0)
      .max(120_000)
      .optional(),
  ),
  // GET /metrics (Prometheus text format); off by default.
  METRICS_ENABLED: optionalString.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
  // Access control (README "Security and privacy"). Each unset list means "no restriction of that kind".
  ALLOWED_USER_IDS: idList(/^[UW][A-Z0-9]{2,}$/, 'Slack user ids (U…/W…)'),
  ALLOWED_USERGROUP_IDS: idList(/^S[A-Z0-9]{2,}$/, 'Slack user group ids (S…)'),
  ALLOWED_CHANNEL_IDS: idList(/^[CGD][A-Z0-9]{2,}$/, 'Slack channel ids (C…/G…/D…)'),
  // Ticket actions from cards (README "Ticket actions"): the app's only writes to a store, off unless turned on.
  TICKET_ACTIONS: optionalString.pipe(
    z.enum(['off', 'reply', 'reply_and_close'], { error: 'must be off, reply or reply_and_close' }).default('off'),
  ),
  // Who may write (reply, close), on top of the rules above; both unset: whoever may look customers up.
  ALLOWED_WRITE_USER_IDS: idList(/^[UW][A-Z0-9]{2,}$/, 'Slack user ids (U…/W…)'),
  ALLOWED_WRITE_USERGROUP_IDS: idList(/^S[A-Z0-9]{2,}$/, 'Slack user group ids (S…)'),
  // What one Slack user may be shown, in customers (each card or picker row counts one), per clock minute and per
  // clock hour (0 turns that limit off). Defaults a real support agent does not meet; a copy of the customer base
  // through the bot would.
  LOOKUPS_PER_USER_PER_MINUTE: wholeNumber(100, 0, 100_000, 'must be a number of lookups'),
  LOOKUPS_PER_USER_PER_HOUR: wholeNumber(1000, 0, 1_000_000, 'must be a number of lookups'),
  // `false` hides the customer's IP address everywhere, private cards included.
  SHOW_IP_ADDRESS: optionalString.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('true')
      .transform((value) => value === 'true'),
  ),
  // Rate limiting and caching. The bucket mirrors Komerza's: 12 requests, refilled by 4 every 2 s.
  KOMERZA_RATE_CAPACITY: wholeNumber(12, 1, 10_000, 'must be a number of requests'),
  KOMERZA_RATE_REFILL: wholeNumber(4, 1, 10_000, 'must be a number of requests'),
  // At most 60 s: a request whose token is further away than that fails at once as rate-limited.
  KOMERZA_RATE_INTERVAL_MS: wholeNumber(2000, 1, 60_000, 'must be a number of milliseconds (at most 60000)'),
  KOMERZA_CACHE_TTL_MS: wholeNumber(60_000, 0, 86_400_000, 'must be a number of milliseconds (0 turns caching off)'),
  KOMERZA_STORE_CACHE_TTL_MS: wholeNumber(600_000, 0, 86_400_000, 'must be a number of milliseconds'),
  LOOKUP_QUEUE_NOTICE_MS: wholeNumber(3000, 0, 600_000, 'must be a number of milliseconds'),
  // Shared state for several replicas (docs/shared-state.md). Jitter: how much later than sent a request may reach Komerza.
  KOMERZA_RATE_JITTER_MS: wholeNumber(100, 0, 1000, 'must be a number of milliseconds (at most 1000)'),
  REDIS_URL: optionalString.pipe(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  KOMERZA_REPLICAS: wholeNumber(1, 1, 100, 'must be a number of replicas'),
  KOMERZA_SHARED_CACHE: optionalString.pipe(
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('true')
      .transform((value) => value === 'true'),
  ),
  // The customer's latest orders on the card (0 turns the section and its Komerza call off). At most 10: the card
  // stays readable and inside Block Kit's limits.
  CARD_RECENT_ORDERS: wholeNumber(5, 0, 10, 'must be a number of orders from 0 to 10'),
  // The longest one Redis command may take before this replica counts Redis as down and goes on alone.
  REDIS_COMMAND_TIMEOUT_MS: wholeNumber(200, 10, 10_000, 'must be a number of milliseconds (10 to 10000)'),
  // Namespace of every key and channel the app uses in that Redis: two deployments (or test runs) sharing one Redis
  // need different prefixes; every replica of one deployment the same.
  REDIS_KEY_PREFIX: optionalString.pipe(
    z
      .string()
      .max(100, 'must be at most 100 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .default(DEFAULT_REDIS_KEY_PREFIX),
  ),
});

/** Every environment variable the app reads (README's configuration table and .env.example list each one). */
export const SETTING_NAMES: readonly string[] = Object.keys(environmentSchema.shape);

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

/** TICKET_ACTIONS: `reply` adds View & reply to cards, `reply_and_close` also Close ticket. */
export type TicketActionsSetting = 'off' | 'reply' | 'reply_and_close';

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
  /** "Open in Komerza" link template ({storeId}, {customerId}); the dashboard root by default. */
  komerzaDashboardUrl: string;
  /** LOG_FORMAT, or (unset) `pretty` when stdout is a terminal and `json` otherwise. */
  logFormat: 'json' | 'pretty';
  /** Upper bound on waiting for in-flight lookups at shutdown, in milliseconds. */
  shutdownTimeoutMs: number;
  /** On SIGTERM, how long to keep serving while reporting not ready, before stopping (ms). */
  shutdownDrainDelayMs: number;
  /** Whether GET /metrics is served. */
  metricsEnabled: boolean;
  /** Who may use the app and where. Every undefined list means "no restriction of that kind". */
  access: {
    userIds: string[] | undefined;
    usergroupIds: string[] | undefined;
    channelIds: string[] | undefined;
    /** Customers (cards or picker rows) one person may be shown per clock minute; 0 = unlimited. */
    lookupsPerUserPerMinute: number;
    /** The same per clock hour; 0 = unlimited. */
    lookupsPerUserPerHour: number;
  };
  /** Replies and closes from cards (TICKET_ACTIONS), and who may make them (an undefined list: no restriction). */
  tickets: {
    actions: TicketActionsSetting;
    writeUserIds: string[] | undefined;
    writeUsergroupIds: string[] | undefined;
  };
  privacy: {
    /** False hides the IP address even in private cards. */
    showIpAddress: boolean;
  };
  /** The client-side token bucket every Komerza request waits on (Komerza's own: 12, +4 per 2 s). */
  rateLimit: {
    capacity: number;
    refillAmount: number;
    refillIntervalMs: number;
    /** How much later than sent a request may reach Komerza (KOMERZA_RATE_JITTER_MS). */
    jitterMs: number;
  };
  /** State shared by replicas through Redis; no `redisUrl` → everything in memory, one process. */
  sharedState: {
    redisUrl: string | undefined;
    /** KOMERZA_REPLICAS: sizes each replica's share of the bucket while Redis is unreachable. */
    replicas: number;
    /** KOMERZA_SHARED_CACHE: false keeps customer data out of Redis. */
    sharedCache: boolean;
    /** REDIS_KEY_PREFIX: the namespace of this deployment's keys and channels. */
    keyPrefix: string;
    /** REDIS_COMMAND_TIMEOUT_MS: a command slower than this counts as a failure (the replica falls back). */
    commandTimeoutMs: number;
  };
  /** How long Komerza reads are reused (0 turns the cache off); the store, which rarely changes, longer. */
  cache: {
    ttlMs: number;
    storeTtlMs: number;
  };
  /** A lookup whose Komerza calls would wait longer than this in the queue says "queued" first. */
  queueNoticeMs: number;
  /** What the card shows: how many recent orders (0 = none, and no orders call). */
  card: { recentOrders: number };
}

/** Facts about the process that defaults depend on (passed in, so parsing stays pure). */
export interface ConfigContext {
  /** Whether stdout is a terminal: decides the default LOG_FORMAT. */
  stdoutIsTTY?: boolean;
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

export function parseConfig(env: Record<string, string | undefined>, context: ConfigContext = {}): Config {
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
    komerzaDashboardUrl: e.KOMERZA_DASHBOARD_URL,
    logFormat: e.LOG_FORMAT ?? (context.stdoutIsTTY ? 'pretty' : 'json'),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // HTTP mode: requests come through a load balancer, which needs time to stop routing here. Socket Mode: Slack
    // sends requests down the app's own WebSocket, which closes at once on stop; waiting would only delay the exit.
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS ?? (e.SLACK_APP_TOKEN ? 0 : DEFAULT_HTTP_DRAIN_DELAY_MS),
    metricsEnabled: e.METRICS_ENABLED,
    access: {
      userIds: e.ALLOWED_USER_IDS,
      usergroupIds: e.ALLOWED_USERGROUP_IDS,
      channelIds: e.ALLOWED_CHANNEL_IDS,
      lookupsPerUserPerMinute: e.LOOKUPS_PER_USER_PER_MINUTE,
      lookupsPerUserPerHour: e.LOOKUPS_PER_USER_PER_HOUR,
    },
    tickets: {
      actions: e.TICKET_ACTIONS,
      writeUserIds: e.ALLOWED_WRITE_USER_IDS,
      writeUsergroupIds: e.ALLOWED_WRITE_USERGROUP_IDS,
    },
    privacy: { showIpAddress: e.SHOW_IP_ADDRESS },
    rateLimit: {
      capacity: e.KOMERZA_RATE_CAPACITY,
      refillAmount: e.KOMERZA_RATE_REFILL,
      refillIntervalMs: e.KOMERZA_RATE_INTERVAL_MS,
      jitterMs: e.KOMERZA_RATE_JITTER_MS,
    },
    sharedState: {
      redisUrl: e.REDIS_URL,
      replicas: e.KOMERZA_REPLICAS,
      sharedCache: e.KOMERZA_SHARED_CACHE,
      keyPrefix: e.REDIS_KEY_PREFIX,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    },
    cache: { ttlMs: e.KOMERZA_CACHE_TTL_MS, storeTtlMs: e.KOMERZA_STORE_CACHE_TTL_MS },
    queueNoticeMs: e.LOOKUP_QUEUE_NOTICE_MS,
    card: { recentOrders: e.CARD_RECENT_ORDERS },
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
