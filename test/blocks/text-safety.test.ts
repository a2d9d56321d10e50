import { describe, expect, it } from '@jest/globals';
import { formatMoney, slackDate, slackDateTime } from '../../src/blocks/format.js';
import { clampMrkdwn, clampText, escapeAndClamp, mrkdwn, wellFormed } from '../../src/blocks/text.js';
import { injectionProblems } from '../support/no-injection.js';

describe('text safety fixes found by the property tests', () => {
  it('replaces lone surrogates and keeps whole emoji', () => {
    expect(wellFormed('a\uD83D')).toBe('a\uFFFD');
    expect(wellFormed('\uDC00b')).toBe('\uFFFDb');
    expect(wellFormed('👨‍👩‍👧')).toBe('👨‍👩‍👧');
    expect(escapeAndClamp('<\uD800>', 20)).toBe('&lt;\uFFFD&gt;');
  });

  it('gives whitespace-only text a visible dash', () => {
    expect(clampText('   \n', 10)).toBe('–');
    expect(mrkdwn('\t').text).toBe('–');
  });

  it('never cuts an entity or a date token in half', () => {
    expect(clampMrkdwn(`${'x'.repeat(8)}&amp;`, 11)).toBe(`${'x'.repeat(8)}…`);
    const token = slackDate(new Date('2026-01-01T00:00:00Z'));
    const cut = clampMrkdwn(`abc ${token}`, 20);
    expect(cut).toBe('abc …');
    expect(injectionProblems({ text: cut })).toEqual([]);
  });

  it('writes dates before 1970 as plain text rather than a negative date token', () => {
    expect(slackDate(new Date('1960-01-01T00:00:00Z'))).toBe('1960-01-01 UTC');
    expect(slackDateTime(new Date('1969-12-31T23:00:00Z'))).toBe('1969-12-31 23:00 UTC');
    expect(slackDate(new Date('1970-01-02T00:00:00Z'))).toMatch(/^<!date\^86400\^/);
  });

  it('escapes an unknown currency code from Komerza', () => {
    expect(formatMoney(5, '<!here>')).toBe('5.00 &lt;!HERE&gt;');
  });
});
