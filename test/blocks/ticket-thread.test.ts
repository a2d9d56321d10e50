import { describe, expect, it } from '@jest/globals';
import type { InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import fc from 'fast-check';
import { CONVERSATION_TEXT_MAX, MAX_ENTRIES_SHOWN } from '../../src/blocks/ticket-conversation.js';
import {
  checkReply,
  REPLY_MAX_CHARS,
  type ReplyBox,
  sendingModal,
  ticketLoadingModal,
  ticketProblemModal,
  ticketThreadModal,
} from '../../src/blocks/ticket-thread.js';
import type { Ticket } from '../../src/komerza/schemas.js';
import { BLOCKS, INPUTS, TICKET_VIEW } from '../../src/slack/ids.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { HOSTILE_FRAGMENTS, hostileOption, hostileString } from '../support/hostile.js';
import { injectionProblems } from '../support/no-injection.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const META = '{"t":"b0000000-0000-4000-8000-000000000001"}';
type Entry = NonNullable<Ticket['entries']>[number];

const at = (minutes: number) => new Date(NOW.getTime() - 7 * 86_400_000 + minutes * 60_000).toISOString();

function ticket(entries: Entry[] | null, over: Partial<Ticket> = {}): Ticket {
  return {
    id: 'b0000000-0000-4000-8000-000000000001',
    dateCreated: '2026-03-07T12:00:00Z',
    subject: 'Order arrived damaged',
    status: 4,
    emailAddress: 'jane@example.com',
    entries,
    ...over,
  };
}

/** `count` entries a minute apart, oldest first, each naming its position. */
const thread = (count: number, message = (i: number) => `message ${i}`): Entry[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    dateCreated: at(i),
    name: `Person ${i}`,
    message: message(i),
  }));

const render = (t: Ticket, reply: ReplyBox = { kind: 'input' }, notice?: string) =>
  ticketThreadModal({ ticket: t, now: NOW, privateMetadata: META, reply, ...(notice ? { notice } : {}) });

const asJson = (view: ModalView) => view as unknown as Record<string, unknown>;
const problems = (view: ModalView) => [
  ...blockKitViolations(asJson(view), { surface: 'modal' }),
  ...injectionProblems(view),
];
const texts = (blocks: ModalView['blocks']) =>
  (blocks as KnownBlock[]).flatMap((b) =>
    b.type === 'section' && b.text
      ? [b.text.text]
      : b.type === 'context'
        ? b.elements.map((e) => ('text' in e ? e.text : ''))
        : [],
  );
/** The entries' sections: those that start with `*name* · `. */
const entryTexts = (view: ModalView) => texts(view.blocks).filter((text) => /^\*[^\n]*\* · /.test(text));
const earlierNote = (view: ModalView) => /and ([\d,]+) earlier messages?/.exec(JSON.stringify(view))?.[1];

describe('ticketThreadModal', () => {
  it('is the ticket view, with its private_metadata, a short title, Close and Send reply', () => {
    const view = render(ticket(thread(3)));
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(TICKET_VIEW);
    expect(view.private_metadata).toBe(META);
    expect(view.title.text).toBe('Ticket');
    expect(view.close?.text).toBe('Close');
    expect(view.submit?.text).toBe('Send reply');
    expect(problems(view)).toEqual([]);
  });

  it('sums up the subject, status, opening date, email and message count', () => {
    const [summary] = texts(render(ticket(thread(3))).blocks);
    expect(summary).toContain('*Order arrived damaged*');
    expect(summary).toContain('*Customer responded · needs reply*');
    expect(summary).toMatch(/opened <!date\^\d+\^\{date_short\}\|2026-03-07 UTC> \(3 days ago\)/);
    expect(summary).toContain('jane@example.com');
    expect(summary).toContain('3 messages');
    const answered = texts(render(ticket(thread(1), { status: 3, subject: null, dateCreated: 'junk' })).blocks)[0];
    expect(answered).toContain('*(no subject)*');
    expect(answered).toContain('Responded');
    expect(answered).not.toContain('needs reply');
    expect(answered).not.toContain('opened');
    expect(answered).toContain('1 message');
  });

  it('shows the conversation oldest first, whatever order Komerza sends, equal dates as sent', () => {
    const entries: Entry[] = [
      { id: 'c', dateCreated: at(30), name: 'Jane', message: 'third' },
      { id: 'a', dateCreated: at(10), name: 'Jane', message: 'first' },
      { id: 'd', dateCreated: at(30), name: 'Support', message: 'fourth (same minute as third)' },
      { id: 'b', dateCreated: at(20), name: 'Support', message: 'second' },
      { id: 'z', dateCreated: 'not a date', name: 'Jane', message: 'undated' },
    ];
    const shown = entryTexts(render(ticket(entries)));
    expect(shown.map((text) => text.split('\n')[1])).toEqual([
      'undated',
      'first',
      'second',
      'third',
      'fourth (same minute as third)',
    ]);
    expect(shown[1]).toMatch(/^\*Jane\* · <!date\^\d+\^\{date_short_pretty\} at \{time\}\|[\d-]+ [\d:]+ UTC>\n/);
    expect(shown[0]).toMatch(/^\*Jane\* · _no date_\n/);
  });

  it('names a nameless entry and marks an empty message', () => {
    const shown = entryTexts(
      render(
        ticket([
          { id: 'a', dateCreated: at(1), name: null, message: ' \n ' },
          { name: '  ', message: null },
        ]),
      ),
    );
    expect(shown).toHaveLength(2);
    for (const text of shown) {
      expect(text).toContain('*(no name)*');
      expect(text).toContain('_(empty message)_');
    }
  });

  it('keeps a message’s lines, escaped', () => {
    const [text] = entryTexts(render(ticket([{ name: 'Jane', message: 'line 1\nline 2 & <b>' }])));
    expect(text).toContain('\nline 1\nline 2 &amp; &lt;b&gt;');
  });

  it('escapes names, messages, the subject and the email: no mention or link survives', () => {
    const bad = '<!channel> <@U123|boss> <https://evil.example|Refund> &lt; `x` \u200B';
    const view = render(ticket([{ name: bad, message: bad, dateCreated: at(1) }], { subject: bad, emailAddress: bad }));
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/<!channel>|<@U123|<https:\/\/evil/);
    expect(json).toContain('&lt;!channel&gt; &lt;@U123|boss&gt; &lt;https://evil.example|Refund&gt; &amp;lt;');
    expect(problems(view)).toEqual([]);
  });

  it('keeps the newest entries and says how many earlier ones are left out', () => {
    const view = render(ticket(thread(200)));
    const shown = entryTexts(view);
    expect(shown.length).toBeLessThanOrEqual(MAX_ENTRIES_SHOWN);
    expect(shown.at(-1)).toContain('message 199');
    expect(shown[0]).toContain(`message ${200 - shown.length}`);
    expect(earlierNote(view)).toBe(String(200 - shown.length));
    // The note comes right before the first entry shown, under the summary.
    const noteAt = view.blocks.findIndex((b) => b.type === 'context');
    expect(texts([view.blocks[noteAt + 1] as KnownBlock])[0]).toBe(shown[0]);
    expect(problems(view)).toEqual([]);
    expect(earlierNote(render(ticket(thread(5))))).toBeUndefined();
  });

  it('shortens an over-long message and says so, keeping each section within 3,000 characters', () => {
    const view = render(ticket(thread(5, () => '<@U1> &'.repeat(1000))));
    const shown = entryTexts(view);
    // Two whole sections, then the rest of the conversation's room for a third, also shortened.
    expect(shown).toHaveLength(3);
    for (const text of shown) {
      expect(text).toMatch(/…\n_\(shortened: open it in Komerza for the whole message\)_$/);
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(shown.reduce((sum, text) => sum + text.length, 0)).toBeLessThanOrEqual(CONVERSATION_TEXT_MAX);
    expect(earlierNote(view)).toBe('2');
    expect(problems(view)).toEqual([]);
  });

  it.each([0, 1, 99, 100, 200, 1000])(
    'stays within Block Kit limits with %i entries, in every reply state',
    (count) => {
      const long = (i: number) => (HOSTILE_FRAGMENTS[i % HOSTILE_FRAGMENTS.length] ?? '').repeat(3000).slice(0, 3000);
      for (const entries of [thread(count), thread(count, long)]) {
        for (const reply of [
          { kind: 'input' },
          { kind: 'input', initial: 'x'.repeat(5000) },
          { kind: 'none' },
        ] as ReplyBox[]) {
          const view = render(ticket(entries), reply, ':warning: *Not sent.* '.repeat(200));
          expect(problems(view)).toEqual([]);
          expect(view.blocks.length).toBeLessThanOrEqual(100);
          const shown = entryTexts(view).length;
          expect(shown).toBeLessThanOrEqual(count);
          if (count > 0) expect(shown).toBeGreaterThan(0);
          expect(earlierNote(view)).toBe(count > shown ? String(count - shown) : undefined);
        }
      }
    },
  );

  it('renders a ticket without entries, or with entries null', () => {
    for (const entries of [null, []]) {
      const view = render(ticket(entries, { messageCount: null }));
      expect(entryTexts(view)).toEqual([]);
      expect(problems(view)).toEqual([]);
    }
    expect(texts(render(ticket(null, { messageCount: 7 })).blocks)[0]).toContain('7 messages');
  });

  it('stays within limits and safe for hostile tickets of up to 1,000 entries', () => {
    const date = fc.oneof(
      fc
        .date({ min: new Date('1960-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      hostileOption,
    );
    const entry = fc.record({ id: hostileOption, dateCreated: date, message: hostileOption, name: hostileOption });
    // A few generated entries repeated: 1,000 of them cost no more to generate than 4.
    const entries = fc
      .tuple(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }))
      .map(([templates, count]) => Array.from({ length: count }, (_, i) => templates[i % templates.length] as Entry));
    const hostileTicket = fc.record({
      id: fc.uuid(),
      dateCreated: date,
      subject: hostileOption,
      status: fc.integer({ min: -1, max: 5 }),
      emailAddress: hostileOption,
      entries: fc.option(entries, { nil: null }),
      messageCount: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: null }),
      lastMessage: hostileOption,
    });
    const reply: fc.Arbitrary<ReplyBox> = fc.oneof(
      fc.record({ kind: fc.constant('input' as const), initial: hostileString }),
      fc.constant({ kind: 'none' as const }),
    );
    fc.assert(
      fc.property(hostileTicket, reply, (t, box) => {
        const view = render(t, box, ':white_check_mark: Reply sent.');
        expect(problems(view)).toEqual([]);
        const count = t.entries?.length ?? 0;
        const shown = entryTexts(view).length;
        expect(earlierNote(view)).toBe(count > shown ? String(count - shown) : undefined);
        const input = view.blocks.find((b): b is InputBlock => b.type === 'input');
        const initial = input?.element.type === 'plain_text_input' ? input.element.initial_value : undefined;
        expect((initial ?? '').length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
      }),
      { numRuns: 60 },
    );
  });

  it('the reply box: a multiline input limited to 3,000 characters, with its hint', () => {
    const view = render(ticket(thread(1)));
    const input = view.blocks.at(-1) as InputBlock;
    expect(input).toEqual({
      type: 'input',
      block_id: BLOCKS.ticketReply,
      label: { type: 'plain_text', text: 'Your reply to the customer', emoji: true },
      hint: {
        type: 'plain_text',
        text: "Sent to the customer in the store's name. Sent once; not retried automatically.",
        emoji: true,
      },
      element: {
        type: 'plain_text_input',
        action_id: INPUTS.ticketReply,
        multiline: true,
        max_length: REPLY_MAX_CHARS,
        placeholder: { type: 'plain_text', text: 'Write to the customer…', emoji: true },
      },
    });
  });

  it('keeps a failed reply’s text in the box, cut to what the box accepts; a blank one is left out', () => {
    const initialOf = (initial: string) => {
      const input = render(ticket(thread(1)), { kind: 'input', initial }).blocks.at(-1) as InputBlock;
      return input.element.type === 'plain_text_input' ? input.element.initial_value : 'not an input';
    };
    expect(initialOf('  Sorry about that!\nA new one is on its way.  ')).toBe(
      '  Sorry about that!\nA new one is on its way.  ',
    );
    expect(initialOf('😀'.repeat(2000))?.length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
    expect(initialOf('😀'.repeat(2000))).toMatch(/^(😀)+…$/);
    expect(initialOf(' \n ')).toBeUndefined();
  });

  it('"Sending…" replaces the box and takes the submit button away; "none" shows no box at all', () => {
    const shown = render(ticket(thread(2)), { kind: 'input', initial: 'Hello' });
    const sending = sendingModal(shown.blocks as KnownBlock[], 'meta');
    expect(sending.submit).toBeUndefined();
    expect(sending.private_metadata).toBe('meta');
    expect(sending.blocks.some((b) => b.type === 'input')).toBe(false);
    expect(sending.blocks.slice(0, -1)).toEqual(shown.blocks.slice(0, -1));
    expect(texts(sending.blocks).at(-1)).toBe(':hourglass_flowing_sand: Sending your reply…');
    expect(problems(sending)).toEqual([]);
    const none = render(ticket(thread(2)), { kind: 'none' });
    expect(none.submit).toBeUndefined();
    expect(none.blocks.some((b) => b.type === 'input')).toBe(false);
    expect(JSON.stringify(none)).not.toContain('Sending');
    expect(problems(none)).toEqual([]);
  });

  it('puts a notice on top, in the notice block, cut short when long', () => {
    const view = render(ticket(thread(2)), { kind: 'input' }, ':white_check_mark: Reply sent.');
    expect(view.blocks[0]).toEqual({
      type: 'section',
      block_id: BLOCKS.notice,
      text: { type: 'mrkdwn', text: ':white_check_mark: Reply sent.', verbatim: true },
    });
    const long = render(ticket(thread(2)), { kind: 'input' }, 'x'.repeat(5000)).blocks[0] as SectionBlock;
    expect(long.text?.text.length).toBeLessThanOrEqual(1000);
    expect((render(ticket(thread(2))).blocks[0] as SectionBlock).block_id).toBeUndefined();
  });
});

describe('the loading and problem modals', () => {
  it('are the ticket view with no submit, carrying the private_metadata', () => {
    for (const view of [ticketLoadingModal(META), ticketProblemModal(':warning: Komerza did not answer.', META)]) {
      expect(view.callback_id).toBe(TICKET_VIEW);
      expect(view.private_metadata).toBe(META);
      expect(view.submit).toBeUndefined();
      expect(problems(view)).toEqual([]);
    }
    expect(JSON.stringify(ticketLoadingModal(META))).toContain('Loading the ticket…');
    expect(JSON.stringify(ticketProblemModal(':warning: Komerza did not answer.', META))).toContain(
      ':warning: Komerza did not answer.',
    );
    expect(problems(ticketProblemModal('x'.repeat(10_000), META))).toEqual([]);
  });
});

describe('checkReply', () => {
  it('asks for a reply when there is none, or only whitespace', () => {
    for (const text of [null, undefined, '', '   ', '\n\t \n']) {
      expect(checkReply(text)).toEqual({ ok: false, error: 'Write a reply first.' });
    }
  });

  it('returns the reply exactly as typed, up to 3,000 characters', () => {
    expect(checkReply('  Hi Jane,\n\nsorry!  ')).toEqual({ ok: true, message: '  Hi Jane,\n\nsorry!  ' });
    const full = 'x'.repeat(REPLY_MAX_CHARS);
    expect(checkReply(full)).toEqual({ ok: true, message: full });
  });

  it('refuses a longer one, naming the limit and how far over it is', () => {
    expect(checkReply('x'.repeat(3001))).toEqual({
      ok: false,
      error: 'A reply holds at most 3,000 characters: this one is 1 over.',
    });
    expect(checkReply('x'.repeat(4500))).toMatchObject({ ok: false, error: expect.stringContaining('1,500 over') });
  });

  it('counts UTF-16 code units, as Slack’s max_length does: an emoji is 2', () => {
    expect(checkReply('😀'.repeat(1500))).toMatchObject({ ok: true });
    expect(checkReply('😀'.repeat(1501))).toMatchObject({ ok: false, error: expect.stringContaining('2 over') });
    expect(checkReply(`${'x'.repeat(2999)}👨‍👩‍👧‍👦`)).toMatchObject({ ok: false });
  });
});
