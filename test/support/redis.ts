import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * Real Redis for tests: the machine's (127.0.0.1:6379, with a unique key prefix per test run, cleaned up after), or a
 * `redis-server` child process on a free port that a test can stop, restart, or freeze (SIGSTOP) to see the fallbacks.
 */

export const MACHINE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Added to every "no longer than" bound of these tests: what they prove is that a call is bounded (a frozen Redis
 * would otherwise hold it until the test times out), not how fast a loaded CI machine runs it.
 */
export const SCHEDULING_SLACK_MS = 1500;

/** A prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, disconnectTimeout: 100 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface RedisChild {
  url: string;
  port: number;
  /** Kills the server (its data goes with it: nothing is saved to disk). */
  stop(): Promise<void>;
  /** Starts a new server on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP: the socket stays open but nothing is answered. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redis-server of the test's own, without persistence. */
export async function startRedisChild(): Promise<RedisChild> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPing(port);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGCONT');
      running.kill('SIGKILL');
      await exited;
    },
    restart: start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
  };
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const redis = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      disconnectTimeout: 100,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      redis.disconnect();
    }
  }
}

/** A logger that keeps its lines, to count warnings. */
export function captureLogger() {
  const lines: Array<{ level: 'info' | 'warn'; msg: string; fields: unknown[] }> = [];
  return {
    lines,
    info: (msg: unknown, ...fields: unknown[]) => lines.push({ level: 'info', msg: String(msg), fields }),
    warn: (msg: unknown, ...fields: unknown[]) => lines.push({ level: 'warn', msg: String(msg), fields }),
    count: (level: 'info' | 'warn') => lines.filter((line) => line.level === level).length,
  };
}
