import { afterEach, describe, expect, it } from '@jest/globals';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningService, startService } from '../../src/service.js';
import { deferred, sleep, waitFor } from '../support/async.js';
import { type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';
import {
  appEnvironment,
  type Driver,
  httpDriver,
  MODES,
  type Mode,
  socketDriver,
  socketEnvironment,
  socketOf,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { listen } from '../support/http.js';

/** GET /readyz: not ready while starting, while Socket Mode is down, and from the start of a shutdown. */

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let running: RunningService | undefined;
let t: TestApp | undefined;
let logs: string[] = [];

afterEach(async () => {
  await running?.shutdown('test over', { drain: false });
  await t?.stop();
  await Promise.all([socket?.close(), komerza?.close(), slack?.close()]);
  running = undefined;
  t = undefined;
  socket = undefined;
  komerza = undefined;
  slack = undefined;
  logs = [];
});

async function fakes(mode: Mode) {
  komerza = await startFakeKomerza();
  slack = await startFakeSlack();
  socket = mode === 'socket' ? await startFakeSocketMode(slack) : undefined;
  return mode === 'socket' ? socketEnvironment(komerza, slack) : appEnvironment(komerza, slack);
}

/** The production life cycle (service.ts) in `mode`, with a driver that sends Slack requests to it. */
async function startIn(mode: Mode, env: Record<string, string>, drainWait?: (ms: number) => Promise<void>) {
  const config = parseConfig({ ...(await fakes(mode)), ...env });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  running = await startService(config, { logger, slackRetries: 0, ...(drainWait ? { drainWait } : {}) });
  const url = `http://127.0.0.1:${running.created.port()}`;
  const driver: Driver = socket ? socketDriver(socket, slack as FakeSlack) : httpDriver(url, slack as FakeSlack);
  return { service: running, url, driver };
}

async function probe(url: string, path = '/readyz', method = 'GET') {
  const response = await fetch(`${url}${path}`, { method });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    cacheControl: response.headers.get('cache-control'),
    contentType: response.headers.get('content-type'),
  };
}

/** Polls /readyz until it answers `status`; returns that answer. */
async function readyzUntil(url: string, status: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe(url).catch(() => undefined);
    if (answer?.status === status) return answer;
    if (Date.now() > deadline) throw new Error(`/readyz did not answer ${status} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

const text = (value: unknown) => JSON.stringify(value);

describe.each(MODES)('%s mode', (mode) => {
  it('is not ready before the start has finished, and answers 200 once serving (GET and HEAD, no-store)', async () => {
    const config = parseConfig({ ...(await fakes(mode)) });
    const created = createApp(config, { logger: createLogger({ write: () => undefined }), slackRetries: 0 });
    expect(created.readiness.report()).toMatchObject({ ready: false, reason: 'starting' });
    await created.start();
    try {
      const url = `http://127.0.0.1:${created.port()}`;
      const ready = await probe(url);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({
        ready: true,
        checks: mode === 'socket' ? { socket_mode: { ok: true } } : {},
      });
      expect(ready.cacheControl).toBe('no-store');
      expect(ready.contentType).toBe('application/json');
      const head = await probe(url, '/readyz', 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body).toBeUndefined();
      // Liveness is unchanged.
      expect((await probe(url, '/healthz')).body).toEqual({ ok: true });
    } finally {
      await created.stop();
    }
  });

  it('on shutdown reports "stopping" at once, keeps serving through the drain delay, then stops', async () => {
    const drain = deferred();
    const waits: number[] = [];
    const { service, url, driver } = await startIn(mode, { SHUTDOWN_DRAIN_DELAY_MS: '4000' }, (ms) => {
      waits.push(ms);
      return drain.promise;
    });
    expect((await probe(url)).status).toBe(200);

    const stopping = service.shutdown('SIGTERM received');
    try {
      await waitFor(() => (waits.length > 0 ? true : undefined), 5000, 'the drain delay');
      expect(waits).toEqual([4000]);
      const notReady = await probe(url);
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ ready: false, reason: 'stopping' });
      expect((await probe(url, '/readyz', 'HEAD')).status).toBe(503);
      expect((await probe(url, '/healthz')).status).toBe(200);
      // Requests that still arrive during the delay are served in full.
      const ack = await driver.command('jane@example.com');
      expect(ack.status).toBe(200);
      expect(text(await (slack as FakeSlack).waitForPost(ack.responseId))).toContain('$12,345.50');
      if (mode === 'socket') expect(socket?.open).toBe(1);
      expect(logs.join('\n')).toContain('SIGTERM received: reporting not ready, still serving for 4000 ms');
    } finally {
      // Released even when an assertion fails, so the stop (and afterEach) can finish.
      drain.resolve();
    }
    expect(await stopping).toBe(0);
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
    if (mode === 'socket') await socket?.waitForNoConnection();
  });

  it('waits the drain delay out with a real timer', async () => {
    const { service } = await startIn(mode, { SHUTDOWN_DRAIN_DELAY_MS: '300' });
    const started = performance.now();
    expect(await service.shutdown('SIGTERM received')).toBe(0);
    // A lower bound only: a loaded machine can only make it longer.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('skips the drain delay when told not to drain (SIGINT: someone at a terminal)', async () => {
    const { service, url } = await startIn(mode, { SHUTDOWN_DRAIN_DELAY_MS: '60000' });
    expect(await service.shutdown('SIGINT received', { drain: false })).toBe(0);
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
    expect(logs.join('\n')).not.toContain('reporting not ready');
  });
});

describe('Socket Mode connection and readiness', () => {
  it('answers 503 "starting" while the first connection waits for Slack\'s hello (liveness says 200)', async () => {
    const config = parseConfig({ ...(await fakes('socket')), PORT: String(await freePort()) });
    (socket as FakeSocketMode).greet(false);
    const created = createApp(config, { logger: createLogger({ write: () => undefined }), slackRetries: 0 });
    const starting = created.start().catch((error: unknown) => error);
    try {
      const url = `http://127.0.0.1:${config.port}`;
      const answer = await readyzUntil(url, 503);
      expect(answer.body).toEqual({
        ready: false,
        reason: 'starting',
        checks: { socket_mode: { ok: false, reason: 'socket_disconnected' } },
      });
      expect((await probe(url, '/healthz')).status).toBe(200);
    } finally {
      await created.stop();
      await starting;
    }
  });

  it('answers 503 "socket_disconnected" while the connection is down, and 200 again once it is back', async () => {
    t = await startTestApp({ mode: 'socket' });
    const app = t;
    expect((await probe(app.url)).status).toBe(200);
    // Slack unreachable: the cut connection cannot be replaced for now.
    socketOf(app).answerOpen({ kind: 'drop' });
    socketOf(app).cut();
    const down = await readyzUntil(app.url, 503);
    expect(down.body).toEqual({
      ready: false,
      reason: 'socket_disconnected',
      checks: { socket_mode: { ok: false, reason: 'socket_disconnected' } },
    });
    expect((await probe(app.url, '/healthz')).status).toBe(200);
    await waitFor(() => (socketOf(app).openTokens.length >= 2 ? true : undefined), 5000, 'a failed reconnect');
    expect((await probe(app.url)).status).toBe(503);

    socketOf(app).answerOpen({ kind: 'url' });
    const up = await readyzUntil(app.url, 200, 10_000);
    expect(up.body).toEqual({ ready: true, checks: { socket_mode: { ok: true } } });
    const ack = await app.command('jane@example.com');
    expect(text(await app.slack.waitForPost(ack.responseId))).toContain('$12,345.50');
  }, 20_000);
});

async function freePort(): Promise<number> {
  const server = await listen(() => undefined);
  const { port } = server;
  await server.close();
  return port;
}
