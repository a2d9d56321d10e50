import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type FakeKomerza, startFakeKomerza } from '../support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { appEnvironment, httpDriver, SIGNING_SECRET } from '../support/harness.js';
import { signSlackRequest } from '../support/sign.js';
import { slashCommandBody } from '../support/slash-command.js';

/**
 * src/index.ts as a real process (run from source through tsx's loader, so no build is needed): exit codes and
 * signal handling are the one thing the function-level tests cannot see.
 */

const ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([komerza?.close(), slack?.close()]);
  child = undefined;
});

interface Spawned {
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the port once the app logs that it listens. */
  listening: Promise<number>;
}

function spawnApp(env: Record<string, string>): Spawned {
  // An empty working directory: a developer's own .env must not leak into the test.
  const cwd = mkdtempSync(join(tmpdir(), 'lookup-process-'));
  const proc = spawn(process.execPath, ['--import', TSX, ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  let onListening: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve) => {
    onListening = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const match = /Listening for Slack on port (\d+)/.exec(output);
    if (match) onListening(Number(match[1]));
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { output: () => output, exited, listening };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function fakes() {
  komerza = await startFakeKomerza();
  slack = await startFakeSlack();
  return {
    ...appEnvironment(komerza, slack),
  };
}

describe('the app as a process', () => {
  it('exits 1 once, with a readable reason, when the Komerza key is wrong', async () => {
    const app = spawnApp({ ...(await fakes()), KOMERZA_API_KEY: 'kmz_definitely_wrong' });
    expect(await app.exited).toBe(1);
    const lines = app
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: expect.stringContaining('KOMERZA_API_KEY') });
    expect(app.output()).not.toContain('kmz_definitely_wrong');
    expect(app.output()).not.toMatch(/\n\s+at /);
  });

  it('on SIGTERM, finishes the lookup in flight (its card reaches the response_url) and exits 0', async () => {
    const app = spawnApp(await fakes());
    const port = await app.listening;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    komerza?.addFault({ path: '/email', fault: { kind: 'wait', until: gate }, times: 1 });
    const response = (slack as FakeSlack).responseUrl();
    const body = slashCommandBody({ text: 'jane@example.com', responseUrl: response.url, triggerId: 't-1' });
    const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: signSlackRequest(SIGNING_SECRET, body),
      body,
    });
    expect(ack.status).toBe(200);
    // The ack is sent once the lookup has started, and the customer read is held: it is in flight now.
    const arrived = (slack as FakeSlack).waitForPost(response.id, 10_000);
    child?.kill('SIGTERM');
    await until(() => app.output().includes('shutting down'));
    expect(app.output()).toContain('SIGTERM received: shutting down (no new requests; waiting for 1 lookup(s))');
    release();
    expect(await app.exited).toBe(0);
    expect(JSON.stringify(await arrived)).toContain('$12,345.50');
    expect(app.output()).toContain('SIGTERM received: shutting down');
    expect(app.output()).toContain('Stopped cleanly');
  });

  it('survives a correctly signed malformed payload while lookups are in flight, and delivers them all', async () => {
    const app = spawnApp(await fakes());
    const port = await app.listening;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    komerza?.addFault({ path: '/email', fault: { kind: 'wait', until: gate }, times: 5 });
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signSlackRequest(SIGNING_SECRET, body),
        body,
      });
    const responses = Array.from({ length: 5 }, () => (slack as FakeSlack).responseUrl());
    for (const [i, response] of responses.entries()) {
      const body = slashCommandBody({ text: 'jane@example.com', responseUrl: response.url, triggerId: `t-${i}` });
      expect((await post(body)).status).toBe(200);
    }
    for (const malformed of ['payload=null', 'payload=1', 'payload=%5B%5D'])
      expect((await post(malformed)).status).toBe(400);
    release();
    for (const response of responses) {
      expect(JSON.stringify(await (slack as FakeSlack).waitForPost(response.id, 10_000))).toContain('$12,345.50');
    }
    expect(child?.exitCode).toBeNull();
    child?.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });

  it('on SIGTERM, reports not ready but keeps serving for SHUTDOWN_DRAIN_DELAY_MS; a second signal exits at once', async () => {
    const app = spawnApp({ ...(await fakes()), SHUTDOWN_DRAIN_DELAY_MS: '60000' });
    const port = await app.listening;
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    child?.kill('SIGTERM');
    await until(() => app.output().includes('reporting not ready'));
    const readiness = await fetch(`${url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ ready: false, reason: 'stopping' });
    // Still serving: a command sent now is answered.
    const driver = httpDriver(url, slack as FakeSlack);
    const ack = await driver.command('jane@example.com');
    expect(ack.status).toBe(200);
    expect(JSON.stringify(await (slack as FakeSlack).waitForPost(ack.responseId))).toContain('$12,345.50');
    child?.kill('SIGTERM');
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('SIGTERM received again: exiting without waiting');
  });

  it('on SIGINT (Ctrl-C at a terminal), stops without the drain delay', async () => {
    const app = spawnApp({ ...(await fakes()), SHUTDOWN_DRAIN_DELAY_MS: '60000' });
    await app.listening;
    child?.kill('SIGINT');
    expect(await app.exited).toBe(0);
    expect(app.output()).not.toContain('reporting not ready');
    expect(app.output()).toContain('Stopped cleanly');
  });
});
