import { afterEach, describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningService, StartupError, startService } from '../../src/service.js';
import { waitFor } from '../support/async.js';
import { type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { FAKE_BOT_TOKEN, type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { FAKE_APP_TOKEN, type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';
import { socketDriver, socketEnvironment, socketOf, startTestApp, type TestApp } from '../support/harness.js';
import { listen } from '../support/http.js';

/** Socket Mode's life cycle: start-up through SLACK_API_URL, start-up failures, reconnects, graceful stop. */

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let running: RunningService | undefined;
let t: TestApp | undefined;
let logs: string[] = [];

afterEach(async () => {
  await running?.shutdown('test over');
  await t?.stop();
  await Promise.all([socket?.close(), komerza?.close(), slack?.close()]);
  running = undefined;
  t = undefined;
  komerza = undefined;
  slack = undefined;
  socket = undefined;
  logs = [];
});

/** Fakes for startService; `prepare` may change what they answer before the app starts. */
async function fakes() {
  komerza = await startFakeKomerza();
  slack = await startFakeSlack();
  socket = await startFakeSocketMode(slack);
  return { komerza, slack, socket };
}

async function startSocketService(env: Record<string, string> = {}, options: { slackRetries?: number } = {}) {
  const config = parseConfig({ ...socketEnvironment(komerza as FakeKomerza, slack as FakeSlack), ...env });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  running = await startService(config, { logger, slackRetries: 0, ...options });
  return running;
}

/** Starts the service expecting a StartupError; returns it and how long the start took. */
async function failedStart(env: Record<string, string> = {}, options: { slackRetries?: number } = {}) {
  const started = performance.now();
  const error = await startSocketService(env, options).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StartupError);
  return { message: (error as Error).message, seconds: (performance.now() - started) / 1000 };
}

const text = (value: unknown) => JSON.stringify(value);

function gate(): { until: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  const until = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { until, release };
}

describe('Socket Mode start-up', () => {
  it('opens the connection through SLACK_API_URL with the app token, and serves /healthz on its port', async () => {
    await fakes();
    const service = await startSocketService();
    // The WebSocket URL only comes from the fake: a connection proves apps.connections.open went there.
    expect(socket?.connections).toBe(1);
    expect(slack?.calls.map((c) => [c.method, c.token])).toEqual([
      ['auth.test', FAKE_BOT_TOKEN],
      ['apps.connections.open', FAKE_APP_TOKEN],
    ]);
    expect(service.created.mode).toBe('socket');
    expect(service.created.connection?.isConnected()).toBe(true);
    const port = service.created.port();
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect(logs.join('\n')).toContain(`Connected to Slack in Socket Mode; health check on port ${port}`);
    expect(logs.join('\n')).not.toContain(FAKE_APP_TOKEN);
  });

  it.each(['invalid_auth', 'not_allowed_token_type', 'token_revoked', 'missing_scope'])(
    'ends with one readable line when Slack rejects the app token (%s)',
    async (error) => {
      await fakes();
      socket?.answerOpen({ kind: 'error', error });
      const failure = await failedStart();
      expect(failure.message).toBe(
        `Slack rejected SLACK_APP_TOKEN (${error}). Set it to an app-level token (xapp-…) with the ` +
          `connections:write scope, from the app's "Basic Information" page (App-Level Tokens).`,
      );
      expect(failure.seconds).toBeLessThan(5);
      // Asked once: a rejected token is not retried.
      expect(socket?.openTokens).toEqual([FAKE_APP_TOKEN]);
    },
  );

  it('says so when Slack does not know the app token, and leaves nothing listening', async () => {
    await fakes();
    // A free port, so the test can check that the health server did not stay bound after the failure.
    const probe = await listen(() => undefined);
    const port = probe.port;
    await probe.close();
    const failure = await failedStart({ SLACK_APP_TOKEN: 'xapp-1-A0APP-1111-not-this-one', PORT: String(port) });
    expect(failure.message).toContain('Slack rejected SLACK_APP_TOKEN (invalid_auth)');
    expect(failure.message).not.toContain('xapp-1-A0APP-1111');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('ends within seconds when apps.connections.open cannot be reached (with the production retry policy)', async () => {
    await fakes();
    socket?.answerOpen({ kind: 'drop' });
    const failure = await failedStart({}, { slackRetries: undefined });
    expect(failure.message).toMatch(
      /^Could not reach Slack to open a Socket Mode connection \(apps\.connections\.open: .+\)\. Check SLACK_API_URL and the network\.$/,
    );
    expect(failure.seconds).toBeLessThan(8);
    // Two bounded retries after the first attempt, not the Socket Mode client's default of 100.
    expect(socket?.openTokens.length).toBe(3);
  }, 15_000);

  it('ends when the WebSocket Slack hands out cannot be opened', async () => {
    await fakes();
    socket?.answerOpen({ kind: 'bad-ticket' });
    const failure = await failedStart();
    expect(failure.message).toMatch(/^Slack's Socket Mode WebSocket could not be opened \(.+\)\. Check that/);
    expect(failure.message).not.toContain('\n');
    expect(failure.seconds).toBeLessThan(5);
    expect(socket?.connections).toBe(0);
  });

  it('ends when Slack (here: the bot token check) is not reachable at all', async () => {
    await fakes();
    const failure = await failedStart({ SLACK_API_URL: 'http://127.0.0.1:1/api/' });
    expect(failure.message).toMatch(/^Could not reach Slack's Web API \(.*fetch failed.*\)\. Check SLACK_API_URL/);
    expect(failure.seconds).toBeLessThan(5);
  });
});

describe('Socket Mode connection', () => {
  it('reconnects by itself after the connection is cut, and reports down then up', async () => {
    t = await startTestApp({ mode: 'socket' });
    const app = t;
    const changes: boolean[] = [];
    app.created.connection?.on('change', (connected) => changes.push(connected));
    socketOf(app).cut();
    await socketOf(app).waitForConnections(2);
    await waitFor(() => (app.created.connection?.isConnected() ? true : undefined), 5000, 'connected');
    expect(changes).toEqual([false, true]);
    expect(socketOf(app).openTokens).toEqual([FAKE_APP_TOKEN, FAKE_APP_TOKEN]);
    const ack = await app.command('jane@example.com');
    expect(text(await app.slack.waitForPost(ack.responseId))).toContain('$12,345.50');
  });

  it('reconnects when Slack asks for a refresh (disconnect: refresh_requested), and keeps answering', async () => {
    t = await startTestApp({ mode: 'socket' });
    const app = t;
    const changes: boolean[] = [];
    app.created.connection?.on('change', (connected) => changes.push(connected));
    socketOf(app).disconnect('refresh_requested');
    await socketOf(app).waitForConnections(2);
    await waitFor(() => (app.created.connection?.isConnected() ? true : undefined), 5000, 'connected');
    expect(changes).toEqual([false, true]);
    expect(socketOf(app).open).toBe(1);
    const ack = await app.command('jane@example.com');
    expect(ack.body).toBe('');
    expect(text(await app.slack.waitForPost(ack.responseId))).toContain('$12,345.50');
  });

  it('delivers a lookup acknowledged before a cut (its answer goes to the response_url)', async () => {
    t = await startTestApp({ mode: 'socket' });
    const held = gate();
    t.komerza.addFault({ path: '/email', fault: { kind: 'wait', until: held.until }, times: 1 });
    const ack = await t.command('jane@example.com');
    expect(t.created.inflight.size()).toBe(1);
    socketOf(t).cut();
    await socketOf(t).waitForConnections(2);
    held.release();
    expect(text(await t.slack.waitForPost(ack.responseId))).toContain('$12,345.50');
  });

  it('keeps trying while Slack cannot be reached, without crashing, and connects once it can', async () => {
    t = await startTestApp({ mode: 'socket' });
    const app = t;
    socketOf(app).answerOpen({ kind: 'drop' });
    socketOf(app).cut();
    // The first attempt is immediate, the next ones back off (1 s, 2 s, …): wait for two failures.
    await waitFor(() => (socketOf(app).openTokens.length >= 3 ? true : undefined), 5000, 'two failed attempts');
    expect(app.created.connection?.isConnected()).toBe(false);
    socketOf(app).answerOpen({ kind: 'url' });
    await socketOf(app).waitForConnections(2, 8000);
    await waitFor(() => (app.created.connection?.isConnected() ? true : undefined), 5000, 'connected');
    const warnings = app.logs.filter((line) => line.includes('Socket Mode reconnect attempt'));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(app.logs.join('\n')).toContain('Reconnected to Slack in Socket Mode after');
    const ack = await app.command('jane@example.com');
    expect(text(await app.slack.waitForPost(ack.responseId))).toContain('$12,345.50');
  }, 15_000);
});

describe('Socket Mode graceful stop', () => {
  it('closes the socket at once, lets the lookup in flight deliver, and never reconnects', async () => {
    await fakes();
    const service = await startSocketService();
    const driver = socketDriver(socket as FakeSocketMode, slack as FakeSlack);
    const held = gate();
    komerza?.addFault({ path: '/email', fault: { kind: 'wait', until: held.until }, times: 1 });
    const ack = await driver.command('jane@example.com');
    expect(service.created.inflight.size()).toBe(1);

    const stopping = service.shutdown('SIGTERM received');
    // The socket closes while the lookup is still held: no new envelope can arrive.
    await socket?.waitForNoConnection();
    expect(service.created.connection?.isConnected()).toBe(false);
    expect(service.created.inflight.size()).toBe(1);
    held.release();
    expect(await stopping).toBe(0);
    expect(text(slack?.posts.find((post) => post.id === ack.responseId)?.body)).toContain('$12,345.50');
    expect(logs.join('\n')).toContain('Stopped cleanly');
    expect(socket?.connections).toBe(1);
    expect(socket?.openTokens.length).toBe(1);
    await expect(fetch(`http://127.0.0.1:${service.created.port()}/healthz`)).rejects.toThrow();
  });
});
