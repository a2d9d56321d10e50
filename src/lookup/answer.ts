import type { KomerzaApi } from '../komerza/client.js';
import { isKomerzaError } from '../komerza/errors.js';
import { runAsLookup } from '../komerza/lookup-priority.js';
import type { Customer } from '../komerza/schemas.js';
import type { AppLogger } from '../logger.js';
import { describeQuery, type LookupQuery } from './parse.js';
import { type EarlyLoads, loadProfile, loadStore, startEarlyLoads } from './profile.js';
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
}

/** `/customer <query>`, or one candidate of a message. */
export function lookupQuery(lookup: Lookup, query: LookupQuery): Promise<LookupResult> {
  return runAsLookup(() => queryResult(lookup, query));
}

async function queryResult(lookup: Lookup, query: LookupQuery): Promise<LookupResult> {
  try {
    // An email already names whose subscriptions to read: start them (and the store) alongside the customer call.
    const early = query.kind === 'email' ? startEarlyLoads(lookup.api, query.email) : undefined;
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

/** A picker row, a Share or a Refresh: the card of one customer by id. */
export function lookupCustomerId(lookup: Lookup, customerId: string): Promise<LookupResult> {
  return runAsLookup(async () => {
    try {
      return await cardOf(lookup, await lookup.api.getCustomer(customerId));
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
      return { ...(await cardOf(lookup, resolution.customer, early)), via: resolution.via };
    case 'matches':
      return { ...resolution, kind: 'matches', source: 'search', currency: await storeCurrency(lookup.api) };
    case 'not_found':
      return { kind: 'not_found', query: queryText, ...(resolution.note ? { note: resolution.note } : {}) };
  }
}

/** Everything a card shows about a customer already in hand. */
export async function cardOf(lookup: Lookup, customer: Customer, early?: EarlyLoads): Promise<CardResult> {
  return { kind: 'card', profile: await loadProfile(lookup.api, customer, early) };
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
