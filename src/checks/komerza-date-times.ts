import type { KomerzaCheckContext } from './komerza-context.js';
import type { Verdict } from './verdict.js';

/** A date-time (a date and a time) as Komerza writes it; with or without an offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Do Komerza's date-times carry an offset (docs/komerza-api.md §5, §9.12)? Without one the app reads them as UTC,
 * which is right only if Komerza's clock is UTC: that cannot be seen from the answers, so it stays "unknown".
 * Looked at in what was read for the customer: the customer, their orders and subscriptions.
 */
export async function checkKomerzaDateTimes(context: KomerzaCheckContext): Promise<Verdict | undefined> {
  const { email } = context;
  const found = email ? await context.customer() : undefined;
  if (!email || !found) return undefined;
  const seen: Array<{ field: string; offset: boolean }> = [];
  collect(found.customer, '', seen);
  const orders = await context.reads.orders(email);
  if (orders.ok) collect(orders.value.items, '', seen);
  const subscriptions = await context.reads.subscriptions(email);
  if (subscriptions.ok) collect(subscriptions.value.items, '', seen);
  if (seen.length === 0) return undefined;
  const bare = seen.filter((date) => !date.offset);
  const base = { id: 'komerza.date_times', title: 'Date-time offsets', required: false } as const;
  if (bare.length === 0) {
    return {
      ...base,
      status: 'ok',
      meaning: `All ${seen.length} date-times read carry an offset (Z or ±hh:mm): cards show them exactly.`,
    };
  }
  const fields = [...new Set(bare.map((date) => date.field))].sort().join(', ');
  return {
    ...base,
    status: 'unknown',
    meaning: `${bare.length} of ${seen.length} date-times carry no offset (in ${fields}); the app reads them as UTC, which is right only if Komerza's clock is UTC.`,
    advice:
      "Compare a recent order's time on a card with the Komerza dashboard: if they differ by whole hours, report it.",
  };
}

/** Every date-time string under `value`, with the name of the field it sits in (never its value). */
function collect(value: unknown, field: string, into: Array<{ field: string; offset: boolean }>): void {
  if (typeof value === 'string') {
    if (DATE_TIME.test(value)) into.push({ field, offset: OFFSET.test(value.trim()) });
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, field, into);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) collect(inner, key, into);
  }
}
