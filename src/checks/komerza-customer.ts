import { type KomerzaCheckContext, maskEmail } from './komerza-context.js';
import { describeKomerzaError } from './komerza-reads.js';
import type { Verdict } from './verdict.js';

/** With `--email`: is there such a customer? The customer-specific checks after this one read them. */
export async function checkKomerzaCustomer(context: KomerzaCheckContext): Promise<Verdict | undefined> {
  const { email } = context;
  const base = { id: 'komerza.customer', title: 'Customer to check with', required: false } as const;
  if (!email) {
    return {
      ...base,
      status: 'unknown',
      meaning:
        'The customer-specific assumptions were not checked (whether the `email` filters are exact or "contains", whether /subscriptions filters by email, product ids, date-time offsets, one call\'s latency).',
      advice: "Run again with --email <a real customer's address> (it is never printed in full).",
    };
  }
  const found = await context.customer();
  if (!found) {
    // Both reads were made already (komerza-context.ts, the customers route check): no new call here.
    const failure = [await context.reads.customerByEmail(email), await context.reads.customers(email)].find(
      (outcome) => !outcome.ok && outcome.error.kind !== 'not_found',
    );
    if (failure && !failure.ok) {
      return {
        ...base,
        status: 'unknown',
        meaning: `Could not read the customer ${maskEmail(email)} (${failure.error.route}: ${describeKomerzaError(failure.error)}), so the customer-specific checks were skipped.`,
        advice: 'Fix what the lines above say, then run again.',
      };
    }
    return {
      ...base,
      status: 'unknown',
      meaning: `No customer has the address ${maskEmail(email)}, so the customer-specific checks were skipped.`,
      advice: "Run again with a real customer's address, ideally one with orders and a subscription.",
    };
  }
  return {
    ...base,
    status: 'ok',
    meaning: `Found the customer ${maskEmail(email)} ${found.via === 'route' ? 'by the /email route' : 'through the `email` list filter'}; the checks below read their orders and subscriptions (nothing of them is printed).`,
  };
}
