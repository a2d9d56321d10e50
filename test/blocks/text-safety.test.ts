import { describe, expect, it } from '@jest/globals';
import { formatMoney, slackDate, slackDateTime } from '../../src/blocks/format.js';
import { clampMrkdwn, clampText, escapeAndClamp, linkOrText, mrkdwn, wellFormed } from '../../src/blocks/text.js';
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

describe('linkOrText: a URL from Komerza becomes a link only when it cannot pose as something else', () => {
  const mrkdwnOf = (text: string) => ({ type: 'section', text: mrkdwn(text) });

  it('links a clean http(s) URL, labelled with itself, with `|` and `&` made safe', () => {
    expect(linkOrText('https://northwind.komerza.com/?ref=JANE10', 100)).toBe(
      '<https://northwind.komerza.com/?ref=JANE10|northwind.komerza.com/?ref=JANE10>',
    );
    expect(linkOrText(' http://x.example/a|b?c=<1>&d ', 100)).toBe(
      '<http://x.example/a%7Cb?c=%3C1%3E&amp;d|x.example/a%7Cb?c=%3C1%3E&amp;d>',
    );
    expect(injectionProblems(mrkdwnOf(`link ${linkOrText('https://x.example/a?b=1&c=2', 12)}`))).toEqual([]);
  });

  it('keeps anything else as escaped text: other schemes, credentials, spaces, control characters, junk', () => {
    for (const raw of [
      'JANE10',
      'javascript:alert(1)',
      'mailto:a@b.example',
      'https://user:pass@evil.example/',
      'https://google.com@evil.example/',
      'https://ex ample.com',
      'https://exa\tmple.com',
      '<https://evil.example|Refund>',
      `https://x.example/${'a'.repeat(600)}`,
    ]) {
      const shown = linkOrText(raw, 100);
      expect(shown.startsWith('<')).toBe(false);
      expect(injectionProblems(mrkdwnOf(shown))).toEqual([]);
    }
  });

  it('the injection check accepts honest links and still refuses disguised ones', () => {
    expect(injectionProblems(mrkdwnOf('<https://a.example/x|a.example/x>'))).toEqual([]);
    expect(injectionProblems(mrkdwnOf('<https://a.example/xyz|a.example/x…>'))).toEqual([]);
    expect(injectionProblems(mrkdwnOf('<https://evil.example|Refund>'))).not.toEqual([]);
    expect(injectionProblems(mrkdwnOf('<https://u:p@a.example/|a.example/>'))).not.toEqual([]);
    expect(injectionProblems(mrkdwnOf('<javascript:alert(1)|javascript:alert(1)>'))).not.toEqual([]);
  });
});
