import { describe, expect, it } from '@jest/globals';
import { type ConfigError, DEFAULT_DASHBOARD_URL, parseConfig } from '../src/config.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
  KOMERZA_API_KEY: 'kmz_0123456789',
  KOMERZA_STORE_ID: '5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10',
};

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...BASE, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('KOMERZA_DASHBOARD_URL', () => {
  it('defaults to the dashboard root (also when empty)', () => {
    expect(parseConfig(BASE).komerzaDashboardUrl).toBe(DEFAULT_DASHBOARD_URL);
    expect(parseConfig({ ...BASE, KOMERZA_DASHBOARD_URL: '' }).komerzaDashboardUrl).toBe(DEFAULT_DASHBOARD_URL);
  });

  it('accepts an http(s) template with {storeId} and {customerId}', () => {
    const template = 'https://dashboard.komerza.com/stores/{storeId}/customers/{customerId}';
    expect(parseConfig({ ...BASE, KOMERZA_DASHBOARD_URL: template }).komerzaDashboardUrl).toBe(template);
  });

  it('rejects other schemes, non-URLs and unknown placeholders, by name', () => {
    expect(problems({ KOMERZA_DASHBOARD_URL: 'javascript:alert(1)' })).toEqual([
      expect.stringMatching(/^KOMERZA_DASHBOARD_URL must be an http\(s\) URL/),
    ]);
    expect(problems({ KOMERZA_DASHBOARD_URL: 'not a url' })[0]).toMatch(/^KOMERZA_DASHBOARD_URL/);
    expect(problems({ KOMERZA_DASHBOARD_URL: 'https://d.example/{email}' })[0]).toMatch(
      /^KOMERZA_DASHBOARD_URL may only use the placeholders/,
    );
  });
});
