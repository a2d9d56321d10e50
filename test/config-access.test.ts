import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';
import { MINIMAL_ENV as base } from './support/config.js';

describe('access and privacy settings', () => {
  it('default to the whole workspace, 100 customers shown a minute and 1,000 an hour, and the IP shown privately', () => {
    const config = parseConfig(base);
    expect(config.access).toEqual({
      userIds: undefined,
      usergroupIds: undefined,
      channelIds: undefined,
      lookupsPerUserPerMinute: 100,
      lookupsPerUserPerHour: 1000,
    });
    expect(config.privacy).toEqual({ showIpAddress: true });
    // `FOO=` in .env means unset.
    expect(parseConfig({ ...base, ALLOWED_USER_IDS: '', SHOW_IP_ADDRESS: '' }).access.userIds).toBeUndefined();
  });

  it('reads comma- or space-separated id lists, a limit and SHOW_IP_ADDRESS=false', () => {
    const config = parseConfig({
      ...base,
      ALLOWED_USER_IDS: 'U01ABC, W02DEF',
      ALLOWED_USERGROUP_IDS: 'S0SUPPORT',
      ALLOWED_CHANNEL_IDS: 'C0SUPPORT G0PRIVATE,D0DM',
      LOOKUPS_PER_USER_PER_MINUTE: '0',
      LOOKUPS_PER_USER_PER_HOUR: '250',
      SHOW_IP_ADDRESS: 'false',
    });
    expect(config.access).toEqual({
      userIds: ['U01ABC', 'W02DEF'],
      usergroupIds: ['S0SUPPORT'],
      channelIds: ['C0SUPPORT', 'G0PRIVATE', 'D0DM'],
      lookupsPerUserPerMinute: 0,
      lookupsPerUserPerHour: 250,
    });
    expect(config.privacy.showIpAddress).toBe(false);
  });

  it('rejects channel names, handles and junk, naming every variable at once', () => {
    try {
      parseConfig({
        ...base,
        ALLOWED_USER_IDS: '@jane',
        ALLOWED_USERGROUP_IDS: 'support-team',
        ALLOWED_CHANNEL_IDS: '#support',
        LOOKUPS_PER_USER_PER_MINUTE: 'lots',
        SHOW_IP_ADDRESS: 'no',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of [
        'ALLOWED_USER_IDS',
        'ALLOWED_USERGROUP_IDS',
        'ALLOWED_CHANNEL_IDS',
        'LOOKUPS_PER_USER_PER_MINUTE',
        'SHOW_IP_ADDRESS',
      ]) {
        expect(problems).toContain(name);
      }
      expect(problems).not.toContain('@jane');
    }
  });

  it('treats a blank or comma-only allow-list as a mistake, not as "refuse everyone"', () => {
    for (const value of [' ', ',', ' , ']) {
      expect(() => parseConfig({ ...base, ALLOWED_USER_IDS: value })).toThrow(ConfigError);
    }
    expect(() => parseConfig({ ...base, ALLOWED_CHANNEL_IDS: ',' })).toThrow(
      /ALLOWED_CHANNEL_IDS names no ids \(leave it unset to allow everyone\)/,
    );
  });
});
