import { type CreatedApp, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FAKE_API_KEY, type FakeKomerza, type FakeKomerzaOptions, startFakeKomerza } from './fake-komerza.js';
import { FAKE_BOT_TOKEN, FAKE_TEAM_ID, type FakeSlack, startFakeSlack } from './fake-slack.js';
import { STORE_ID } from './sample-store.js';
import { signSlackRequest } from './sign.js';

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
  /** Posts a raw body to /slack/events, signed unless `headers` are given. */
  postRaw(body: string, headers?: Record<string, string>): Promise<AckResult>;
  stop(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const komerza = await startFakeKomerza(options.komerza);
  const slack = await startFakeSlack();
  const logs: string[] = [];
  const config = parseConfig({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    KOMERZA_API_KEY: FAKE_API_KEY,
    KOMERZA_STORE_ID: STORE_ID,
    KOMERZA_API_URL: komerza.url,
    KOMERZA_TIMEOUT_MS: '2000',
    PORT: '0',
    LOG_LEVEL: 'debug',
    // Functional tests do not depend on the rate limiter or the customer cache (a shared app across tests would
    // otherwise queue, show "queued" notices, or serve data a test has since changed). Tests of those features
    // (test/integration/rate-limit.test.ts) set these back to Komerza-like values through `env`.
    KOMERZA_RATE_CAPACITY: '10000',
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
      const body = new URLSearchParams({
        token: 'deprecated',
        team_id: FAKE_TEAM_ID,
        team_domain: 'test',
        channel_id: commandOptions.channelId ?? 'C0SUPPORT',
        channel_name: 'support',
        user_id: commandOptions.userId ?? 'U0AGENT',
        user_name: 'agent',
        command: '/customer',
        text,
        api_app_id: 'A0APP',
        response_url: response.url,
        trigger_id: `trigger-${response.id}`,
      }).toString();
      const ack = await postRaw(body);
      return { ...ack, responseId: response.id };
    },
    interaction: (payload) => postRaw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString()),
    postRaw,
    async stop() {
      await created.stop();
      await Promise.all([komerza.close(), slack.close()]);
    },
  };
}
