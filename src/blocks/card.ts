import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Customer, Store, Ticket } from '../komerza/schemas.js';
import { isOpenTicket, lastTicketEntry, ticketNeedsReply, ticketStatusLabel } from '../komerza/tickets.js';
import type { CustomerProfile, SubscriptionSummary, SubscriptionsResult } from '../lookup/profile.js';
import {
  ago,
  expiresSoon,
  expiryPhrase,
  formatCount,
  formatMoney,
  parseDate,
  slackDate,
  slackDateTime,
} from './format.js';
import type { SlackMessage } from './message.js';
import { escapeAndClamp, MAX_TEXT, mrkdwn, oneLine, plainText } from './text.js';

export interface CardOptions {
  /** The moment the data was read: ages and countdowns are relative to it, and the card says "as of" it. */
  now: Date;
  /**
   * `private` (the default) is what the person who looked up sees. `shared` is what a Share posts for a whole
   * channel: no IP address, no external integration ids, no blocked note.
   */
  audience?: 'private' | 'shared';
  /** Buttons under the card (share, refresh, open in Komerza), built by the caller. */
  actions?: ActionsBlock;
  /** A context line under the summary, e.g. "Shared by @ana". Already-safe mrkdwn. */
  banner?: string;
  /** A warning right under the header (e.g. other ids in the message could not be checked). Already-safe mrkdwn. */
  alert?: string;
  /** SHOW_IP_ADDRESS: false hides the IP address even in the private card (a shared card never shows it). */
  showIpAddress?: boolean;
}

/** Tickets and subscriptions shown before "and N more". Keeps the card readable and far inside Block Kit's limits. */
export const MAX_TICKETS_SHOWN = 5;
export const MAX_SUBSCRIPTIONS_SHOWN = 8;
const SUBJECT_MAX = 150;
const SNIPPET_MAX = 200;
const HEADER_MAX = 150;

export function customerCard(profile: CustomerProfile, options: CardOptions): SlackMessage {
  const { customer } = profile;
  const store = profile.store.kind === 'loaded' ? profile.store.store : undefined;
  const currency = store?.currencyCode ?? undefined;
  const shared = options.audience === 'shared';
  const open = (customer.tickets ?? []).filter(isOpenTicket);

  const blocks: KnownBlock[] = [{ type: 'header', text: plainText(customer.emailAddress, HEADER_MAX) }];
  if (options.alert) blocks.push(contextBlock(options.alert));
  blocks.push(contextBlock(summaryLine(customer, store, profile.store.kind === 'failed')));
  if (options.banner) blocks.push(contextBlock(options.banner));
  if (customer.isBlocked) blocks.push(blockedSection(customer, shared));
  blocks.push(spendSection(customer, currency));
  blocks.push({ type: 'divider' }, ...ticketBlocks(open, options.now));
  blocks.push({ type: 'divider' }, ...subscriptionBlocks(profile.subscriptions, options.now));
  const affiliate = affiliateLine(customer, currency);
  if (affiliate) blocks.push(contextBlock(affiliate));
  blocks.push(contextBlock(detailsLine(customer, options.now, shared, options.showIpAddress !== false)));
  if (options.actions) blocks.push(options.actions);

  return { text: fallbackText(customer, open, currency), blocks };
}

function contextBlock(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function summaryLine(customer: Customer, store: Store | undefined, storeFailed: boolean): string {
  const parts: string[] = [];
  parts.push(`*${escapeAndClamp(oneLine(customer.status ?? '') || 'No status', 60)}*`);
  const since = parseDate(customer.dateCreated);
  if (since) parts.push(`customer since ${slackDate(since)}`);
  if (store?.name) parts.push(escapeAndClamp(oneLine(store.name) || '–', 100));
  else if (storeFailed) parts.push('store details unavailable');
  return parts.join('  ·  ');
}

function blockedSection(customer: Customer, shared: boolean): SectionBlock {
  const when = parseDate(customer.blockedAt);
  let text = `:no_entry: *Blocked*${when ? ` since ${slackDate(when)}` : ''}`;
  if (!shared && customer.blockedNote) text += `\n>${escapeAndClamp(oneLine(customer.blockedNote), 500)}`;
  return section(text);
}

function spendSection(customer: Customer, currency: string | undefined): SectionBlock {
  const field = (label: string, value: string) => mrkdwn(`*${label}*\n${value}`);
  return {
    type: 'section',
    fields: [
      field('Total spend', formatMoney(customer.totalSpend, currency)),
      field('Average order', formatMoney(customer.averageSpend, currency)),
      field('Orders', formatCount(customer.totalOrders)),
      field('Store credit', formatMoney(customer.balance, currency)),
    ],
  };
}

/** Open tickets, those waiting on the team first, then the oldest first (they have waited longest). */
function ticketBlocks(open: Ticket[], now: Date): KnownBlock[] {
  if (open.length === 0) return [section('*Open tickets*\nNone :white_check_mark:')];
  const needReply = open.filter(ticketNeedsReply).length;
  const sorted = [...open].sort(
    (a, b) =>
      Number(ticketNeedsReply(b)) - Number(ticketNeedsReply(a)) ||
      (parseDate(a.dateCreated)?.getTime() ?? 0) - (parseDate(b.dateCreated)?.getTime() ?? 0),
  );
  const heading = `*Open tickets (${open.length})*${needReply ? `  ·  ${needReply} need${needReply === 1 ? 's' : ''} a reply` : ''}`;
  const blocks: KnownBlock[] = [section(heading)];
  for (const ticket of sorted.slice(0, MAX_TICKETS_SHOWN)) blocks.push(section(ticketText(ticket, now)));
  if (open.length > MAX_TICKETS_SHOWN) {
    blocks.push(contextBlock(`and ${open.length - MAX_TICKETS_SHOWN} more open tickets in Komerza`));
  }
  return blocks;
}

function ticketText(ticket: Ticket, now: Date): string {
  const subject = escapeAndClamp(oneLine(ticket.subject ?? '') || '(no subject)', SUBJECT_MAX);
  const status = ticketStatusLabel(ticket.status);
  const opened = parseDate(ticket.dateCreated);
  const meta = [
    ticketNeedsReply(ticket) ? `*${status} · needs reply*` : status,
    opened ? `opened ${ago(opened, now)}` : undefined,
  ].filter(Boolean);
  let text = `${ticketNeedsReply(ticket) ? ':envelope_with_arrow:' : ':hourglass_flowing_sand:'} *${subject}*\n${meta.join('  ·  ')}`;
  const last = lastTicketEntry(ticket);
  if (last?.message) {
    const who = last.name ? `${escapeAndClamp(oneLine(last.name), 60)}: ` : '';
    text += `\n>${who}${escapeAndClamp(oneLine(last.message), SNIPPET_MAX)}`;
  }
  return text;
}

/** Soonest expiry first; subscriptions with no known end last. */
export function sortSubscriptions(items: SubscriptionSummary[]): SubscriptionSummary[] {
  const end = (sub: SubscriptionSummary) => parseDate(sub.expiresAt)?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...items].sort((a, b) => end(a) - end(b));
}

function subscriptionBlocks(result: SubscriptionsResult, now: Date): KnownBlock[] {
  switch (result.kind) {
    case 'forbidden':
      return [
        section(
          `*Subscriptions*\n:lock: Not shown: the app's Komerza API key needs the \`${escapeAndClamp(result.scope, 60)}\` scope to read them.`,
        ),
      ];
    case 'failed':
      return [section('*Subscriptions*\n:warning: Could not be loaded from Komerza just now. Refresh to try again.')];
    case 'loaded': {
      if (result.items.length === 0) return [section('*Subscriptions*\nNone')];
      const sorted = sortSubscriptions(result.items);
      const shown = sorted.slice(0, MAX_SUBSCRIPTIONS_SHOWN);
      const lines = shown.map((sub) => subscriptionLine(sub, now));
      const hidden = sorted.length - shown.length;
      const count = result.more ? `${sorted.length}+` : String(sorted.length);
      let text = `*Subscriptions (${count})*\n${lines.join('\n')}`;
      if (hidden > 0 || result.more) text += `\n_and ${hidden > 0 ? `${hidden} ` : ''}more in Komerza_`;
      return [section(clampLines(text, MAX_TEXT))];
    }
  }
}

function subscriptionLine(sub: SubscriptionSummary, now: Date): string {
  const product = escapeAndClamp(oneLine(sub.product), 80);
  const variant = sub.variant ? ` (${escapeAndClamp(oneLine(sub.variant), 40)})` : '';
  const expires = parseDate(sub.expiresAt);
  const mark = expires && expiresSoon(expires, now) ? ':warning:' : ':repeat:';
  const when = expires ? `${slackDate(expires)} (${expiryPhrase(expires, now)})` : 'no end date';
  const notes: string[] = [];
  if (sub.autoRenew === false) notes.push('auto-renew off');
  if (sub.cancelAtPeriodEnd) notes.push('cancels at period end');
  return `${mark} *${product}*${variant} — ${when}${notes.length ? `  ·  _${notes.join(', ')}_` : ''}`;
}

function affiliateLine(customer: Customer, currency: string | undefined): string | undefined {
  const affiliate = customer.affiliate;
  if (!affiliate) return undefined;
  const parts = [`:handshake: *Affiliate*${affiliate.isEnabled === false ? ' (disabled)' : ''}`];
  if (affiliate.link) parts.push(`code \`${escapeAndClamp(oneLine(affiliate.link), 100)}\``);
  if (typeof affiliate.balance === 'number') parts.push(`balance ${formatMoney(affiliate.balance, currency)}`);
  if (typeof affiliate.returnPercentage === 'number') parts.push(`${affiliate.returnPercentage}% commission`);
  if (typeof affiliate.percentageOff === 'number') parts.push(`${affiliate.percentageOff}% off for referrals`);
  return parts.join('  ·  ');
}

function detailsLine(customer: Customer, now: Date, shared: boolean, showIp: boolean): string {
  const parts = [`ID \`${escapeAndClamp(customer.id, 64)}\``];
  if (!shared) {
    if (showIp && customer.ipAddress) parts.push(`IP ${escapeAndClamp(customer.ipAddress, 64)}`);
    const integrations = Object.entries(customer.externalIntegrations ?? {})
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
      .slice(0, 5)
      .map(([key, value]) => `${escapeAndClamp(key, 30)} ${escapeAndClamp(String(value), 60)}`);
    if (integrations.length) parts.push(integrations.join(', '));
  }
  parts.push(`as of ${slackDateTime(now)}`);
  return parts.join('  ·  ');
}

function fallbackText(customer: Customer, open: Ticket[], currency: string | undefined): string {
  const email = escapeAndClamp(customer.emailAddress, 254);
  const spend = formatMoney(customer.totalSpend, currency);
  const tickets = open.length === 1 ? '1 open ticket' : `${open.length} open tickets`;
  return `Customer ${email}: ${spend} spent over ${formatCount(customer.totalOrders)} orders, ${tickets}`;
}

/** Drops whole lines from the end so a section never ends mid-token (a cut `<!date…>` would break the markup). */
function clampLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  while (lines.length > 1 && `${lines.join('\n')}\n_…_`.length > max) lines.pop();
  return `${lines.join('\n')}\n_…_`;
}
