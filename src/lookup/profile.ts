import type { KomerzaApi } from '../komerza/client.js';
import { type AnyKomerzaError, isKomerzaError, type KomerzaErrorKind } from '../komerza/errors.js';
import type { Customer, Order, OrderListItem, Page, Product, Store, Subscription } from '../komerza/schemas.js';
import {
  belongsTo,
  type OrderDetail,
  type OrderSummary,
  orderDetail,
  ordersOf,
  productIdsWithoutName,
  type SubscriptionSummary,
  summariseEmbedded,
  summariseSubscription,
  withProductNames,
} from './summaries.js';

export type { OrderDetail, OrderSummary, SubscriptionSummary } from './summaries.js';

/** Why optional data is missing: Komerza's error kind, and its code when it named one (e.g. `UpgradeRequired`). */
export interface Failure {
  kind: 'failed';
  error: KomerzaErrorKind;
  code?: string;
}

/**
 * Subscriptions are optional data: a missing scope or a hiccup on that call must not cost the whole card.
 * `unavailable`: the subscriptions route answered 404 (not deployed for this store), so nothing is known; `loaded`
 * with no items is Komerza saying there are none.
 */
export type SubscriptionsResult =
  | { kind: 'loaded'; items: SubscriptionSummary[]; more: boolean }
  | { kind: 'forbidden'; scope: string }
  | { kind: 'unavailable' }
  | Failure;

/**
 * The customer's most recent orders (CARD_RECENT_ORDERS of them): `more` counts this customer's orders on the page
 * read beyond those, and `morePages` says Komerza has further pages. `off`: the card shows no orders.
 */
export type OrdersResult =
  | { kind: 'off' }
  | { kind: 'loaded'; items: OrderSummary[]; more: number; morePages: boolean }
  | { kind: 'forbidden'; scope: string }
  | { kind: 'unavailable' }
  | Failure;

/**
 * Product names for what Komerza sent with only a product id (the documented customer's embedded subscriptions,
 * docs/komerza-api.md §4.5b). `not_needed`: every product already had its name.
 */
export type ProductNamesResult =
  | { kind: 'not_needed' }
  | { kind: 'loaded' }
  | { kind: 'forbidden'; scope: string }
  | Failure;

export type StoreResult = { kind: 'loaded'; store: Store } | Failure;

export interface CustomerProfile {
  customer: Customer;
  store: StoreResult;
  subscriptions: SubscriptionsResult;
  orders: OrdersResult;
  productNames: ProductNamesResult;
  /** The order the person looked up by its id: the card marks it and shows its delivery, refund and chargeback. */
  order?: OrderDetail;
}

export interface ProfileOptions {
  /** Orders the card lists (CARD_RECENT_ORDERS); 0 reads none. */
  recentOrders?: number;
  /** The order that led to this customer (a lookup by order id). */
  order?: Order;
}

export const DEFAULT_RECENT_ORDERS = 5;
const SUBSCRIPTIONS_PAGE_SIZE = 50;
/** Enough to find the newest few orders of this customer among those the "contains" filter also lets through. */
const ORDERS_PAGE_SIZE = 25;

/**
 * Reads started before the customer is known, because the query already says whose they are (an email): the
 * store, the subscriptions and the orders by email run alongside the customer call instead of after it. For an
 * address that matches nobody this costs calls that a sequential lookup would not make.
 */
export interface EarlyLoads {
  email: string;
  store: Promise<StoreResult>;
  subscriptions: Promise<Settled<Page<Subscription>>>;
  orders: Promise<Settled<Page<OrderListItem>>> | undefined;
}

export function startEarlyLoads(api: KomerzaApi, email: string, options: ProfileOptions = {}): EarlyLoads {
  const store = loadStore(api);
  // Unused when the address matches nobody: mark a (bug-only) rejection as handled; awaiting it still throws.
  store.catch(() => undefined);
  const recent = options.recentOrders ?? DEFAULT_RECENT_ORDERS;
  return {
    email,
    store,
    subscriptions: settle(api.listSubscriptions({ email, pageSize: SUBSCRIPTIONS_PAGE_SIZE })),
    orders: recent > 0 ? settle(api.listOrders({ email, pageSize: ORDERS_PAGE_SIZE })) : undefined,
  };
}

/**
 * Everything the card shows about a customer: the store, subscriptions and orders are read in parallel; product
 * names, when something arrived without one, from the (long-cached) product list.
 */
export async function loadProfile(
  api: KomerzaApi,
  customer: Customer,
  early?: EarlyLoads,
  options: ProfileOptions = {},
): Promise<CustomerProfile> {
  // The early reads were asked for by the typed address; use them only if it is this customer's.
  const usable = early && early.email.toLowerCase() === customer.emailAddress.toLowerCase() ? early : undefined;
  const recent = options.recentOrders ?? DEFAULT_RECENT_ORDERS;
  const email = customer.emailAddress;
  const focus = options.order ? orderDetail(options.order) : undefined;

  // What is already known to lack a name (embedded subscriptions, the looked-up order) is named in parallel.
  const embedded = Array.isArray(customer.subscriptions) ? customer.subscriptions.map(summariseEmbedded) : undefined;
  const earlyIds = productIdsWithoutName([...(embedded ?? []), ...(focus?.items ?? [])]);
  const earlyNames = earlyIds.length > 0 ? loadProducts(api, earlyIds) : undefined;
  // Unused when the later reads need more names than these: a (bug-only) rejection must not float unhandled.
  earlyNames?.catch(() => undefined);

  const [store, subscriptionsPage, ordersPage] = await Promise.all([
    usable?.store ?? loadStore(api),
    usable?.subscriptions ?? settle(api.listSubscriptions({ email, pageSize: SUBSCRIPTIONS_PAGE_SIZE })),
    recent > 0 ? (usable?.orders ?? settle(api.listOrders({ email, pageSize: ORDERS_PAGE_SIZE }))) : undefined,
  ]);
  const subscriptions = subscriptionsOf(subscriptionsPage, customer, embedded);
  const orders: OrdersResult = ordersPage ? ordersResult(ordersPage, customer, recent) : { kind: 'off' };

  const needed = productIdsWithoutName([
    ...(subscriptions.kind === 'loaded' ? subscriptions.items : []),
    ...(orders.kind === 'loaded' ? orders.items.flatMap((order) => order.items) : []),
    ...(focus?.items ?? []),
  ]);
  let names: NamesOutcome = { result: { kind: 'not_needed' }, products: [] };
  if (needed.length > 0) {
    const coveredEarly = earlyNames && needed.every((id) => earlyIds.includes(id));
    names = await (coveredEarly ? earlyNames : loadProducts(api, needed));
  } else if (earlyNames) await earlyNames;

  const name = withProductNames(names.products);
  return {
    customer,
    store,
    subscriptions:
      subscriptions.kind === 'loaded' ? { ...subscriptions, items: subscriptions.items.map(name) } : subscriptions,
    orders:
      orders.kind === 'loaded'
        ? { ...orders, items: orders.items.map((order) => ({ ...order, items: order.items.map(name) })) }
        : orders,
    productNames: names.result,
    ...(focus ? { order: { ...focus, items: focus.items.map(name) } } : {}),
  };
}

export async function loadStore(api: KomerzaApi): Promise<StoreResult> {
  try {
    return { kind: 'loaded', store: await api.getStore() };
  } catch (error) {
    if (isKomerzaError(error)) return failure(error);
    throw error;
  }
}

/**
 * A read of optional data, settled: its value, a Komerza error (the card says what is missing), or an unexpected
 * error kept to be rethrown where it is consumed (so it never floats as an unhandled rejection).
 */
export type Settled<T> =
  | { kind: 'value'; value: T }
  | { kind: 'komerza'; error: AnyKomerzaError }
  | { kind: 'thrown'; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { kind: 'value', value: await promise };
  } catch (error) {
    return isKomerzaError(error) ? { kind: 'komerza', error } : { kind: 'thrown', error };
  }
}

function failure(error: AnyKomerzaError): Failure {
  return { kind: 'failed', error: error.kind, ...('code' in error && error.code ? { code: error.code } : {}) };
}

/**
 * The older API embeds `subscriptions` in the customer with only dates and a product id; the newer one lists them
 * at `GET /stores/{store}/subscriptions?email=` with their state (docs/komerza-api.md §4.2). Both are read: a listed
 * subscription replaces its embedded copy, and an embedded one the list lacks is still shown.
 */
function subscriptionsOf(
  page: Settled<Page<Subscription>>,
  customer: Customer,
  embedded: SubscriptionSummary[] | undefined,
): SubscriptionsResult {
  if (page.kind === 'thrown') throw page.error;
  if (page.kind === 'komerza') {
    // What the customer embeds is still Komerza's word on their subscriptions.
    if (embedded) return { kind: 'loaded', items: embedded, more: false };
    const { error } = page;
    if (error.kind === 'forbidden') return { kind: 'forbidden', scope: error.scope ?? 'stores.subscriptions.view' };
    // A 404 says nothing about this customer's subscriptions: the route is not there for this store.
    if (error.kind === 'not_found') return { kind: 'unavailable' };
    return failure(error);
  }
  // The `email` filter is a guess at "contains" (docs/komerza-api.md §10): keep only this customer's own.
  const listed = page.value.items.filter((sub) => belongsTo(sub, customer)).map(summariseSubscription);
  const ids = new Set(listed.map((sub) => sub.id));
  const items = [...listed, ...(embedded ?? []).filter((sub) => !ids.has(sub.id))];
  return { kind: 'loaded', items, more: page.value.pages > page.value.page };
}

function ordersResult(page: Settled<Page<OrderListItem>>, customer: Customer, recent: number): OrdersResult {
  if (page.kind === 'thrown') throw page.error;
  if (page.kind === 'komerza') {
    const { error } = page;
    if (error.kind === 'forbidden') return { kind: 'forbidden', scope: error.scope ?? 'stores.orders.view' };
    if (error.kind === 'not_found') return { kind: 'unavailable' };
    return failure(error);
  }
  const mine = ordersOf(page.value.items, customer);
  return {
    kind: 'loaded',
    items: mine.slice(0, recent),
    more: Math.max(0, mine.length - recent),
    morePages: page.value.pages > page.value.page,
  };
}

interface NamesOutcome {
  result: ProductNamesResult;
  products: Product[];
}

async function loadProducts(api: KomerzaApi, including: string[]): Promise<NamesOutcome> {
  try {
    const products = await api.listProducts({ including });
    return { result: { kind: 'loaded' }, products };
  } catch (error) {
    if (!isKomerzaError(error)) throw error;
    if (error.kind === 'forbidden') {
      return { result: { kind: 'forbidden', scope: error.scope ?? 'stores.products.view' }, products: [] };
    }
    return { result: failure(error), products: [] };
  }
}
