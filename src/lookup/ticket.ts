import { KomerzaNotFoundError } from '../komerza/errors.js';
import type { Ticket } from '../komerza/schemas.js';
import { errorResult, type Lookup } from './answer.js';
import type { ErrorResult } from './result.js';

/** A ticket's whole thread as data: the ticket with its entries, or why it could not be read. */
export type TicketResult = { kind: 'ticket'; ticket: Ticket } | ErrorResult;

/**
 * Reads the ticket fresh (a thread is never shown from the cache: the person is about to answer it). A ticket that
 * belongs to another customer than the card's is reported as not found: the button named both, and a thread is
 * only ever shown under its own customer. Failures become results like a lookup's (logged by `errorResult`).
 */
export async function readTicket(
  lookup: Lookup,
  api: { getTicket(ticketId: string): Promise<Ticket> },
  ticketId: string,
  customerId: string,
): Promise<TicketResult> {
  try {
    const ticket = await api.getTicket(ticketId);
    if (ticket.customerId && ticket.customerId.toLowerCase() !== customerId.toLowerCase()) {
      return { kind: 'error', error: new KomerzaNotFoundError('GET /stores/{storeId}/tickets/{ticketId}', 200, false) };
    }
    return { kind: 'ticket', ticket };
  } catch (error) {
    return errorResult(lookup, error);
  }
}
