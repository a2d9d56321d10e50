import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The app as production runs it (`node dist/index.js`), several processes at once, for the replica tests. dist/ is
 * used when it is up to date with src/ (CI builds just before the tests); otherwise src/ is compiled by
 * tsconfig.build.json into a temporary directory of the test's own, since a test must neither run stale code nor
 * rewrite dist/ under another run (the bench, a developer's build) that may be using it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Build {
  /** The compiled entry point, to run with `node`. */
  entry: string;
  remove(): Promise<void>;
}

/** dist/index.js when every src/ module has a compiled file at least as new; else a build of the test's own. */
export async function buildApp(): Promise<Build> {
  if (await distIsFresh()) return { entry: join(ROOT, 'dist', 'index.js'), remove: async () => undefined };
  return buildInto();
}

async function distIsFresh(): Promise<boolean> {
  const sources = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts'));
  for (const source of sources) {
    const compiled = join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    const [from, to] = await Promise.all([stat(join(ROOT, 'src', source)), stat(compiled).catch(() => undefined)]);
    if (!to || to.mtimeMs < from.mtimeMs) return false;
  }
  return sources.length > 0;
}

/** Compiles src/ into a temporary directory that resolves this checkout's node_modules as dist/ would. */
async function buildInto(): Promise<Build> {
  const dir = await mkdtemp(join(tmpdir(), 'lookup-build-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const out = join(dir, 'dist');
    await run(process.execPath, [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      out,
    ]);
    // ESM like the repository's package.json says, and packages found where dist/ would find them.
    await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    return { entry: join(out, 'index.js'), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

export interface Replica {
  name: string;
  /** http://127.0.0.1:<port>: /slack/events, /readyz… */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (JSON log lines). */
  output(): string;
  /** Its log lines, parsed. */
  logs(): Array<{ level: string; msg: string } & Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGKILL, and resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `node <entry>` with exactly `env` (and PATH) in an empty working directory (no .env leaks in), and resolves
 * once it listens (HTTP mode).
 */
export async function startReplica(
  entry: string,
  env: Record<string, string>,
  name: string,
  timeoutMs = 30_000,
): Promise<Replica> {
  const cwd = await mkdtemp(join(tmpdir(), 'lookup-replica-'));
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rm(cwd, { recursive: true, force: true }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /Listening for Slack on port (\d+)/.exec(output);
    if (match) {
      return {
        name,
        url: `http://127.0.0.1:${match[1]}`,
        child,
        output: () => output,
        logs: () =>
          output
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as { level: string; msg: string } & Record<string, unknown>),
        exited,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start: ${output.slice(-1000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
