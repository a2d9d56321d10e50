import type { AnyKomerzaError } from '../komerza/errors.js';
import type { KomerzaCheckContext } from './komerza-context.js';
import { describeKomerzaError } from './komerza-reads.js';
import type { Verdict } from './verdict.js';

/**
 * Does the key reach the store? One `GET /stores/{store}`. Only answers that cannot get better by waiting are
 * fatal (a rejected key, a store that does not exist): restarting would fail the same way, so the app says so once
 * and exits instead of crash-looping. A Komerza outage is not fatal: the app starts and each lookup reports it.
 */
export async function checkKomerzaStore(context: Pick<KomerzaCheckContext, 'reads'>): Promise<Verdict> {
  const base = { id: 'komerza.store', title: 'Komerza store', required: true } as const;
  const store = await context.reads.store();
  if (store.ok) {
    const currency = store.value.currencyCode ? `, prices in ${store.value.currencyCode}` : '';
    return {
      ...base,
      status: 'ok',
      meaning: `Komerza key works for store "${store.value.name ?? '(unnamed)'}"${currency}.`,
    };
  }
  const fatal = fatalKomerzaProblem(store.error);
  if (fatal) return { ...base, status: 'fail', fatal: true, ...fatal };
  // Komerza's AccessDenied means a missing scope or someone else's resource: here, stores.view or a store id this
  // key was not granted. Lookups still work if it is only the scope, so it is not fatal.
  if (store.error.kind === 'forbidden') {
    return {
      ...base,
      status: 'fail',
      required: false,
      meaning:
        'Komerza refused to show the store: the key lacks stores.view (cards will miss the store name and currency), or KOMERZA_STORE_ID is a store this key was not granted.',
      advice: 'Add stores.view to the key, or check KOMERZA_STORE_ID.',
    };
  }
  return {
    ...base,
    status: 'fail',
    meaning: `Could not verify the Komerza key (${describeKomerzaError(store.error)}).`,
    advice:
      "The app starts anyway and lookups report the problem while it lasts; check KOMERZA_API_URL, the network and Komerza's status.",
  };
}

/** Answers that will not change on a restart, worded as what to fix. */
export function fatalKomerzaProblem(error: AnyKomerzaError): { meaning: string; advice: string } | undefined {
  switch (error.kind) {
    case 'unauthorized':
      return {
        meaning: 'Komerza rejected KOMERZA_API_KEY (invalid, expired or revoked).',
        advice: 'Create a new API key in the Komerza dashboard and set KOMERZA_API_KEY.',
      };
    case 'not_found':
      return error.routeMissing
        ? {
            meaning: 'KOMERZA_API_URL does not answer like the Komerza API (its store route is missing).',
            advice: 'Leave KOMERZA_API_URL unset to use https://api.komerza.com.',
          }
        : {
            meaning: 'Komerza has no store with KOMERZA_STORE_ID that this key can see.',
            advice: 'Copy the store id (a UUID) from the Komerza dashboard, and check the key belongs to that store.',
          };
    default:
      return undefined;
  }
}
