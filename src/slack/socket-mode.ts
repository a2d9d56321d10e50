import { createServer, type Server } from 'node:http';
import { type App, type CustomRoute, type Logger, type LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { webClientOptions } from './web-client-options.js';

/**
 * Socket Mode for the app: Bolt's SocketModeReceiver, with its Socket Mode client's Web API calls
 * (apps.connections.open) sent to SLACK_API_URL with the app's bounded retries, a first connection that either
 * succeeds or fails within seconds, and reconnection owned here rather than by the client.
 *
 * Why not the client's own reconnection (@slack/socket-mode 3.1, src/SocketModeClient.ts): on the first start it
 * retries forever any rejection outside its short list (not_authed, invalid_auth, …), e.g. not_allowed_token_type
 * or token_revoked, and a WebSocket that fails before Slack's hello; after a drop it waits 5 s; and when
 * apps.connections.open fails during a reconnect, the rejection is unhandled (the process dies) and no further
 * attempt is made. So the client runs with `autoReconnectEnabled: false` and this module reconnects.
 */

/** Whether the app holds a live Socket Mode connection (Slack said hello and it has not closed since). */
export interface SocketConnection {
  isConnected(): boolean;
  /** Calls `listener` with the new state each time it changes; returns a function that removes the listener. */
  on(event: 'change', listener: (connected: boolean) => void): () => void;
}

export interface SocketModeOptions {
  appToken: string;
  /** SLACK_API_URL (with the trailing /api/). */
  apiUrl: string;
  /** Web API retries; undefined → the app's bounded policy (src/slack/web-client-options.ts). */
  retries?: number;
  /** Where `customRoutes` (the health check) are served; 0 picks a free port. */
  port: number;
  /** Served on `port` with exact path matching. */
  customRoutes: CustomRoute[];
  /** The app's logger: connection lost / restored. */
  logger: Logger;
  /** Given to Bolt's receiver and the Socket Mode client. */
  libraryLogger: Logger;
  logLevel: LogLevel;
  /** How long one connection attempt may take, from apps.connections.open to Slack's hello. Default 30 s. */
  connectTimeoutMs?: number;
  /** The wait before reconnect attempt `n` (1, 2, …) after a drop. Default: at once, then 1 s doubling to 30 s. */
  reconnectDelayMs?: (attempt: number) => number;
}

/** Why the first Socket Mode connection failed (src/service.ts turns it into a start-up message). */
export class SocketModeStartError extends Error {
  /**
   * `rejected`: Slack answered apps.connections.open with an error (`code` is Slack's, e.g. invalid_auth);
   * `unreachable`: apps.connections.open got no answer, or an HTTP error;
   * `websocket`: Slack gave a WebSocket URL, but the socket closed or stayed silent before Slack's hello.
   */
  constructor(
    readonly kind: 'rejected' | 'unreachable' | 'websocket',
    readonly code: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SocketModeStartError';
  }
}

export function createSocketModeReceiver(options: SocketModeOptions): {
  receiver: Receiver;
  connection: SocketConnection;
} {
  const receiver = new AppSocketModeReceiver(options);
  return { receiver, connection: receiver.connection };
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/**
 * A refresh_requested is routine (Slack recycles connections every few hours: docs/slack-platform.md §5.2):
 * reconnect at once; repeated failures back off.
 */
const defaultReconnectDelay = (attempt: number) => (attempt <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (attempt - 2)));
/** How long a close handshake may take before the app stops waiting for it (the client's own limit is 30 s). */
const DISCONNECT_WAIT_MS = 2000;

class AppSocketModeReceiver implements Receiver {
  private readonly bolt: SocketModeReceiver;
  private readonly listeners = new Set<(connected: boolean) => void>();
  private server: Server | undefined;
  private connected = false;
  private running = false;
  private stopping = false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  readonly connection: SocketConnection;

  constructor(private readonly options: SocketModeOptions) {
    this.bolt = new SocketModeReceiver({
      appToken: options.appToken,
      logger: withoutRetrieveErrors(options.libraryLogger),
      logLevel: options.logLevel,
      autoReconnectEnabled: false,
      // The Socket Mode client's WebClient takes these (not App's clientOptions): without them it calls
      // slack.com with 100 retries.
      installerOptions: { clientOptions: webClientOptions(options.apiUrl, options.retries) },
    });
    const client = this.bolt.client;
    // 'connected' is emitted on Slack's hello; 'disconnected' when a socket closes (autoReconnectEnabled is off).
    client.on('connected', () => {
      if (!this.stopping) this.setConnected(true);
    });
    client.on('disconnected', () => this.onClosed());
    this.connection = {
      isConnected: () => this.connected,
      on: (_event, listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
  }

  init(app: App): void {
    this.bolt.init(app);
  }

  /** Serves the custom routes, then connects once; resolves with the HTTP server (its port is the one bound). */
  async start(): Promise<Server> {
    this.stopping = false;
    const server = await serveRoutes(this.options.customRoutes, this.options.port);
    try {
      await this.connectOnce();
    } catch (error) {
      await closeServer(server);
      throw socketModeStartError(error);
    }
    this.server = server;
    this.running = true;
    return server;
  }

  /** Closes the connection (no new requests arrive) and the HTTP server; never reconnects after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    await this.disconnectClient();
    this.setConnected(false);
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  /** One attempt: apps.connections.open, then the WebSocket until Slack's hello, within connectTimeoutMs. */
  private async connectOnce(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    // The client rejects with `undefined` when the socket closes before hello.
    const attempt = this.bolt.client.start().then(
      () => undefined,
      (error: unknown) => {
        throw error ?? new Error('the WebSocket closed before Slack said hello');
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Slack did not say hello within ${timeoutMs} ms of being asked to connect`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([attempt, timeout]);
    } catch (error) {
      attempt.catch(() => undefined); // a late failure of an abandoned attempt is not an unhandled rejection
      await this.disconnectClient();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    // stop() may have run while this attempt was under way: it must not leave a connection open.
    if (this.stopping) await this.disconnectClient();
  }

  private onClosed(): void {
    // A failed attempt also closes a socket; only the loss of a live connection starts reconnecting.
    if (!this.connected) return;
    this.setConnected(false);
    if (!this.running || this.stopping) return;
    this.options.logger.info('Socket Mode connection to Slack closed; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = (this.options.reconnectDelayMs ?? defaultReconnectDelay)(this.failedAttempts + 1);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.connectOnce();
    } catch (error) {
      if (this.stopping) return;
      this.failedAttempts += 1;
      this.options.logger.warn(
        `Socket Mode reconnect attempt ${this.failedAttempts} failed (${slackErrorReason(error)}); trying again`,
      );
      this.scheduleReconnect();
      return;
    }
    if (this.stopping) return;
    this.options.logger.info(
      `Reconnected to Slack in Socket Mode${this.failedAttempts > 0 ? ` after ${this.failedAttempts + 1} attempts` : ''}`,
    );
    this.failedAttempts = 0;
  }

  /** Closes the client's socket, waiting for the close handshake at most DISCONNECT_WAIT_MS. */
  private async disconnectClient(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.bolt.client.disconnect(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DISCONNECT_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.listeners) listener(connected);
  }
}

/**
 * The client logs each failed apps.connections.open as an error; this module reports the same failure itself
 * (the start-up error, or a reconnect warning), so the client's line would only repeat it.
 */
function withoutRetrieveErrors(logger: Logger): Logger {
  return {
    debug: (...args: unknown[]) => logger.debug(...args),
    info: (...args: unknown[]) => logger.info(...args),
    warn: (...args: unknown[]) => logger.warn(...args),
    error: (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('Failed to retrieve a new WSS URL')) return;
      logger.error(...args);
    },
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}

/** Classifies a failed connection attempt (by the Web API error codes of @slack/web-api). */
export function socketModeStartError(error: unknown): SocketModeStartError {
  const code = (error as { code?: string }).code;
  const slackError = (error as { data?: { error?: string } }).data?.error;
  if (code === 'slack_webapi_platform_error') {
    return new SocketModeStartError('rejected', slackError, `apps.connections.open: ${slackError}`, { cause: error });
  }
  if (code === 'slack_webapi_request_error' || code === 'slack_webapi_http_error') {
    return new SocketModeStartError('unreachable', code, `apps.connections.open: ${slackErrorReason(error)}`, {
      cause: error,
    });
  }
  return new SocketModeStartError('websocket', undefined, slackErrorReason(error), { cause: error });
}

/** A short reason, without request data: Slack's error code, or the network error (with its code when known). */
export function slackErrorReason(error: unknown): string {
  const slackError = (error as { data?: { error?: string } }).data?.error;
  if (slackError) return slackError;
  const original = (error as { original?: Error }).original;
  if (original) {
    const code = (original.cause as { code?: string } | undefined)?.code;
    return code ? `${original.message}: ${code}` : original.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Serves Bolt-style custom routes (exact paths) on `port`; rejects if the port cannot be bound (EADDRINUSE…). */
function serveRoutes(routes: CustomRoute[], port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routes.find(
      (r) =>
        r.path === path && (Array.isArray(r.method) ? r.method : [r.method]).some((m) => m.toUpperCase() === method),
    );
    if (route) route.handler(Object.assign(req, { params: {} }), res);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
