import { describe, expect, it } from '@jest/globals';
import { messageStrings } from '../../src/lookup/message-strings.js';

describe('messageStrings', () => {
  it('collects text, rich_text, section text and fields, context and attachments in reading order', () => {
    const strings = messageStrings({
      type: 'message',
      ts: '1.2',
      user: 'U1',
      text: 'top',
      blocks: [
        {
          type: 'rich_text',
          block_id: 'ignored-id',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'rich' },
                { type: 'link', url: 'mailto:a@b.co', text: 'label' },
              ],
            },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: 'section' }, fields: [{ type: 'mrkdwn', text: 'field' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'context' }] },
      ],
      attachments: [{ fallback: 'fallback', pretext: 'pre', fields: [{ title: 'T', value: 'V' }], ts: 123 }],
    });
    expect(strings).toEqual([
      'top',
      'rich',
      'mailto:a@b.co',
      'label',
      'quoted',
      'section',
      'field',
      'context',
      'fallback',
      'pre',
      'T',
      'V',
    ]);
  });

  it('copes with missing or malformed parts', () => {
    expect(messageStrings(undefined)).toEqual([]);
    expect(messageStrings({ blocks: 'nope', attachments: [null, 3, { text: 5 }] })).toEqual([]);
  });

  it('is bounded on deeply nested payloads', () => {
    let node: Record<string, unknown> = { type: 'text', text: 'deep' };
    for (let i = 0; i < 100; i++) node = { elements: [node] };
    expect(messageStrings({ blocks: [node] })).toEqual([]);
  });
});
