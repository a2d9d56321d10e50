import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clampText, escapeAndClamp, escapeMrkdwn, escapeWithin, mrkdwn, plainText } from '../../src/blocks/text.js';
import { hostileString } from '../support/hostile.js';

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil|Refund> "quoted" *bold*')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil|Refund&gt; "quoted" *bold*',
    );
  });

  it('escapes an already-escaped entity again, so it shows literally', () => {
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });
});

describe('text objects', () => {
  it('marks mrkdwn verbatim, so Slack does not auto-link @here or URLs', () => {
    expect(mrkdwn('x')).toEqual({ type: 'mrkdwn', text: 'x', verbatim: true });
  });

  it('never sends an empty text object', () => {
    expect(plainText('').text).not.toBe('');
    expect(mrkdwn('').text).not.toBe('');
  });
});

describe('clampText', () => {
  it('cuts on grapheme boundaries and marks the cut', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = clampText(family.repeat(10), 30);
    expect(text.length).toBeLessThanOrEqual(30);
    expect(text.endsWith('…')).toBe(true);
    expect(text.slice(0, -1)).toBe(family.repeat(2));
  });

  it('keeps short text as it is', () => {
    expect(clampText('hello', 5)).toBe('hello');
  });

  it('never leaves half an entity after escaping', () => {
    const escaped = escapeAndClamp('&'.repeat(100), 20);
    expect(escaped.length).toBeLessThanOrEqual(20);
    expect(escaped).toMatch(/^(&amp;)+…$/);
  });

  it('cuts where escaping grapheme by grapheme would, and says when it cut', () => {
    // The plain walk escapeAndClamp used to make: the faster cut must keep its result exactly.
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    const walk = (raw: string, max: number) => {
      let out = '';
      for (const { segment } of segmenter.segment(raw)) {
        const piece = escapeMrkdwn(segment);
        if (out.length + piece.length > max - 1) break;
        out += piece;
      }
      return `${out}…`;
    };
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1, max: 3000 }), (raw, max) => {
        const { text, shortened } = escapeWithin(raw, max);
        const whole = escapeMrkdwn(raw === '' ? '–' : raw);
        expect(shortened).toBe(whole.length > max);
        expect(text).toBe(shortened ? walk(raw, max) : whole);
      }),
      { numRuns: 300 },
    );
  });
});
