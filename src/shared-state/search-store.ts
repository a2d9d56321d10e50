import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Search texts behind the picker's Next/Previous buttons. A button value is stored by Slack and echoed back, and a
 * search text is usually part of an email address (personal data), so it never goes into a button value in plain form.
 *
 * Two stores:
 * - `createSealedSearchStore` (for several replicas, and what survives restarts): the text travels IN the button value,
 *   encrypted and authenticated (AES-256-GCM) with a key every replica derives from a secret it already has, with
 *   its expiry inside. Any replica can open it; nothing is stored anywhere, so no Redis outage, restart or eviction
 *   can lose a list before its 30 minutes, and there is no memory to bound.
 * - `createMemorySearchStore` (one process): a random token in the button, the text in memory for the TTL, bounded
 *   by bytes rather than by a count, so lists are not pushed out by a busy hour (docs/shared-state.md §4).
 */
export interface SearchStore {
  /** Keeps `text` for the TTL; returns what to put in the page buttons. */
  save(text: string): Promise<string>;
  /** The text behind a token; undefined when unknown, expired, or tampered with. */
  get(token: string): Promise<string | undefined>;
}

/** The response_url lives 30 minutes: past that a list could not be updated anyway (README). */
export const SEARCH_TTL_MS = 30 * 60_000;

export interface MemorySearchStoreOptions {
  ttlMs?: number;
  /** Memory for search texts, in bytes (text + token + bookkeeping). Default 32 MiB: about 200,000 searches. */
  maxBytes?: number;
  /** Monotonic clock (ms), for tests. */
  now?: () => number;
}

/** What one entry costs beyond its text, roughly: the token, the map's entry, the TTL bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 120;

export function createMemorySearchStore(options: MemorySearchStoreOptions = {}): SearchStore {
  const now = options.now;
  const texts = new LRUCache<string, string>({
    maxSize: options.maxBytes ?? 32 * 1024 * 1024,
    sizeCalculation: (text) => Buffer.byteLength(text) + ENTRY_OVERHEAD_BYTES,
    ttl: options.ttlMs ?? SEARCH_TTL_MS,
    // lru-cache otherwise caches its clock for a millisecond of real time, which an injected clock does not follow.
    ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
  });
  return {
    async save(text) {
      const token = randomBytes(12).toString('base64url');
      texts.set(token, text);
      return token;
    },
    get: async (token) => texts.get(token),
  };
}

export interface SealedSearchStoreOptions {
  /** 32 bytes every replica has: deriveKey(KOMERZA_API_KEY, 'search-tokens') (src/redis/keys.ts). */
  key: Buffer;
  ttlMs?: number;
  /** Wall clock (ms): the expiry inside a token must mean the same on every replica. */
  now?: () => number;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const EXPIRY_BYTES = 6;
/** Slack allows 2,000 characters in a button value; this leaves room to spare in base64url. */
export const MAX_SEALED_TEXT_BYTES = 1000;

export function createSealedSearchStore(options: SealedSearchStoreOptions): SearchStore {
  if (options.key.length !== 32) throw new RangeError('the search token key must be 32 bytes');
  const ttlMs = options.ttlMs ?? SEARCH_TTL_MS;
  const now = options.now ?? Date.now;
  const header = Buffer.from([VERSION]);
  return {
    async save(text) {
      const body = Buffer.from(text, 'utf8');
      if (body.length > MAX_SEALED_TEXT_BYTES) throw new RangeError('search text too long for a button value');
      const expiry = Buffer.alloc(EXPIRY_BYTES);
      expiry.writeUIntBE(Math.floor(now() + ttlMs), 0, EXPIRY_BYTES);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', options.key, iv);
      cipher.setAAD(header);
      const sealed = Buffer.concat([cipher.update(Buffer.concat([expiry, body])), cipher.final()]);
      return Buffer.concat([header, iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    async get(token) {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 1 + IV_BYTES + EXPIRY_BYTES + TAG_BYTES || raw[0] !== VERSION) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', options.key, raw.subarray(1, 1 + IV_BYTES));
        decipher.setAAD(header);
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]);
        if (plain.readUIntBE(0, EXPIRY_BYTES) <= now()) return undefined;
        return plain.subarray(EXPIRY_BYTES).toString('utf8');
      } catch {
        // Tampered with, or sealed with another key (KOMERZA_API_KEY changed): the list has expired.
        return undefined;
      }
    },
  };
}
