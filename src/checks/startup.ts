import type { Config } from '../config.js';
import type { KomerzaApi } from '../komerza/client.js';
import { type KeyScopes, keyScopes } from './key-scopes.js';
import { checkKomerzaPermissions } from './komerza-permissions.js';
import { createKomerzaReads } from './komerza-reads.js';
import { checkKomerzaStore } from './komerza-store.js';
import { type Check, fatalVerdict, runChecks, type Verdict } from './verdict.js';

type StartupContext = Parameters<typeof checkKomerzaStore>[0] & Parameters<typeof checkKomerzaPermissions>[0];

/**
 * What the app checks before it starts: two Komerza reads (the store, the key's permissions). `npm run doctor` runs
 * these same checks first, then many more (src/checks/doctor.ts).
 */
export const STARTUP_CHECKS: ReadonlyArray<Check<StartupContext>> = [checkKomerzaStore, checkKomerzaPermissions];

export interface StartupReport {
  verdicts: Verdict[];
  /** What the key's user may use and lacks, for the Home tab (both empty: not verified, or a fatal answer). */
  keyScopes: KeyScopes;
}

/** `api` should be the fresh view of Komerza: a start-up check must not answer from a cache. */
export async function runStartupChecks(config: Config, api: KomerzaApi): Promise<StartupReport> {
  const reads = createKomerzaReads(api);
  const verdicts = await runChecks(STARTUP_CHECKS, { config, reads });
  // The permissions were read by the check above (no second call); after a fatal answer they were not read at all.
  const permissions = fatalVerdict(verdicts) ? undefined : await reads.permissions();
  return { verdicts, keyScopes: keyScopes(config, permissions) };
}
