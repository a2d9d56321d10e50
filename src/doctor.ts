/**
 * `npm run doctor [-- --email <address>] [--json]` (in the Docker image: `node dist/doctor.js`): checks this
 * installation against what the app assumes about Slack and Komerza, prints one line per check and a summary, and
 * exits 0 when nothing required failed (1 otherwise, or when the configuration itself is wrong; 2 for bad arguments).
 * Reads the same configuration as the app (the environment over `.env`); the checks live in src/checks/.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runDoctor } from './checks/doctor.js';
import { formatJson, formatText } from './checks/report.js';
import { ConfigError, parseConfig, readEnvironment } from './config.js';
import { createLogger } from './logger.js';

export const USAGE = `Usage: npm run doctor -- [--email <a customer's address>] [--json]
       node dist/doctor.js [--email <a customer's address>] [--json]

Checks this installation (the settings in the environment and .env) against what the app assumes about Slack and
Komerza: read-only, about 15 Komerza calls. --email also checks the assumptions that need a real customer
(the address is never printed in full). --json prints the same report as JSON.
`;

export interface DoctorIo {
  argv: string[];
  env: Record<string, string | undefined>;
  /** The report (stdout). */
  write: (text: string) => void;
  /** Usage and configuration problems, and library logs (stderr). */
  writeError: (text: string) => void;
  /** Slack Web API retries (tests use 0). */
  slackRetries?: number;
}

/** Runs the doctor as the command line does; resolves with the exit code. */
export async function doctorCli(io: DoctorIo): Promise<number> {
  let args: { email?: string; json?: boolean; help?: boolean };
  try {
    args = parseArgs({
      args: io.argv,
      options: { email: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (error) {
    io.writeError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.write(USAGE);
    return 0;
  }
  const email = args.email?.trim();
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    io.writeError(`--email needs an email address.\n\n${USAGE}`);
    return 2;
  }

  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(readEnvironment(io.env, io.env.DOTENV_CONFIG_PATH ?? '.env'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (args.json) io.write(`${JSON.stringify({ configProblems: error.problems, exitCode: 1 }, null, 2)}\n`);
    io.writeError(`${error.message}\n\nSee .env.example for every setting and what it means.\n`);
    return 1;
  }
  // Libraries' own lines (a Redis that does not answer, a Web API retry) go to stderr, never into the report.
  const logger = createLogger({
    level: 'warn',
    format: 'pretty',
    name: 'doctor',
    write: (line) => io.writeError(`${line}\n`),
  });
  const report = await runDoctor(config, { ...(email ? { email } : {}), logger, slackRetries: io.slackRetries });
  io.write(args.json ? formatJson(report) : formatText(report));
  return report.exitCode;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const code = await doctorCli({
    argv: process.argv.slice(2),
    env: process.env,
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
  }).catch((error: unknown) => {
    process.stderr.write(`The doctor could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  // Keep-alive sockets and timers of the clients must not hold the process: the report is out, so end it.
  process.stdout.write('', () => process.exit(code));
}
