import { afterEach, describe, expect, it } from '@jest/globals';
import { LogLevel } from '@slack/bolt';
import { createLogger, libraryLogger } from '../../src/logger.js';
import { createSocketModeReceiver, SocketModeStartError } from '../../src/slack/socket-mode.js';
import { waitFor } from '../support/async.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { FAKE_APP_TOKEN, type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';

/** The receiver alone (no App): the time limits and the reconnect loop, with short timings. */

let slack: FakeSlack;
let socket: FakeSocketMode;
let stop: (() => Promise<unknown>) | undefined;
const logs: string[] = [];

afterEach(async () => {
  await stop?.();
  stop = undefined;
  await socket?.close();
  await slack?.close();
  logs.length = 0;
});

async function receiverWith(options: { connectTimeoutMs?: number; reconnectDelayMs?: (attempt: number) => number }) {
  slack = await startFakeSlack();
  socket = await startFakeSocketMode(slack);
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const built = createSocketModeReceiver({
    appToken: FAKE_APP_TOKEN,
    apiUrl: slack.apiUrl,
    retries: 0,
    port: 0,
    customRoutes: [],
    logger,
    libraryLogger: libraryLogger(logger),
    logLevel: LogLevel.INFO,
    ...options,
  });
  stop = () => built.receiver.stop();
  return built;
}

describe('the Socket Mode receiver', () => {
  it('fails the start when Slack never says hello on the socket, and closes that socket', async () => {
    const { receiver, connection } = await receiverWith({ connectTimeoutMs: 2000 });
    socket.greet(false);
    const failure = await receiver.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketModeStartError);
    expect(failure).toMatchObject({ kind: 'websocket', message: expect.stringContaining('did not say hello') });
    expect(socket.connections).toBe(1);
    await socket.waitForNoConnection();
    expect(connection.isConnected()).toBe(false);
  });

  it('stops reconnecting once stopped, even between two failed attempts', async () => {
    const { receiver, connection } = await receiverWith({ reconnectDelayMs: () => 50 });
    await receiver.start();
    const changes: boolean[] = [];
    const unsubscribe = connection.on('change', (connected) => changes.push(connected));
    socket.answerOpen({ kind: 'drop' });
    socket.cut();
    await waitFor(() => (socket.openTokens.length >= 3 ? true : undefined), 5000, 'two failed attempts');
    await receiver.stop();
    const attempts = socket.openTokens.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.openTokens.length).toBe(attempts);
    expect(changes).toEqual([false]);
    unsubscribe();
  });
});
