import { describe, expect, it } from '@jest/globals';
import { deriveKey } from '../../src/redis/keys.js';
import {
  createMemorySearchStore,
  createSealedSearchStore,
  MAX_SEALED_TEXT_BYTES,
  SEARCH_TTL_MS,
} from '../../src/shared-state/search-store.js';

const key = deriveKey('kmz_test_key_0123456789', 'search-tokens');

describe('createSealedSearchStore (the text in the button value, encrypted and authenticated)', () => {
  it('any replica with the key opens a token for 30 minutes, and not after', async () => {
    let now = 1_800_000_000_000;
    const [a, b] = [createSealedSearchStore({ key, now: () => now }), createSealedSearchStore({ key, now: () => now })];
    const token = await a.save('jane@exa');
    expect(await b.get(token)).toBe('jane@exa');
    now += SEARCH_TTL_MS - 1;
    expect(await b.get(token)).toBe('jane@exa');
    now += 1;
    expect(await b.get(token)).toBeUndefined();
  });

  it('carries no search text in plain form, and differs each time', async () => {
    const store = createSealedSearchStore({ key });
    const [first, second] = [await store.save('jane@example.com'), await store.save('jane@example.com')];
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      expect(token).not.toMatch(/jane|example/);
      expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/jane|example/);
      // Fits a Slack button value (2,000 characters) with room to spare.
      expect(token.length).toBeLessThan(200);
    }
  });

  it('refuses a token tampered with, sealed with another key, or not a token at all', async () => {
    const store = createSealedSearchStore({ key });
    const token = await store.save('ann@');
    const raw = Buffer.from(token, 'base64url');
    raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 1;
    expect(await store.get(raw.toString('base64url'))).toBeUndefined();
    const other = createSealedSearchStore({ key: deriveKey('another-api-key', 'search-tokens') });
    expect(await other.get(token)).toBeUndefined();
    expect(await store.get('abc')).toBeUndefined();
    expect(await store.get('')).toBeUndefined();
  });

  it('refuses a text too long for a button value', async () => {
    const store = createSealedSearchStore({ key });
    const longest = 'a'.repeat(MAX_SEALED_TEXT_BYTES);
    expect((await store.save(longest)).length).toBeLessThan(2000);
    await expect(store.save(`${longest}a`)).rejects.toThrow(RangeError);
  });
});

describe('createMemorySearchStore (one process)', () => {
  it('keeps a list for 30 minutes, however many other searches come meanwhile (not only the last 1,000)', async () => {
    let now = 1000;
    const store = createMemorySearchStore({ now: () => now });
    const first = await store.save('first@');
    for (let i = 0; i < 20_000; i++) await store.save(`search ${i}@example.com`);
    now += SEARCH_TTL_MS - 1;
    expect(await store.get(first)).toBe('first@');
    now += 2;
    expect(await store.get(first)).toBeUndefined();
  });

  it('bounds memory by bytes: past the bound the oldest lists go first', async () => {
    const store = createMemorySearchStore({ maxBytes: 100 * 140 });
    const first = await store.save('first@');
    for (let i = 0; i < 200; i++) await store.save(`search ${i}`);
    expect(await store.get(first)).toBeUndefined();
    expect(await store.get(await store.save('last@'))).toBe('last@');
  });
});
