import type { webApi } from '@slack/bolt';
import type { BudgetLimits, LookupBudget } from './access/budget.js';
import { policyFromConfig } from './access/policy.js';
import type { AccessRules } from './access/standing.js';
import { createWriteAccess, type WriteAccess, writePolicy } from './access/write-access.js';
import { dashboardUrl } from './blocks/card-actions.js';
import { createKeyCheckRecord, type KeyCheckRecord } from './checks/key-scopes.js';
import type { Config } from './config.js';
import { type KomerzaReads, withCache } from './komerza/cache.js';
import type { KomerzaApi } from './komerza/client.js';
import { createKomerzaClient, createKomerzaWriter, type KomerzaClient, type KomerzaWriter } from './komerza/client.js';
import type { RateLimiter } from './komerza/rate-limit.js';
import { createFarewells, type Farewells } from './lifecycle/farewells.js';
import { type AppLogger, createLogger, libraryLogger } from './logger.js';
import type { Lookup } from './lookup/answer.js';
import { type Metrics, noMetrics } from './metrics.js';
import type { SearchStore } from './shared-state/search-store.js';
import { createSharedState, type SharedState } from './shared-state/shared-state.js';
import { triggerClient } from './slack/web-client-options.js';
import { createTicketOffer, type TicketOffer } from './tickets/offer.js';
import type { WriteGuard } from './tickets/write-guard.js';
import { USER_AGENT } from './version.js';

/** What listeners need from the outside world: built once by `buildDeps`, replaced piece by piece in tests. */
export interface Deps {
  /** Komerza, cached (every lookup) and fresh (Refresh): see komerza/cache.ts. */
  komerza: KomerzaReads;
  logger: AppLogger;
  now: () => Date;
  /** The card's "Open in Komerza" link for a customer (from KOMERZA_DASHBOARD_URL). */
  dashboardUrl: (customerId: string) => string | undefined;
  /** What cards may show (SHOW_IP_ADDRESS). */
  privacy: { showIpAddress: boolean };
  /** The Komerza request queue, when there is one: lookups that would wait long say "queued" first. */
  queue: Pick<RateLimiter, 'status'> | undefined;
  /** How long a queue wait must be before that notice is posted, in ms. */
  queueNoticeMs: number;
  /** Search texts behind the picker's page buttons. */
  searches: SearchStore;
  /** What each person may be shown (access/budget.ts), charged per card or row (access/disclosure.ts). */
  budget: LookupBudget;
  budgetLimits: BudgetLimits;
  /** The Web API client for calls that spend a trigger_id (views.open, views.push): see web-client-options.ts. */
  triggerClient: webApi.WebClient;
  /** Last messages for lookups a shutdown cuts short (lifecycle/farewells.ts). */
  farewells: Farewells;
  /** Prometheus metrics (no-ops unless METRICS_ENABLED). */
  metrics: Metrics;
  /** Who may use the app: what the access middleware enforces and the Home tab tells each person. */
  access: AccessRules;
  /** How Slack reaches the app (SLACK_APP_TOKEN set: Socket Mode). */
  slackMode: 'http' | 'socket';
  /** The start-up check of the Komerza key, once service.ts has run it. */
  keyCheck: KeyCheckRecord;
  /** Recent orders a card lists (CARD_RECENT_ORDERS; 0 = none). */
  recentOrders: number;
  /** Ticket actions from cards (TICKET_ACTIONS): what is offered, who may write, and the writes themselves. */
  tickets: TicketDeps;
}

/** Komerza's ticket calls: the thread (always read fresh, never cached) and the two writes. */
export type TicketKomerza = Pick<KomerzaClient, 'getTicket'> & KomerzaWriter;

export interface TicketDeps {
  offer: TicketOffer;
  komerza: TicketKomerza;
  writeAccess: WriteAccess;
  /** Claims each write once across replicas (tickets/write-guard.ts). */
  guard: WriteGuard;
}

/** What a lookup needs from the deps, reading Komerza through `api` (cached by default; fresh for Refresh). */
export function lookupWith(deps: Deps, api: KomerzaApi = deps.komerza.cached): Lookup {
  return { api, logger: deps.logger, recentOrders: deps.recentOrders };
}

/** Pieces a caller (a test, the demo, a replica set-up) may provide instead of the ones built from config. */
export interface DepsOverrides {
  /** Komerza reads (by default an HTTP client with a cache in front, from config). */
  komerza?: KomerzaReads;
  logger?: AppLogger;
  now?: () => Date;
  /** What replicas share (Redis) or this process keeps alone: bucket, budget, cache, search lists. */
  shared?: SharedState;
  /** The Komerza token bucket (by default the shared state's). */
  rateLimiter?: RateLimiter;
  searches?: SearchStore;
  triggerClient?: webApi.WebClient;
  /** Metrics to record into (by default none). */
  metrics?: Metrics;
  /** Access rules (createApp passes the policy with its user-group checker, which reads Slack through the app). */
  access?: AccessRules;
  /** Who may write (createApp passes the write policy with its own user-group checker). */
  writeAccess?: WriteAccess;
  /** Komerza's ticket calls (by default the HTTP client's, from config). */
  ticketKomerza?: TicketKomerza;
}

export function buildDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat, name: 'customer-lookup' });
  const shared = overrides.shared ?? createSharedState(config, logger, overrides.now);
  const metrics = overrides.metrics ?? noMetrics;
  const rateLimiter = metrics.timedLimiter(overrides.rateLimiter ?? shared.rateLimiter);
  const clientOptions = {
    baseUrl: config.komerza.apiUrl,
    apiKey: config.komerza.apiKey,
    storeId: config.komerza.storeId,
    userAgent: USER_AGENT,
    timeoutMs: config.komerza.timeoutMs,
    rateLimiter,
    // After a 429 without Retry-After, wait one refill of Komerza's bucket per attempt.
    retry: { rateLimitBackoffMs: config.rateLimit.refillIntervalMs },
    extend: { hooks: metrics.komerzaHooks() },
  };
  const client = createKomerzaClient(clientOptions);
  const komerza =
    overrides.komerza ??
    withCache(client, {
      ...config.cache,
      ...(shared.cacheStore ? { store: shared.cacheStore } : {}),
      ...(metrics.enabled ? { onRead: (read, hit) => metrics.cacheRead(read, hit) } : {}),
    });
  const writer = createKomerzaWriter(clientOptions);
  return {
    komerza,
    logger,
    now: overrides.now ?? (() => new Date()),
    dashboardUrl: (customerId) =>
      dashboardUrl(config.komerzaDashboardUrl, { storeId: config.komerza.storeId, customerId }),
    privacy: { showIpAddress: config.privacy.showIpAddress },
    queue: rateLimiter,
    queueNoticeMs: config.queueNoticeMs,
    searches: overrides.searches ?? shared.searches,
    budget: shared.budget,
    budgetLimits: { perMinute: config.access.lookupsPerUserPerMinute, perHour: config.access.lookupsPerUserPerHour },
    triggerClient:
      overrides.triggerClient ?? triggerClient(config.slack.botToken, config.slack.apiUrl, libraryLogger(logger)),
    farewells: createFarewells(),
    metrics,
    recentOrders: config.card.recentOrders,
    access: overrides.access ?? { policy: policyFromConfig(config.access) },
    slackMode: config.slack.appToken ? 'socket' : 'http',
    keyCheck: createKeyCheckRecord(),
    tickets: {
      offer: createTicketOffer(config.tickets.actions),
      komerza: overrides.ticketKomerza ?? {
        getTicket: (ticketId) => client.getTicket(ticketId),
        replyToTicket: (ticketId, message) => writer.replyToTicket(ticketId, message),
        closeTicket: (ticketId) => writer.closeTicket(ticketId),
      },
      writeAccess: overrides.writeAccess ?? createWriteAccess(writePolicy(config.tickets)),
      guard: shared.writeGuard,
    },
  };
}
