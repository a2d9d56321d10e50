import type { KomerzaApi } from '../komerza/client.js';
import { isKomerzaError } from '../komerza/errors.js';
import { runAsLookup } from '../komerza/lookup-priority.js';
import type { Customer, Order } from '../komerza/schemas.js';
import type { AppLogger } from '../logger.js';
import { describeQuery, type LookupQuery } from './parse.js';
import { type EarlyLoads, loadProfile, loadStore, type ProfileOptions, startEarlyLoads } from './profile.js';
import { type Resolution, resolveCustomer, resolveSearch } from './resolve.js';
import type { CardResult, ErrorResult, LookupResult } from './result.js';

/**
 * From a query to a LookupResult. Each runs as one lookup for Komerza's queue (komerza/lookup-priority.ts): a lookup
 * that has started gets its later calls ahead of lookups that start after it. `api` is whichever view of Komerza the caller chose (cached for lookups, fresh
 * for Refresh); `logger` records failures that are the app's own fault. Never throws.
 */
export interface Lookup {
  api: KomerzaApi;
  logger: Pick<AppLogger, 'warn' | 'error'>;
  /** Orders a card lists (CARD_RECENT_ORDERS); profile.ts's default when unset. */
  recentOrders?: number;
}

/** `/customer <query>`, or one candidate of a message. */
export function lookupQuery(lookup: Lookup, query: LookupQuery): Promise<LookupResult> {
  return runAsLookup(() => queryResult(lookup, query));
}

async function queryResult(lookup: Lookup, query: LookupQuery): Promise<LookupResult> {
  try {
    // An email already names whose subscriptions and orders to read: start them (and the store) alongside the
    // customer call.
    const early = query.kind === 'email' ? startEarlyLoads(lookup.api, query.email, profileOptions(lookup)) : undefined;
    const resolution = await resolveCustomer(lookup.api, query);
    return await fromResolution(lookup, resolution, describeQuery(query), early);
  } catch (error) {
    return errorResult(lookup, error);
  }
}

/** Another page of a search (the picker's page buttons). */
export function lookupSearchPage(lookup: Lookup, text: string, page: number): Promise<LookupResult> {
  return runAsLookup(async () => {
    try {
      return await fromResolution(lookup, await resolveSearch(lookup.api, text, page), text);
    } catch (error) {
      return errorResult(lookup, error);
    }
  });
}

/**
 * A picker row, a Share or a Refresh: the card of one customer by id; `orderId` (a card that came from an order
 * lookup) keeps that order marked. The order is read alongside the customer; if it cannot be read any more, the card
 * simply goes without the mark.
 */
export function lookupCustomerId(lookup: Lookup, customerId: string, orderId?: string): Promise<LookupResult> {
  return runAsLookup(async () => {
    try {
      const reading = orderId ? lookup.api.getOrder(orderId).catch(() => undefined) : undefined;
      const customer = await lookup.api.getCustomer(customerId);
      const order = await reading;
      return await cardOf(lookup, customer, undefined, order && orderBelongsTo(order, customer) ? order : undefined);
    } catch (error) {
      return errorResult(lookup, error);
    }
  });
}

async function fromResolution(
  lookup: Lookup,
  resolution: Resolution,
  queryText: string,
  early?: EarlyLoads,
): Promise<LookupResult> {
  switch (resolution.kind) {
    case 'customer':
      return { ...(await cardOf(lookup, resolution.customer, early, resolution.order)), via: resolution.via };
    case 'matches':
      return { ...resolution, kind: 'matches', source: 'search', currency: await storeCurrency(lookup.api) };
    case 'not_found':
      return { kind: 'not_found', query: queryText, ...(resolution.note ? { note: resolution.note } : {}) };
  }
}

/** Everything a card shows about a customer already in hand (and the order that led to them, if one did). */
export async function cardOf(
  lookup: Lookup,
  customer: Customer,
  early?: EarlyLoads,
  order?: Order,
): Promise<CardResult> {
  const options = { ...profileOptions(lookup), ...(order ? { order } : {}) };
  return { kind: 'card', profile: await loadProfile(lookup.api, customer, early, options) };
}

/** Only an order of this very customer is marked on their card (a button value could pair any two ids). */
function orderBelongsTo(order: Order, customer: Customer): boolean {
  const ids = [order.customer?.customerId, order.realCustomerId, order.customer?.id];
  if (ids.some((id) => id?.toLowerCase() === customer.id.toLowerCase())) return true;
  const email = order.customer?.emailAddress ?? order.customerEmail;
  return email?.toLowerCase() === customer.emailAddress.toLowerCase();
}

function profileOptions(lookup: Lookup): ProfileOptions {
  return lookup.recentOrders === undefined ? {} : { recentOrders: lookup.recentOrders };
}

/** The store's currency for amounts in a list of matches (a list must not fail because the store did). */
export async function storeCurrency(api: KomerzaApi): Promise<string | undefined> {
  const store = await loadStore(api);
  return store.kind === 'loaded' ? (store.store.currencyCode ?? undefined) : undefined;
}

/** A failure as a result: Komerza's typed errors are expected (logged briefly); anything else is a bug. */
export function errorResult(lookup: Lookup, error: unknown): ErrorResult {
  if (isKomerzaError(error)) {
    lookup.logger.warn('Komerza call failed', { kind: error.kind, route: error.route, status: error.status });
    return { kind: 'error', error };
  }
  lookup.logger.error('Lookup failed unexpectedly', error);
  return { kind: 'error', error: { kind: 'internal' } };
}
