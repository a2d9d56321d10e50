import type { AnyKomerzaError } from '../komerza/errors.js';
import type { CustomerReference } from '../komerza/schemas.js';
import type { CustomerProfile } from './profile.js';
import type { NotFoundNote, ResolvedVia } from './resolve.js';

/**
 * What a lookup found, as data. Every entry point (command, shortcut, picker, card buttons, and later surfaces)
 * gets one of these and renders it for its own surface; nothing here knows about Slack.
 */
export type LookupResult = CardResult | MatchesResult | NotFoundResult | ErrorResult | OverBudgetResult;

export interface CardResult {
  kind: 'card';
  profile: CustomerProfile;
  /** How the customer was found (email / id / order / search); undefined when asked for by id from a button. */
  via?: ResolvedVia;
  /** A message named this customer and others that could not be checked (Komerza failed on them). */
  uncheckedCandidates?: number;
}

/** A person's lookup budget (access/budget.ts) as a result shows it: which window, its size, when it resets. */
export interface BudgetNote {
  window: 'minute' | 'hour';
  /** The limit of that window, in customers shown. */
  limit: number;
  resetsInMs: number;
}

/** Rows the person's budget did not cover: not shown (access/disclosure.ts). */
export interface Withheld {
  count: number;
  budget: BudgetNote;
}

export type MatchesResult = (
  | {
      kind: 'matches';
      /** A search: one page of Komerza's results. */
      source: 'search';
      query: string;
      matches: CustomerReference[];
      page: number;
      pages: number;
      currency: string | undefined;
    }
  | {
      kind: 'matches';
      /** A message that names several customers. */
      source: 'message';
      found: CustomerReference[];
      /** What the message named that matched no customer, as the person would recognise it. */
      missing: string[];
      /** How many of its candidates could not be checked because Komerza failed. */
      failed: number;
      currency: string | undefined;
    }
) & { withheld?: Withheld };

export interface NotFoundResult {
  kind: 'not_found';
  /** What was looked for, as the person would recognise it; undefined when a message named nothing to look up. */
  query: string | undefined;
  note?: NotFoundNote;
}

/** A failure: Komerza's (typed) or the app's own (`internal`, details in the log only). */
export type LookupError = AnyKomerzaError | { kind: 'internal' };

export interface ErrorResult {
  kind: 'error';
  error: LookupError;
}

/** The person's budget covers nothing of the answer: nothing is shown (access/disclosure.ts). */
export interface OverBudgetResult {
  kind: 'over_budget';
  budget: BudgetNote;
}

/** The audit log's view of a result: ids and enums only, never what was typed or found. */
export function auditFacts(result: LookupResult): Record<string, string> {
  const outcome = { outcome: result.kind };
  switch (result.kind) {
    case 'card':
      return { ...outcome, customerId: result.profile.customer.id, ...(result.via ? { resolvedVia: result.via } : {}) };
    case 'error':
      return { ...outcome, errorKind: result.error.kind };
    default:
      return outcome;
  }
}
