import type { KomerzaApi } from '../komerza/client.js';
import { isKomerzaError, type KomerzaError } from '../komerza/errors.js';
import type { Customer, Page, Store, Subscription } from '../komerza/schemas.js';

/** One subscription, whichever of Komerza's two shapes it came from. */
export interface SubscriptionSummary {
  id: string;
  /** Product name when Komerza gives one, otherwise the product id. */
  product: string;
  variant?: string;
  /** ISO date the current period ends (list shape) or the subscription expires (embedded shape). */
  expiresAt?: string;
  autoRenew?: boolean;
  cancelAtPeriodEnd?: boolean;
}

/** Subscriptions are optional data: a missing scope or a hiccup on that call must not cost the whole card. */
export type SubscriptionsResult =
  | { kind: 'loaded'; items: SubscriptionSummary[]; more: boolean }
  | { kind: 'forbidden'; scope: string }
  | { kind: 'failed'; error: KomerzaError['kind'] };

export type StoreResult = { kind: 'loaded'; store: Store } | { kind: 'failed'; error: KomerzaError['kind'] };

export interface CustomerProfile {
  customer: Customer;
  store: StoreResult;
  subscriptions: SubscriptionsResult;
}

const SUBSCRIPTIONS_PAGE_SIZE = 50;

/**
 * Reads started before the customer is known, because the query already says whose they are (an email): the
 * store and the subscriptions-by-email run alongside the customer call instead of after it. For an address that
 * matches nobody this costs one subscriptions call that a sequential lookup would not make.
 */
export interface EarlyLoads {
  email: string;
  store: Promise<StoreResult>;
  subscriptions: Promise<SubscriptionsPage>;
}

export function startEarlyLoads(api: KomerzaApi, email: string): EarlyLoads {
  const store = loadStore(api);
  // Unused when the address matches nobody: mark a (bug-only) rejection as handled; awaiting it still throws.
  store.catch(() => undefined);
  return { email, store, subscriptions: fetchSubscriptionsPage(api, email) };
}

/** Everything the card shows about a customer: the store and the subscriptions are fetched in parallel. */
export async function loadProfile(api: KomerzaApi, customer: Customer, early?: EarlyLoads): Promise<CustomerProfile> {
  // The early subscriptions were asked for by the typed address; use them only if it is this customer's.
  const usable = early && early.email.toLowerCase() === customer.emailAddress.toLowerCase() ? early : undefined;
  const [store, subscriptions] = await Promise.all([
    usable?.store ?? loadStore(api),
    loadSubscriptions(api, customer, usable?.subscriptions),
  ]);
  return { customer, store, subscriptions };
}

export async function loadStore(api: KomerzaApi): Promise<StoreResult> {
  try {
    return { kind: 'loaded', store: await api.getStore() };
  } catch (error) {
    if (isKomerzaError(error)) return { kind: 'failed', error: error.kind };
    throw error;
  }
}

/**
 * The older API embeds `subscriptions` in the customer; the newer one dropped the field in favour of
 * `GET /stores/{store}/subscriptions?email=` (docs/komerza-api.md §4.2). Embedded wins when it is there at all.
 */
export async function loadSubscriptions(
  api: KomerzaApi,
  customer: Customer,
  early?: Promise<SubscriptionsPage>,
): Promise<SubscriptionsResult> {
  if (Array.isArray(customer.subscriptions)) {
    const items = customer.subscriptions.map(
      (sub): SubscriptionSummary => ({
        id: sub.id,
        product: sub.productName || sub.productId || sub.id,
        ...(sub.expirationDate ? { expiresAt: sub.expirationDate } : {}),
      }),
    );
    return { kind: 'loaded', items, more: false };
  }
  const outcome = await (early ?? fetchSubscriptionsPage(api, customer.emailAddress));
  if (outcome.kind === 'thrown') throw outcome.error;
  if (outcome.kind === 'settled') return outcome.result;
  // The `email` filter is documented for customers as "contains"; keep only this customer's own subscriptions.
  const items = outcome.page.items.filter((sub) => belongsTo(sub, customer)).map(summariseSubscription);
  return { kind: 'loaded', items, more: outcome.page.pages > outcome.page.page };
}

/**
 * One page of subscriptions by email; or the card's answer already (a missing scope, an old API, a failure); or an
 * unexpected error, kept to be rethrown where it is consumed (so it never floats as an unhandled rejection).
 */
export type SubscriptionsPage =
  | { kind: 'page'; page: Page<Subscription> }
  | { kind: 'settled'; result: SubscriptionsResult }
  | { kind: 'thrown'; error: unknown };

async function fetchSubscriptionsPage(api: KomerzaApi, email: string): Promise<SubscriptionsPage> {
  try {
    return { kind: 'page', page: await api.listSubscriptions({ email, pageSize: SUBSCRIPTIONS_PAGE_SIZE }) };
  } catch (error) {
    if (!isKomerzaError(error)) return { kind: 'thrown', error };
    if (error.kind === 'forbidden') {
      return { kind: 'settled', result: { kind: 'forbidden', scope: 'stores.subscriptions.view' } };
    }
    // An API that predates the subscriptions route answers 404: the customer simply has none to show.
    if (error.kind === 'not_found') return { kind: 'settled', result: { kind: 'loaded', items: [], more: false } };
    return { kind: 'settled', result: { kind: 'failed', error: error.kind } };
  }
}

function belongsTo(sub: Subscription, customer: Customer): boolean {
  // The email filter matches "contains": a subscription that names neither its customer nor an email cannot be
  // shown as this customer's without risking showing someone else's.
  if (!sub.customerId && !sub.customerEmail) return false;
  return sub.customerId === customer.id || sub.customerEmail?.toLowerCase() === customer.emailAddress.toLowerCase();
}

function summariseSubscription(sub: Subscription): SubscriptionSummary {
  return {
    id: sub.id,
    product: sub.productName || sub.productId || sub.id,
    ...(sub.variantName ? { variant: sub.variantName } : {}),
    ...(sub.currentPeriodEnd ? { expiresAt: sub.currentPeriodEnd } : {}),
    ...(typeof sub.autoRenew === 'boolean' ? { autoRenew: sub.autoRenew } : {}),
    ...(typeof sub.cancelAtPeriodEnd === 'boolean' ? { cancelAtPeriodEnd: sub.cancelAtPeriodEnd } : {}),
  };
}
