import { type Logger, LogLevel } from '@slack/bolt';
import type { LogLevelName } from './config.js';

/**
 * The app's logger, also handed to Bolt so every line has one format. `json` writes one JSON object per line
 * (for log shippers); `pretty` writes a readable line (for a terminal). Objects passed in become fields, so
 * structured events such as the audit log stay structured.
 *
 * Callers never pass secrets or customers' personal data; `redactSecrets` is a second line of defence for
 * tokens that might arrive inside third-party error messages.
 */
export type LogFormat = 'json' | 'pretty';

export interface AppLogger extends Logger {
  /** A structured event (e.g. the audit line of a lookup) at info level. */
  event(name: string, fields: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

const SECRET_PATTERNS = [/xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /Bearer\s+[A-Za-z0-9._~+/=-]+/gi];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}

export interface LoggerOptions {
  level?: LogLevelName;
  format?: LogFormat;
  name?: string;
  /** Where lines go (tests capture them). Defaults to stdout. */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): AppLogger {
  let level = (options.level ?? 'info') as LogLevel;
  let name = options.name ?? 'app';
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  function log(at: LogLevel, args: unknown[]): void {
    if (ORDER[at] < ORDER[level]) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg instanceof Error) fields.error = describeError(arg);
      else if (arg && typeof arg === 'object' && !Array.isArray(arg)) Object.assign(fields, arg);
      else words.push(String(arg));
    }
    const msg = redactSecrets(words.join(' '));
    if (format === 'json') {
      write(redactSecrets(JSON.stringify({ time: now().toISOString(), level: at, name, msg, ...fields })));
    } else {
      const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
      write(redactSecrets(`${now().toISOString()} ${at.toUpperCase().padEnd(5)} [${name}] ${msg}${extra}`));
    }
  }

  return {
    debug: (...args: unknown[]) => log(LogLevel.DEBUG, args),
    info: (...args: unknown[]) => log(LogLevel.INFO, args),
    warn: (...args: unknown[]) => log(LogLevel.WARN, args),
    error: (...args: unknown[]) => log(LogLevel.ERROR, args),
    event: (event: string, fields: Record<string, unknown>) => log(LogLevel.INFO, [event, { event, ...fields }]),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

/** Name, message and code of an error, and the first lines of its stack (frames only: no request data). */
function describeError(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: error.stack.split('\n').slice(0, 6).join('\n') } : {}),
  };
}

/**
 * The logger handed to Bolt (and through it to Slack's Web API and Socket Mode clients). At debug level those
 * libraries log whole request and response bodies (views, messages, incoming payloads): cards with customers'
 * emails and IP addresses, and the text people typed. So library lines stop at info, whatever LOG_LEVEL says;
 * `debug` applies to the app's own lines only.
 */
export function libraryLogger(logger: AppLogger): Logger {
  return {
    debug: () => undefined,
    info: (...args: unknown[]) => logger.info(...args),
    warn: (...args: unknown[]) => logger.warn(...args),
    error: (...args: unknown[]) => logger.error(...args),
    // Bolt sets the level it was given on its logger; the app's own level must not change with it.
    setLevel: () => undefined,
    getLevel: () => (logger.getLevel() === LogLevel.DEBUG ? LogLevel.INFO : logger.getLevel()),
    setName: () => undefined,
  };
}
