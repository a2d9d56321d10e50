import type { Config } from '../config.js';
import type { KomerzaApi } from '../komerza/client.js';
import { checkKomerzaPermissions } from './komerza-permissions.js';
import { createKomerzaReads } from './komerza-reads.js';
import { checkKomerzaStore } from './komerza-store.js';
import { type Check, runChecks, type Verdict } from './verdict.js';

type StartupContext = Parameters<typeof checkKomerzaStore>[0] & Parameters<typeof checkKomerzaPermissions>[0];

/**
 * What the app checks before it starts: two Komerza reads (the store, the key's permissions). `npm run doctor` runs
 * these same checks first, then many more (src/checks/doctor.ts).
 */
export const STARTUP_CHECKS: ReadonlyArray<Check<StartupContext>> = [checkKomerzaStore, checkKomerzaPermissions];

/** `api` should be the fresh view of Komerza: a start-up check must not answer from a cache. */
export function runStartupChecks(config: Config, api: KomerzaApi): Promise<Verdict[]> {
  return runChecks(STARTUP_CHECKS, { config, reads: createKomerzaReads(api) });
}
