import type { KomerzaApi } from '../komerza/client.js';
import { type AnyKomerzaError, isKomerzaError } from '../komerza/errors.js';

/**
 * The start-up check of the Komerza key: one `GET /stores/{store}` and one `GET /stores/{store}/permissions`
 * (docs/komerza-api.md §1.1: `data: { isOwner, permissions: string[] }`). Pure apart from those two reads: it
 * returns what to tell the operator and leaves logging and exit codes to the caller.
 *
 * The permissions route describes the key's *user* ("the permissions the user has"), not the key: for the store's
 * owner it says nothing about the key's scopes, so they are reported as not verified rather than all allowed; for a
 * team member, a permission the user lacks is one the key cannot have, and one the user has the key may still lack.
 *
 * Only answers that cannot get better by waiting are fatal (a rejected key, a store that does not exist):
 * restarting would fail the same way, so the app says so once and exits instead of crash-looping. A Komerza
 * outage at start-up is not fatal: the app starts and each lookup reports the outage to whoever asked.
 */

export interface Feature {
  scope: string;
  /** What a person in Slack gets from the scope, in words an operator recognises. */
  feature: string;
  /** Without it no lookup works at all. */
  essential?: boolean;
}

/** The scopes the app reads with (the least-privilege key of docs/komerza-api.md §1.1) and what each one unlocks. */
export const FEATURES: readonly Feature[] = [
  { scope: 'stores.customers.view', feature: 'customer lookups (by email, customer id and search)', essential: true },
  { scope: 'stores.orders.view', feature: 'lookups by order id or recent orders on cards' },
  { scope: 'stores.subscriptions.view', feature: 'subscriptions and their state on cards' },
  {
    scope: 'stores.products.view',
    feature: 'product names where Komerza sends only a product id (e.g. subscriptions embedded in a customer)',
  },
  { scope: 'stores.tickets.view', feature: 'open support tickets on cards' },
  { scope: 'stores.view', feature: 'the store name and currency on cards' },
];

export interface SelfCheckReport {
  /** Set when the app must not start; a sentence that says what is wrong and what to change. */
  fatal?: string;
  info: string[];
  warnings: string[];
  /**
   * Features the key's user is allowed / not allowed (the key's own scopes may be narrower); both empty when that
   * could not be read or proves nothing (the owner).
   */
  allowed: Feature[];
  missing: Feature[];
  /** True when the scopes could not be checked at start-up: features are then checked as they are used. */
  scopesUnverified?: boolean;
}

/** `api` should be the fresh view of Komerza: a start-up check must not answer from a cache. */
export async function checkKomerzaKey(api: KomerzaApi): Promise<SelfCheckReport> {
  const report: SelfCheckReport = { info: [], warnings: [], allowed: [], missing: [] };

  const store = await attempt(() => api.getStore());
  if (store.ok) {
    const currency = store.value.currencyCode ? `, prices in ${store.value.currencyCode}` : '';
    report.info.push(`Komerza key works for store "${store.value.name ?? '(unnamed)'}"${currency}`);
  } else {
    const fatal = fatalProblem(store.error);
    if (fatal) return { ...report, fatal };
    // Komerza's AccessDenied means a missing scope or someone else's resource: here, stores.view or a store id
    // this key was not granted. Lookups still work if it is only the scope, so it is a warning, not fatal.
    if (store.error.kind === 'forbidden') {
      report.warnings.push(
        'Komerza refused to show the store: the key lacks stores.view (cards will miss the store name and currency), or KOMERZA_STORE_ID is a store this key was not granted.',
      );
    } else report.warnings.push(unverified(store.error));
  }

  const permissions = await attempt(() => api.getPermissions());
  if (!permissions.ok) {
    // The store answered, so a 404 here means the route is not deployed ("where available"), not a wrong id.
    if (permissions.error.kind === 'unauthorized') return { ...report, fatal: fatalProblem(permissions.error) };
    report.warnings.push(
      `Could not read the Komerza key's scopes (${describe(permissions.error)}); features are checked as they are used.`,
    );
    return { ...report, scopesUnverified: true };
  }

  if (permissions.value.isOwner === true) {
    report.info.push(
      `The Komerza key's scopes could not be verified: the key belongs to the store's owner, and Komerza shows the owner's permissions, not the key's. Features are checked as they are used; the key needs ${FEATURES.map((f) => f.scope).join(', ')}.`,
    );
    return { ...report, scopesUnverified: true };
  }

  const scopes = new Set(permissions.value.permissions ?? []);
  for (const feature of FEATURES) {
    if (scopes.has(feature.scope)) report.allowed.push(feature);
    else report.missing.push(feature);
  }
  if (report.allowed.length > 0) {
    report.info.push(
      `Komerza key's user may use: ${report.allowed.map((f) => f.feature).join('; ')} (the key's own scopes may be narrower)`,
    );
  }
  for (const feature of report.missing) {
    report.warnings.push(
      feature.essential
        ? `The Komerza key lacks ${feature.scope}: no ${feature.feature} will work. Add the scope to the key (and its user) in the Komerza dashboard.`
        : `The Komerza key lacks ${feature.scope}: no ${feature.feature}. Add the scope to the key (and its user) to enable it.`,
    );
  }
  return report;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: AnyKomerzaError };

async function attempt<T>(read: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    // Only Komerza's typed errors are expected; anything else is a bug and should surface as one.
    if (isKomerzaError(error)) return { ok: false, error };
    throw error;
  }
}

/** Answers that will not change on a restart, worded as what to fix. */
function fatalProblem(error: AnyKomerzaError): string | undefined {
  switch (error.kind) {
    case 'unauthorized':
      return 'Komerza rejected KOMERZA_API_KEY (invalid, expired or revoked). Create a new API key in the Komerza dashboard and set KOMERZA_API_KEY.';
    case 'not_found':
      return error.routeMissing
        ? 'KOMERZA_API_URL does not answer like the Komerza API (its store route is missing). Leave KOMERZA_API_URL unset to use https://api.komerza.com.'
        : 'Komerza has no store with KOMERZA_STORE_ID that this key can see. Copy the store id (a UUID) from the Komerza dashboard, and check the key belongs to that store.';
    default:
      return undefined;
  }
}

function unverified(error: AnyKomerzaError): string {
  return `Could not verify the Komerza key at start-up (${describe(error)}); starting anyway, lookups will report the problem if it lasts.`;
}

function describe(error: AnyKomerzaError): string {
  switch (error.kind) {
    case 'unavailable':
      return `Komerza unavailable: ${error.reason}${error.status ? ` ${error.status}` : ''}`;
    case 'rate_limited':
      return 'rate-limited by Komerza';
    case 'forbidden':
      return 'the key may not read them';
    case 'not_found':
      return 'route not available';
    default:
      return error.kind.replace('_', ' ');
  }
}
