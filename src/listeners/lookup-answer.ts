import type { ActionsBlock } from '@slack/types';
import { customerCard } from '../blocks/card.js';
import { internalErrorMessage, komerzaErrorMessage, notFoundMessage } from '../blocks/errors.js';
import { type MatchListInput, matchList } from '../blocks/matches.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ReadOptions } from '../komerza/client.js';
import { isKomerzaError } from '../komerza/errors.js';
import type { Customer } from '../komerza/schemas.js';
import { describeQuery, type LookupQuery } from '../lookup/parse.js';
import { type EarlyLoads, loadProfile, loadStore, startEarlyLoads } from '../lookup/profile.js';
import { type Resolution, type ResolvedVia, resolveCustomer, resolveSearch } from '../lookup/resolve.js';
import type { Services } from './services.js';

/** The result of one lookup, as a message plus what the audit log records about it (no personal data). */
export interface LookupAnswer {
  message: SlackMessage;
  outcome: 'card' | 'matches' | 'not_found' | 'error';
  customerId?: string;
  /** How the customer was found (email / id / order / search): the audit log's query kind. */
  resolvedVia?: ResolvedVia;
  errorKind?: string;
}

/**
 * How an answer is dressed for its surface: buttons under a card, a picker instead of a plain list of matches.
 * Without it, answers are the plain read-only card and list.
 */
export interface AnswerPresentation {
  cardActions?: (customer: Customer) => ActionsBlock | undefined;
  picker?: (input: MatchListInput) => SlackMessage;
  /** `shared`: the redacted card a Share posts (see customerCard). */
  audience?: 'private' | 'shared';
  /** A context line under the card's header (already-safe mrkdwn). */
  banner?: string;
}

/**
 * From a parsed query to the message a person sees. Never throws: every failure becomes a clear message, and
 * failures that are the app's own fault are logged with their details.
 */
export async function answerLookup(
  services: Services,
  query: LookupQuery,
  options: ReadOptions = {},
  presentation: AnswerPresentation = {},
): Promise<LookupAnswer> {
  try {
    // An email already names whose subscriptions to read: start them (and the store) alongside the customer call.
    const early = query.kind === 'email' ? startEarlyLoads(services.komerza, query.email, options) : undefined;
    const resolution = await resolveCustomer(services.komerza, query, options);
    return await render(services, resolution, query, options, presentation, early);
  } catch (error) {
    return errorAnswer(services, error);
  }
}

async function render(
  services: Services,
  resolution: Resolution,
  query: LookupQuery,
  options: ReadOptions,
  presentation: AnswerPresentation,
  early?: EarlyLoads,
): Promise<LookupAnswer> {
  switch (resolution.kind) {
    case 'customer':
      return {
        ...(await cardAnswer(services, resolution.customer, options, presentation, early)),
        resolvedVia: resolution.via,
      };
    case 'matches': {
      const store = await loadStore(services.komerza, options);
      const currency = store.kind === 'loaded' ? (store.store.currencyCode ?? undefined) : undefined;
      const input = { ...resolution, currency };
      return { message: (presentation.picker ?? matchList)(input), outcome: 'matches' };
    }
    case 'not_found':
      return { message: notFoundMessage(describeQuery(query), resolution.note), outcome: 'not_found' };
  }
}

/** Another page of a search (the picker's page buttons). Never throws. */
export async function answerSearchPage(
  services: Services,
  text: string,
  page: number,
  presentation: AnswerPresentation = {},
): Promise<LookupAnswer> {
  try {
    const resolution = await resolveSearch(services.komerza, text, page);
    return await render(services, resolution, { kind: 'search', text }, {}, presentation);
  } catch (error) {
    return errorAnswer(services, error);
  }
}

/** The card of a customer already in hand (profile reads use `options`, so a Refresh bypasses caches). */
export async function cardAnswer(
  services: Services,
  customer: Customer,
  options: ReadOptions,
  presentation: AnswerPresentation,
  early?: EarlyLoads,
): Promise<LookupAnswer> {
  const profile = await loadProfile(services.komerza, customer, options, early);
  const actions = presentation.cardActions?.(customer);
  return {
    message: customerCard(profile, {
      now: services.now(),
      showIpAddress: services.privacy.showIpAddress,
      ...(actions ? { actions } : {}),
      ...(presentation.audience ? { audience: presentation.audience } : {}),
      ...(presentation.banner ? { banner: presentation.banner } : {}),
    }),
    outcome: 'card',
    customerId: customer.id,
  };
}

/** A picker click or a Refresh: the card of one customer by id. Never throws. */
export async function answerCustomerId(
  services: Services,
  customerId: string,
  options: ReadOptions = {},
  presentation: AnswerPresentation = {},
): Promise<LookupAnswer> {
  try {
    const customer = await services.komerza.getCustomer(customerId, options);
    return await cardAnswer(services, customer, options, presentation);
  } catch (error) {
    return errorAnswer(services, error);
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
