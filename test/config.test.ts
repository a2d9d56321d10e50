import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEFAULT_DASHBOARD_URL, parseConfig } from '../src/config.js';
import { configProblems, MINIMAL_ENV } from './support/config.js';

const problems = (env: Record<string, string | undefined>) => configProblems(() => parseConfig(env));

// Upper case on purpose: the store id is normalised to lower case.
const valid = { ...MINIMAL_ENV, KOMERZA_STORE_ID: '5B0C5D0E-8A43-4C6F-9F0E-2F4D3C1B7A10' };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      slack: { apiUrl: 'https://slack.com/api/', appToken: undefined },
      komerza: { apiUrl: 'https://api.komerza.com/', storeId: '5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10', timeoutMs: 8000 },
    });
  });

  it('adds the trailing slash the Web API base needs', () => {
    expect(parseConfig({ ...valid, SLACK_API_URL: 'https://slack-gov.com/api' }).slack.apiUrl).toBe(
      'https://slack-gov.com/api/',
    );
  });

  it('selects Socket Mode with an app token, where the signing secret is optional', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...rest } = valid;
    expect(parseConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-abc' }).slack.appToken).toBe('xapp-1-abc');
    expect(problems(rest)).toEqual([
      'SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ ...valid, SLACK_APP_TOKEN: '', PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
  });

  it('lists every problem at once, by name, without echoing any value', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      KOMERZA_STORE_ID: 'store-secret-not-uuid',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      KOMERZA_API_URL: 'ftp://files.example',
    };
    const list = problems(env);
    expect(list).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
      'PORT must be a port number',
      'KOMERZA_API_KEY is required (a Komerza API key)',
      'KOMERZA_STORE_ID must be a UUID (the store id from the Komerza dashboard)',
      'KOMERZA_API_URL must be an http(s) URL',
      'LOG_LEVEL must be one of debug, info, warn, error',
      'SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
    const message = new ConfigError(list).message;
    for (const value of Object.values(env)) expect(message).not.toContain(value);
  });
});

describe('KOMERZA_DASHBOARD_URL', () => {
  it('defaults to the dashboard root (also when empty)', () => {
    expect(parseConfig(valid).komerzaDashboardUrl).toBe(DEFAULT_DASHBOARD_URL);
    expect(parseConfig({ ...valid, KOMERZA_DASHBOARD_URL: '' }).komerzaDashboardUrl).toBe(DEFAULT_DASHBOARD_URL);
  });

  it('accepts an http(s) template with {storeId} and {customerId}', () => {
    const template = 'https://dashboard.komerza.com/stores/{storeId}/customers/{customerId}';
    expect(parseConfig({ ...valid, KOMERZA_DASHBOARD_URL: template }).komerzaDashboardUrl).toBe(template);
  });

  it('rejects other schemes, non-URLs and unknown placeholders, by name', () => {
    expect(problems({ ...valid, KOMERZA_DASHBOARD_URL: 'javascript:alert(1)' })).toEqual([
      expect.stringMatching(/^KOMERZA_DASHBOARD_URL must be an http\(s\) URL/),
    ]);
    expect(problems({ ...valid, KOMERZA_DASHBOARD_URL: 'not a url' })[0]).toMatch(/^KOMERZA_DASHBOARD_URL/);
    expect(problems({ ...valid, KOMERZA_DASHBOARD_URL: 'https://d.example/{email}' })[0]).toMatch(
      /^KOMERZA_DASHBOARD_URL may only use the placeholders/,
    );
  });
});
