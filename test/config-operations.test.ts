import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { MINIMAL_ENV as BASE } from './support/config.js';

/** The operations settings (LOG_FORMAT, SHUTDOWN_TIMEOUT_MS) and how they reach the logger. */

describe('LOG_FORMAT', () => {
  it('defaults to pretty on a terminal and json elsewhere (containers, log shippers)', () => {
    expect(parseConfig(BASE, { stdoutIsTTY: true }).logFormat).toBe('pretty');
    expect(parseConfig(BASE, { stdoutIsTTY: false }).logFormat).toBe('json');
    expect(parseConfig(BASE).logFormat).toBe('json');
  });

  it('wins over the terminal check when set, and is validated', () => {
    expect(parseConfig({ ...BASE, LOG_FORMAT: 'json' }, { stdoutIsTTY: true }).logFormat).toBe('json');
    expect(parseConfig({ ...BASE, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(parseConfig({ ...BASE, LOG_FORMAT: '' }).logFormat).toBe('json');
    expect(() => parseConfig({ ...BASE, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });
});

describe('SHUTDOWN_TIMEOUT_MS', () => {
  it('defaults to 10 s and accepts a bounded number of milliseconds', () => {
    expect(parseConfig(BASE).shutdownTimeoutMs).toBe(10_000);
    expect(parseConfig({ ...BASE, SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2500);
    expect(() => parseConfig({ ...BASE, SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...BASE, SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });
});

describe('logger formats and LOG_LEVEL', () => {
  it('writes one JSON object per line in json, a readable line in pretty, and drops lines below the level', () => {
    const json: string[] = [];
    const pretty: string[] = [];
    const now = () => new Date('2026-01-02T03:04:05Z');
    const config = parseConfig({ ...BASE, LOG_LEVEL: 'warn' });
    for (const [format, lines] of [
      ['json', json],
      ['pretty', pretty],
    ] as const) {
      const logger = createLogger({ level: config.logLevel, format, now, write: (line) => lines.push(line) });
      logger.info('not shown');
      logger.warn('Komerza key lacks a scope', { scope: 'stores.orders.view' });
    }
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0] ?? '')).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'warn',
      name: 'app',
      msg: 'Komerza key lacks a scope',
      scope: 'stores.orders.view',
    });
    expect(pretty).toEqual([
      '2026-01-02T03:04:05.000Z WARN  [app] Komerza key lacks a scope {"scope":"stores.orders.view"}',
    ]);
  });
});
