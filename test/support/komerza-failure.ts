import { type AnyKomerzaError, isKomerzaError } from '../../src/komerza/errors.js';

/** The typed Komerza error `promise` rejects with; any other outcome fails the test. */
export async function failure(promise: Promise<unknown>): Promise<AnyKomerzaError> {
  try {
    await promise;
  } catch (error) {
    if (isKomerzaError(error)) return error;
    throw error;
  }
  throw new Error('expected a Komerza error');
}
