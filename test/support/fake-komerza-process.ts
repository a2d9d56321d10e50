import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeKomerzaOptions } from './fake-komerza.js';

/** The fake Komerza in a child process (see fake-komerza-main.ts for why), with what it has seen. */

const MAIN = fileURLToPath(new URL('./fake-komerza-main.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface KomerzaStats {
  calls: Array<{ path: string; query: string }>;
  rateLimited: number;
}

export interface FakeKomerzaProcess {
  url: string;
  stats(): Promise<KomerzaStats>;
  close(): Promise<void>;
}

export async function startFakeKomerzaProcess(
  options: Omit<FakeKomerzaOptions, 'data'> & { customers?: number },
): Promise<FakeKomerzaProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { PATH: process.env.PATH ?? '', FAKE_KOMERZA_OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake Komerza did not start: ${output}`)), 30_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; control: string });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', () => reject(new Error(`the fake Komerza exited: ${output}`)));
  });
  return {
    url: started.url,
    async stats() {
      const response = await fetch(`${started.control}/stats`);
      return (await response.json()) as KomerzaStats;
    },
    async close() {
      child.stdin?.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
