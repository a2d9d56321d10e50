import type { Page } from '../komerza/schemas.js';
import { type FoundCustomer, type KomerzaCheckContext, strictPart } from './komerza-context.js';
import type { Outcome } from './komerza-reads.js';
import type { Check, Verdict } from './verdict.js';

/**
 * Is a list's `email` filter exact, "contains", or not applied at all (docs/komerza-api.md §9.6, §10 rows 2, 3, 6)?
 * The same list read with the customer's full address and with a strict part of it (all but the first character):
 * "contains" finds the customer with both, exact only with the full one, and a filter Komerza ignores lets rows of
 * other addresses through. The app works with exact and "contains" (it keeps exact matches itself), not without one.
 */

interface FilteredList<T> {
  id: string;
  title: string;
  /** What rows are called, for the sentences. */
  rows: string;
  read(context: KomerzaCheckContext, email: string): Promise<Outcome<Page<T>>>;
  /** The row's email, when it has one. */
  emailOf(row: T): string | null | undefined;
  /** The row is the customer's own. */
  isMine(row: T, found: FoundCustomer, email: string): boolean;
  /** What an ignored filter costs the app. */
  ignoredCosts: string;
}

const sameEmail = (a: string | null | undefined, b: string) =>
  typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

const LISTS = [
  {
    id: 'komerza.customers_email_filter',
    title: 'Customers `email` filter',
    rows: 'customers',
    read: (c, email) => c.reads.customers(email),
    emailOf: (row) => row.emailAddress,
    isMine: (row, found) => row.id === found.customer.id,
    ignoredCosts:
      'when /customers/{email}/email does not find a customer, the fallback searches the first 3 pages of every customer and misses most',
  } satisfies FilteredList<{ id: string; emailAddress: string }>,
  {
    id: 'komerza.orders_email_filter',
    title: 'Orders `email` filter',
    rows: 'orders',
    read: (c, email) => c.reads.orders(email),
    emailOf: (row) => row.customerEmail,
    isMine: (row, _found, email) => sameEmail(row.customerEmail, email),
    ignoredCosts:
      "cards read one page of every customer's orders and keep this customer's, so recent orders go missing",
  } satisfies FilteredList<{ customerEmail?: string | null }>,
  {
    id: 'komerza.subscriptions_email_filter',
    title: 'Subscriptions `email` filter',
    rows: 'subscriptions',
    read: (c, email) => c.reads.subscriptions(email),
    emailOf: (row) => row.customerEmail,
    isMine: (row, found, email) => row.customerId === found.customer.id || sameEmail(row.customerEmail, email),
    ignoredCosts:
      "cards read one page of every customer's subscriptions and keep this customer's, so subscriptions go missing",
  } satisfies FilteredList<{ customerId?: string | null; customerEmail?: string | null }>,
] as const;

function filterCheck<T>(list: FilteredList<T>): Check<KomerzaCheckContext> {
  return async (context) => {
    const base = { id: list.id, title: list.title, required: false } as const;
    const ignored = (count: number): Verdict => ({
      ...base,
      status: 'fail',
      meaning: `Komerza ignores the ${list.rows} \`email\` filter: it answered ${count} row(s) of other addresses for the address asked, so ${list.ignoredCosts}.`,
      advice: 'Report it (the output of --json helps); nothing in the settings changes it.',
    });
    const foreign = (page: Page<T>, asked: string) =>
      page.items.filter((row) => {
        const email = list.emailOf(row);
        return typeof email === 'string' && !email.toLowerCase().includes(asked.toLowerCase());
      }).length;

    const { email } = context;
    if (!email) {
      // The route check read with an address nobody has: any row is another customer's.
      const probe = await list.read(context, context.probe);
      return probe.ok && foreign(probe.value, context.probe) > 0
        ? ignored(foreign(probe.value, context.probe))
        : undefined;
    }
    const found = await context.customer();
    if (!found) return undefined;
    const full = await list.read(context, email);
    // The route check has said why the list cannot be read.
    if (!full.ok) return undefined;
    const part = strictPart(email);
    const partial = await list.read(context, part);
    if (!partial.ok) return undefined;
    const others = foreign(full.value, email) + foreign(partial.value, part);
    if (others > 0) return ignored(others);
    const mine = (page: Page<T>) => page.items.some((row) => list.isMine(row, found, email));
    if (mine(partial.value)) {
      return {
        ...base,
        status: 'ok',
        meaning: `The ${list.rows} \`email\` filter matches part of an address ("contains"): part of this customer's address found them. The app expects this and keeps exact matches itself.`,
      };
    }
    if (mine(full.value)) {
      return {
        ...base,
        status: 'ok',
        meaning: `The ${list.rows} \`email\` filter matches the whole address only (exact): the full address found this customer's ${list.rows}, part of it found none. The app works with either.`,
      };
    }
    return {
      ...base,
      status: 'unknown',
      meaning: `This customer has no ${list.rows} in the list, so the filter could not be seen at work (no other address's rows came back either).`,
      advice: `Run again with the address of a customer who has ${list.rows}.`,
    };
  };
}

/** Customers, orders and subscriptions, in that order. */
export const KOMERZA_EMAIL_FILTER_CHECKS: ReadonlyArray<Check<KomerzaCheckContext>> = [
  filterCheck(LISTS[0]),
  filterCheck(LISTS[1]),
  filterCheck(LISTS[2]),
];
