/**
 * Money and date formatting for cards. Pure: `now` is always passed in so output is testable.
 */

import { parseKomerzaDate } from '../komerza/dates.js';
import { escapeMrkdwn } from './text.js';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `$1,234.50`: en-US in the store's currency. Komerza's amounts are major units (docs/komerza-api.md §5.9). An unknown
 * currency code falls back to the plain number and the code rather than failing the card.
 */
export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return '—';
  const code = (currency || 'USD').toUpperCase();
  let format = moneyFormats.get(code);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    } catch {
      // The code comes from Komerza and the result goes into mrkdwn: escape it like any outside string.
      return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${escapeMrkdwn(code.slice(0, 8))}`;
    }
    moneyFormats.set(code, format);
  }
  return format.format(amount);
}

export function formatCount(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/** Komerza's date-times, a missing offset read as UTC (the one parser: komerza/dates.ts). */
export const parseDate: (iso: string | null | undefined) => Date | undefined = parseKomerzaDate;

/**
 * A Slack date token: rendered in the viewer's own time zone, with a UTC fallback for clients that cannot
 * (docs/slack-platform.md §3). Seconds, not milliseconds.
 */
export function slackDate(date: Date, token = '{date_short}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 10)} UTC`;
  // Slack documents the token with Unix seconds; a date before 1970 (junk data) gets the plain fallback instead.
  return seconds < 0 ? fallback : `<!date^${seconds}^${token}|${fallback}>`;
}

export function slackDateTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return seconds < 0 ? fallback : `<!date^${seconds}^{date_short_pretty} at {time}|${fallback}>`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "3 days", "5 hours", "2 minutes": the rough size of a duration, for ages and countdowns. */
export function roughDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 365 * DAY) return plural(Math.floor(abs / (365 * DAY)), 'year');
  if (abs >= 60 * DAY) return plural(Math.floor(abs / (30 * DAY)), 'month');
  if (abs >= DAY) return plural(Math.floor(abs / DAY), 'day');
  if (abs >= HOUR) return plural(Math.floor(abs / HOUR), 'hour');
  return plural(Math.max(1, Math.floor(abs / MINUTE)), 'minute');
}

/** "3 days ago" for something that happened at `date`. */
export function ago(date: Date, now: Date): string {
  const ms = now.getTime() - date.getTime();
  if (ms < MINUTE) return 'just now';
  return `${roughDuration(ms)} ago`;
}

/** "expires in 3 days", "expires today", "expired 2 days ago". */
export function expiryPhrase(expiresAt: Date, now: Date): string {
  const ms = expiresAt.getTime() - now.getTime();
  return ms < 0 ? `expired ${roughDuration(ms)} ago` : `expires in ${roughDuration(ms)}`;
}

/** Expired, or ending within the next 7 days: the card flags these. */
export function expiresSoon(expiresAt: Date, now: Date, withinDays = 7): boolean {
  return expiresAt.getTime() - now.getTime() <= withinDays * DAY;
}
