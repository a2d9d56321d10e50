import { describe, expect, it } from '@jest/globals';
import { normaliseQueryText, parseQuery, unwrapSlackLinks } from '../../src/lookup/parse.js';

describe('normaliseQueryText', () => {
  it.each([
    ['  jane@example.com  ', 'jane@example.com'],
    ['<mailto:jane@example.com|jane@example.com>', 'jane@example.com'],
    ['<mailto:jane@example.com>', 'jane@example.com'],
    ['mailto:jane@example.com', 'jane@example.com'],
    ['<https://shop.example.com/x|shop link>', 'shop link'],
    ['<https://shop.example.com/x>', 'https://shop.example.com/x'],
    ['tom &amp; jerry', 'tom & jerry'],
    ['&lt;mailto:x@y.z&gt;', '<mailto:x@y.z>'],
    ['jane\n\u00a0smith', 'jane smith'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseQueryText(raw)).toBe(expected);
  });

  it('unwraps every link in the text, leaving other text alone', () => {
    expect(unwrapSlackLinks('a <mailto:x@y.z|x@y.z> b <@U123> c')).toBe('a x@y.z b @U123 c');
  });
});

describe('parseQuery', () => {
  it('routes an email, even when Slack wrapped it', () => {
    expect(parseQuery('<mailto:Jane@Example.com|Jane@Example.com>')).toEqual({
      kind: 'email',
      email: 'Jane@Example.com',
    });
  });

  it('routes a UUID as an id, lower-cased', () => {
    expect(parseQuery(' A1F3C2D4-1111-4A6B-9C3D-000000000001 ')).toEqual({
      kind: 'id',
      id: 'a1f3c2d4-1111-4a6b-9c3d-000000000001',
    });
  });

  it('routes anything else to search', () => {
    expect(parseQuery('jane')).toEqual({ kind: 'search', text: 'jane' });
    expect(parseQuery('not-a-uuid-1234')).toEqual({ kind: 'search', text: 'not-a-uuid-1234' });
    expect(parseQuery('jane@')).toEqual({ kind: 'search', text: 'jane@' });
  });

  it('treats blank input as empty', () => {
    expect(parseQuery('   ')).toEqual({ kind: 'empty' });
    expect(parseQuery('<mailto:|>')).toEqual({ kind: 'empty' });
  });

  it('bounds the length of what it sends on', () => {
    const query = parseQuery('x'.repeat(5000));
    expect(query.kind === 'search' && query.text.length).toBe(254);
  });
});

describe('parseQuery with pasted punctuation', () => {
  it('drops the full stop or comma a sentence leaves after an address or id', () => {
    expect(parseQuery('jane@example.com.')).toEqual({ kind: 'email', email: 'jane@example.com' });
    expect(parseQuery('<mailto:jane@example.com|jane@example.com>,')).toEqual({
      kind: 'email',
      email: 'jane@example.com',
    });
    expect(parseQuery('A1F3C2D4-1111-4A6B-9C3D-000000000001.')).toEqual({
      kind: 'id',
      id: 'a1f3c2d4-1111-4a6b-9c3d-000000000001',
    });
    expect(parseQuery('jane.')).toEqual({ kind: 'search', text: 'jane.' });
  });
});
