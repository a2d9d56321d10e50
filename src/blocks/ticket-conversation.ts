import type { ContextBlock, SectionBlock } from '@slack/types';
import type { Ticket } from '../komerza/schemas.js';
import { parseDate, slackDateTime } from './format.js';
import { escapeAndClamp, escapeWithin, MAX_TEXT, mrkdwn, oneLine } from './text.js';

/**
 * A ticket's conversation as Block Kit sections, oldest first, cut to fit a modal: the newest entries are kept (they
 * are what a reply answers) and a context line on top counts the earlier ones left out.
 */

type Entry = NonNullable<Ticket['entries']>[number];

/** Entries shown at most: a modal holds 100 blocks, and the thread modal's own blocks need a few of them. */
export const MAX_ENTRIES_SHOWN = 90;
/**
 * The conversation's share of the view's text. Slack refuses messages past about 12k characters of block text
 * (docs/slack-platform.md §3, §7.5); the app holds its modals to the same bound (test/support/block-kit-limits.ts).
 */
export const CONVERSATION_TEXT_MAX = 8000;
const NAME_MAX = 80;
const SHORTENED = '_(shortened: open it in Komerza for the whole message)_';
/** Less room than this for a message is not worth showing: the entry and all older ones are left out instead. */
const MIN_SNIPPET = 200;

export interface Conversation {
  blocks: Array<SectionBlock | ContextBlock>;
  /** Entries left out (the oldest). */
  earlier: number;
}

export function conversationBlocks(entries: readonly Entry[]): Conversation {
  const sorted = oldestFirst(entries);
  const shown: SectionBlock[] = [];
  let used = 0;
  // Newest first until the room runs out: only the entries kept are escaped, so a long thread costs little.
  for (let i = sorted.length - 1; i >= 0 && shown.length < MAX_ENTRIES_SHOWN; i--) {
    const { entry, at } = sorted[i] as Sorted;
    const text = entryText(entry, at, Math.min(MAX_TEXT, CONVERSATION_TEXT_MAX - used));
    if (text === undefined) break;
    used += text.length;
    shown.push({ type: 'section', text: mrkdwn(text) });
  }
  shown.reverse();
  const earlier = sorted.length - shown.length;
  if (earlier === 0) return { blocks: shown, earlier };
  const note = `and ${earlier.toLocaleString('en-US')} earlier message${earlier === 1 ? '' : 's'}: open the ticket in Komerza to read ${earlier === 1 ? 'it' : 'them'}`;
  return { blocks: [{ type: 'context', elements: [mrkdwn(note)] }, ...shown], earlier };
}

interface Sorted {
  entry: Entry;
  at: Date | undefined;
}

/** By date, each parsed once; equal dates keep Komerza's order, and a missing or unreadable date counts as oldest. */
function oldestFirst(entries: readonly Entry[]): Sorted[] {
  return entries
    .map((entry) => {
      const at = parseDate(entry.dateCreated);
      return { entry, at, time: at?.getTime() ?? Number.NEGATIVE_INFINITY };
    })
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

/**
 * `*name* · date` and the message, in at most `max` characters; a message cut to fit says so. Undefined when `max`
 * leaves too little room for the message to be worth showing.
 */
function entryText(entry: Entry, at: Date | undefined, max: number): string | undefined {
  const name = oneLine(entry.name ?? '');
  const head = `*${name ? escapeAndClamp(name, NAME_MAX) : '(no name)'}* · ${at ? slackDateTime(at) : '_no date_'}\n`;
  const raw = entry.message ?? '';
  if (raw.trim() === '') {
    const text = `${head}_(empty message)_`;
    return text.length <= max ? text : undefined;
  }
  const room = max - head.length;
  // Escaping never shortens: a message longer than the room is cut, so go straight to the shortened form.
  if (raw.length <= room) {
    const whole = escapeWithin(raw, room);
    if (!whole.shortened) return head + whole.text;
  }
  const cutRoom = room - SHORTENED.length - 1;
  if (cutRoom < MIN_SNIPPET) return undefined;
  return `${head}${escapeWithin(raw, cutRoom).text}\n${SHORTENED}`;
}
