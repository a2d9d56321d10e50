import { type KomerzaFeature, komerzaFeaturesNeeded } from '../requirements.js';
import { keyScopes } from './key-scopes.js';
import type { KomerzaCheckContext } from './komerza-context.js';
import { describeKomerzaError } from './komerza-reads.js';
import { fatalKomerzaProblem } from './komerza-store.js';
import type { Verdict } from './verdict.js';

/**
 * What the key's user may do: `GET /stores/{store}/permissions` (docs/komerza-api.md §1.1: `data: { isOwner,
 * permissions: string[] }`). That route describes the key's *user*, not the key: for the store's owner it says
 * nothing about the key's scopes, so they are reported as not verified rather than all allowed; for a team member, a
 * permission the user lacks is one the key cannot have, and one the user has the key may still lack. The doctor's
 * route checks (komerza-routes.ts) settle each scope by using it.
 */
export async function checkKomerzaPermissions(
  context: Pick<KomerzaCheckContext, 'reads' | 'config'>,
): Promise<Verdict> {
  const base = { id: 'komerza.permissions', title: "Komerza key's permissions", required: false } as const;
  const needed = komerzaFeaturesNeeded(context.config);
  const permissions = await context.reads.permissions();
  if (!permissions.ok) {
    const fatal = permissions.error.kind === 'unauthorized' ? fatalKomerzaProblem(permissions.error) : undefined;
    if (fatal) return { ...base, required: true, status: 'fail', fatal: true, ...fatal };
    return {
      ...base,
      // The store answered, so a 404 here means the route is not deployed ("where available"), not a wrong id.
      status: permissions.error.kind === 'not_found' ? 'unknown' : 'fail',
      meaning: `Could not read the Komerza key's scopes (${describeKomerzaError(permissions.error)}); features are checked as they are used.`,
    };
  }

  if (permissions.value.isOwner === true) {
    return {
      ...base,
      status: 'unknown',
      meaning: `The Komerza key's scopes could not be verified: the key belongs to the store's owner, and Komerza shows the owner's permissions, not the key's. Features are checked as they are used; the key needs ${needed.map((f) => f.scope).join(', ')}.`,
      advice: '`npm run doctor` uses each scope once to settle it.',
    };
  }

  const { allowed, missing } = keyScopes(context.config, permissions);
  const mayUse =
    allowed.length > 0
      ? `Komerza key's user may use: ${allowed.map((f) => f.feature).join('; ')} (the key's own scopes may be narrower).`
      : "Komerza key's user may use none of the app's features.";
  if (missing.length === 0) return { ...base, status: 'ok', meaning: mayUse };
  return {
    ...base,
    status: 'fail',
    required: missing.some((feature) => feature.essential),
    meaning: `${mayUse} ${missing.map(lacks).join(' ')}`,
    advice: `Add ${missing.map((f) => f.scope).join(', ')} to the key (and its user) in the Komerza dashboard.`,
  };
}

function lacks(feature: KomerzaFeature): string {
  return feature.essential
    ? `The key lacks ${feature.scope}: no ${feature.feature} will work.`
    : `The key lacks ${feature.scope}: no ${feature.feature}.`;
}
