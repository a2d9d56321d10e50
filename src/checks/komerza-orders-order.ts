import { timeOf } from '../komerza/dates.js';
import type { KomerzaCheckContext } from './komerza-context.js';
import type { Verdict } from './verdict.js';

/**
 * Does the orders list honour `Sorts=-dateCreated` (docs/komerza-api.md §4.3, §9.14)? The app sorts each page again
 * itself, so what is at stake is only whether page 1 holds a customer's newest orders. Seen on the page the app
 * reads for the customer; needs two dated orders.
 */
export async function checkKomerzaOrdersOrder(context: KomerzaCheckContext): Promise<Verdict | undefined> {
  if (!context.email || !(await context.customer())) return undefined;
  const orders = await context.reads.orders(context.email);
  if (!orders.ok) return undefined;
  const times = orders.value.items.map((order) => timeOf(order.dateCreated)).filter(Number.isFinite);
  if (times.length < 2) return undefined;
  const newestFirst = times.every((time, i) => i === 0 || time <= (times[i - 1] ?? time));
  const base = { id: 'komerza.orders_newest_first', title: 'Orders newest first', required: false } as const;
  return newestFirst
    ? {
        ...base,
        status: 'ok',
        meaning: `The orders list came back newest first (${times.length} dated orders), as the app asks with Sorts=-dateCreated.`,
      }
    : {
        ...base,
        status: 'fail',
        meaning:
          'The orders list is not newest first although the app asks for Sorts=-dateCreated: the app sorts each page itself, but for a customer with more than 25 orders the card may show older ones as the most recent.',
        advice: 'Nothing to change in the settings; report it.',
      };
}
