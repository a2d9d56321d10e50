import { describe, expect, it } from '@jest/globals';
import {
  blockKitBuilderUrl,
  controlSequences,
  renderMrkdwn,
  renderTerminal,
  visibleLength,
} from '../../scripts/render-terminal.js';
import { customerCard } from '../../src/blocks/card.js';
import { escapeMrkdwn } from '../../src/blocks/text.js';
import { customerSchema, storeSchema } from '../../src/komerza/schemas.js';
import { sampleStore } from '../support/sample-store.js';

describe('controlSequences', () => {
  it('shows a date token as its fallback text', () => {
    expect(controlSequences('since <!date^1735262785^{date_short}|2024-12-27 UTC> ok')).toBe('since 2024-12-27 UTC ok');
    expect(controlSequences('<!date^1^{date} at {time}^https://x.test|1970-01-01>')).toBe('1970-01-01');
  });

  it('shows links, mentions and broadcasts as readable text', () => {
    expect(controlSequences('<https://a.test/x|Open>')).toBe('Open (https://a.test/x)');
    expect(controlSequences('<https://a.test/x>')).toBe('https://a.test/x');
    expect(controlSequences('<https://a.test/x?r=1|a.test/x?r=1>')).toBe('https://a.test/x?r=1');
    expect(controlSequences('<https://a.test/xyz|a.test/x…>')).toBe('https://a.test/xyz');
    expect(controlSequences('<mailto:jane@example.com|jane@example.com>')).toBe('jane@example.com');
    expect(controlSequences('<@U123> in <#C1|support> <!here> <!subteam^S1|@oncall>')).toBe(
      '@U123 in #support @here @oncall',
    );
  });
});

describe('renderMrkdwn', () => {
  it('decodes entities after parsing, so escaped data shows as typed and never as a link', () => {
    const data = escapeMrkdwn('<!channel> & <https://evil.test|Refund>');
    expect(renderMrkdwn(data)).toBe('<!channel> & <https://evil.test|Refund>');
  });

  it('drops style markers without colour, keeps words, and renders quotes and emoji', () => {
    expect(renderMrkdwn('*Total spend*\n$12.00 _auto-renew off_ ~old~')).toBe('Total spend\n$12.00 auto-renew off old');
    expect(renderMrkdwn('>Jane: photo attached')).toBe('│ Jane: photo attached');
    expect(renderMrkdwn(':warning: expiring :not_an_emoji_we_know:')).toBe('⚠️ expiring :not_an_emoji_we_know:');
  });

  it('leaves code spans literal', () => {
    expect(renderMrkdwn('code `*not bold* &lt;x&gt;` here')).toBe('code *not bold* <x> here');
  });

  it('does not treat snake_case or a lone asterisk as style', () => {
    expect(renderMrkdwn('a_b_c 5 * 3 = 15')).toBe('a_b_c 5 * 3 = 15');
  });
});

describe('renderTerminal', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const data = sampleStore(now);
  const jane = customerSchema.parse(data.customers[0]);
  const store = storeSchema.parse(data.store);
  const card = customerCard(
    {
      customer: jane,
      store: { kind: 'loaded', store },
      subscriptions: {
        kind: 'loaded',
        items: [{ id: 's1', product: 'Pro plan', variant: 'Monthly', expiresAt: '2026-03-04T12:00:00Z' }],
        more: false,
      },
      orders: { kind: 'off' },
      productNames: { kind: 'not_needed' },
    },
    {
      now,
      actions: {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Share' }, action_id: 'share', style: 'primary' },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open in Komerza' },
            action_id: 'open',
            url: 'https://x.test',
          },
        ],
      },
    },
  );
  const plain = renderTerminal(card);

  it('renders the card: header, fields side by side, tickets, subscription dates, context and buttons', () => {
    const lines = plain.split('\n');
    expect(lines[0]).toBe('jane@example.com');
    expect(lines[1]).toMatch(/^═+$/);
    expect(plain).toMatch(/Total spend {2,}Average order\n\$12,345\.50 {2,}\$205\.76/);
    expect(plain).toContain('📩 Order arrived damaged');
    expect(plain).toContain('Pro plan (Monthly) — active until 2026-03-04 UTC (expires in 3 days)');
    // A link labelled with its own address shows the address once.
    expect(plain).toContain('link https://northwind.komerza.com/?ref=JANE10  ·');
    expect(plain).toContain('[ Share ]  [ Open in Komerza ↗ ]');
    expect(plain).toContain('─'.repeat(78));
    // No raw markup left: no control sequences, no entities, no bold markers around words.
    expect(plain).not.toMatch(/<!date|&lt;|&gt;|&amp;|\*[A-Za-z]/);
  });

  it('styles with ANSI only when asked, with the same visible text', () => {
    const colored = renderTerminal(card, { color: true });
    expect(colored).toContain('\u001b[1mTotal spend\u001b[22m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI to compare.
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    expect(plain).not.toContain('\u001b[');
    // A bold word inside a dim context line does not end the dimming of the rest of the line.
    expect(
      renderTerminal(
        { blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: '*VIP* · since' }] }] },
        { color: true },
      ),
    ).toBe('\u001b[2m\u001b[1mVIP\u001b[22m\u001b[2m · since\u001b[22m');
  });

  it('falls back to the text of a message without blocks, and marks blocks it does not know', () => {
    expect(renderTerminal({ text: 'Hello *there*' })).toBe('Hello there');
    expect(renderTerminal({ blocks: [{ type: 'video' }] })).toBe('[video block]');
  });

  it('draws an input block as its label, a box with the placeholder, and its hint', () => {
    const lines = renderTerminal({
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Look up a customer' },
          element: { type: 'plain_text_input', placeholder: { type: 'plain_text', text: 'jane@example.com' } },
          hint: { type: 'plain_text', text: 'Press Enter' },
        },
      ],
    }).split('\n');
    expect(lines[0]).toBe('Look up a customer');
    expect(lines[1]).toMatch(/^▕ jane@example\.com +▏$/);
    expect(lines[2]).toBe('Press Enter');
  });

  it('measures visible length without ANSI codes', () => {
    expect(visibleLength('\u001b[1mabc\u001b[22m')).toBe(3);
  });
});

describe('blockKitBuilderUrl', () => {
  it('is the Builder address with the blocks as URL-encoded JSON', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'a & b #1' } }];
    const url = blockKitBuilderUrl({ blocks });
    expect(url.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
    const fragment = url.slice(url.indexOf('#') + 1);
    expect(fragment).not.toMatch(/[ &#"]/);
    expect(JSON.parse(decodeURIComponent(fragment))).toEqual({ blocks });
  });
});
