import { notFoundMessage } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { noCandidatesMessage } from '../blocks/modal.js';
import { candidatePicker } from '../blocks/picker.js';
import { mrkdwn } from '../blocks/text.js';
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
    for (const error of errors) errorAnswer(services, error); // logged; the answer says how many failed
    if (customers.length === 1 && only) {
      const card = await cardAnswer(services, only, {}, presentation);
      return errors.length > 0 ? { ...card, message: withUncheckedNote(card.message, errors.length) } : card;
    }
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

/** One customer found, but Komerza failed on the message's other candidates: the card says so under its header. */
function withUncheckedNote(message: SlackMessage, failed: number): SlackMessage {
  const note = `:warning: ${failed} other ${failed === 1 ? 'id or address' : 'ids or addresses'} in this message could not be checked: Komerza did not answer. Try the shortcut again.`;
  const [header, ...rest] = message.blocks;
  if (!header) return message;
  return { ...message, blocks: [header, { type: 'context', elements: [mrkdwn(note)] }, ...rest] };
}
