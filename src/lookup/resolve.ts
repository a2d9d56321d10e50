import type { KomerzaApi } from '../komerza/client.js';
import { isKomerzaError } from '../komerza/errors.js';
import type { Customer, CustomerReference, Order } from '../komerza/schemas.js';
import type { LookupQuery } from './parse.js';

/** How the customer was found: the audit log and the card's context line use it. */
export type ResolvedVia = 'email' | 'id' | 'order' | 'search';

export type Resolution =
  /** `order`: the order a lookup by order id found (the card marks it). */
  | { kind: 'customer'; customer: Customer; via: ResolvedVia; order?: Order }
  | { kind: 'matches'; query: string; matches: CustomerReference[]; page: number; pages: number }
  | { kind: 'not_found'; query: LookupQuery; note?: NotFoundNote };

/** Why a not-found answer may be incomplete: a fallback the API key was not allowed to try. */
export interface NotFoundNote {
  skipped: 'orders';
  scope: string | undefined;
}

/** How many pages of the `email` "contains" filter are scanned for the exact address. */
const EMAIL_FILTER_PAGES = 3;

export async function resolveCustomer(api: KomerzaApi, query: LookupQuery): Promise<Resolution> {
  switch (query.kind) {
    case 'email':
      return resolveEmail(api, query);
    case 'id':
      return resolveId(api, query);
    case 'search':
      return resolveSearch(api, query.text, 1);
    case 'empty':
      return { kind: 'not_found', query };
  }
}

async function resolveEmail(api: KomerzaApi, query: Extract<LookupQuery, { kind: 'email' }>): Promise<Resolution> {
  const customer = await findByEmail(api, query.email);
  return customer ? { kind: 'customer', customer, via: 'email' } : { kind: 'not_found', query };
}

/**
 * The exact-email route is the newest in Komerza's spec and may be missing (404/405) or answer not found; the
 * list filter is the documented fallback, but it matches "contains", so only a case-insensitive exact hit counts.
 */
export async function findByEmail(api: KomerzaApi, email: string): Promise<Customer | null> {
  const byRoute = await orNullIfNotFound(api.getCustomerByEmail(email));
  if (byRoute) return byRoute;
  const wanted = email.toLowerCase();
  for (let page = 1; page <= EMAIL_FILTER_PAGES; page++) {
    // A 404 from the list filter means nothing matched (or the route is missing): not found, like the route above.
    const result = await orNullIfNotFound(api.listCustomers({ email, page }));
    if (!result) break;
    const exact = result.items.find((item) => item.emailAddress.toLowerCase() === wanted);
    if (exact) return orNullIfNotFound(api.getCustomer(exact.id));
    if (page >= result.pages) break;
  }
  return null;
}

/** A UUID is a customer id, or else an order id whose customer is wanted. */
async function resolveId(api: KomerzaApi, query: Extract<LookupQuery, { kind: 'id' }>): Promise<Resolution> {
  const customer = await orNullIfNotFound(api.getCustomer(query.id));
  if (customer) return { kind: 'customer', customer, via: 'id' };

  let order: Order | null;
  try {
    order = await orNullIfNotFound(api.getOrder(query.id));
  } catch (error) {
    // Without `stores.orders.view` the id can still be a customer's: say what was not checked rather than fail.
    if (isKomerzaError(error) && error.kind === 'forbidden') {
      return { kind: 'not_found', query, note: { skipped: 'orders', scope: 'stores.orders.view' } };
    }
    throw error;
  }
  if (!order) return { kind: 'not_found', query };
  const fromOrder = await customerOfOrder(api, order);
  return fromOrder ? { kind: 'customer', customer: fromOrder, via: 'order', order } : { kind: 'not_found', query };
}

/**
 * Which order field equals the customer's id is undocumented (docs/komerza-api.md §4.3): try `customer.customerId`, then
 * `realCustomerId`, then `customer.id`, and finally the order's email (`customer.emailAddress`: an order object has no
 * `customerEmail`, only list items do).
 */
async function customerOfOrder(api: KomerzaApi, order: Order): Promise<Customer | null> {
  const ids = [order.customer?.customerId, order.realCustomerId, order.customer?.id].filter(
    (id, index, all): id is string => typeof id === 'string' && id !== '' && all.indexOf(id) === index,
  );
  for (const id of ids) {
    const customer = await orNullIfNotFound(api.getCustomer(id));
    if (customer) return customer;
  }
  const email = order.customer?.emailAddress ?? order.customerEmail;
  return email ? findByEmail(api, email) : null;
}

/** Free text: one hit is the customer; several are a list to choose from; none is not found. */
export async function resolveSearch(api: KomerzaApi, text: string, page: number): Promise<Resolution> {
  // Komerza may answer "no results" with a NotFound rather than an empty page: both are "no customer found".
  const result = (await orNullIfNotFound(api.searchCustomers(text, { page }))) ?? {
    items: [],
    page,
    pages: 1,
  };
  const [only] = result.items;
  if (result.items.length === 1 && result.pages <= 1 && only) {
    const customer = await orNullIfNotFound(api.getCustomer(only.id));
    if (customer) return { kind: 'customer', customer, via: 'search' };
  }
  if (result.items.length === 0) return { kind: 'not_found', query: { kind: 'search', text } };
  return { kind: 'matches', query: text, matches: result.items, page: result.page, pages: result.pages };
}

async function orNullIfNotFound<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isKomerzaError(error) && error.kind === 'not_found') return null;
    throw error;
  }
}
