import { describe, expect, it } from '@jest/globals';
import { ago, expiresSoon, expiryPhrase, formatMoney, slackDate } from '../../src/blocks/format.js';

describe('formatMoney', () => {
  it('formats en-US in the store currency', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'eur')).toBe('€1,234.50');
    expect(formatMoney(0, 'GBP')).toBe('£0.00');
    expect(formatMoney(-5, 'USD')).toBe('-$5.00');
  });

  it('falls back to USD without a currency, and to plain digits for an unknown code', () => {
    expect(formatMoney(10, undefined)).toBe('$10.00');
    expect(formatMoney(10, 'NOT-A-CODE')).toBe('10.00 NOT-A-CO');
  });

  it('shows a dash for a missing amount', () => {
    expect(formatMoney(undefined, 'USD')).toBe('—');
    expect(formatMoney(null, 'USD')).toBe('—');
  });
});

describe('dates', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('writes a Slack date token in seconds with a UTC fallback', () => {
    expect(slackDate(new Date('2026-03-13T12:00:00Z'))).toBe('<!date^1773403200^{date_short}|2026-03-13 UTC>');
  });

  it('says how far an expiry is', () => {
    expect(expiryPhrase(new Date('2026-03-13T12:00:00Z'), now)).toBe('expires in 3 days');
    expect(expiryPhrase(new Date('2026-03-08T12:00:00Z'), now)).toBe('expired 2 days ago');
    expect(expiryPhrase(new Date('2026-03-10T15:00:00Z'), now)).toBe('expires in 3 hours');
    expect(expiryPhrase(new Date('2026-06-10T12:00:00Z'), now)).toBe('expires in 3 months');
  });

  it('flags what is expired or ends within 7 days', () => {
    expect(expiresSoon(new Date('2026-03-16T12:00:00Z'), now)).toBe(true);
    expect(expiresSoon(new Date('2026-03-01T12:00:00Z'), now)).toBe(true);
    expect(expiresSoon(new Date('2026-03-18T12:00:00Z'), now)).toBe(false);
  });

  it('says how long ago something happened', () => {
    expect(ago(new Date('2026-03-07T12:00:00Z'), now)).toBe('3 days ago');
    expect(ago(new Date('2026-03-10T11:59:30Z'), now)).toBe('just now');
    expect(ago(new Date('2025-03-01T12:00:00Z'), now)).toBe('1 year ago');
  });
});
