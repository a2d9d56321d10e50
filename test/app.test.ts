import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type FakeKomerza, startFakeKomerza } from './support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { appEnvironment } from './support/harness.js';
import { listen } from './support/http.js';

let komerza: FakeKomerza;
let slack: FakeSlack;
beforeAll(async () => {
  komerza = await startFakeKomerza();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await Promise.all([komerza.close(), slack.close()]);
});

const quiet = () => createLogger({ level: 'error', write: () => undefined });

describe('createApp lifecycle', () => {
  it('stops within SHUTDOWN_TIMEOUT_MS even while a request is still being received', async () => {
    const config = parseConfig({ ...appEnvironment(komerza, slack), SHUTDOWN_TIMEOUT_MS: '300' });
    const created = createApp(config, { logger: quiet(), slackRetries: 0 });
    await created.start();
    // A client that sends headers and half a body, then nothing: Node's server.close() would wait for it.
    const socket = connect(created.port() ?? 0, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await expect(created.stop()).resolves.toEqual({ abandoned: 0 });
    await closed;
  }, 10_000);

  it('in Socket Mode, a taken PORT is a start-up error (not an uncaught exception)', async () => {
    const holder = await listen((_req, res) => res.end());
    try {
      const config = parseConfig({
        ...appEnvironment(komerza, slack),
        SLACK_APP_TOKEN: 'xapp-1-test',
        PORT: String(holder.port),
      });
      const created = createApp(config, { logger: quiet(), slackRetries: 0 });
      await expect(created.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await holder.close();
    }
  });

  it('gives up on an unreachable Slack Web API within seconds, not Bolt’s default half hour of retries', async () => {
    const config = parseConfig({ ...appEnvironment(komerza, slack), SLACK_API_URL: 'http://127.0.0.1:1/api/' });
    const created = createApp(config, { logger: quiet() }); // the production retry policy
    // With Bolt's default policy this would still be retrying when the test's 15 s run out.
    await expect(created.start()).rejects.toThrow();
  }, 15_000);
});
