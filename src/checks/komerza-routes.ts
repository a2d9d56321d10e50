import { ROUTES } from '../komerza/client.js';
import { featureOfScope } from '../requirements.js';
import { addressOf, type KomerzaCheckContext, strictPart } from './komerza-context.js';
import { describeKomerzaError, type Outcome } from './komerza-reads.js';
import type { Check, Verdict } from './verdict.js';

/**
 * Each route the app reads answers as the app expects, with the key's scope for it: the one proof of a scope that
 * holds for an owner's key too (komerza-permissions.ts). Read-only, one call each, with the address under test
 * (`--email`) or an address nobody has, so that no customer's data is read unless the operator asked for it.
 */

interface RouteCheck {
  id: string;
  title: string;
  route: { name: string; scope: string | undefined };
  /** Without this route no lookup works: its failure makes the doctor exit 1. */
  required: boolean;
  /** A JSON NotFound is this route's way of saying "nothing matched" (lookup/resolve.ts reads it so). */
  notFoundIsEmpty?: boolean;
  read(context: KomerzaCheckContext): Promise<Outcome<unknown>> | undefined;
  /** What a good answer says, in a few words (never a customer's data). */
  describe?(value: unknown): string;
}

const pageRows = (value: unknown) => {
  const count = (value as { items: unknown[] }).items.length;
  return `${count} row${count === 1 ? '' : 's'} for the address asked`;
};

const ROUTE_CHECKS = {
  customers: {
    id: 'komerza.customers',
    title: 'Customers list',
    route: ROUTES.customers,
    required: true,
    read: (c) => c.reads.customers(addressOf(c)),
    describe: pageRows,
  },
  customerSearch: {
    id: 'komerza.customer_search',
    title: 'Customer search',
    route: ROUTES.customerSearch,
    required: false,
    notFoundIsEmpty: true,
    // The app searches with part of an address; so does the check when it has one.
    read: (c) => c.reads.search(c.email ? strictPart(c.email) : c.probe),
    describe: (value) => `${(value as { items: unknown[] }).items.length} match(es) for the text searched`,
  },
  orders: {
    id: 'komerza.orders',
    title: 'Orders list',
    route: ROUTES.orders,
    required: false,
    read: (c) => c.reads.orders(addressOf(c)),
    describe: pageRows,
  },
  subscriptions: {
    id: 'komerza.subscriptions',
    title: 'Subscriptions list',
    route: ROUTES.subscriptions,
    required: false,
    read: (c) => c.reads.subscriptions(addressOf(c)),
    describe: pageRows,
  },
  products: {
    id: 'komerza.products',
    title: 'Product list',
    route: ROUTES.products,
    required: false,
    read: (c) => c.reads.products(),
    describe: (value) => `${(value as unknown[]).length} products`,
  },
  tickets: {
    id: 'komerza.tickets',
    title: 'Tickets list',
    route: ROUTES.tickets,
    required: false,
    notFoundIsEmpty: true,
    // Cards take tickets from the customer itself; this read only proves the key holds stores.tickets.view.
    read: (c) => c.reads.tickets(c.probe),
  },
} satisfies Record<string, RouteCheck>;

function routeCheck(check: RouteCheck): Check<KomerzaCheckContext> {
  return async (context) => {
    const outcome = await check.read(context);
    if (!outcome) return undefined;
    return routeVerdict(check, outcome);
  };
}

/** One check per route the app reads (the by-email route has its own module: komerza-email-route.ts). */
export const KOMERZA_ROUTE_CHECK = Object.fromEntries(
  Object.entries(ROUTE_CHECKS).map(([name, check]) => [name, routeCheck(check)]),
) as Record<keyof typeof ROUTE_CHECKS, Check<KomerzaCheckContext>>;

function routeVerdict(check: RouteCheck, outcome: Outcome<unknown>): Verdict {
  const { route } = check;
  const feature = featureOfScope(route.scope);
  const costs = feature ? `no ${feature.feature}` : 'this read fails';
  const base = { id: check.id, title: check.title, required: false } as const;
  const answers = (detail: string | undefined) =>
    `${route.name} answers${detail ? ` (${detail})` : ''}${route.scope ? `: the key holds ${route.scope}` : ''}.`;
  if (outcome.ok) return { ...base, status: 'ok', meaning: answers(check.describe?.(outcome.value)) };

  const { error } = outcome;
  switch (error.kind) {
    case 'forbidden':
      return {
        ...base,
        status: 'fail',
        required: check.required || feature?.essential === true,
        meaning: `${route.name} was refused (403 AccessDenied): the key lacks ${error.scope ?? route.scope}, so ${costs}.`,
        advice: `Add ${error.scope ?? route.scope} to the key in the Komerza dashboard.`,
      };
    case 'feature_unavailable':
      return {
        ...base,
        status: 'fail',
        meaning: `${route.name} was refused for the store's plan or account (${error.code}), so ${costs}.`,
        advice: "A scope would not help: the store's Komerza plan or account decides.",
      };
    case 'not_found':
      if (error.routeMissing) {
        return {
          ...base,
          status: 'fail',
          required: check.required,
          meaning: `${route.name} is not served here (HTTP ${error.status}, not Komerza's JSON), so ${costs}.`,
          advice: 'Check KOMERZA_API_URL (unset means https://api.komerza.com).',
        };
      }
      if (check.notFoundIsEmpty) {
        return { ...base, status: 'ok', meaning: answers('NotFound when nothing matches, read as no results') };
      }
      return {
        ...base,
        status: 'unknown',
        meaning: `${route.name} answered 404 NotFound for an address with nothing to list: cards say "unavailable" rather than "none" for a customer without any.`,
        advice: 'Run again with --email <an address that has some> to see the route answer.',
      };
    default:
      return {
        ...base,
        status: 'fail',
        required: check.required,
        meaning: `${route.name} could not be read (${describeKomerzaError(error)}), so ${costs} while this lasts.`,
        advice: 'Check KOMERZA_API_URL and the network; run the check again.',
      };
  }
}
