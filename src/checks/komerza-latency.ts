import type { KomerzaCheckContext } from './komerza-context.js';
import type { Outcome } from './komerza-reads.js';
import type { Verdict } from './verdict.js';

/** A single Komerza call slower than this makes cards slow: a lookup makes 3–5 calls, partly one after another. */
export const SLOW_CALL_MS = 1000;

/**
 * How long one customer read takes on the wire (got's timings, not the rate-limit queue): the read the app makes
 * for this address, three times, median. Two of the three are the only repeated calls the doctor makes.
 */
export async function checkKomerzaLatency(context: KomerzaCheckContext): Promise<Verdict | undefined> {
  const { email } = context;
  const found = email ? await context.customer() : undefined;
  if (!email || !found) return undefined;
  const { reads } = context;
  const id = found.customer.id;
  const times: Array<Outcome<unknown>> =
    found.via === 'route'
      ? [
          await reads.customerByEmail(email),
          await reads.again.customerByEmail(email),
          await reads.again.customerByEmail(email),
        ]
      : [await reads.customer(id), await reads.again.customer(id), await reads.again.customer(id)];
  const route = found.via === 'route' ? 'GET …/customers/{email}/email' : 'GET …/customers/{customerId}';
  const base = { id: 'komerza.latency', title: 'Komerza latency', required: false } as const;
  const timeoutMs = context.config.komerza.timeoutMs;
  const ms = times.map((outcome) => outcome.ms);
  if (ms.some((value) => value === undefined)) {
    return {
      ...base,
      status: 'fail',
      meaning: `${ms.filter((value) => value === undefined).length} of 3 reads of ${route} got no answer within KOMERZA_TIMEOUT_MS (${timeoutMs} ms).`,
      advice: 'Check the network path to Komerza (region, proxy), then KOMERZA_TIMEOUT_MS.',
    };
  }
  const sorted = (ms as number[]).slice().sort((a, b) => a - b);
  const median = Math.round(sorted[1] ?? 0);
  if (median < SLOW_CALL_MS) {
    return { ...base, status: 'ok', meaning: `One read of ${route} takes ${median} ms (median of 3, on the wire).` };
  }
  return {
    ...base,
    status: 'fail',
    meaning: `One read of ${route} takes ${median} ms (median of 3, on the wire): a card needs 3–5 calls, so answers take seconds.`,
    advice:
      median * 2 >= timeoutMs
        ? `Raise KOMERZA_TIMEOUT_MS (now ${timeoutMs} ms) to at least ${Math.ceil((median * 3) / 1000) * 1000}, and check the network path to Komerza (region, proxy).`
        : 'Check the network path to Komerza (region, proxy); run the check again to rule out a passing slowness.',
  };
}
