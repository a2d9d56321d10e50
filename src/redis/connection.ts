import { Redis } from 'ioredis';

/**
 * The process's one Redis connection (REDIS_URL), for the state every replica shares (docs/shared-state.md). Every
 * user of it keeps working without it: a command is bounded by `commandTimeoutMs`, none waits in an offline queue,
 * and while the health is `down` callers use their local fallback instead of asking Redis at all.
 */

export type RedisHealth = 'up' | 'down';

/** What the connection logs: one line per change of health, never one per command. */
export interface RedisLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface RedisConnectionOptions {
  url: string;
  logger: RedisLogger;
  /** The longest a command may take before it counts as failed (a hung Redis must not hold an ack). Default 200. */
  commandTimeoutMs?: number;
  /** The longest a connection attempt may take. Default 1000. */
  connectTimeoutMs?: number;
  /** While down on a connected socket (commands timing out), how often to PING. Default 500. */
  probeIntervalMs?: number;
  /** The longest pause between reconnection attempts (exponential backoff up to it). Default 2000. */
  maxReconnectDelayMs?: number;
  /** Shown in CLIENT LIST, so an operator can tell the replicas apart. */
  name?: string;
  /** Connect only when `connect()` is called (createApp does no I/O before start()). */
  lazy?: boolean;
}

/** A Lua script run with EVALSHA (ioredis resends the source itself when Redis answers NOSCRIPT, e.g. after a restart). */
export type RedisScript = (keys: string[], args: Array<string | number>) => Promise<unknown>;

export interface RedisConnection {
  readonly client: Redis;
  health(): RedisHealth;
  /** Called on every change of health; returns the unsubscribe function. */
  onChange(listener: (health: RedisHealth) => void): () => void;
  /** Starts connecting (a lazy connection only; an eager one already has). */
  connect(): void;
  /** Resolves once the first connection attempt has succeeded or failed (at most `connectTimeoutMs` later). */
  ready(): Promise<RedisHealth>;
  /**
   * A command failed. A timeout or connection error: down until a reconnect or a PING says otherwise. An error that
   * Redis answered (ACL, OOM, a script error): logged once per error code, health unchanged (marking Redis down
   * would only flap, as every PING succeeds); the caller falls back for that call.
   */
  reportFailure(error?: unknown): void;
  /** Defines a script on the connection. */
  script(name: string, lua: string, numberOfKeys: number): RedisScript;
  /** A second connection in the same settings, for SUBSCRIBE (made on first use, closed with this one). */
  subscriber(): Redis;
  close(): Promise<void>;
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const commandTimeoutMs = options.commandTimeoutMs ?? 200;
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const probeIntervalMs = options.probeIntervalMs ?? 500;
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2000;
  const settings = {
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // Fail at once while disconnected instead of queueing without bound; the caller falls back.
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails on the first reconnection attempt, not after 20.
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 10), maxReconnectDelayMs),
    connectionName: options.name,
    // How long ioredis waits for a closing socket before destroying it (its default, 2 s, holds the process open).
    disconnectTimeout: commandTimeoutMs,
    lazyConnect: options.lazy === true,
  };
  const client = new Redis(options.url, settings);
  let subscriberClient: Redis | undefined;
  let health: RedisHealth = 'down';
  let settled = false;
  let closed = false;
  let probe: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(health: RedisHealth) => void>();
  const refusals = new Set<string>();
  const waiting: Array<(health: RedisHealth) => void> = [];

  function settle(): void {
    if (settled) return;
    settled = true;
    for (const resolve of waiting.splice(0)) resolve(health);
  }

  function set(next: RedisHealth, reason: string): void {
    if (closed) return;
    // The first outcome is always news (even "down", the initial value); after it, only changes are.
    const news = next !== health || !settled;
    health = next;
    settle();
    if (!news) return;
    // The reason is an error message or code from ioredis (no keys or values in it).
    if (next === 'down') {
      options.logger.warn('Redis is unreachable: shared state falls back to this replica alone', { reason });
      scheduleProbe();
    } else {
      options.logger.info('Redis is reachable: shared state is shared again');
    }
    for (const listener of listeners) listener(next);
  }

  /** While down on a connected socket, nothing else would notice Redis answering again. */
  function scheduleProbe(): void {
    if (probe !== undefined || closed) return;
    probe = setTimeout(() => {
      probe = undefined;
      if (health === 'up' || closed) return;
      if (client.status !== 'ready') return scheduleProbe();
      client.ping().then(
        () => set('up', 'ping'),
        () => scheduleProbe(),
      );
    }, probeIntervalMs);
    probe.unref();
  }

  client.on('ready', () => set('up', 'ready'));
  client.on('error', (error: Error) => {
    // Connection errors also surface as 'close'; this listener keeps ioredis from printing them as unhandled.
    if (!settled) set('down', errorReason(error));
  });
  client.on('close', () => set('down', 'connection closed'));
  let connecting = false;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  function connect(): void {
    if (connecting || closed) return;
    connecting = true;
    if (options.lazy) {
      client.connect().catch(() => undefined); // failures arrive as 'error'/'close' events
      subscriberClient?.connect().catch(() => undefined);
    }
    startTimer = setTimeout(() => {
      if (!settled) set('down', 'no connection within the connect timeout');
    }, connectTimeoutMs);
    startTimer.unref();
  }
  if (!options.lazy) connect();

  return {
    client,
    health: () => health,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect,
    ready: () => (settled ? Promise.resolve(health) : new Promise((resolve) => waiting.push(resolve))),
    reportFailure(error) {
      if (error instanceof Error && error.name === 'ReplyError') {
        // The code only ("ERR", "NOPERM", "OOM"…): the rest of a message can quote a script's data.
        const code = error.message.split(' ')[0] ?? 'ERR';
        if (refusals.size < 20 && !refusals.has(code)) {
          refusals.add(code);
          options.logger.warn('Redis refused a command: this replica falls back for such calls', { code });
        }
        return;
      }
      if (health === 'up') set('down', 'a command failed or timed out');
    },
    script(name, lua, numberOfKeys) {
      client.defineCommand(name, { lua, numberOfKeys });
      const command = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[
        name
      ];
      if (!command) throw new Error(`ioredis did not define ${name}`);
      return (keys, args) => command.call(client, ...keys, ...args);
    },
    subscriber() {
      if (!subscriberClient) {
        subscriberClient = new Redis(options.url, { ...settings, connectionName: `${options.name ?? 'app'}:sub` });
        subscriberClient.on('error', () => undefined);
        // A lazy client connects on its first command, and a subscriber's first command waits for 'ready': it is
        // connected with the main one (by connect()), else it would never receive anything.
        if (options.lazy && connecting && !closed) subscriberClient.connect().catch(() => undefined);
      }
      return subscriberClient;
    },
    async close() {
      closed = true;
      clearTimeout(startTimer);
      if (probe !== undefined) clearTimeout(probe);
      settle();
      await Promise.all(
        [client, subscriberClient].map((c) =>
          c?.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c?.disconnect(),
        ),
      );
    },
  };
}

function errorReason(error: Error): string {
  return (error as { code?: string }).code ?? error.message;
}
