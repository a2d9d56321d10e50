import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';
import { socketDriver, socketEnvironment } from '../support/harness.js';

/**
 * src/index.ts as a real process in Socket Mode (run from source through tsx's loader, as process.test.ts does
 * for HTTP mode): it connects through the fakes, answers over the socket, and exits 0 on SIGTERM.
 */

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([socket?.close(), komerza?.close(), slack?.close()]);
  child = undefined;
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function spawnApp(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', TSX, ENTRY], {
    // An empty working directory: a developer's own .env must not leak into the test.
    cwd: mkdtempSync(join(tmpdir(), 'lookup-socket-process-')),
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => output };
}

describe('the app as a process in Socket Mode', () => {
  it('connects through SLACK_API_URL, answers a command over the socket, and exits 0 on SIGTERM', async () => {
    komerza = await startFakeKomerza();
    slack = await startFakeSlack();
    socket = await startFakeSocketMode(slack);
    const app = spawnApp(socketEnvironment(komerza, slack));
    await until(() => app.output().includes('Connected to Slack in Socket Mode'), 'the connection');
    expect(socket.connections).toBe(1);
    const driver = socketDriver(socket, slack);
    const ack = await driver.command('jane@example.com');
    expect(ack.body).toBe('');
    expect(JSON.stringify(await slack.waitForPost(ack.responseId))).toContain('$12,345.50');

    app.proc.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('Stopped cleanly');
    expect(socket.open).toBe(0);
    expect(app.output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('exits 1 with one line naming SLACK_APP_TOKEN when Slack rejects it', async () => {
    komerza = await startFakeKomerza();
    slack = await startFakeSlack();
    socket = await startFakeSocketMode(slack);
    socket.answerOpen({ kind: 'error', error: 'invalid_auth' });
    const app = spawnApp(socketEnvironment(komerza, slack));
    expect(await app.exited).toBe(1);
    const lines = app
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      msg: expect.stringContaining('Slack rejected SLACK_APP_TOKEN (invalid_auth)'),
    });
    expect(app.output()).not.toMatch(/\n\s+at /);
  }, 30_000);
});
