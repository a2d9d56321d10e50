import type { Hooks, RequestError } from 'got';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RateLimiter } from './komerza/rate-limit.js';

/**
 * Prometheus metrics (GET /metrics when METRICS_ENABLED=true), on a registry of the app's own, so tests and several
 * apps in one process never share counters (docs/operations.md §3, §4). Every label value comes from a fixed set (a kind of lookup, an outcome,
 * a Komerza route template, an HTTP status, a kind of Slack request): never a query, an email, a customer id or a
 * Slack id. Recorded where each fact is seen: the audit (lookups), Bolt's ack (acks), got's hooks (Komerza
 * requests), the cache (hits and misses), the limiter (waits); sampled at scrape time: queue, in flight, Socket Mode.
 */

export type LookupKind =
  | 'command'
  | 'shortcut'
  | 'picker'
  | 'picker_page'
  | 'share'
  | 'refresh'
  | 'home'
  | 'workflow_step';
export type LookupOutcome = 'card' | 'matches' | 'not_found' | 'error' | 'over_budget';
/** A write to Komerza from a card (tickets/send-once.ts), and what became of it. */
export type TicketWriteAction = 'reply' | 'close';
export type TicketWriteOutcome = 'sent' | 'duplicate' | 'guard_unavailable' | 'failed' | 'uncertain' | 'refused';

/** What the app records; a disabled set (`noMetrics`) costs nothing. */
export interface Metrics {
  readonly enabled: boolean;
  /** A lookup answered: counted by kind and outcome, and timed from the ack to the answer delivered. */
  lookupAnswered(kind: LookupKind, outcome: LookupOutcome, seconds: number): void;
  /** A ticket reply or close: counted by action and outcome, timed from the click or submission to Komerza's answer. */
  ticketWrite(action: TicketWriteAction, outcome: TicketWriteOutcome, seconds: number): void;
  /** A Slack request acknowledged `seconds` after the app was handed it (Slack allows 3 s). */
  acked(body: unknown, seconds: number): void;
  /**
   * A cached read (`read`: store, customer, email or subscriptions: a cache key's kind, src/komerza/cache.ts), a
   * `hit` when it cost no Komerza call.
   */
  cacheRead(read: string, hit: boolean): void;
  /** got hooks counting every Komerza attempt by route template and status, 429s and retries. */
  komerzaHooks(): Partial<Hooks>;
  /** The limiter, with the time each request waits for its token measured. */
  timedLimiter(limiter: RateLimiter): RateLimiter;
  /** State sampled at every scrape. */
  watch(sources: WatchedState): void;
  /** The Prometheus text exposition. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface WatchedState {
  /** Slack requests being handled (acked or not, answer not delivered yet). */
  inflight?: { size(): number };
  /** The Komerza token bucket. */
  queue?: Pick<RateLimiter, 'status'>;
  /** Socket Mode only. */
  connection?: { isConnected(): boolean };
}

/** Metrics off: every call is a no-op, nothing is registered. */
export const noMetrics: Metrics = {
  enabled: false,
  lookupAnswered: () => undefined,
  ticketWrite: () => undefined,
  acked: () => undefined,
  cacheRead: () => undefined,
  komerzaHooks: () => ({}),
  timedLimiter: (limiter) => limiter,
  watch: () => undefined,
  scrape: async () => ({ contentType: 'text/plain', body: '' }),
};

const PREFIX = 'customer_lookup_';

/** Slack's request types worth telling apart; anything else is `other`, so a label never holds a payload value. */
const REQUEST_TYPES = new Set([
  // Events: a workflow step's function_executed (the app acks it), and app_home_opened (Bolt acks it).
  'event_callback',
  'block_actions',
  'block_suggestion',
  'message_action',
  'shortcut',
  'view_submission',
  'view_closed',
]);

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Node's standard process metrics, unprefixed: the names every Node.js dashboard expects.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const lookups = new Counter({
    name: `${PREFIX}lookups_total`,
    help: 'Lookups answered, by kind (command, shortcut, picker, picker_page, share, refresh) and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const timeToAnswer = new Histogram({
    name: `${PREFIX}time_to_answer_seconds`,
    help: 'From the ack to the answer delivered (outcome="card": time to card), by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20],
    registers,
  });
  const ticketWrites = new Counter({
    name: `${PREFIX}ticket_writes_total`,
    help: 'Ticket replies and closes from cards, by action (reply, close) and outcome (sent, duplicate, failed, uncertain…).',
    labelNames: ['action', 'outcome'] as const,
    registers,
  });
  const ticketWriteSeconds = new Histogram({
    name: `${PREFIX}ticket_write_seconds`,
    help: 'From the click or submission to Komerza’s answer to the write, by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20],
    registers,
  });
  const ack = new Histogram({
    name: `${PREFIX}ack_seconds`,
    help: 'From a Slack request reaching the app to its ack() (Slack gives up after 3 s), by request type.',
    labelNames: ['request'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers,
  });
  const komerzaRequests = new Counter({
    name: `${PREFIX}komerza_requests_total`,
    help: 'Komerza requests, retries included, by route template and HTTP status (timeout/network: no answer).',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const komerzaDuration = new Histogram({
    name: `${PREFIX}komerza_request_duration_seconds`,
    help: 'Time of one answered Komerza request (one attempt), by route template.',
    labelNames: ['route'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers,
  });
  const rateLimited = new Counter({
    name: `${PREFIX}komerza_rate_limited_total`,
    help: 'Komerza answers 429 (rate limited), by route template.',
    labelNames: ['route'] as const,
    registers,
  });
  const retries = new Counter({
    name: `${PREFIX}komerza_retries_total`,
    help: 'Komerza requests retried, by route template and why (rate_limited, server_error, timeout, network).',
    labelNames: ['route', 'reason'] as const,
    registers,
  });
  const tokenWait = new Histogram({
    name: `${PREFIX}komerza_rate_limit_wait_seconds`,
    help: "How long each Komerza request waited for a token of the app's token bucket.",
    buckets: [0.001, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const cacheHits = new Counter({
    name: `${PREFIX}cache_hits_total`,
    help: 'Cached Komerza reads answered without a Komerza call, by read (store, customer, email, subscriptions).',
    labelNames: ['read'] as const,
    registers,
  });
  const cacheMisses = new Counter({
    name: `${PREFIX}cache_misses_total`,
    help: 'Cached Komerza reads that called Komerza, by read (store, customer, email, subscriptions).',
    labelNames: ['read'] as const,
    registers,
  });

  return {
    enabled: true,
    lookupAnswered(kind, outcome, seconds) {
      lookups.inc({ kind, outcome });
      timeToAnswer.observe({ kind, outcome }, seconds);
    },
    ticketWrite(action, outcome, seconds) {
      ticketWrites.inc({ action, outcome });
      ticketWriteSeconds.observe({ action, outcome }, seconds);
    },
    acked(body, seconds) {
      ack.observe({ request: requestType(body) }, seconds);
    },
    cacheRead(read, hit) {
      (hit ? cacheHits : cacheMisses).inc({ read });
    },
    komerzaHooks() {
      // Which hook sees which attempt: docs/toolchain.md §7.
      const unanswered = (error: RequestError) => (error.code === 'ETIMEDOUT' ? 'timeout' : 'network');
      return {
        afterResponse: [
          (response) => {
            const route = routeOf(response.request.options.context);
            komerzaRequests.inc({ route, status: String(response.statusCode) });
            if (response.statusCode === 429) rateLimited.inc({ route });
            const totalMs = response.timings.phases.total;
            if (totalMs !== undefined) komerzaDuration.observe({ route }, totalMs / 1000);
            return response;
          },
        ],
        beforeRetry: [
          (error) => {
            const route = routeOf(error.options.context);
            const status = error.response?.statusCode;
            // An answered attempt was counted by afterResponse; one without an answer is counted here.
            if (status === undefined) komerzaRequests.inc({ route, status: unanswered(error) });
            const reason = status === undefined ? unanswered(error) : status === 429 ? 'rate_limited' : 'server_error';
            retries.inc({ route, reason });
          },
        ],
        // The last attempt without an answer (got skips this hook for HTTP statuses with throwHttpErrors: false).
        beforeError: [
          (error) => {
            if (error.response === undefined) {
              komerzaRequests.inc({ route: routeOf(error.options?.context), status: unanswered(error) });
            }
            return error;
          },
        ],
      };
    },
    timedLimiter(limiter) {
      return {
        status: () => limiter.status(),
        drain: () => limiter.drain(),
        async acquire() {
          const started = performance.now();
          await limiter.acquire();
          tokenWait.observe((performance.now() - started) / 1000);
        },
      };
    },
    watch({ inflight, queue, connection }) {
      if (inflight) {
        new Gauge({
          name: `${PREFIX}requests_in_flight`,
          help: 'Slack requests being handled (lookups whose answer is not delivered yet).',
          registers,
          collect() {
            this.set(inflight.size());
          },
        });
      }
      if (queue) {
        new Gauge({
          name: `${PREFIX}komerza_rate_limit_queue_length`,
          help: "Komerza requests waiting for a token of the app's token bucket.",
          registers,
          collect() {
            this.set(queue.status().queued);
          },
        });
        new Gauge({
          name: `${PREFIX}komerza_rate_limit_estimated_wait_seconds`,
          help: 'How long a Komerza request made now would wait for its token.',
          registers,
          collect() {
            this.set(queue.status().estimatedWaitMs / 1000);
          },
        });
      }
      if (connection) {
        new Gauge({
          name: `${PREFIX}socket_mode_connected`,
          help: '1 while the Socket Mode WebSocket to Slack is up, 0 while it is down.',
          registers,
          collect() {
            this.set(connection.isConnected() ? 1 : 0);
          },
        });
      }
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** The Komerza client puts its route template (ROUTES) in got's `context`; `unknown` if a request has none. */
function routeOf(context: Record<string, unknown> | undefined): string {
  const route = context?.route;
  return typeof route === 'string' ? route : 'unknown';
}

function requestType(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'other';
  if ('command' in body && typeof body.command === 'string') return 'command';
  const type = 'type' in body ? body.type : undefined;
  return typeof type === 'string' && REQUEST_TYPES.has(type) ? type : 'other';
}
