import type { KnownBlock } from '@slack/types';
import type { CustomerReference } from '../komerza/schemas.js';
import { formatCount, formatMoney } from './format.js';
import type { SlackMessage } from './message.js';
import { escapeAndClamp, mrkdwn } from './text.js';

export interface MatchListInput {
  query: string;
  matches: CustomerReference[];
  page: number;
  pages: number;
  currency: string | undefined;
}

/** Rows shown from one page of search results (a page holds up to 25; a message holds 50 blocks). */
export const MAX_MATCHES_SHOWN = 10;

/** One line per match: email · total spend · orders · status. Shared by the list and the picker. */
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

/** Several customers matched a search: a short list, with what to type next. */
export function matchList(input: MatchListInput): SlackMessage {
  const query = escapeAndClamp(input.query, 100);
  const shown = input.matches.slice(0, MAX_MATCHES_SHOWN);
  const more = input.matches.length - shown.length;
  const morePages = input.pages > input.page;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(`:mag: *${input.matches.length}${morePages ? '+' : ''} customers match “${query}”*`),
    },
    ...shown.map((match): KnownBlock => ({ type: 'section', text: mrkdwn(matchLine(match, input.currency)) })),
  ];
  const hints: string[] = [];
  if (more > 0 || morePages) hints.push(`and ${more > 0 ? `${more} ` : ''}more`);
  hints.push('Run `/customer` with the full email address to open one.');
  blocks.push({ type: 'context', elements: [mrkdwn(hints.join('  ·  '))] });
  return { text: `${input.matches.length} customers match “${query}”`, blocks };
}
