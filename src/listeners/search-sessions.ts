import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Search texts behind the picker's page buttons. A button value is stored by Slack and echoed back, and a search
 * text is usually part of an email address (personal data), so the value carries only a random token and the text
 * stays here, in memory. Lost on restart or after `ttlMs`: the page button then says the list expired.
 * (A modal could keep it in private_metadata, but searches come from `/customer`, whose messages have none.)
 */
export interface SearchSessions {
  /** Stores `text`; returns the token to put in page buttons. */
  save(text: string): string;
  get(token: string): string | undefined;
}

export interface SearchSessionOptions {
  max?: number;
  /** Matches the response_url's 30-minute life: past it the list could not be updated anyway. */
  ttlMs?: number;
}

export function createSearchSessions(options: SearchSessionOptions = {}): SearchSessions {
  const cache = new LRUCache<string, string>({ max: options.max ?? 1000, ttl: options.ttlMs ?? 30 * 60_000 });
  return {
    save(text) {
      const token = randomBytes(12).toString('base64url');
      cache.set(token, text);
      return token;
    },
    get: (token) => cache.get(token),
  };
}
