import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Customer } from '../komerza/schemas.js';
import type { KomerzaReads } from './komerza-reads.js';

/** What every Komerza check gets: the configuration, the shared reads, and the addresses to read with. */
export interface KomerzaCheckContext {
  config: Config;
  reads: KomerzaReads;
  /** A real customer's address (`--email`), when the operator gave one: the customer-specific checks need it. */
  email?: string;
  /** An address no customer has (a random one under `.invalid`, RFC 2606): route checks read with it otherwise. */
  probe: string;
  /** The customer behind `email`, found once for every check that needs it. */
  customer(): Promise<FoundCustomer | undefined>;
}

export interface FoundCustomer {
  customer: Customer;
  /** `route`: `/customers/{email}/email` answered; `list`: the `email` filter found it, then `/customers/{id}`. */
  via: 'route' | 'list';
}

export function komerzaCheckContext(config: Config, reads: KomerzaReads, email?: string): KomerzaCheckContext {
  let found: Promise<FoundCustomer | undefined> | undefined;
  return {
    config,
    reads,
    ...(email ? { email } : {}),
    probe: probeAddress(),
    customer: () => {
      found ??= email ? findCustomer(reads, email) : Promise.resolve(undefined);
      return found;
    },
  };
}

/** The app's own way (lookup/resolve.ts): the exact route first, then the list filter keeping an exact match. */
async function findCustomer(reads: KomerzaReads, email: string): Promise<FoundCustomer | undefined> {
  const byRoute = await reads.customerByEmail(email);
  if (byRoute.ok) return { customer: byRoute.value, via: 'route' };
  if (byRoute.error.kind !== 'not_found') return undefined;
  const listed = await reads.customers(email);
  if (!listed.ok) return undefined;
  const exact = listed.value.items.find((item) => item.emailAddress.toLowerCase() === email.toLowerCase());
  if (!exact) return undefined;
  const customer = await reads.customer(exact.id);
  return customer.ok ? { customer: customer.value, via: 'list' } : undefined;
}

/** The address the route checks read with: the operator's customer, or the probe. */
export function addressOf(context: KomerzaCheckContext): string {
  return context.email ?? context.probe;
}

/**
 * A strict part of an address: all but its first character. A "contains" filter still finds the customer with it,
 * an exact (or starts-with) one does not.
 */
export function strictPart(email: string): string {
  return email.slice(1);
}

export function probeAddress(): string {
  return `doctor-${randomBytes(6).toString('hex')}@example.invalid`;
}

/** An address as the doctor may print it: the first character of the name, then the domain (`j***@example.com`). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
