import { type CreatedApp, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runStartupCheck } from '../../src/service.js';
import { waitFor } from './async.js';
import { FAKE_API_KEY, type FakeKomerza, type FakeKomerzaOptions, startFakeKomerza } from './fake-komerza.js';
import { FAKE_BOT_TOKEN, type FakeSlack, startFakeSlack, type WebApiCall } from './fake-slack.js';
import { FAKE_APP_TOKEN, type FakeSocketMode, type SocketAck, startFakeSocketMode } from './fake-socket-mode.js';
import { clickPayload, messageShortcutPayload } from './interaction-payloads.js';
import { STORE_ID } from './sample-store.js';
import { signSlackRequest } from './sign.js';
import { slashCommandBody } from './slash-command.js';

/**
 * The real app on an ephemeral port, wired to a fake Komerza and a fake Slack on loopback, in either mode:
 * `http` (requests signed and POSTed to /slack/events) or `socket` (the same bodies as envelopes on a local Socket
 * Mode server, docs/slack-platform.md §8). Every operation reads the same in both, so a scenario runs in both
 * modes from one definition: `describe.each(MODES)`.
 */

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888abcd';

export type Mode = 'http' | 'socket';
export const MODES: readonly Mode[] = ['http', 'socket'];

export interface TestAppOptions {
  mode?: Mode;
  komerza?: FakeKomerzaOptions;
  /** A fake Komerza already running (e.g. one shared by two apps); the app's stop() leaves it open. */
  komerzaServer?: FakeKomerza;
  /** Extra or overriding environment variables (the app's real config parser reads them). */
  env?: Record<string, string>;
  now?: () => Date;
  /** Retries of the app's Web API calls (default 0; undefined in this field still means 0). */
  slackRetries?: number;
  /** Run the start-up check of the Komerza key first, as `npm start` does (what cards offer depends on it). */
  startupCheck?: boolean;
}

export interface AckResult {
  /** The HTTP status; Socket Mode has none, so an acked envelope reads as 200. */
  status: number;
  /** The ack body, parsed as JSON when it is JSON; an ack without a body is ''. */
  body: unknown;
  ackMs: number;
}

export interface CommandOptions {
  userId?: string;
  channelId?: string;
  /** Makes the response_url answer like an expired (404) or broken (5xx) one… */
  responseStatus?: number;
  /** …for its first this many posts (default: all). */
  responseFailures?: number;
}

export interface ShortcutOptions {
  userId?: string;
  channelId?: string;
  /** Makes the shortcut's response_url answer like an expired one. */
  responseStatus?: number;
}

/** Where a clicked button lives: a message (with its own response_url) or a modal view as last sent. */
export type ClickContext =
  | { surface: 'message'; userId?: string; channelId?: string; responseStatus?: number }
  | { surface: 'modal'; view: Record<string, unknown>; userId?: string };

export interface ShortcutRun {
  ack: AckResult & { responseId: string; triggerId: string };
  open: WebApiCall;
  update: WebApiCall;
  /** The final view as the app sent it, with the id and a hash as Slack would hold it (ready to click in). */
  view: Record<string, unknown>;
}

/** What Slack does to the app, in either mode. */
export interface Driver {
  /** Sends `/customer <text>`; resolves when the ack arrives. */
  command(text: string, options?: CommandOptions): Promise<AckResult & { responseId: string }>;
  /** Sends an interaction payload (shortcut, block action, view submission). */
  interaction(payload: Record<string, unknown>): Promise<AckResult>;
  /**
   * Sends an Events API body (`{ type: 'event_callback', event, … }`): signed JSON over HTTP, an `events_api`
   * envelope in Socket Mode. Resolves when the ack arrives.
   */
  event(body: Record<string, unknown>): Promise<AckResult>;
  /** Runs the "Look up customer" message shortcut on `message` (a Slack message object). */
  messageShortcut(
    message: Record<string, unknown>,
    options?: ShortcutOptions,
  ): Promise<AckResult & { responseId: string; triggerId: string }>;
  /** Runs the shortcut and waits for its views.open and the views.update of that same view. */
  runShortcut(message: Record<string, unknown>, options?: ShortcutOptions): Promise<ShortcutRun>;
  /** Clicks a button element (as found in blocks the app sent) on a message or in a modal. */
  click(button: Record<string, unknown>, context: ClickContext): Promise<AckResult & { responseId: string }>;
}

export interface TestApp extends Driver {
  mode: Mode;
  /** The app's HTTP base: /slack/events (HTTP mode) and /healthz (both). */
  url: string;
  komerza: FakeKomerza;
  slack: FakeSlack;
  /** The Socket Mode server (socket mode only). */
  socket: FakeSocketMode | undefined;
  created: CreatedApp;
  /** Every log line the app wrote (JSON), for assertions on what is and is not logged. */
  logs: string[];
  /** HTTP mode: posts a raw body to /slack/events, signed unless `headers` are given. */
  postRaw(body: string, headers?: Record<string, string>): Promise<AckResult>;
  /**
   * Resolves once no listener is running: every answer delivered and its audit line (and metrics) written, which
   * comes just after the delivery a test waits for.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment that points the app at the fakes (HTTP mode, ephemeral port). */
export function appEnvironment(komerza: { url: string }, slack: { apiUrl: string }): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    KOMERZA_API_KEY: FAKE_API_KEY,
    KOMERZA_STORE_ID: STORE_ID,
    KOMERZA_API_URL: komerza.url,
    PORT: '0',
    // No load balancer in front of a test: stop at once (the drain delay has tests of its own).
    SHUTDOWN_DRAIN_DELAY_MS: '0',
  };
}

/** The same, plus the app-level token that switches the app to Socket Mode. */
export function socketEnvironment(komerza: { url: string }, slack: { apiUrl: string }): Record<string, string> {
  return { ...appEnvironment(komerza, slack), SLACK_APP_TOKEN: FAKE_APP_TOKEN };
}

/**
 * Functional tests do not depend on the rate limiter or the customer cache (an app shared across a file's tests
 * would otherwise queue, show "queued" notices, or serve data a test has since changed). Tests of those features
 * set Komerza-like values through `env`.
 */
const FUNCTIONAL_ENV = {
  // Generous: a loaded CI machine must not turn a slow fake into a timeout (fault tests set their own).
  KOMERZA_TIMEOUT_MS: '5000',
  LOG_LEVEL: 'debug',
  // Capacity AND refill: a test's 429 drains the bucket (client retry policy), and with a small refill the rest of
  // that file's requests would crawl through it.
  KOMERZA_RATE_CAPACITY: '10000',
  KOMERZA_RATE_REFILL: '10000',
  // A 429 without Retry-After backs off one refill interval per attempt: keep that short in tests.
  KOMERZA_RATE_INTERVAL_MS: '100',
  KOMERZA_CACHE_TTL_MS: '0',
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const mode = options.mode ?? 'http';
  const komerza = options.komerzaServer ?? (await startFakeKomerza(options.komerza));
  const slack = await startFakeSlack();
  const socket = mode === 'socket' ? await startFakeSocketMode(slack) : undefined;
  const logs: string[] = [];
  const environment = mode === 'socket' ? socketEnvironment(komerza, slack) : appEnvironment(komerza, slack);
  const config = parseConfig({ ...environment, ...FUNCTIONAL_ENV, ...options.env });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const created = createApp(config, {
    logger,
    slackRetries: options.slackRetries ?? 0,
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.startupCheck) await runStartupCheck(config, created, logger);
  await created.start();
  const url = `http://127.0.0.1:${created.port()}`;
  const postRaw = (body: string, headers?: Record<string, string>) =>
    postEvent(url, body, headers ?? signSlackRequest(SIGNING_SECRET, body));
  const send: Send = socket ? socketSend(socket) : httpSend(url, SIGNING_SECRET);

  return {
    ...slackDriver(slack, send),
    mode,
    url,
    komerza,
    slack,
    socket,
    created,
    logs,
    postRaw(body, headers) {
      if (socket) throw new Error('postRaw is HTTP mode only: Socket Mode has no /slack/events');
      return postRaw(body, headers);
    },
    async settled() {
      await waitFor(() => (created.inflight.size() === 0 ? true : undefined), 5000, 'no listener running');
    },
    async stop() {
      await created.stop();
      await Promise.all([options.komerzaServer ? undefined : komerza.close(), slack.close(), socket?.close()]);
    },
  };
}

/** Delivers a request to the app: a command (its form, or the same fields as an object), an interaction or an event. */
type Send = (
  kind: 'command' | 'interaction' | 'event',
  form: string,
  payload: Record<string, unknown>,
) => Promise<AckResult>;

/** POSTs a body to the app's /slack/events with the given headers; the answer as an ack. */
async function postEvent(url: string, body: string, headers: Record<string, string>): Promise<AckResult> {
  const started = performance.now();
  const response = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  const ackMs = performance.now() - started;
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : '';
  } catch {
    // a plain-text ack
  }
  return { status: response.status, body: parsed, ackMs };
}

/**
 * Over HTTP a command is its form, an interaction a `payload=` form field, an event a JSON body; each signed as Slack
 * signs them.
 */
function httpSend(url: string, signingSecret: string): Send {
  return (kind, form, payload) => {
    if (kind === 'event') {
      const body = JSON.stringify(payload);
      return postEvent(url, body, { ...signSlackRequest(signingSecret, body), 'content-type': 'application/json' });
    }
    const body = kind === 'command' ? form : new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return postEvent(url, body, signSlackRequest(signingSecret, body));
  };
}

/** Over Socket Mode a command's fields arrive as a JSON object, an interaction's payload and an event's as themselves. */
const ENVELOPES = { command: 'slash_commands', interaction: 'interactive', event: 'events_api' } as const;

function socketSend(socket: FakeSocketMode): Send {
  return async (kind, _form, payload) => {
    const ack: SocketAck = await socket.send(ENVELOPES[kind], payload);
    const body = ack.payload ?? {};
    return { status: 200, body: Object.keys(body).length > 0 ? body : '', ackMs: ack.ackMs };
  };
}

/** Drives an app listening over HTTP at `url` (e.g. one started through startService, or the demo's). */
export function httpDriver(url: string, slack: FakeSlack, signingSecret: string = SIGNING_SECRET): Driver {
  return slackDriver(slack, httpSend(url, signingSecret));
}

/** Drives an app already connected to `socket` (e.g. one started as a process or through startService). */
export function socketDriver(socket: FakeSocketMode, slack: FakeSlack): Driver {
  return slackDriver(slack, socketSend(socket));
}

function slackDriver(slack: FakeSlack, send: Send): Driver {
  const interaction = (payload: Record<string, unknown>) => send('interaction', '', payload);

  async function messageShortcut(message: Record<string, unknown>, options: ShortcutOptions = {}) {
    const response = slack.responseUrl(options.responseStatus ? { status: options.responseStatus } : {});
    const triggerId = `trigger-${response.id}`;
    const ack = await interaction(messageShortcutPayload(message, response, triggerId, options));
    return { ...ack, responseId: response.id, triggerId };
  }

  return {
    event: (body) => send('event', '', body),
    async command(text, options = {}) {
      const response = slack.responseUrl(
        options.responseStatus
          ? { status: options.responseStatus, times: options.responseFailures ?? Number.POSITIVE_INFINITY }
          : {},
      );
      const form = slashCommandBody({
        text,
        responseUrl: response.url,
        triggerId: `trigger-${response.id}`,
        ...(options.userId ? { userId: options.userId } : {}),
        ...(options.channelId ? { channelId: options.channelId } : {}),
      });
      const ack = await send('command', form, Object.fromEntries(new URLSearchParams(form)));
      return { ...ack, responseId: response.id };
    },
    interaction,
    messageShortcut,
    async runShortcut(message, options = {}) {
      const ack = await messageShortcut(message, options);
      const open = await waitFor(
        () => slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === ack.triggerId),
        5000,
        'views.open',
      );
      const opened = (open.answer as { view: { id: string } }).view;
      const update = await waitFor(
        () => slack.calls.find((c) => c.method === 'views.update' && c.args.view_id === opened.id),
        5000,
        'views.update',
      );
      const view = { ...(update.args.view as Record<string, unknown>), id: opened.id, hash: `hash-${opened.id}` };
      return { ack, open, update, view };
    },
    async click(button, context) {
      const response = slack.responseUrl(
        context.surface === 'message' && context.responseStatus ? { status: context.responseStatus } : {},
      );
      const ack = await interaction(clickPayload(button, context, response));
      return { ...ack, responseId: response.id };
    },
  };
}

/** The Socket Mode server of an app started in socket mode. */
export function socketOf(app: TestApp): FakeSocketMode {
  if (!app.socket) throw new Error('this app runs in HTTP mode: it has no Socket Mode server');
  return app.socket;
}
