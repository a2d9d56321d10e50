import type { SearchStore } from '../shared-state/search-store.js';
import type { LookupResult } from './result.js';

/**
 * The token a rendered search picker needs for its page buttons: only a search with more than one page has them.
 * `existing` (the token of the page being turned) is reused rather than stored again.
 */
export async function pickerToken(
  result: LookupResult,
  searches: SearchStore,
  existing?: string,
): Promise<string | undefined> {
  if (result.kind !== 'matches' || result.source !== 'search' || result.pages <= 1) return undefined;
  return existing ?? searches.save(result.query);
}
