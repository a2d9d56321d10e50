import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Secrets derived from one every replica already has (e.g. KOMERZA_API_KEY), one per purpose (HKDF-SHA256), so a
 * cache key name can never be used to decrypt a search token or the other way round, and no new setting is needed.
 */
export function deriveKey(secret: string | Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `customer-lookup:${purpose}`, 32));
}

/**
 * A Redis key name for a cache key that may hold an email: HMAC-SHA256 with a per-deployment secret. A plain SHA-256
 * would not do: emails are guessable, so anyone able to list keys could confirm "is x@y.com a customer?" by hashing.
 */
export function hashedKeyName(secret: Buffer, key: string): string {
  return createHmac('sha256', secret).update(key).digest('base64url');
}
