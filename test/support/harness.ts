import { type CreatedApp, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { LOOKUP_SHORTCUT } from '../../src/slack/ids.js';
import { waitFor } from './async.js';
import { FAKE_API_KEY, type FakeKomerza, type FakeKomerzaOptions, startFakeKomerza } from './fake-komerza.js';
import { FAKE_BOT_TOKEN, FAKE_TEAM_ID, type FakeSlack, startFakeSlack, type WebApiCall } from './fake-slack.js';
import { STORE_ID } from './sample-store.js';
import { signSlackRequest } from './sign.js';
import { slashCommandBody } from './slash-command.js';

/**
 * The real app in HTTP mode on an ephemeral port, wired to a fake Komerza and a fake Slack on loopback, driven
 * with correctly signed requests: the same code path as production.
 */

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888abcd';

export interface TestAppOptions {
  komerza?: FakeKomerzaOptions;
  /** Extra or overriding environment variables (the app's real config parser reads them). */
  env?: Record<string, string>;
  now?: () => Date;
}

export interface AckResult {
  status: number;
  /** The ack body, parsed as JSON when it is JSON. */
  body: unknown;
  ackMs: number;
}

export interface CommandOptions {
  userId?: string;
  channelId?: string;
  /** Makes the response_url answer like an expired one. */
  responseStatus?: number;
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
  view: Record<string, unknown>;
}

export interface TestApp {
  url: string;
  komerza: FakeKomerza;
  slack: FakeSlack;
  created: CreatedApp;
  /** Every log line the app wrote (JSON), for assertions on what is and is not logged. */
  logs: string[];
  /** Sends `/customer <text>`; resolves when the ack arrives. */
  command(text: string, options?: CommandOptions): Promise<AckResult & { responseId: string }>;
  /** Sends an interaction payload (shortcut, block action, view submission). */
  interaction(payload: Record<string, unknown>): Promise<AckResult>;
  /** Runs the "Look up customer" message shortcut on `message` (a Slack message object). */
  messageShortcut(
    message: Record<string, unknown>,
    options?: ShortcutOptions,
  ): Promise<AckResult & { responseId: string; triggerId: string }>;
  /**
   * Runs the shortcut and waits for its views.open and the views.update of that same view; `view` is the final
   * view as the app sent it, with the id and a hash as Slack would hold it (ready to click in).
   */
  runShortcut(message: Record<string, unknown>, options?: ShortcutOptions): Promise<ShortcutRun>;
  /** Clicks a button element (as found in blocks the app sent) on a message or in a modal. */
  click(button: Record<string, unknown>, context: ClickContext): Promise<AckResult & { responseId: string }>;
  /** Posts a raw body to /slack/events, signed unless `headers` are given. */
  postRaw(body: string, headers?: Record<string, string>): Promise<AckResult>;
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
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const komerza = await startFakeKomerza(options.komerza);
  const slack = await startFakeSlack();
  const logs: string[] = [];
  const config = parseConfig({
    ...appEnvironment(komerza, slack),
    KOMERZA_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    // Functional tests do not depend on the rate limiter or the customer cache (a shared app across tests would
    // otherwise queue, show "queued" notices, or serve data a test has since changed). Tests of those features
    // (test/integration/rate-limit.test.ts) set these back to Komerza-like values through `env`.
    // Capacity AND refill: a test's 429 drains the bucket (client retry policy), and with a small refill the rest
    // of that file's requests would crawl through it.
    KOMERZA_RATE_CAPACITY: '10000',
    KOMERZA_RATE_REFILL: '10000',
    // A 429 without Retry-After backs off one refill interval per attempt: keep that short in tests.
    KOMERZA_RATE_INTERVAL_MS: '100',
    KOMERZA_CACHE_TTL_MS: '0',
    ...options.env,
  });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const created = createApp(config, { logger, slackRetries: 0, ...(options.now ? { now: options.now } : {}) });
  await created.start();
  const url = `http://127.0.0.1:${created.port()}`;

  async function postRaw(body: string, headers?: Record<string, string>): Promise<AckResult> {
    const started = performance.now();
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: headers ?? signSlackRequest(SIGNING_SECRET, body),
      body,
    });
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

  const interaction = (payload: Record<string, unknown>) =>
    postRaw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

  async function messageShortcut(message: Record<string, unknown>, shortcutOptions: ShortcutOptions = {}) {
    const response = slack.responseUrl(
      shortcutOptions.responseStatus ? { status: shortcutOptions.responseStatus } : {},
    );
    const triggerId = `trigger-${response.id}`;
    const ack = await interaction({
      type: 'message_action',
      callback_id: LOOKUP_SHORTCUT,
      trigger_id: triggerId,
      message_ts: message.ts ?? '1700000000.000100',
      response_url: response.url,
      message: { type: 'message', ts: '1700000000.000100', ...message },
      user: { id: shortcutOptions.userId ?? 'U0AGENT', name: 'agent' },
      channel: { id: shortcutOptions.channelId ?? 'C0SUPPORT', name: 'support' },
      team: { id: FAKE_TEAM_ID, domain: 'test' },
      token: 'deprecated',
      action_ts: `${Date.now() / 1000}`,
    });
    return { ...ack, responseId: response.id, triggerId };
  }

  return {
    url,
    komerza,
    slack,
    created,
    logs,
    async command(text, commandOptions = {}) {
      const response = slack.responseUrl(
        commandOptions.responseStatus ? { status: commandOptions.responseStatus } : {},
      );
      const body = slashCommandBody({
        text,
        responseUrl: response.url,
        triggerId: `trigger-${response.id}`,
        ...(commandOptions.userId ? { userId: commandOptions.userId } : {}),
        ...(commandOptions.channelId ? { channelId: commandOptions.channelId } : {}),
      });
      const ack = await postRaw(body);
      return { ...ack, responseId: response.id };
    },
    interaction,
    messageShortcut,
    async runShortcut(message, shortcutOptions = {}) {
      const ack = await messageShortcut(message, shortcutOptions);
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
      return {
        ack,
        open,
        update,
        view: { ...(update.args.view as Record<string, unknown>), id: opened.id, hash: `hash-${opened.id}` },
      };
    },
    async click(button, context) {
      const response = slack.responseUrl(
        context.surface === 'message' && context.responseStatus ? { status: context.responseStatus } : {},
      );
      const action = {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b',
        text: button.text,
        ...(button.value !== undefined ? { value: button.value } : {}),
        ...(button.url !== undefined ? { url: button.url } : {}),
        action_ts: `${Date.now() / 1000}`,
      };
      const base = {
        type: 'block_actions',
        team: { id: FAKE_TEAM_ID, domain: 'test' },
        user: { id: context.userId ?? 'U0AGENT', username: 'agent', name: 'agent', team_id: FAKE_TEAM_ID },
        api_app_id: 'A0APP',
        token: 'deprecated',
        trigger_id: `trigger-click-${response.id}`,
        actions: [action],
      };
      // Slack sends a response_url with clicks on messages only; clicks in a modal carry the view instead.
      const payload =
        context.surface === 'message'
          ? {
              ...base,
              container: {
                type: 'message',
                message_ts: '1700000000.000200',
                channel_id: context.channelId ?? 'C0SUPPORT',
                is_ephemeral: true,
              },
              channel: { id: context.channelId ?? 'C0SUPPORT', name: 'support' },
              response_url: response.url,
            }
          : {
              ...base,
              container: { type: 'view', view_id: context.view.id },
              view: { type: 'modal', team_id: FAKE_TEAM_ID, state: { values: {} }, ...context.view },
            };
      const ack = await interaction(payload);
      return { ...ack, responseId: response.id };
    },
    postRaw,
    async stop() {
      await created.stop();
      await Promise.all([komerza.close(), slack.close()]);
    },
  };
}
