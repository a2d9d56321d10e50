import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { doctorCli, USAGE } from '../src/doctor.js';
import { type FakeKomerza, startFakeKomerza } from './support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from './support/fake-socket-mode.js';
import { socketEnvironment } from './support/harness.js';

/** src/doctor.ts: arguments, the configuration it reads, exit codes, and the entry point as a real process. */

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
afterEach(async () => {
  await Promise.all([komerza?.close(), slack?.close(), socket?.close()]);
  komerza = slack = socket = undefined;
});

/** A Socket Mode installation on the fakes: no SLACK_SIGNING_SECRET, as the app accepts it. */
async function installation(): Promise<Record<string, string>> {
  komerza = await startFakeKomerza();
  slack = await startFakeSlack();
  socket = await startFakeSocketMode(slack);
  const { SLACK_SIGNING_SECRET: _unused, ...env } = socketEnvironment(komerza, slack);
  // A developer's own .env must not leak into the test.
  return { ...env, DOTENV_CONFIG_PATH: join(tmpdir(), 'no-such-doctor.env') };
}

async function cli(argv: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const code = await doctorCli({
    argv,
    env,
    write: (text) => (out += text),
    writeError: (text) => (err += text),
    slackRetries: 0,
  });
  return { code, out, err };
}

describe('doctor arguments', () => {
  it('prints its usage with --help, and exits 0', async () => {
    const { code, out } = await cli(['--help'], {});
    expect(code).toBe(0);
    expect(out).toBe(USAGE);
  });

  it.each([[['--verbose']], [['--email']], [['--email', 'not an address']], [['extra']]])(
    'refuses %j with exit 2 and the usage',
    async (argv) => {
      const { code, out, err } = await cli(argv, {});
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('Usage: npm run doctor');
    },
  );
});

describe('the configuration it reads', () => {
  it('exits 1 with every problem listed when the settings are wrong, never the values', async () => {
    const { code, err } = await cli([], {
      DOTENV_CONFIG_PATH: join(tmpdir(), 'no-such-doctor.env'),
      SLACK_BOT_TOKEN: 'xoxp-not-a-bot-token-secret',
    });
    expect(code).toBe(1);
    expect(err).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(err).toContain('KOMERZA_API_KEY is required');
    expect(err).not.toContain('xoxp-not-a-bot-token-secret');
  });

  it('--json: the problems as JSON on stdout too', async () => {
    const { code, out } = await cli(['--json'], { DOTENV_CONFIG_PATH: join(tmpdir(), 'no-such-doctor.env') });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      exitCode: 1,
      configProblems: expect.arrayContaining(['KOMERZA_API_KEY is required (a Komerza API key)']),
    });
  });

  it('needs no SLACK_SIGNING_SECRET in Socket Mode, exactly like the app', async () => {
    const { code, out, err } = await cli(['--email', 'jane@example.com'], await installation());
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Customer Lookup doctor · Socket Mode');
    expect(out).toContain('✓ Socket Mode:');
    expect(out).toMatch(/Summary: .*nothing required failed \(exit 0\)/);
  });
});

describe('node dist/doctor.js (src/doctor.ts as a process)', () => {
  const ENTRY = fileURLToPath(new URL('../src/doctor.ts', import.meta.url));
  const TSX = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

  function run(argv: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    const proc = spawn(process.execPath, ['--import', TSX, ENTRY, ...argv], {
      // An empty working directory: no .env is read from the checkout.
      cwd: mkdtempSync(join(tmpdir(), 'lookup-doctor-')),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, out })));
  }

  // Each spawn loads the doctor through tsx's loader: on a loaded machine that alone takes seconds.
  it('prints the JSON report on stdout and exits 0', async () => {
    const good = await run(['--json'], await installation());
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ mode: 'socket', exitCode: 0 });
  }, 30_000);

  it('exits 1 once a required check fails', async () => {
    const refused = await run([], { ...(await installation()), KOMERZA_API_KEY: 'kmz_not_the_right_key' });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('✗ Komerza store (required): Komerza rejected KOMERZA_API_KEY');
  }, 30_000);
});
