import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { MINIMAL_ENV as BASE } from './support/config.js';

/** The operations settings (LOG_FORMAT, SHUTDOWN_TIMEOUT_MS, SHUTDOWN_DRAIN_DELAY_MS, METRICS_ENABLED). */

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

describe('SHUTDOWN_DRAIN_DELAY_MS', () => {
  it('defaults to 5 s in HTTP mode (behind a load balancer) and 0 in Socket Mode (nothing to drain)', () => {
    expect(parseConfig(BASE).shutdownDrainDelayMs).toBe(5000);
    expect(parseConfig({ ...BASE, SLACK_APP_TOKEN: 'xapp-1-A0-1-x' }).shutdownDrainDelayMs).toBe(0);
    expect(parseConfig({ ...BASE, SHUTDOWN_DRAIN_DELAY_MS: '' }).shutdownDrainDelayMs).toBe(5000);
  });

  it('takes a bounded number of milliseconds in either mode', () => {
    expect(parseConfig({ ...BASE, SHUTDOWN_DRAIN_DELAY_MS: '0' }).shutdownDrainDelayMs).toBe(0);
    expect(
      parseConfig({ ...BASE, SLACK_APP_TOKEN: 'xapp-1-A0-1-x', SHUTDOWN_DRAIN_DELAY_MS: '2000' }).shutdownDrainDelayMs,
    ).toBe(2000);
    expect(() => parseConfig({ ...BASE, SHUTDOWN_DRAIN_DELAY_MS: 'soon' })).toThrow(/SHUTDOWN_DRAIN_DELAY_MS/);
    expect(() => parseConfig({ ...BASE, SHUTDOWN_DRAIN_DELAY_MS: '200000' })).toThrow(/SHUTDOWN_DRAIN_DELAY_MS/);
  });
});

describe('METRICS_ENABLED', () => {
  it('is off unless set to true', () => {
    expect(parseConfig(BASE).metricsEnabled).toBe(false);
    expect(parseConfig({ ...BASE, METRICS_ENABLED: '' }).metricsEnabled).toBe(false);
    expect(parseConfig({ ...BASE, METRICS_ENABLED: 'true' }).metricsEnabled).toBe(true);
    expect(parseConfig({ ...BASE, METRICS_ENABLED: 'false' }).metricsEnabled).toBe(false);
    expect(() => parseConfig({ ...BASE, METRICS_ENABLED: 'yes' })).toThrow(/METRICS_ENABLED must be true or false/);
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
