import { notFoundMessage } from '../blocks/errors.js';
import { noCandidatesMessage } from '../blocks/modal.js';
import { candidatePicker } from '../blocks/picker.js';
import type { Customer } from '../komerza/schemas.js';
import { type Candidate, describeCandidate } from '../lookup/extract.js';
import { loadStore } from '../lookup/profile.js';
import { resolveCustomer } from '../lookup/resolve.js';
import { type AnswerPresentation, answerLookup, cardAnswer, errorAnswer, type LookupAnswer } from './lookup-answer.js';
import type { Services } from './services.js';

/**
 * The message shortcut's answer for what a message names: nothing → how to use `/customer`; one thing → the
 * same answer as `/customer <it>`; several → each is resolved (in parallel) and the distinct customers become a
 * picker, or the card when they all turn out to be the same customer. Never throws.
 */
export async function answerCandidates(
  services: Services,
  candidates: Candidate[],
  presentation: AnswerPresentation = {},
): Promise<LookupAnswer> {
  const [first] = candidates;
  if (!first) return { message: noCandidatesMessage(), outcome: 'not_found' };
  if (candidates.length === 1) return answerLookup(services, first, {}, presentation);

  const settled = await Promise.allSettled(candidates.map((candidate) => resolveCustomer(services.komerza, candidate)));
  const found = new Map<string, Customer>();
  const missing: string[] = [];
  const errors: unknown[] = [];
  settled.forEach((result, i) => {
    const candidate = candidates[i] as Candidate;
    if (result.status === 'rejected') errors.push(result.reason);
    else if (result.value.kind === 'customer') {
      // An email and an order id of the same person are one row.
      if (!found.has(result.value.customer.id)) found.set(result.value.customer.id, result.value.customer);
    } else missing.push(describeCandidate(candidate));
  });

  try {
    const customers = [...found.values()];
    const [only] = customers;
    if (customers.length === 0) {
      if (errors.length > 0) return errorAnswer(services, errors[0]);
      return { message: notFoundMessage(missing.join(', ')), outcome: 'not_found' };
    }
    if (customers.length === 1 && only) return await cardAnswer(services, only, {}, presentation);
    for (const error of errors) errorAnswer(services, error); // logged; the picker says how many failed
    const store = await loadStore(services.komerza);
    const currency = store.kind === 'loaded' ? (store.store.currencyCode ?? undefined) : undefined;
    return {
      message: candidatePicker({ found: customers, missing, failed: errors.length, currency }),
      outcome: 'matches',
    };
  } catch (error) {
    return errorAnswer(services, error);
  }
}
