import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { LookupResult } from './result.js';

/**
 * Search texts behind the picker's page buttons. A button value is stored by Slack and echoed back, and a search
 * text is usually part of an email address (personal data), so the value carries only a random token and the text
 * stays with the app. Lost after `ttlMs` (or a restart, in memory): the page button then says the list expired.
 * (A modal could keep it in private_metadata, but searches come from `/customer`, whose messages have none.)
 */
export interface SearchSessions {
  /** Stores `text`; resolves to the token to put in page buttons. */
  save(text: string): Promise<string>;
  get(token: string): Promise<string | undefined>;
}

export interface SearchSessionOptions {
  max?: number;
  /** Matches the response_url's 30-minute life: past it the list could not be updated anyway. */
  ttlMs?: number;
}

export function createSearchSessions(options: SearchSessionOptions = {}): SearchSessions {
  const cache = new LRUCache<string, string>({ max: options.max ?? 1000, ttl: options.ttlMs ?? 30 * 60_000 });
  return {
    async save(text) {
      const token = randomBytes(12).toString('base64url');
      cache.set(token, text);
      return token;
    },
    get: async (token) => cache.get(token),
  };
}

/**
 * The token a rendered search picker needs for its page buttons: only a search with more than one page has them.
 * `existing` (the token of the page being turned) is reused rather than stored again.
 */
export async function pickerToken(
  result: LookupResult,
  searches: SearchSessions,
  existing?: string,
): Promise<string | undefined> {
  if (result.kind !== 'matches' || result.source !== 'search' || result.pages <= 1) return undefined;
  return existing ?? searches.save(result.query);
}
