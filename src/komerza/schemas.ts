import { z } from 'zod';

/**
 * Komerza response shapes, parsed leniently (docs/komerza-api.md §5: the docs snapshots disagree, so only the
 * fields the app cannot work without are required; unknown fields are ignored, optional and nullable ones stay so).
 */

/** Komerza's ids (store, customer, order, ticket…) are UUIDs (docs/komerza-api.md §1); any version or variant. */
export const komerzaId = z.guid();

export function isKomerzaId(text: string): boolean {
  return komerzaId.safeParse(text).success;
}

const text = z.string().nullish();
/** Money and counts arrive as doubles; tolerate numeric strings from a future serializer. */
const number = z.preprocess(
  (value) =>
    typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value,
  z.number().finite().nullish(),
);

/** An integer enum whose names Komerza does not publish: kept as sent (a number, or a name from a future serializer). */
const rawEnum = z.union([z.number(), z.string()]).nullish();

/** Komerza's TicketStatus (integer enum, §5.3). Names as they appear in the docs. */
export const TicketStatus = {
  Opened: 0,
  Resolved: 1,
  Closed: 2,
  Responded: 3,
  CustomerResponded: 4,
} as const;
export type TicketStatusValue = (typeof TicketStatus)[keyof typeof TicketStatus];

const ticketStatusByName = new Map<string, number>(Object.entries(TicketStatus).map(([k, v]) => [k.toLowerCase(), v]));

/** The status as a number; enum names (the API accepts both forms in filters) are mapped, anything else is kept as -1. */
const ticketStatus = z.union([z.number(), z.string(), z.null(), z.undefined()]).transform((value): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    return ticketStatusByName.get(trimmed.toLowerCase()) ?? -1;
  }
  return -1;
});

export const ticketEntrySchema = z.object({
  id: text,
  dateCreated: text,
  message: text,
  name: text,
});

export const ticketSchema = z.object({
  id: z.string(),
  dateCreated: text,
  subject: text,
  status: ticketStatus,
  emailAddress: text,
  /** The customer the ticket belongs to (`PublicTicket`, §5.3): a thread is shown only under its own customer. */
  customerId: text,
  entries: z.array(ticketEntrySchema).nullish(),
  /** `DisplayTicket` (ticket list items, §5.3) counts its messages and quotes the last one instead of `entries`. */
  messageCount: number,
  lastMessage: text,
});

/** Older docs snapshot only: subscriptions embedded in the customer (§5.1). */
export const embeddedSubscriptionSchema = z.object({
  id: z.string(),
  dateCreated: text,
  expirationDate: text,
  startDate: text,
  productId: text,
  productName: text,
});

export const affiliateSchema = z.object({
  id: text,
  dateCreated: text,
  isEnabled: z.boolean().nullish(),
  link: text,
  balance: number,
  returnPercentage: number,
  percentageOff: number,
});

export const customerSchema = z.object({
  id: z.string(),
  emailAddress: z.string(),
  dateCreated: text,
  status: text,
  totalSpend: number,
  averageSpend: number,
  totalOrders: number,
  ipAddress: text,
  balance: number,
  externalIntegrations: z.record(z.string(), z.unknown()).nullish(),
  affiliate: affiliateSchema.nullish(),
  tickets: z.array(ticketSchema).nullish(),
  subscriptions: z.array(embeddedSubscriptionSchema).nullish(),
  isBlocked: z.boolean().nullish(),
  blockedNote: text,
  blockedAt: text,
});

/** List and search items (`PublicCustomerReference`, §5.2): no balance, no IP, no tickets. */
export const customerReferenceSchema = z.object({
  id: z.string(),
  emailAddress: z.string(),
  dateCreated: text,
  status: text,
  isAffiliate: z.boolean().nullish(),
  totalSpend: number,
  averageSpend: number,
  totalOrders: number,
  isBlocked: z.boolean().nullish(),
});

export const storeSchema = z.object({
  id: z.string(),
  name: text,
  currencyCode: text,
  url: text,
  customDomain: text,
  domain: text,
  isCustomerBalanceEnabled: z.boolean().nullish(),
  isTicketingEnabled: z.boolean().nullish(),
});

/** `PublicLineItem` / `LineItem` (§5.7): what was bought, by name and id. */
export const lineItemSchema = z.object({
  productId: text,
  productName: text,
  variantName: text,
  quantity: number,
  amount: number,
  lineTotal: number,
});

/**
 * `OrderResponse` (§5.7). Which id equals `PublicCustomer.id` is not documented: `order.customer.customerId` is the
 * most likely, `order.realCustomerId` the other candidate. Both are kept so the resolver can try them in that order.
 */
export const orderSchema = z.object({
  id: z.string().nullish(),
  /** Not in `Order` (§5.7): kept for answers shaped like a list item. The customer's email is `customer.emailAddress`. */
  customerEmail: text,
  realCustomerId: text,
  customer: z
    .object({
      id: text,
      customerId: text,
      emailAddress: text,
    })
    .nullish(),
  dateCreated: text,
  status: text,
  currencyCode: text,
  amount: number,
  amountPaid: number,
  gateway: text,
  items: z.array(lineItemSchema.nullable()).nullish(),
  /** What was handed over; empty until the order is delivered. */
  deliveredItems: z.array(z.unknown()).nullish(),
  isDeliveredManually: z.boolean().nullish(),
  refund: z.object({ amount: number, reason: rawEnum, dateCreated: text }).nullish(),
  chargeback: z.object({ status: text, reason: text, dateCreated: text }).nullish(),
});
export const orderResponseSchema = z.union([
  z.object({ order: orderSchema }).transform((value) => value.order),
  orderSchema,
]);

/** `MerchantSubscriptionDto` (§5.4). Status and billing-interval enum names are unknown, so they stay raw. */
export const subscriptionSchema = z.object({
  id: z.string(),
  customerId: text,
  customerEmail: text,
  productId: text,
  productName: text,
  variantName: text,
  status: rawEnum,
  billingInterval: rawEnum,
  customIntervalDays: number,
  price: number,
  currencyCode: text,
  currentPeriodStart: text,
  currentPeriodEnd: text,
  autoRenew: z.boolean().nullish(),
  cancelAtPeriodEnd: z.boolean().nullish(),
  canceledAt: text,
  pausedAt: text,
  pauseResumeDate: text,
  failedPaymentCount: number,
  lastPaymentFailureDate: text,
  nextRetryDate: text,
  dateCreated: text,
});

/** `PublicProductReference` (§4.5b), as `products/all` lists it: only the name matters here. */
export const productSchema = z.object({
  id: z.string(),
  name: text,
});

/** `products/all` answers a bare array in `data` (§4.5b); `null` or a missing `data` is an empty store. */
export const productListSchema = z
  .array(z.unknown())
  .nullish()
  .transform((rows): Product[] =>
    (rows ?? []).flatMap((row) => {
      // One malformed product must not cost every other product its name.
      const product = productSchema.safeParse(row);
      return product.success ? [product.data] : [];
    }),
  );

/** `PageOrder` (§5.7): an item of the orders list. Only the list items carry `customerEmail`. */
export const orderListItemSchema = z.object({
  id: z.string(),
  dateCreated: text,
  customerEmail: text,
  status: text,
  currencyCode: text,
  amount: number,
  amountPaid: number,
  gateway: text,
  items: z.array(lineItemSchema.nullable()).nullish(),
});

export const permissionsSchema = z.object({
  isOwner: z.boolean().nullish(),
  permissions: z.array(z.string()).nullish(),
});

/** `{success, message, code, data}` (§3.1). `data` is validated separately, per route. */
export const envelopeSchema = z.object({
  success: z.boolean(),
  message: text,
  code: text,
  data: z.unknown().optional(),
});

/** `{success, pages, data[]}` (§3.2): no total, no page number; `pages` is the total page count. */
export const paginatedEnvelopeSchema = z.object({
  success: z.boolean(),
  pages: z.number().int().nonnegative().nullish(),
  data: z.array(z.unknown()).nullish(),
  message: text,
  code: text,
});

export type Customer = z.infer<typeof customerSchema>;
export type CustomerReference = z.infer<typeof customerReferenceSchema>;
export type Ticket = z.infer<typeof ticketSchema>;
export type TicketEntry = z.infer<typeof ticketEntrySchema>;
export type EmbeddedSubscription = z.infer<typeof embeddedSubscriptionSchema>;
export type Affiliate = z.infer<typeof affiliateSchema>;
export type Store = z.infer<typeof storeSchema>;
export type Order = z.infer<typeof orderSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type Product = z.infer<typeof productSchema>;
export type LineItem = z.infer<typeof lineItemSchema>;
export type OrderListItem = z.infer<typeof orderListItemSchema>;
export type Permissions = z.infer<typeof permissionsSchema>;

/** A page of results: Komerza gives only the page count, so the page asked for travels with it. */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
}
