import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { extractCandidates, MAX_CANDIDATES } from '../../src/lookup/extract.js';
import { isEmail, isUuid } from '../../src/lookup/parse.js';

const UUID = 'c0ffee00-aaaa-4bbb-8ccc-000000000101';

describe('extractCandidates', () => {
  it('finds plain addresses and strips a sentence’s full stop', () => {
    expect(extractCandidates(['Write to jane@example.com.'])).toEqual([{ kind: 'email', email: 'jane@example.com' }]);
  });

  it('unwraps Slack mailto links and decodes entities', () => {
    expect(extractCandidates(['<mailto:jane@example.com|Jane>', '&lt;bob@example.org&gt;'])).toEqual([
      { kind: 'email', email: 'jane@example.com' },
      { kind: 'email', email: 'bob@example.org' },
    ]);
  });

  it('finds UUIDs, lower-cased, and ignores longer hex runs', () => {
    expect(extractCandidates([`order ${UUID.toUpperCase()} and ${UUID}-ffff`])).toEqual([{ kind: 'id', id: UUID }]);
  });

  it('keeps reading order across kinds and strings, de-duplicating case-insensitively', () => {
    expect(
      extractCandidates([`${UUID} from Jane@Example.com`, 'jane@example.com again', 'bob@example.org', UUID]),
    ).toEqual([
      { kind: 'id', id: UUID },
      { kind: 'email', email: 'Jane@Example.com' },
      { kind: 'email', email: 'bob@example.org' },
    ]);
  });

  it('finds nothing in text without addresses or ids (mentions, URLs, numbers)', () => {
    expect(extractCandidates(['<@U0123> see <https://example.com/a|this> #42', '', '@ not-an-email@'])).toEqual([]);
  });

  it('stops at the maximum', () => {
    const many = Array.from({ length: 50 }, (_, i) => `p${i}@example.com`).join(' ');
    expect(extractCandidates([many])).toHaveLength(MAX_CANDIDATES);
    expect(extractCandidates([many], 3).map((c) => (c.kind === 'email' ? c.email : c.id))).toEqual([
      'p0@example.com',
      'p1@example.com',
      'p2@example.com',
    ]);
  });

  it('never throws and only returns valid, distinct candidates, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 10 }), (texts) => {
        const out = extractCandidates(texts);
        const keys = out.map((c) => (c.kind === 'email' ? `e:${c.email.toLowerCase()}` : `i:${c.id}`));
        expect(new Set(keys).size).toBe(keys.length);
        for (const c of out) expect(c.kind === 'email' ? isEmail(c.email) : isUuid(c.id)).toBe(true);
      }),
    );
  });

  it('finds an address planted anywhere in random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.string({ maxLength: 100 }), (before, after) => {
        const out = extractCandidates([`${before} jane@example.com ${after}`]);
        expect(out.some((c) => c.kind === 'email' && c.email.toLowerCase().endsWith('jane@example.com'))).toBe(true);
      }),
    );
  });

  it('finds an address in a link target as well as in its label', () => {
    expect(extractCandidates(['< jane@example.com |!>'])).toEqual([{ kind: 'email', email: 'jane@example.com' }]);
    expect(extractCandidates(['<https://shop.example/orders?for=bob@example.org|this order>'])).toEqual([
      { kind: 'email', email: 'bob@example.org' },
    ]);
  });
});
