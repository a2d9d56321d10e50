import { afterEach, describe, expect, it } from '@jest/globals';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import { sleep } from '../support/async.js';
import {
  captureLogger,
  freePort,
  MACHINE_REDIS_URL,
  type RedisChild,
  SCHEDULING_SLACK_MS,
  startRedisChild,
} from '../support/redis.js';

let connection: RedisConnection | undefined;
let child: RedisChild | undefined;
afterEach(async () => {
  await connection?.close();
  await child?.stop();
  connection = undefined;
  child = undefined;
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('createRedisConnection', () => {
  it('is up once connected, and says so once', async () => {
    const logger = captureLogger();
    connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger });
    expect(await connection.ready()).toBe('up');
    expect(await connection.client.ping()).toBe('PONG');
    expect(logger.count('info')).toBe(1);
    expect(logger.count('warn')).toBe(0);
  });

  it('Redis down at start: down within the connect timeout, one warning, commands fail at once', async () => {
    const logger = captureLogger();
    connection = createRedisConnection({ url: `redis://127.0.0.1:${await freePort()}`, logger });
    expect(await connection.ready()).toBe('down');
    const started = performance.now();
    await expect(connection.client.get('anything')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(50 + SCHEDULING_SLACK_MS);
    // Reconnection attempts go on, but say nothing more.
    await sleep(600);
    expect(logger.count('warn')).toBe(1);
  });

  it('killed mid-run: down at once with one warning; restarted: up again with one info line', async () => {
    child = await startRedisChild();
    const logger = captureLogger();
    const changes: string[] = [];
    connection = createRedisConnection({ url: child.url, logger, maxReconnectDelayMs: 200 });
    connection.onChange((health) => changes.push(health));
    expect(await connection.ready()).toBe('up');
    await child.stop();
    await until(() => connection?.health() === 'down');
    await sleep(500);
    await child.restart();
    await until(() => connection?.health() === 'up');
    expect(changes).toEqual(['up', 'down', 'up']);
    expect(logger.count('warn')).toBe(1);
    expect(logger.count('info')).toBe(2);
  });

  it('hung (SIGSTOP): a command fails within the command timeout; a PING brings it back once thawed', async () => {
    child = await startRedisChild();
    const logger = captureLogger();
    connection = createRedisConnection({ url: child.url, logger, commandTimeoutMs: 150, probeIntervalMs: 100 });
    expect(await connection.ready()).toBe('up');
    child.freeze();
    const started = performance.now();
    await expect(connection.client.get('anything')).rejects.toThrow(/timed out/i);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(300 + SCHEDULING_SLACK_MS);
    connection.reportFailure();
    expect(connection.health()).toBe('down');
    await sleep(400);
    expect(connection.health()).toBe('down');
    child.thaw();
    await until(() => connection?.health() === 'up');
    expect(logger.count('warn')).toBe(1);
  });

  it('an error Redis answers is logged once by its code, and does not mark Redis down', async () => {
    const logger = captureLogger();
    connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger });
    await connection.ready();
    for (let i = 0; i < 3; i++) {
      const error = await connection.client.call('NO-SUCH-COMMAND', 'jane@example.com').catch((e: unknown) => e);
      connection.reportFailure(error);
    }
    expect(connection.health()).toBe('up');
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).toContain('"code":"ERR"');
    expect(JSON.stringify(warnings)).not.toContain('jane');
  });
});
