import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { CustomerReference } from '../komerza/schemas.js';
import { ACTIONS, BLOCKS } from '../slack/ids.js';
import { pageButton } from '../slack/values.js';
import { customerValue } from './card-actions.js';
import { formatCount, formatMoney } from './format.js';
import type { SlackMessage } from './message.js';
import { escapeAndClamp, mrkdwn, plainText } from './text.js';

/**
 * Several customers to choose from: one row per customer (email · total spend · orders · status) with an Open
 * button that carries the customer id. A search picker pages through Komerza's `pages`; its page buttons carry an
 * opaque token for the search text (kept server-side: the text is part of an email address, i.e. personal data).
 */

/** Rows per picker: Komerza's default page size, so one Komerza page is one picker page (28 blocks at most). */
export const MAX_PICKER_ROWS = 25;

/** One line per match: email · total spend · orders · status (a picker row). */
export function matchLine(match: CustomerReference, currency: string | undefined): string {
  const parts = [
    `*${escapeAndClamp(match.emailAddress, 254)}*`,
    formatMoney(match.totalSpend, currency),
    `${formatCount(match.totalOrders)} ${match.totalOrders === 1 ? 'order' : 'orders'}`,
  ];
  if (match.status) parts.push(escapeAndClamp(match.status, 40));
  if (match.isBlocked) parts.push(':no_entry: blocked');
  return parts.join('  ·  ');
}

function row(match: CustomerReference, currency: string | undefined, index: number): SectionBlock {
  const value = customerValue(match.id);
  return {
    type: 'section',
    block_id: `pick_${index}`,
    text: mrkdwn(matchLine(match, currency)),
    ...(value
      ? { accessory: { type: 'button', action_id: ACTIONS.pickerOpen, text: plainText('Open', 75), value } }
      : {}),
  };
}

function rows(matches: CustomerReference[], currency: string | undefined): KnownBlock[] {
  const shown = matches.slice(0, MAX_PICKER_ROWS);
  const blocks: KnownBlock[] = shown.map((match, i) => row(match, currency, i));
  const hidden = matches.length - shown.length;
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`and ${hidden} more on this page: type more of the address to narrow the search`)],
    });
  }
  return blocks;
}

export interface SearchPickerInput {
  query: string;
  matches: CustomerReference[];
  page: number;
  pages: number;
  currency: string | undefined;
  /** The stored search's token; without one there are no page buttons. */
  token: string | undefined;
}

/** `/customer alex` matched several customers: pick one, or page through the rest. */
export function searchPicker(input: SearchPickerInput): SlackMessage {
  const query = escapeAndClamp(input.query, 100);
  const paged = input.pages > 1;
  const heading = `:mag: *Customers matching “${query}”*${paged ? `  ·  page ${input.page} of ${input.pages}` : ''}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(heading) }, ...rows(input.matches, input.currency)];
  if (paged && input.token) {
    const nav: Button[] = [];
    if (input.page > 1) {
      nav.push({
        type: 'button',
        action_id: `${ACTIONS.pickerPage}_prev`,
        text: plainText('◀ Previous', 75),
        value: pageButton.encode({ token: input.token, page: input.page - 1 }),
      });
    }
    if (input.page < input.pages) {
      nav.push({
        type: 'button',
        action_id: `${ACTIONS.pickerPage}_next`,
        text: plainText('Next ▶', 75),
        value: pageButton.encode({ token: input.token, page: input.page + 1 }),
      });
    }
    if (nav.length > 0)
      blocks.push({ type: 'actions', block_id: BLOCKS.pickerNav, elements: nav } satisfies ActionsBlock);
  }
  blocks.push({ type: 'context', elements: [mrkdwn('Choose *Open* to see a customer’s card (only you see it).')] });
  return { text: `Customers matching “${query}”: choose one`, blocks };
}

export interface CandidatePickerInput {
  /** Customers the message named that Komerza knows (distinct). */
  found: CustomerReference[];
  /** What the message named that matched no customer, as the person would recognise it. */
  missing: string[];
  /** How many candidates could not be checked because Komerza failed. */
  failed: number;
  currency: string | undefined;
}

/** The message named several customers: one row each. */
export function candidatePicker(input: CandidatePickerInput): SlackMessage {
  const count = input.found.length;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`:busts_in_silhouette: *This message names ${count} customers*`) },
    ...rows(input.found, input.currency),
  ];
  const notes: string[] = [];
  if (input.missing.length > 0) {
    const listed = input.missing.slice(0, 5).map((item) => `“${escapeAndClamp(item, 80)}”`);
    const more = input.missing.length - listed.length;
    notes.push(`No customer for ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (input.failed > 0) notes.push(`${input.failed} could not be checked: Komerza did not answer`);
  if (notes.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(notes.join('  ·  '))] });
  return { text: `This message names ${count} customers: choose one`, blocks };
}
