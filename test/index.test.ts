import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from './support/async.js';
import { FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from './support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { appEnvironment, SIGNING_SECRET } from './support/harness.js';
import { signSlackRequest } from './support/sign.js';

/** The real entry point (src/index.ts through tsx, as `npm start` runs dist/index.js) in a child process. */
const root = fileURLToPath(new URL('..', import.meta.url));

function startEntry(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe('entry point', () => {
  it('exits 1 with every problem listed, readably, and no secret echoed', async () => {
    const run = startEntry({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token', KOMERZA_STORE_ID: 'nope', PORT: 'x' });
    expect(await run.exit).toBe(1);
    const output = run.output();
    expect(output).toContain('The app cannot start: fix these settings');
    expect(output).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(output).toContain('KOMERZA_API_KEY is required');
    expect(output).toContain('KOMERZA_STORE_ID must be a UUID');
    expect(output).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
    expect(output).not.toContain('xoxp-secret-user-token');
    expect(output).not.toMatch(/\bat .+\.ts:\d+/); // no stack trace
  }, 20000);

  describe('with a valid environment', () => {
    let komerza: FakeKomerza;
    let slack: FakeSlack;
    beforeAll(async () => {
      komerza = await startFakeKomerza();
      slack = await startFakeSlack();
    });
    afterAll(async () => {
      await Promise.all([komerza.close(), slack.close()]);
    });

    it('serves /customer in HTTP mode, calls auth.test through SLACK_API_URL, and exits 0 on SIGTERM', async () => {
      const run = startEntry(appEnvironment(komerza, slack));
      await waitFor(() => (/on port \d+/.test(run.output()) ? true : undefined), 15000, 'the listening line');
      const port = /on port (\d+)/.exec(run.output())?.[1];
      expect(slack.calls.some((call) => call.method === 'auth.test')).toBe(true);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);

      const response = slack.responseUrl();
      const body = new URLSearchParams({
        command: '/customer',
        text: 'jane@example.com',
        user_id: 'U1',
        team_id: 'T1',
        channel_id: 'C1',
        response_url: response.url,
      }).toString();
      const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signSlackRequest(SIGNING_SECRET, body),
        body,
      });
      expect(ack.status).toBe(200);
      expect(JSON.stringify(await slack.waitForPost(response.id))).toContain('$12,345.50');

      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(run.output()).not.toContain('jane@example.com');
      expect(run.output()).not.toContain(FAKE_API_KEY);
    }, 30000);
  });
});
