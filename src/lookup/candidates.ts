import { runAsLookup } from '../komerza/lookup-priority.js';
import type { Customer, Order } from '../komerza/schemas.js';
import { cardOf, errorResult, type Lookup, lookupQuery, storeCurrency } from './answer.js';
import { type Candidate, describeCandidate } from './extract.js';
import { resolveCustomer } from './resolve.js';
import type { LookupResult } from './result.js';

/**
 * What a message names, looked up: nothing → not found (the message named nothing); one thing → the same result as
 * `/customer <it>`; several → each is resolved (in parallel) and the distinct customers become matches to choose
 * from, or the card when they all turn out to be the same customer. Never throws.
 */
export function lookupCandidates(lookup: Lookup, candidates: Candidate[]): Promise<LookupResult> {
  return runAsLookup(() => candidatesResult(lookup, candidates));
}

async function candidatesResult(lookup: Lookup, candidates: Candidate[]): Promise<LookupResult> {
  const [first] = candidates;
  if (!first) return { kind: 'not_found', query: undefined };
  if (candidates.length === 1) return lookupQuery(lookup, first);

  const settled = await Promise.allSettled(candidates.map((candidate) => resolveCustomer(lookup.api, candidate)));
  const found = new Map<string, Customer>();
  // An order id among the candidates: the card marks that order, as it does for `/customer <order id>`.
  let order: Order | undefined;
  const missing: string[] = [];
  const errors: unknown[] = [];
  settled.forEach((result, i) => {
    const candidate = candidates[i] as Candidate;
    if (result.status === 'rejected') errors.push(result.reason);
    else if (result.value.kind === 'customer') {
      // An email and an order id of the same person are one row.
      if (!found.has(result.value.customer.id)) found.set(result.value.customer.id, result.value.customer);
      order ??= result.value.order;
    } else missing.push(describeCandidate(candidate));
  });

  try {
    const customers = [...found.values()];
    const [only] = customers;
    if (!only) {
      if (errors.length > 0) return errorResult(lookup, errors[0]);
      return { kind: 'not_found', query: missing.join(', ') };
    }
    for (const error of errors) errorResult(lookup, error); // logged; the result says how many failed
    if (customers.length === 1) {
      const card = await cardOf(lookup, only, undefined, order);
      return errors.length > 0 ? { ...card, uncheckedCandidates: errors.length } : card;
    }
    return {
      kind: 'matches',
      source: 'message',
      found: customers,
      missing,
      failed: errors.length,
      currency: await storeCurrency(lookup.api),
    };
  } catch (error) {
    return errorResult(lookup, error);
  }
}
