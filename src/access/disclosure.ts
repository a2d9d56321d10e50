import { MAX_PICKER_ROWS } from '../blocks/picker.js';
import type { BudgetNote, LookupResult, MatchesResult } from '../lookup/result.js';
import type { BudgetGrant, BudgetLimits, LookupBudget } from './budget.js';

/**
 * The per-person budget counts what a person is shown, not requests (a search page of 25 rows was one "lookup" and
 * let one account list 750 customers in half a minute): each customer card, each picker row and each "no customer
 * with that address" answer costs one point. What the budget cannot cover is withheld, and the person is told when
 * it resets. Errors show nothing of a customer and cost nothing.
 */

export function pointsFor(result: LookupResult): number {
  switch (result.kind) {
    case 'card':
      return 1;
    case 'not_found':
      // A message that names nothing to look up discloses nothing either.
      return result.query === undefined ? 0 : 1;
    case 'matches':
      // A page of more rows than a picker shows costs only what it shows.
      return Math.min(rows(result).length, MAX_PICKER_ROWS);
    case 'error':
    case 'over_budget':
      return 0;
  }
}

/**
 * Charges `userId` for `result`; returns it whole, cut to what the budget covers, or over_budget when it covers
 * nothing.
 */
export async function disclose(
  budget: LookupBudget,
  limits: BudgetLimits,
  userId: string | undefined,
  result: LookupResult,
): Promise<LookupResult> {
  const wanted = pointsFor(result);
  // A request without a user never reaches a listener (the access policy refuses it when users are restricted).
  if (wanted === 0 || userId === undefined) return result;
  const grant = await budget.take(userId, wanted);
  if (grant.granted === 0) return { kind: 'over_budget', budget: budgetNote(grant, limits) };
  if (grant.granted === wanted || result.kind !== 'matches') return result;
  const withheld = { count: wanted - grant.granted, budget: budgetNote(grant, limits) };
  return result.source === 'search'
    ? { ...result, matches: result.matches.slice(0, grant.granted), withheld }
    : { ...result, found: result.found.slice(0, grant.granted), withheld };
}

export function budgetNote(state: Pick<BudgetGrant, 'window' | 'resetsInMs'>, limits: BudgetLimits): BudgetNote {
  return {
    window: state.window,
    limit: state.window === 'minute' ? limits.perMinute : limits.perHour,
    resetsInMs: state.resetsInMs,
  };
}

function rows(result: MatchesResult) {
  return result.source === 'search' ? result.matches : result.found;
}

/** `disclose` for a listener: the budget and limits from its deps, the person from the request. */
export function discloseTo(
  deps: { budget: LookupBudget; budgetLimits: BudgetLimits },
  userId: string | undefined,
  result: LookupResult,
): Promise<LookupResult> {
  return disclose(deps.budget, deps.budgetLimits, userId, result);
}
