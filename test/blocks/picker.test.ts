import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { messageModal } from '../../src/blocks/modal.js';
import { candidatePicker, MAX_PICKER_ROWS, searchPicker } from '../../src/blocks/picker.js';
import type { CustomerReference } from '../../src/komerza/schemas.js';
import { pageButton } from '../../src/slack/values.js';
import { blockKitViolations } from '../support/block-kit-limits.js';

function match(i: number, email = `c${i}@example.com`): CustomerReference {
  return {
    id: `5a5a5a5a-0000-4000-8000-${String(i).padStart(12, '0')}`,
    emailAddress: email,
    status: 'VIP',
    totalSpend: i * 10,
    averageSpend: 1,
    totalOrders: i,
    isBlocked: i % 2 === 0,
  };
}

type Json = Record<string, unknown>;
const allButtons = (blocks: Json[]) =>
  blocks.flatMap((b) => [
    ...((b.elements as Json[] | undefined)?.filter((e) => e.type === 'button') ?? []),
    ...(b.accessory ? [b.accessory as Json] : []),
  ]);

describe('searchPicker', () => {
  it('shows a row per match with an Open button carrying the id, and page buttons with a token', () => {
    const message = searchPicker({
      query: 'c',
      matches: [match(1), match(2)],
      page: 2,
      pages: 3,
      currency: 'USD',
      token: 'tok_abcdefgh',
    });
    const buttons = allButtons(message.blocks as unknown as Json[]);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'picker_open',
      'picker_open',
      'picker_page_prev',
      'picker_page_next',
    ]);
    expect(JSON.parse(String(buttons[0]?.value))).toEqual({ c: match(1).id });
    expect(pageButton.decode(String(buttons[2]?.value))).toEqual({ token: 'tok_abcdefgh', page: 1 });
    expect(pageButton.decode(String(buttons[3]?.value))).toEqual({ token: 'tok_abcdefgh', page: 3 });
    expect(JSON.stringify(message)).toContain('page 2 of 3');
    expect(JSON.stringify(message)).toContain('$20.00');
  });

  it('has no page buttons without a token or with one page', () => {
    const one = searchPicker({
      query: 'c',
      matches: [match(1)],
      page: 1,
      pages: 1,
      currency: 'USD',
      token: 'tok_abcdefgh',
    });
    expect(allButtons(one.blocks as unknown as Json[]).map((b) => b.action_id)).toEqual(['picker_open']);
  });

  it('stays within Block Kit limits for any page of any data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 400 }), { maxLength: 60 }),
        fc.string({ maxLength: 500 }),
        (emails, query) => {
          const message = searchPicker({
            query,
            matches: emails.map((email, i) => match(i, email)),
            page: 1,
            pages: 9,
            currency: 'EUR',
            token: 'tok_abcdefgh',
          });
          expect(blockKitViolations(message as unknown as Json, { surface: 'message' })).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('says how many rows of a long page are not shown', () => {
    const matches = Array.from({ length: MAX_PICKER_ROWS + 4 }, (_, i) => match(i));
    const message = searchPicker({ query: 'c', matches, page: 1, pages: 1, currency: 'USD', token: undefined });
    expect(JSON.stringify(message)).toContain('and 4 more on this page');
  });

  it('escapes what Komerza and the person typed', () => {
    const message = searchPicker({
      query: '<!channel>',
      matches: [match(1, '<!here>@x.y'), match(2)],
      page: 1,
      pages: 1,
      currency: 'USD',
      token: undefined,
    });
    expect(JSON.stringify(message)).not.toMatch(/<!(channel|here)>/);
  });
});

describe('candidatePicker', () => {
  it('lists found customers and names the misses and failures', () => {
    const message = candidatePicker({
      found: [match(1), match(2)],
      missing: ['a@x.y', 'b@x.y', 'c@x.y', 'd@x.y', 'e@x.y', 'f@x.y'],
      failed: 1,
      currency: 'USD',
    });
    const json = JSON.stringify(message);
    expect(json).toContain('names 2 customers');
    expect(json).toContain('and 1 more');
    expect(json).toContain('1 could not be checked');
    expect(blockKitViolations(messageModal(message) as unknown as Json, { surface: 'modal' })).toEqual([]);
  });
});
