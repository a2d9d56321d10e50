import { ROUTES } from '../komerza/client.js';
import type { AnyKomerzaError } from '../komerza/errors.js';
import type { KomerzaCheckContext } from './komerza-context.js';
import { describeKomerzaError } from './komerza-reads.js';
import type { Verdict } from './verdict.js';

const ROUTE = ROUTES.customerByEmail.name;
const BASE = { id: 'komerza.customer_by_email', title: 'Customer by email', required: false } as const;
/** lookup/resolve.ts: the fallback scans this many pages of the "contains" filter for the exact address. */
const FALLBACK =
  'each lookup by email falls back to the `email` list filter: one more call, and only the first 3 pages of addresses containing the one typed are searched';

/**
 * Is `/customers/{email}/email` live (docs/komerza-api.md §9.3: it is only in the newest spec), and what does it
 * answer for an address nobody has? The app tries it first and falls back to the list filter on any "not found".
 */
export async function checkKomerzaEmailRoute(context: KomerzaCheckContext): Promise<Verdict> {
  if (context.email) {
    const known = await context.reads.customerByEmail(context.email);
    if (known.ok) {
      if (known.value.emailAddress.toLowerCase() !== context.email.toLowerCase())
        return wrongCustomer('the address asked');
    } else if (known.error.kind !== 'not_found' || known.error.routeMissing) {
      return failed(known.error);
    }
    // The route is live; the answer for an unknown address settles the rest.
  }
  const unknown = await context.reads.customerByEmail(context.probe);
  if (unknown.ok) return wrongCustomer('an address nobody has');
  const { error } = unknown;
  if (error.kind !== 'not_found' || error.routeMissing) return failed(error);
  const how =
    error.status === 200
      ? 'answers 200 with `data: null`, which the app reads as not found'
      : "answers 404 NotFound in Komerza's JSON, as the app expects";
  return { ...BASE, status: 'ok', meaning: `${ROUTE} is live: an unknown address ${how}.` };
}

function failed(error: AnyKomerzaError): Verdict {
  if (error.kind === 'not_found' && error.routeMissing) {
    return {
      ...BASE,
      status: 'fail',
      meaning: `${ROUTE} is not served here (HTTP ${error.status} without Komerza's JSON): ${FALLBACK}.`,
      advice:
        'Lookups still work. A short address that many others contain (a@b.co) may not be found; look such customers up by id.',
    };
  }
  return {
    ...BASE,
    status: 'fail',
    required: error.kind === 'forbidden',
    meaning: `${ROUTE} could not be read (${describeKomerzaError(error)}): ${FALLBACK}.`,
    ...(error.kind === 'forbidden' ? { advice: 'Add stores.customers.view to the key.' } : {}),
  };
}

function wrongCustomer(asked: string): Verdict {
  return {
    ...BASE,
    status: 'fail',
    required: true,
    meaning: `${ROUTE} answered a customer with another address for ${asked}: lookups by email could show the wrong customer.`,
    advice: 'Do not let agents use the app until this is explained; report it with this output.',
  };
}
