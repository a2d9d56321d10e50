import type { Config } from '../config.js';
import { type KomerzaFeature, komerzaFeaturesNeeded } from '../requirements.js';
import type { KomerzaReads, Outcome } from './komerza-reads.js';

/** What the key's user may use and lacks, feature by feature; both empty when that could not be verified. */
export interface KeyScopes {
  allowed: KomerzaFeature[];
  missing: KomerzaFeature[];
}

type Permissions = Awaited<ReturnType<KomerzaReads['permissions']>>;

/**
 * The Komerza permissions answer as features (docs/komerza-api.md §1.1). An owner's answer, or none, proves nothing
 * about the key: both lists are then empty ("could not be verified").
 */
export function keyScopes(config: Config, permissions: Permissions | Outcome<never> | undefined): KeyScopes {
  if (!permissions?.ok || permissions.value.isOwner === true) return { allowed: [], missing: [] };
  const scopes = new Set(permissions.value.permissions ?? []);
  const needed = komerzaFeaturesNeeded(config);
  return {
    allowed: needed.filter((feature) => scopes.has(feature.scope)),
    missing: needed.filter((feature) => !scopes.has(feature.scope)),
  };
}

/**
 * The start-up check's findings about the key, kept for the Home tab's "the app right now": service.ts records them
 * once; an app started without that check (tests, the bench) has nothing to show.
 */
export interface KeyCheckRecord {
  record(scopes: KeyScopes, at: Date): void;
  latest(): { report: KeyScopes; at: Date } | undefined;
}

export function createKeyCheckRecord(): KeyCheckRecord {
  let latest: { report: KeyScopes; at: Date } | undefined;
  return {
    record(report, at) {
      latest = { report, at };
    },
    latest: () => latest,
  };
}
