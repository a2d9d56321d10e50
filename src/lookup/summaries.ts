import { timeOf } from '../komerza/dates.js';
import type {
  Customer,
  EmbeddedSubscription,
  LineItem,
  Order,
  OrderListItem,
  Product,
  Subscription,
} from '../komerza/schemas.js';

/**
 * Komerza's subscriptions and orders, reduced to what a card shows, whichever shape they came in. Pure: no I/O, no
 * clock (what depends on "now" is in subscription-state.ts).
 */

/** One subscription, from the list route (`MerchantSubscriptionDto`) or embedded in the customer (dates only). */
export interface SubscriptionSummary {
  id: string;
  /** The product's name; undefined when Komerza sent none and the product list could not supply it. */
  product?: string;
  /** Used to find the name; never shown in place of one. */
  productId?: string;
  variant?: string;
  /** Komerza's `status` as sent: an integer whose names Komerza does not publish (docs/komerza-api.md §5.4). */
  komerzaStatus?: number | string;
  startsAt?: string;
  /** End of the current period (list shape) or the expiration date (embedded shape). */
  expiresAt?: string;
  autoRenew?: boolean;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: string;
  pausedAt?: string;
  pauseResumesAt?: string;
  failedPayments?: number;
  lastFailedPaymentAt?: string;
  nextRetryAt?: string;
  price?: number;
  currency?: string;
  /** Days per billing period: Komerza's custom interval, or else the length of the current period. */
  intervalDays?: number;
}

/** A line of an order: the product by name (or, until named, by id) and how many. */
export interface OrderItemSummary {
  product?: string;
  productId?: string;
  quantity?: number;
}

export interface OrderSummary {
  id: string;
  createdAt?: string;
  /** Komerza's order status string, shown as sent (the set is not published, §5.7). */
  status?: string;
  amount?: number;
  currency?: string;
  items: OrderItemSummary[];
}

/** What the order route adds about one order (§5.7): delivery, refund, chargeback. */
export interface OrderDetail extends OrderSummary {
  /** Items handed over so far; undefined when the answer did not say. */
  deliveredItems?: number;
  deliveredManually?: boolean;
  refund?: { amount?: number; reason?: string };
  chargeback?: { status?: string; reason?: string };
}

const DAY = 86_400_000;

const text = (value: string | null | undefined): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const num = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const bool = (value: boolean | null | undefined): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

/** Drops the undefined fields, so summaries compare and serialise cleanly. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function summariseSubscription(sub: Subscription): SubscriptionSummary {
  return defined({
    id: sub.id,
    product: text(sub.productName),
    productId: text(sub.productId),
    variant: text(sub.variantName),
    komerzaStatus: sub.status ?? undefined,
    startsAt: text(sub.currentPeriodStart),
    expiresAt: text(sub.currentPeriodEnd),
    autoRenew: bool(sub.autoRenew),
    cancelAtPeriodEnd: bool(sub.cancelAtPeriodEnd),
    canceledAt: text(sub.canceledAt),
    pausedAt: text(sub.pausedAt),
    pauseResumesAt: text(sub.pauseResumeDate),
    failedPayments: num(sub.failedPaymentCount),
    lastFailedPaymentAt: text(sub.lastPaymentFailureDate),
    nextRetryAt: text(sub.nextRetryDate),
    price: num(sub.price),
    currency: text(sub.currencyCode),
    intervalDays: intervalDays(sub),
  });
}

/** The documented customer's embedded shape: `{ id, dateCreated, expirationDate, startDate, productId }` (§5.1). */
export function summariseEmbedded(sub: EmbeddedSubscription): SubscriptionSummary {
  return defined({
    id: sub.id,
    product: text(sub.productName),
    productId: text(sub.productId),
    startsAt: text(sub.startDate),
    expiresAt: text(sub.expirationDate),
  });
}

/** A custom interval when Komerza gives one; otherwise the current period's length, rounded to whole days. */
function intervalDays(sub: Subscription): number | undefined {
  const custom = num(sub.customIntervalDays);
  if (custom !== undefined && custom > 0) return Math.round(custom);
  const start = timeOf(sub.currentPeriodStart);
  const end = timeOf(sub.currentPeriodEnd);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return undefined;
  return Math.max(1, Math.round((end - start) / DAY));
}

/** The subscriptions `email` filter is not documented to be exact: only this customer's own count. */
export function belongsTo(sub: Subscription, customer: Customer): boolean {
  // A subscription that names neither its customer nor an email cannot be shown as this customer's without risking
  // showing someone else's.
  if (!sub.customerId && !sub.customerEmail) return false;
  return sub.customerId === customer.id || sub.customerEmail?.toLowerCase() === customer.emailAddress.toLowerCase();
}

function summariseItems(items: ReadonlyArray<LineItem | null> | null | undefined): OrderItemSummary[] {
  return (items ?? []).flatMap((item) =>
    item
      ? [defined({ product: text(item.productName), productId: text(item.productId), quantity: num(item.quantity) })]
      : [],
  );
}

/**
 * This customer's orders from a page of the orders list, newest first. The `email` filter is a guess at "contains"
 * (docs/komerza-api.md §10), so only exact matches count; the list is sorted here too, since whether Komerza honours
 * `Sorts` is inferred (§4.6).
 */
export function ordersOf(items: OrderListItem[], customer: Customer): OrderSummary[] {
  const email = customer.emailAddress.toLowerCase();
  return items
    .filter((order) => order.customerEmail?.toLowerCase() === email)
    .map((order) => ({ order, time: timeOf(order.dateCreated) }))
    .sort((a, b) => b.time - a.time)
    .map(({ order }) =>
      defined({
        id: order.id,
        createdAt: text(order.dateCreated),
        status: text(order.status),
        amount: num(order.amount),
        currency: text(order.currencyCode),
        items: summariseItems(order.items),
      }),
    );
}

/** Komerza's RefundReason (0–3, docs/komerza-api.md §5.7), in words. */
const REFUND_REASONS: Record<number, string> = {
  0: 'fraudulent',
  1: 'requested by the customer',
  2: 'duplicate',
  3: 'other',
};

function refundReason(reason: number | string | null | undefined): string | undefined {
  if (typeof reason === 'number') return REFUND_REASONS[reason];
  return text(reason ?? undefined);
}

export function orderDetail(order: Order): OrderDetail {
  return defined({
    id: order.id ?? '',
    createdAt: text(order.dateCreated),
    status: text(order.status),
    amount: num(order.amount),
    currency: text(order.currencyCode),
    items: summariseItems(order.items),
    deliveredItems: Array.isArray(order.deliveredItems) ? order.deliveredItems.length : undefined,
    deliveredManually: bool(order.isDeliveredManually),
    refund: order.refund
      ? defined({ amount: num(order.refund.amount), reason: refundReason(order.refund.reason) })
      : undefined,
    chargeback: order.chargeback
      ? defined({ status: text(order.chargeback.status), reason: text(order.chargeback.reason) })
      : undefined,
  });
}

/** Product ids of things that arrived without a product name. */
export function productIdsWithoutName(things: ReadonlyArray<{ product?: string; productId?: string }>): string[] {
  const ids = new Set<string>();
  for (const thing of things) if (!thing.product && thing.productId) ids.add(thing.productId.toLowerCase());
  return [...ids];
}

/** Fills in missing product names from the product list (ids compared ignoring case). */
export function withProductNames(products: Product[]) {
  const names = new Map<string, string>();
  for (const product of products) {
    const name = text(product.name);
    if (name) names.set(product.id.toLowerCase(), name);
  }
  return <T extends { product?: string; productId?: string }>(thing: T): T => {
    if (thing.product || !thing.productId) return thing;
    const name = names.get(thing.productId.toLowerCase());
    return name ? { ...thing, product: name } : thing;
  };
}
