import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Customer, Store, Ticket } from '../komerza/schemas.js';
import { isOpenTicket, lastTicketEntry, ticketNeedsReply, ticketStatusLabel } from '../komerza/tickets.js';
import type {
  CustomerProfile,
  Failure,
  OrderDetail,
  OrderSummary,
  OrdersResult,
  ProductNamesResult,
  SubscriptionSummary,
  SubscriptionsResult,
} from '../lookup/profile.js';
import { type Ranked, rankSubscriptions, type SubscriptionState } from '../lookup/subscription-state.js';
import {
  ago,
  expiryPhrase,
  formatCount,
  formatMoney,
  parseDate,
  roughDuration,
  slackDate,
  slackDateTime,
} from './format.js';
import type { SlackMessage } from './message.js';
import { escapeAndClamp, linkOrText, MAX_TEXT, mrkdwn, oneLine, plainText } from './text.js';
import { type TicketActions, ticketActionsBlock } from './ticket-actions.js';

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
  /** View & reply and Close ticket under each open ticket shown, as far as they are allowed. Never on a shared card. */
  ticketActions?: TicketActions;
}

/** Tickets and subscriptions shown before "and N more". Keeps the card readable and far inside Block Kit's limits. */
export const MAX_TICKETS_SHOWN = 5;
export const MAX_SUBSCRIPTIONS_SHOWN = 8;
/** CARD_RECENT_ORDERS' maximum: a longer list from a caller is cut here too. */
export const MAX_ORDERS_SHOWN = 10;
/** Product names listed per order line before "+N more". */
const MAX_ITEMS_PER_ORDER = 3;
const SUBJECT_MAX = 150;
const SNIPPET_MAX = 200;
const HEADER_MAX = 150;
/** The orders section's share of the message: with tickets and subscriptions it stays under Slack's total. */
const ORDERS_TEXT_MAX = 2000;

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
  blocks.push(spendSection(customer, store, currency));
  const allowed = shared ? undefined : options.ticketActions;
  const ids = { customerId: customer.id, ...(profile.order ? { orderId: profile.order.id } : {}) };
  const ticketActions = allowed
    ? (ticket: Ticket, i: number) => ticketActionsBlock(ticket, i, ids, allowed)
    : undefined;
  blocks.push({ type: 'divider' }, ...ticketBlocks(open, store, options.now, ticketActions));
  const orders = orderBlocks(profile.orders, profile.order, profile.productNames, currency);
  if (orders.length > 0) blocks.push({ type: 'divider' }, ...orders);
  blocks.push({ type: 'divider' }, ...subscriptionBlocks(profile.subscriptions, profile.productNames, options.now));
  const names = productNamesNote(profile);
  if (names) blocks.push(contextBlock(names));
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

/** Store credit only where the store uses customer balances (`isCustomerBalanceEnabled`, docs/komerza-api.md §4.2). */
function spendSection(customer: Customer, store: Store | undefined, currency: string | undefined): SectionBlock {
  const field = (label: string, value: string) => mrkdwn(`*${label}*\n${value}`);
  const fields = [
    field('Total spend', formatMoney(customer.totalSpend, currency)),
    field('Average order', formatMoney(customer.averageSpend, currency)),
    field('Orders', formatCount(customer.totalOrders)),
  ];
  if (store?.isCustomerBalanceEnabled !== false)
    fields.push(field('Store credit', formatMoney(customer.balance, currency)));
  return { type: 'section', fields };
}

/**
 * Open tickets, those waiting on the team first, then the oldest first (they have waited longest), each with its
 * buttons when `actions` gives any (at most MAX_TICKETS_SHOWN more blocks: the card stays far under 50).
 */
function ticketBlocks(
  open: Ticket[],
  store: Store | undefined,
  now: Date,
  actions?: (ticket: Ticket, index: number) => ActionsBlock | undefined,
): KnownBlock[] {
  const ticketingOff = store?.isTicketingEnabled === false;
  if (open.length === 0) {
    return [
      section(
        ticketingOff
          ? '*Open tickets*\nTicketing is turned off for this store.'
          : '*Open tickets*\nNone :white_check_mark:',
      ),
    ];
  }
  const needReply = open.filter(ticketNeedsReply).length;
  // Each date parsed once, not per comparison: a customer may have a thousand tickets.
  const sorted = open
    .map((ticket) => ({ ticket, reply: ticketNeedsReply(ticket), at: parseDate(ticket.dateCreated)?.getTime() ?? 0 }))
    .sort((a, b) => Number(b.reply) - Number(a.reply) || a.at - b.at)
    .map(({ ticket }) => ticket);
  let heading = `*Open tickets (${open.length})*`;
  if (needReply) heading += `  ·  ${needReply} need${needReply === 1 ? 's' : ''} a reply`;
  if (ticketingOff) heading += '  ·  _ticketing is now turned off for this store_';
  const blocks: KnownBlock[] = [section(heading)];
  sorted.slice(0, MAX_TICKETS_SHOWN).forEach((ticket, i) => {
    blocks.push(section(ticketText(ticket, now)));
    const buttons = actions?.(ticket, i);
    if (buttons) blocks.push(buttons);
  });
  if (open.length > MAX_TICKETS_SHOWN) {
    blocks.push(contextBlock(`and ${open.length - MAX_TICKETS_SHOWN} more open tickets in Komerza`));
  }
  return blocks;
}

function ticketText(ticket: Ticket, now: Date): string {
  const subject = escapeAndClamp(oneLine(ticket.subject ?? '') || '(no subject)', SUBJECT_MAX);
  const opened = parseDate(ticket.dateCreated);
  const last = lastTicketEntry(ticket);
  const lastAt = parseDate(last?.dateCreated);
  const meta = [
    ticketStatusPhrase(ticket),
    opened ? `opened ${ago(opened, now)}` : undefined,
    messagesPhrase(ticket, lastAt, now),
  ].filter(Boolean);
  let text = `${ticketNeedsReply(ticket) ? ':envelope_with_arrow:' : ':hourglass_flowing_sand:'} *${subject}*\n${meta.join('  ·  ')}`;
  const snippet = last?.message ?? ticket.lastMessage;
  if (snippet) {
    const who = last?.message && last.name ? `${escapeAndClamp(oneLine(last.name), 60)}: ` : '';
    text += `\n>${who}${escapeAndClamp(oneLine(snippet), SNIPPET_MAX)}`;
  }
  return text;
}

/** The status in words, bold with "needs reply" when the team owes the customer an answer. */
export function ticketStatusPhrase(ticket: Ticket): string {
  const status = ticketStatusLabel(ticket.status);
  return ticketNeedsReply(ticket) ? `*${status} · needs reply*` : status;
}

/** "3 messages, last 1 day ago": the count Komerza gives (a list item) or the entries it sent. */
function messagesPhrase(ticket: Ticket, lastAt: Date | undefined, now: Date): string | undefined {
  const count =
    typeof ticket.messageCount === 'number' && ticket.messageCount >= 0
      ? Math.round(ticket.messageCount)
      : ticket.entries?.length;
  if (count === undefined && !lastAt) return undefined;
  const parts: string[] = [];
  if (count !== undefined) parts.push(`${formatCount(count)} message${count === 1 ? '' : 's'}`);
  if (lastAt) parts.push(`last ${ago(lastAt, now)}`);
  return parts.join(', ');
}

/** Recent orders, newest first, and the order a lookup by order id found (marked, with what happened to it). */
function orderBlocks(
  result: OrdersResult,
  focus: OrderDetail | undefined,
  names: ProductNamesResult,
  storeCurrency: string | undefined,
): KnownBlock[] {
  const focusId = focus?.id.toLowerCase();
  const recent = result.kind === 'loaded' ? result.items.slice(0, MAX_ORDERS_SHOWN) : [];
  const listed = recent.some((order) => order.id.toLowerCase() === focusId);
  // The looked-up order's two lines stay together: one entry.
  const head = focus && !listed ? [focusLines(focus, names, storeCurrency)] : [];
  const none = () => undefined;

  switch (result.kind) {
    case 'off':
      return head.length === 0 ? [] : [section(fitLines('*Looked-up order*', head, none, ORDERS_TEXT_MAX))];
    case 'forbidden':
      head.push(
        `:lock: Not shown: the app's Komerza API key needs the \`${escapeAndClamp(result.scope, 60)}\` scope to read orders.`,
      );
      break;
    case 'unavailable':
      head.push(':grey_question: Unavailable: Komerza did not serve the orders list for this store.');
      break;
    case 'failed':
      head.push(failureLine(result));
      break;
    case 'loaded': {
      if (recent.length === 0 && head.length === 0) head.push('None');
      const entries = [
        ...head,
        ...recent.map((order) =>
          focus && order.id.toLowerCase() === focusId
            ? focusLines({ ...order, ...focus }, names, storeCurrency)
            : `• ${orderLine(order, names, storeCurrency)}`,
        ),
      ];
      const beyond = result.more + (result.items.length - recent.length);
      const more = (dropped: number) => {
        const count = beyond + dropped;
        if (count === 0 && !result.morePages) return undefined;
        return `_and ${count > 0 ? `${formatCount(count)}${result.morePages ? '+' : ''} ` : ''}more in Komerza_`;
      };
      // Recent orders may be dropped to fit; a looked-up order shown above them stays.
      return [section(fitLines('*Recent orders*', entries, more, ORDERS_TEXT_MAX, head.length))];
    }
  }
  return [section(fitLines('*Recent orders*', head, none, ORDERS_TEXT_MAX))];
}

function orderLine(order: OrderSummary, names: ProductNamesResult, storeCurrency: string | undefined): string {
  const created = parseDate(order.createdAt);
  const parts = [
    created ? slackDate(created) : 'no date',
    formatMoney(order.amount, order.currency ?? storeCurrency),
    order.status ? `*${escapeAndClamp(oneLine(order.status), 40)}*` : 'no status',
  ];
  const products = orderProducts(order, names);
  if (products) parts.push(products);
  parts.push(`\`${shortId(order.id)}\``);
  return parts.join('  ·  ');
}

/** The looked-up order: its line, marked, and what the order route says about delivery, refund and chargeback. */
function focusLines(order: OrderDetail, names: ProductNamesResult, storeCurrency: string | undefined): string {
  const currency = order.currency ?? storeCurrency;
  const facts: string[] = [];
  if (order.deliveredManually) facts.push(':white_check_mark: delivered manually');
  else if (order.deliveredItems !== undefined) {
    facts.push(
      order.deliveredItems > 0
        ? `:white_check_mark: delivered (${formatCount(order.deliveredItems)} item${order.deliveredItems === 1 ? '' : 's'})`
        : ':hourglass_flowing_sand: not delivered yet',
    );
  }
  if (order.refund) {
    const amount = typeof order.refund.amount === 'number' ? ` ${formatMoney(order.refund.amount, currency)}` : '';
    const reason = order.refund.reason ? ` (${escapeAndClamp(oneLine(order.refund.reason), 60)})` : '';
    facts.push(`:leftwards_arrow_with_hook: *refunded*${amount}${reason}`);
  } else facts.push('not refunded');
  if (order.chargeback) {
    const status = order.chargeback.status ? ` ${escapeAndClamp(oneLine(order.chargeback.status), 40)}` : '';
    const reason = order.chargeback.reason ? ` (${escapeAndClamp(oneLine(order.chargeback.reason), 60)})` : '';
    facts.push(`:rotating_light: *chargeback*${status}${reason}`);
  } else facts.push('no chargeback');
  return `:mag_right: *Looked up:* ${orderLine(order, names, currency)}\n      ${facts.join('  ·  ')}`;
}

function orderProducts(order: OrderSummary, names: ProductNamesResult): string | undefined {
  if (order.items.length === 0) return undefined;
  const shown = order.items.slice(0, MAX_ITEMS_PER_ORDER).map((item) => {
    const quantity = typeof item.quantity === 'number' && item.quantity > 1 ? ` ×${formatCount(item.quantity)}` : '';
    return `${productLabel(item, names, 60)}${quantity}`;
  });
  const hidden = order.items.length - shown.length;
  return `${shown.join(', ')}${hidden > 0 ? ` +${formatCount(hidden)} more` : ''}`;
}

/** An order id is a UUID: its first 8 characters are enough to recognise it next to the date and amount. */
function shortId(id: string): string {
  return escapeAndClamp(oneLine(id).slice(0, 8) || '–', 12);
}

/** A product's name, or why it has none: never its bare id (docs/komerza-api.md §4.5b). */
function productLabel(thing: { product?: string; productId?: string }, names: ProductNamesResult, max: number): string {
  if (thing.product) return escapeAndClamp(oneLine(thing.product) || '–', max);
  if (!thing.productId) return '_unnamed product_';
  switch (names.kind) {
    case 'forbidden':
      return '_product name hidden_';
    case 'failed':
      return '_product name unavailable_';
    default:
      return '_unknown product_';
  }
}

/** Why product names are missing, under the sections that show them. */
function productNamesNote(profile: CustomerProfile): string | undefined {
  const names = profile.productNames;
  if (names.kind !== 'forbidden' && names.kind !== 'failed') return undefined;
  const unnamed = (thing: { product?: string; productId?: string }) => !thing.product && Boolean(thing.productId);
  const shown = [
    ...(profile.subscriptions.kind === 'loaded' ? profile.subscriptions.items : []),
    ...(profile.orders.kind === 'loaded' ? profile.orders.items.flatMap((order) => order.items) : []),
    ...(profile.order?.items ?? []),
  ];
  if (!shown.some(unnamed)) return undefined;
  return names.kind === 'forbidden'
    ? `:lock: Product names are hidden: the app's Komerza API key needs the \`${escapeAndClamp(names.scope, 60)}\` scope to show them.`
    : ':warning: Product names could not be loaded from Komerza just now. Refresh to try again.';
}

/** Attention first (failed payment, ending within 7 days, ended), then by end date: see lookup/subscription-state.ts. */
function subscriptionBlocks(result: SubscriptionsResult, names: ProductNamesResult, now: Date): KnownBlock[] {
  switch (result.kind) {
    case 'forbidden':
      return [
        section(
          `*Subscriptions*\n:lock: Not shown: the app's Komerza API key needs the \`${escapeAndClamp(result.scope, 60)}\` scope to read them.`,
        ),
      ];
    case 'unavailable':
      return [
        section(
          '*Subscriptions*\n:grey_question: Unavailable: Komerza did not serve the subscriptions list for this store.',
        ),
      ];
    case 'failed':
      return [section(`*Subscriptions*\n${failureLine(result)}`)];
    case 'loaded': {
      if (result.items.length === 0) {
        return [section(result.more ? '*Subscriptions*\n_More in Komerza_' : '*Subscriptions*\nNone')];
      }
      const sorted = rankSubscriptions(result.items, now);
      const lines = sorted.slice(0, MAX_SUBSCRIPTIONS_SHOWN).map((ranked) => subscriptionLine(ranked, names, now));
      const count = result.more ? `${sorted.length}+` : String(sorted.length);
      const attention = sorted.filter((ranked) => ranked.attention).length;
      const heading = `*Subscriptions (${count})*${attention ? `  ·  ${attention} need${attention === 1 ? 's' : ''} attention` : ''}`;
      const more = (dropped: number) => {
        const hidden = sorted.length - lines.length + dropped;
        if (hidden === 0 && !result.more) return undefined;
        return `_and ${hidden > 0 ? `${formatCount(hidden)} ` : ''}more in Komerza${result.more ? ' (more than the app read)' : ''}_`;
      };
      return [section(fitLines(heading, lines, more, MAX_TEXT))];
    }
  }
}

const STATE_MARK = {
  active: ':repeat:',
  past_due: ':x:',
  cancelling: ':hourglass_flowing_sand:',
  paused: ':double_vertical_bar:',
  expired: ':warning:',
  upcoming: ':calendar:',
  unknown: ':repeat:',
} as const;

function subscriptionLine({ sub, state, attention }: Ranked, names: ProductNamesResult, now: Date): string {
  const mark = attention === 'failed_payment' ? ':x:' : attention ? ':warning:' : STATE_MARK[state];
  const product = sub.product || sub.productId ? productLabel(sub, names, 80) : '_subscription_';
  const name = product.startsWith('_') ? product : `*${product}*`;
  const variant = sub.variant ? ` (${escapeAndClamp(oneLine(sub.variant), 40)})` : '';

  const parts = [statePhrase(sub, state, now)];
  if ((sub.failedPayments ?? 0) > 0) parts.push(failedPaymentPhrase(sub, now));
  if (state !== 'expired' && sub.autoRenew === false && state !== 'cancelling') parts.push('_auto-renew off_');
  const price = pricePhrase(sub);
  if (price) parts.push(price);
  if (sub.komerzaStatus !== undefined) parts.push(`_Komerza status ${escapeAndClamp(String(sub.komerzaStatus), 20)}_`);
  return `${mark} ${name}${variant} — ${parts.join('  ·  ')}`;
}

/** The state in words with its date: what an agent tells the customer. */
function statePhrase(sub: SubscriptionSummary, state: SubscriptionState, now: Date): string {
  const end = parseDate(sub.expiresAt);
  const when = (date: Date) => `${slackDate(date)} (in ${roughDuration(date.getTime() - now.getTime())})`;
  switch (state) {
    case 'past_due':
      return `*renewal payment failing*${end ? `, due since ${slackDate(end)}` : ''}`;
    case 'expired':
      return end ? `expired ${slackDate(end)} (${ago(end, now)})` : 'expired';
    case 'paused': {
      const since = parseDate(sub.pausedAt);
      const resumes = parseDate(sub.pauseResumesAt);
      return `*paused*${since ? ` since ${slackDate(since)}` : ''}${resumes ? `, resumes ${slackDate(resumes)}` : ''}`;
    }
    case 'cancelling':
      return end ? `*cancelling*, ends ${when(end)}` : '*cancelling*';
    case 'upcoming': {
      const start = parseDate(sub.startsAt);
      return start ? `starts ${slackDate(start)}${end ? `, until ${slackDate(end)}` : ''}` : 'not started yet';
    }
    case 'unknown':
      return 'no end date';
    case 'active':
      if (!end) return 'active';
      if (sub.autoRenew === true) return `active, renews ${when(end)}`;
      return `active until ${slackDate(end)} (${expiryPhrase(end, now)})`;
  }
}

function failedPaymentPhrase(sub: SubscriptionSummary, now: Date): string {
  const count = sub.failedPayments ?? 0;
  let text = `*${formatCount(count)} failed payment${count === 1 ? '' : 's'}*`;
  const last = parseDate(sub.lastFailedPaymentAt);
  if (last) text += `, last ${slackDate(last)}`;
  const retry = parseDate(sub.nextRetryAt);
  if (retry) {
    text +=
      retry.getTime() > now.getTime()
        ? `, next retry ${slackDate(retry)} (in ${roughDuration(retry.getTime() - now.getTime())})`
        : `, retry was due ${slackDate(retry)}`;
  }
  return text;
}

/** "$19.00 / month": the price in the subscription's currency, per its billing period in words. */
function pricePhrase(sub: SubscriptionSummary): string | undefined {
  if (typeof sub.price !== 'number') return undefined;
  const period = sub.intervalDays ? ` / ${periodWords(sub.intervalDays)}` : '';
  return `${formatMoney(sub.price, sub.currency)}${period}`;
}

/**
 * A billing period in words. Komerza's BillingInterval names are not published (§5.4), so the period comes from a
 * custom interval or the current period's dates; calendar months vary, hence the ranges.
 */
export function periodWords(days: number): string {
  if (days === 1) return 'day';
  if (days === 7) return 'week';
  if (days === 14) return '2 weeks';
  if (days >= 28 && days <= 31) return 'month';
  if (days >= 89 && days <= 92) return '3 months';
  if (days >= 181 && days <= 184) return '6 months';
  if (days >= 365 && days <= 366) return 'year';
  return `${formatCount(days)} days`;
}

/** Optional data Komerza refused or failed on: the plan's word when it gave a code, else "try again". */
function failureLine(failure: Failure): string {
  if (failure.error === 'feature_unavailable') {
    const code = failure.code ? ` (\`${escapeAndClamp(failure.code, 40)}\`)` : '';
    return `:construction: Not available: Komerza says the store's plan or account does not include it${code}.`;
  }
  return ':warning: Could not be loaded from Komerza just now. Refresh to try again.';
}

function affiliateLine(customer: Customer, currency: string | undefined): string | undefined {
  const affiliate = customer.affiliate;
  if (!affiliate) return undefined;
  const parts = [`:handshake: *Affiliate*${affiliate.isEnabled === false ? ' (disabled)' : ''}`];
  // Komerza describes `link` as the affiliate's URL (docs/komerza-api.md §5.5): a link when it is a clean http(s) URL.
  if (affiliate.link) parts.push(`link ${linkOrText(affiliate.link, 100)}`);
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

/**
 * A heading, as many whole entries as fit in `max`, and the "and N more" line for the rest (`more(dropped)` is told
 * how many were dropped to fit). Whole entries only: a cut `<!date…>` or link would break the markup. The first
 * `keep` entries are never dropped; a heading or entry too long on its own is cut safely by `mrkdwn`.
 */
function fitLines(
  heading: string,
  entries: string[],
  more: (dropped: number) => string | undefined,
  max: number,
  keep = 0,
): string {
  for (let shown = entries.length; ; shown--) {
    const trailer = more(entries.length - shown);
    const text = [heading, ...entries.slice(0, shown), ...(trailer ? [trailer] : [])].join('\n');
    if (text.length <= max || shown <= keep) return text;
  }
}
