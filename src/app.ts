import { Server } from 'node:http';
import { App, HTTPReceiver, type LogLevel, type Receiver } from '@slack/bolt';
import { accessMiddleware } from './access/middleware.js';
import { policyFromConfig } from './access/policy.js';
import type { AccessRules } from './access/standing.js';
import { createGroupMembership } from './access/usergroups.js';
import { createWriteAccess, writePolicy } from './access/write-access.js';
import type { Config } from './config.js';
import { buildDeps, type Deps, type DepsOverrides } from './deps.js';
import { createInflight, type Inflight } from './lifecycle/inflight.js';
import { createReadiness, type Readiness } from './lifecycle/readiness.js';
import { registerListeners } from './listeners/index.js';
import { createLogger, libraryLogger } from './logger.js';
import { createMetrics, type Metrics, noMetrics } from './metrics.js';
import { EVENTS_PATH, operationalRoutes } from './routes.js';
import { createSharedState } from './shared-state/shared-state.js';
import { timeAcks } from './slack/ack-timing.js';
import type { AppContext } from './slack/context.js';
import { guardRequestBodies } from './slack/request-guard.js';
import { createSocketModeReceiver, type SocketConnection } from './slack/socket-mode.js';
import { acknowledgeUnknownRequests } from './slack/unknown-requests.js';
import { webClientOptions } from './slack/web-client-options.js';

export interface AppDeps extends DepsOverrides {
  /** Retries of Slack Web API calls (Bolt's default is ~10 over 30 minutes; tests use 0). */
  slackRetries?: number;
}

export interface CreatedApp {
  app: App<AppContext>;
  deps: Deps;
  mode: 'http' | 'socket';
  /**
   * The shared state's connection (Redis; nothing without REDIS_URL). `connect` is bounded by the connect timeout and
   * start() does it too: calling it first makes the start-up's own Komerza calls go through the shared bucket.
   * `close` is for a start that fails before stop() could be called.
   */
  sharedState: { connect(): Promise<void>; close(): Promise<void> };
  /** Checks the bot token (auth.test through SLACK_API_URL), then listens. Resolves once requests are served. */
  start(): Promise<void>;
  /**
   * Graceful stop: stops taking requests (HTTP server closed / socket disconnected), then waits up to
   * `config.shutdownTimeoutMs` for listeners still running (e.g. a lookup whose answer is on its way).
   * `abandoned` counts those that were still running when the time ran out.
   */
  stop(): Promise<{ abandoned: number }>;
  /** Every listener run that has not finished yet (tracked by a global middleware). */
  inflight: Inflight;
  /** The HTTP port actually bound (useful with PORT=0); undefined before start. */
  port(): number | undefined;
  /** Socket Mode only: whether the WebSocket to Slack is up (for readiness). Undefined in HTTP mode. */
  connection?: SocketConnection;
  /** GET /readyz: `starting` until start() resolves, `stopping` from shutdown on; checks in between. */
  readiness: Readiness;
  /** What GET /metrics serves (no-ops unless METRICS_ENABLED). */
  metrics: Metrics;
}

/** How long the last messages to lookups cut short by a shutdown may take (after SHUTDOWN_TIMEOUT_MS). */
export const FAREWELL_TIMEOUT_MS = 2000;

/**
 * A Bolt App with every listener registered. No I/O happens here: Bolt's initialisation (auth.test) is
 * deferred to `start()`, so a bad token is a readable start-up error rather than an unhandled rejection.
 */
export function createApp(config: Config, overrides: AppDeps = {}): CreatedApp {
  // A registry per app (never prom-client's global one), so tests and several apps in one process stay apart.
  const metrics = overrides.metrics ?? (config.metricsEnabled ? createMetrics() : noMetrics);
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat, name: 'customer-lookup' });
  // Komerza's bucket, each person's budget, the cache and search lists: in Redis for every replica, or here alone.
  const shared = overrides.shared ?? createSharedState(config, logger, overrides.now);
  // Members of allowed user groups, read through the app's own client (built below, before any request), so
  // SLACK_API_URL applies. Needs the usergroups:read scope.
  const groupsOf = (usergroupIds: string[] | undefined, setting: string) =>
    usergroupIds?.length
      ? createGroupMembership({
          usergroupIds,
          list: async (usergroup) => (await app.client.usergroups.users.list({ usergroup })).users ?? [],
          onError: (usergroup, error) =>
            logger.error(`Could not read a user group of ${setting} (is the usergroups:read scope granted?)`, {
              usergroup,
              code: (error as { data?: { error?: string } }).data?.error ?? (error as { code?: string }).code,
            }),
        })
      : undefined;
  // Who may use the app: enforced by the access middleware below, and told to each person on the Home tab.
  const access: AccessRules = {
    policy: policyFromConfig(config.access),
    groups: groupsOf(config.access.usergroupIds, 'ALLOWED_USERGROUP_IDS'),
  };
  // Who may reply to and close tickets, on top of that (src/access/write-access.ts).
  const writeAccess = createWriteAccess(
    writePolicy(config.tickets),
    groupsOf(config.tickets.writeUsergroupIds, 'ALLOWED_WRITE_USERGROUP_IDS'),
  );
  const deps = buildDeps(config, { ...overrides, logger, shared, metrics, access, writeAccess });
  const { now } = deps;
  const readiness = createReadiness();
  const routes = operationalRoutes(readiness, metrics);
  // Slack's libraries never log at debug (their debug lines carry message bodies): see libraryLogger.
  const logLevel = (config.logLevel === 'debug' ? 'info' : config.logLevel) as LogLevel;
  const boltLogger = libraryLogger(logger);

  const mode = config.slack.appToken ? 'socket' : 'http';
  // Socket Mode: every Web API call through SLACK_API_URL, a bounded first connection, reconnects (src/slack/).
  const socket = config.slack.appToken
    ? createSocketModeReceiver({
        appToken: config.slack.appToken,
        apiUrl: config.slack.apiUrl,
        retries: overrides.slackRetries,
        // Health, readiness and metrics are still served over HTTP in Socket Mode, on PORT.
        port: config.port,
        customRoutes: routes,
        logger,
        libraryLogger: boltLogger,
        logLevel,
      })
    : undefined;
  let receiver: Receiver;
  if (socket) receiver = socket.receiver;
  else {
    const http = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      endpoints: EVENTS_PATH,
      customRoutes: routes,
      logger: boltLogger,
      logLevel,
    });
    // No request, however malformed, may end the process (src/slack/request-guard.ts).
    guardRequestBodies(http, EVENTS_PATH, logger);
    receiver = http;
  }

  const app = new App<AppContext>({
    token: config.slack.botToken,
    receiver,
    logger: boltLogger,
    logLevel,
    deferInitialization: true,
    // Bolt's default conversation store looks every request's conversation up in memory and, finding nothing,
    // rejects with a new Error (a stack trace per request, ~3% of CPU under load). The app keeps no conversation state.
    convoStore: false,
    clientOptions: webClientOptions(config.slack.apiUrl, overrides.slackRetries),
  });
  if (socket) {
    const { connection } = socket;
    readiness.add({
      name: 'socket_mode',
      // Slack cannot reach a Socket Mode app whose WebSocket is down (it reconnects by itself: socket-mode.ts).
      check: () => (connection.isConnected() ? { ok: true } : { ok: false, reason: 'socket_disconnected' }),
    });
  }
  const { redis } = shared;
  if (redis) {
    readiness.add({
      name: 'redis',
      // Every shared piece falls back to this replica alone while Redis is away: reported, never unready.
      informational: true,
      check: () => (redis.health() === 'up' ? { ok: true } : { ok: false, reason: 'redis_unreachable' }),
    });
  }
  if (metrics.enabled) timeAcks(app, (body, seconds) => metrics.acked(body, seconds));
  app.error(async (error) => {
    // Listeners turn their own failures into messages; anything here is a bug, logged and contained.
    logger.error('Unhandled error in a listener', error);
  });
  // Bolt acks a command as soon as the listener calls ack(), but `next()` of a global middleware resolves only
  // when every listener has returned (App.processEvent awaits Promise.allSettled of them), i.e. after the answer
  // went to the response_url. So this one line tracks every lookup, from commands, shortcuts and actions alike.
  const inflight = createInflight();
  app.use(async ({ next }) => {
    await inflight.track(next());
  });
  // Before any listener: every command, shortcut, click and workflow step is checked (src/access/middleware.ts).
  app.use(
    accessMiddleware({
      policy: deps.access.policy,
      groups: deps.access.groups,
      triggerClient: deps.triggerClient,
      budget: deps.budget,
      limits: deps.budgetLimits,
      now,
      logger,
    }),
  );
  // After access control (a refused person is told why), before the listeners: interactions for ids no listener
  // handles are acknowledged here rather than left to time out.
  app.use(acknowledgeUnknownRequests(logger));
  registerListeners(app, deps);
  metrics.watch({ inflight, queue: deps.queue, connection: socket?.connection });

  let boundPort: number | undefined;
  let httpServer: Server | undefined;
  return {
    app,
    deps,
    mode,
    inflight,
    port: () => boundPort,
    ...(socket ? { connection: socket.connection } : {}),
    readiness,
    metrics,
    sharedState: { connect: () => shared.start(), close: () => shared.close() },
    async start() {
      // Bounded by Redis's connect timeout; without Redis the app starts on its own share (logged once).
      await shared.start();
      await app.init();
      const server: unknown = await app.start(config.port);
      if (server instanceof Server) httpServer = server;
      const address = (server as { address?: () => unknown } | undefined)?.address?.();
      if (address && typeof address === 'object' && 'port' in address) boundPort = Number(address.port);
      else boundPort = config.port;
      readiness.serving();
    },
    async stop() {
      readiness.stopping();
      // One deadline for the whole stop. Closing first means no new lookup can start while the running ones
      // finish; but Node's server.close() also waits for requests still being received, so it gets the same
      // deadline, after which the remaining connections are cut.
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const closed = await Promise.race([
        app.stop().then(() => true),
        sleep(config.shutdownTimeoutMs).then(() => false),
      ]);
      if (!closed) httpServer?.closeAllConnections();
      const { abandoned } = await inflight.drain(Math.max(0, deadline - Date.now()));
      if (abandoned > 0) {
        logger.warn(`Stopped with ${abandoned} lookup(s) unfinished after ${config.shutdownTimeoutMs} ms`);
        // Nobody is left looking at "Queued…" or "Looking up…": each is told to run it again.
        const told = await deps.farewells.sayAll(FAREWELL_TIMEOUT_MS);
        logger.info(`Told ${told} person(s) whose lookup was cut short to run it again`);
      }
      await shared.close();
      return { abandoned };
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
