import type { Config } from '../config.js';
import { createKomerzaClient } from '../komerza/client.js';
import { type AppLogger, libraryLogger } from '../logger.js';
import { createSharedState, type SharedState } from '../shared-state/shared-state.js';
import { USER_AGENT } from '../version.js';
import { type KomerzaCheckContext, komerzaCheckContext, maskEmail } from './komerza-context.js';
import { checkKomerzaCustomer } from './komerza-customer.js';
import { checkKomerzaDateTimes } from './komerza-date-times.js';
import { KOMERZA_EMAIL_FILTER_CHECKS } from './komerza-email-filter.js';
import { checkKomerzaEmailRoute } from './komerza-email-route.js';
import { checkKomerzaLatency } from './komerza-latency.js';
import { checkKomerzaOrdersOrder } from './komerza-orders-order.js';
import { checkKomerzaProductIds } from './komerza-product-ids.js';
import { createKomerzaMeter, createKomerzaReads } from './komerza-reads.js';
import { KOMERZA_ROUTE_CHECK as ROUTE } from './komerza-routes.js';
import { checkRedis } from './redis.js';
import { checkSlackBotToken } from './slack-bot-token.js';
import { type SlackCheckContext, slackCheckContext } from './slack-context.js';
import { checkSlackRequestUrls } from './slack-request-urls.js';
import { checkSlackScopes } from './slack-scopes.js';
import { checkSlackSocketMode } from './slack-socket-mode.js';
import { STARTUP_CHECKS } from './startup.js';
import { type Check, runChecks, type Verdict } from './verdict.js';

/**
 * `npm run doctor`: the app's start-up checks, then everything else the app assumes about Slack and Komerza, against
 * the real installation the configuration points at. Read-only: a few Slack calls, and at most 15 Komerza reads
 * (plus a retry after a 429 or a 5xx, as the app makes them) through the app's own client and rate limiter (shared
 * with running replicas when REDIS_URL is set).
 */

export const SLACK_CHECKS: ReadonlyArray<Check<SlackCheckContext>> = [
  checkSlackBotToken,
  checkSlackScopes,
  checkSlackSocketMode,
  checkSlackRequestUrls,
];

/**
 * After the start-up checks (src/checks/startup.ts, which stop at a fatal answer): each route, then what needs a
 * customer's address.
 */
export const KOMERZA_CHECKS: ReadonlyArray<Check<KomerzaCheckContext>> = [
  ROUTE.customers,
  ROUTE.customerSearch,
  checkKomerzaEmailRoute,
  ROUTE.orders,
  ROUTE.subscriptions,
  ROUTE.products,
  ROUTE.tickets,
  checkKomerzaCustomer,
  ...KOMERZA_EMAIL_FILTER_CHECKS,
  checkKomerzaOrdersOrder,
  checkKomerzaProductIds,
  checkKomerzaDateTimes,
  checkKomerzaLatency,
];

/** The most Komerza calls one run makes (tests hold the doctor to it). */
export const MAX_KOMERZA_CALLS = 15;

export interface DoctorOptions {
  /** A real customer's address: the customer-specific checks read with it. Never printed in full. */
  email?: string;
  /** Where libraries log (never stdout, which carries the report). */
  logger: AppLogger;
  /** Slack Web API retries (undefined: the app's bounded policy). */
  slackRetries?: number;
  /** Shared state to use instead of building it from the configuration (tests). */
  shared?: SharedState;
}

export interface DoctorSection {
  name: 'Slack' | 'Komerza' | 'Shared state';
  verdicts: Verdict[];
}

export interface DoctorReport {
  mode: 'http' | 'socket';
  storeId: string;
  /** The address checked with, masked (`j***@example.com`). */
  email: string | undefined;
  sections: DoctorSection[];
  /** Requests Komerza saw, retries included. */
  komerzaCalls: number;
  /** Whether the Komerza checks stopped early: a rejected key, an unknown store, or a Komerza that does not answer. */
  komerzaStopped: boolean;
  /** 1 when a required check failed, else 0. */
  exitCode: 0 | 1;
}

export async function runDoctor(config: Config, options: DoctorOptions): Promise<DoctorReport> {
  const { logger } = options;
  const slack = slackCheckContext(config, { retries: options.slackRetries, logger: libraryLogger(logger) });
  const slackVerdicts: Verdict[] = [];
  // Each Slack check stands on its own (a refused bot token says nothing about the app token): none stops the rest.
  for (const check of SLACK_CHECKS) {
    const verdict = await check(slack);
    if (verdict) slackVerdicts.push(verdict);
  }

  const shared = options.shared ?? createSharedState(config, logger);
  const ownShared = !options.shared;
  try {
    if (ownShared) await shared.start();
    const meter = createKomerzaMeter();
    const client = createKomerzaClient({
      baseUrl: config.komerza.apiUrl,
      apiKey: config.komerza.apiKey,
      storeId: config.komerza.storeId,
      userAgent: USER_AGENT,
      timeoutMs: config.komerza.timeoutMs,
      // The app's own bucket: the doctor's calls are spaced like the app's, and with Redis they share its budget.
      rateLimiter: shared.rateLimiter,
      retry: { rateLimitBackoffMs: config.rateLimit.refillIntervalMs },
      extend: { hooks: meter.hooks },
    });
    const context = komerzaCheckContext(config, createKomerzaReads(client, meter), options.email);
    const startup = await runChecks(STARTUP_CHECKS, context);
    // A key or store Komerza refuses (fatal), or a Komerza that does not answer: every other read would end the same
    // way, each after its own timeout.
    const komerzaStopped = startup.some(
      (verdict) => verdict.status === 'fail' && (verdict.fatal || (verdict.id === 'komerza.store' && verdict.required)),
    );
    const komerzaVerdicts = komerzaStopped ? startup : [...startup, ...(await runChecks(KOMERZA_CHECKS, context))];
    const redis = await checkRedis({ config, redis: shared.redis });

    const sections: DoctorSection[] = [
      { name: 'Slack', verdicts: slackVerdicts },
      { name: 'Komerza', verdicts: komerzaVerdicts },
      ...(redis ? [{ name: 'Shared state' as const, verdicts: [redis] }] : []),
    ];
    const failedRequired = sections.some((section) =>
      section.verdicts.some((verdict) => verdict.status === 'fail' && verdict.required),
    );
    return {
      mode: config.slack.appToken ? 'socket' : 'http',
      storeId: config.komerza.storeId,
      email: options.email ? maskEmail(options.email) : undefined,
      sections,
      komerzaCalls: meter.calls,
      komerzaStopped,
      exitCode: failedRequired ? 1 : 0,
    };
  } finally {
    if (ownShared) await shared.close();
  }
}
