import { type AnyKomerzaError, isKomerzaError } from '../komerza/errors.js';
import type { WriteGuard } from './write-guard.js';

/**
 * What became of one write to Komerza, as data (the caller renders it and audits it):
 * - `sent`: Komerza accepted it.
 * - `duplicate`: the same write was already made or is under way (a double click or submit, a redelivery).
 * - `guard_unavailable`: "once" could not be promised (the shared store is down), so nothing was sent.
 * - `failed`: Komerza certainly did not apply it (it refused it, or it was never sent); the person may try again.
 * - `uncertain`: it may have reached Komerza (a timeout, a dropped connection, a 5xx): never sent again by itself.
 */
export type WriteOutcome<T> =
  | { kind: 'sent'; value: T }
  | { kind: 'duplicate' }
  | { kind: 'guard_unavailable' }
  | { kind: 'failed'; error: AnyKomerzaError }
  | { kind: 'uncertain'; error: AnyKomerzaError | undefined };

/** Claims `key`, then makes the write once (see `sendClaimed`). */
export async function sendOnce<T>(
  guard: WriteGuard,
  key: string,
  ttlMs: number,
  write: () => Promise<T>,
): Promise<WriteOutcome<T>> {
  const claim = await guard.claim(key, ttlMs);
  if (claim === 'taken') return { kind: 'duplicate' };
  if (claim === 'unavailable') return { kind: 'guard_unavailable' };
  return sendClaimed(guard, key, write);
}

/**
 * The write, once its key is claimed: never retried here (nor by the client, komerza/client.ts). A write Komerza
 * certainly did not apply frees the key, so the person may send it again; any other failure keeps it claimed.
 */
export async function sendClaimed<T>(
  guard: WriteGuard,
  key: string,
  write: () => Promise<T>,
): Promise<WriteOutcome<T>> {
  try {
    return { kind: 'sent', value: await write() };
  } catch (error) {
    if (isKomerzaError(error) && certainlyNotApplied(error)) {
      await guard.release(key);
      return { kind: 'failed', error };
    }
    return { kind: 'uncertain', error: isKomerzaError(error) ? error : undefined };
  }
}

/**
 * Komerza answered with a refusal (4xx), or the request never left (our own queue said busy): nothing was written.
 * A timeout, a dropped connection, a 5xx or an unreadable answer may all follow a write Komerza made.
 */
export function certainlyNotApplied(error: AnyKomerzaError): boolean {
  switch (error.kind) {
    case 'not_found':
    case 'unauthorized':
    case 'forbidden':
    case 'feature_unavailable':
    case 'rate_limited':
    case 'rejected':
      return true;
    case 'unavailable':
      return error.reason === 'edge_blocked';
    case 'invalid_response':
      return false;
  }
}
