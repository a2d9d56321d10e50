import { type CreatedApp, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type FakeKomerza, startFakeKomerza } from './fake-komerza.js';
import type { FakeSlack } from './fake-slack.js';
import { startFakeSlack } from './fake-slack.js';
import { FAKE_APP_TOKEN, type FakeSocketMode, type SocketAck, startFakeSocketMode } from './fake-socket-mode.js';
import {
  type AckResult,
  appEnvironment,
  type ClickContext,
  type CommandOptions,
  type ShortcutOptions,
  type TestAppOptions,
} from './harness.js';
import { clickPayload, messageShortcutPayload } from './interaction-payloads.js';
import { slashCommandBody } from './slash-command.js';

/**
 * Drives the app over Socket Mode with the operations of the HTTP harness (test/support/harness.ts `TestApp`):
 * the same bodies, sent as envelopes on the fake Socket Mode connection, and the ack's payload returned as
 * `body` (an ack without a body is `''`, as an empty HTTP ack reads). `status` is always 200: Socket Mode has
 * none, and an envelope the app does not ack makes the call reject instead.
 */

export interface SocketDriver {
  command(text: string, options?: CommandOptions): Promise<AckResult & { responseId: string }>;
  interaction(payload: Record<string, unknown>): Promise<AckResult>;
  messageShortcut(
    message: Record<string, unknown>,
    options?: ShortcutOptions,
  ): Promise<AckResult & { responseId: string; triggerId: string }>;
  click(button: Record<string, unknown>, context: ClickContext): Promise<AckResult & { responseId: string }>;
}

export function socketDriver(socket: FakeSocketMode, slack: FakeSlack): SocketDriver {
  const interaction = async (payload: Record<string, unknown>) => ackResult(await socket.send('interactive', payload));
  return {
    async command(text, options = {}) {
      const response = slack.responseUrl(options.responseStatus ? { status: options.responseStatus } : {});
      const form = slashCommandBody({
        text,
        responseUrl: response.url,
        triggerId: `trigger-${response.id}`,
        ...(options.userId ? { userId: options.userId } : {}),
        ...(options.channelId ? { channelId: options.channelId } : {}),
      });
      // Over Socket Mode a command's fields arrive as a JSON object rather than a form.
      const ack = await socket.send('slash_commands', Object.fromEntries(new URLSearchParams(form)));
      return { ...ackResult(ack), responseId: response.id };
    },
    interaction,
    async messageShortcut(message, options = {}) {
      const response = slack.responseUrl(options.responseStatus ? { status: options.responseStatus } : {});
      const triggerId = `trigger-${response.id}`;
      const ack = await interaction(messageShortcutPayload(message, response, triggerId, options));
      return { ...ack, responseId: response.id, triggerId };
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

function ackResult(ack: SocketAck): AckResult {
  const payload = ack.payload ?? {};
  return { status: 200, body: Object.keys(payload).length > 0 ? payload : '', ackMs: ack.ackMs };
}

export interface SocketTestApp extends SocketDriver {
  komerza: FakeKomerza;
  slack: FakeSlack;
  socket: FakeSocketMode;
  created: CreatedApp;
  logs: string[];
  /** The health server's base URL (PORT=0 binds a free port). */
  url: string;
  stop(): Promise<void>;
}

/** The environment of the HTTP harness, plus the app-level token that switches the app to Socket Mode. */
export function socketEnvironment(komerza: { url: string }, slack: { apiUrl: string }): Record<string, string> {
  return { ...appEnvironment(komerza, slack), SLACK_APP_TOKEN: FAKE_APP_TOKEN };
}

/** The real app in Socket Mode, connected to a fake Socket Mode server, a fake Slack and a fake Komerza. */
export async function startSocketTestApp(options: TestAppOptions = {}): Promise<SocketTestApp> {
  const komerza = await startFakeKomerza(options.komerza);
  const slack = await startFakeSlack();
  const socket = await startFakeSocketMode(slack);
  const logs: string[] = [];
  const config = parseConfig({
    ...socketEnvironment(komerza, slack),
    // As test/support/harness.ts: no rate limiting or caching in functional tests, short Komerza waits.
    KOMERZA_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    KOMERZA_RATE_CAPACITY: '10000',
    KOMERZA_RATE_INTERVAL_MS: '100',
    KOMERZA_CACHE_TTL_MS: '0',
    ...options.env,
  });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const created = createApp(config, { logger, slackRetries: 0, ...(options.now ? { now: options.now } : {}) });
  await created.start();
  return {
    ...socketDriver(socket, slack),
    komerza,
    slack,
    socket,
    created,
    logs,
    url: `http://127.0.0.1:${created.port()}`,
    async stop() {
      await created.stop();
      await Promise.all([socket.close(), komerza.close(), slack.close()]);
    },
  };
}
