import { customerCard } from '../blocks/card.js';
import { internalErrorMessage, komerzaErrorMessage, notFoundMessage } from '../blocks/errors.js';
import { matchList } from '../blocks/matches.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ReadOptions } from '../komerza/client.js';
import { isKomerzaError } from '../komerza/errors.js';
import { describeQuery, type LookupQuery } from '../lookup/parse.js';
import { type EarlyLoads, loadProfile, loadStore, startEarlyLoads } from '../lookup/profile.js';
import { type Resolution, resolveCustomer } from '../lookup/resolve.js';
import type { Services } from './services.js';

/** The result of one lookup, as a message plus what the audit log records about it (no personal data). */
export interface LookupAnswer {
  message: SlackMessage;
  outcome: 'card' | 'matches' | 'not_found' | 'error';
  customerId?: string;
  errorKind?: string;
}

/**
 * From a parsed query to the message a person sees. Never throws: every failure becomes a clear message, and
 * failures that are the app's own fault are logged with their details.
 */
export async function answerLookup(
  services: Services,
  query: LookupQuery,
  options: ReadOptions = {},
): Promise<LookupAnswer> {
  try {
    // An email already names whose subscriptions to read: start them (and the store) alongside the customer call.
    const early = query.kind === 'email' ? startEarlyLoads(services.komerza, query.email, options) : undefined;
    const resolution = await resolveCustomer(services.komerza, query, options);
    return await render(services, resolution, query, options, early);
  } catch (error) {
    return errorAnswer(services, error);
  }
}

async function render(
  services: Services,
  resolution: Resolution,
  query: LookupQuery,
  options: ReadOptions,
  early: EarlyLoads | undefined,
): Promise<LookupAnswer> {
  switch (resolution.kind) {
    case 'customer': {
      const profile = await loadProfile(services.komerza, resolution.customer, options, early);
      return {
        message: customerCard(profile, { now: services.now() }),
        outcome: 'card',
        customerId: resolution.customer.id,
      };
    }
    case 'matches': {
      const store = await loadStore(services.komerza, options);
      const currency = store.kind === 'loaded' ? (store.store.currencyCode ?? undefined) : undefined;
      return { message: matchList({ ...resolution, currency }), outcome: 'matches' };
    }
    case 'not_found':
      return { message: notFoundMessage(describeQuery(query), resolution.note), outcome: 'not_found' };
  }
}

export function errorAnswer(services: Services, error: unknown): LookupAnswer {
  if (isKomerzaError(error)) {
    services.logger.warn('Komerza call failed', { kind: error.kind, route: error.route, status: error.status });
    return { message: komerzaErrorMessage(error), outcome: 'error', errorKind: error.kind };
  }
  services.logger.error('Lookup failed unexpectedly', error);
  return { message: internalErrorMessage(), outcome: 'error', errorKind: 'internal' };
}
