import { timeOf } from './dates.js';
import { type Ticket, TicketStatus } from './schemas.js';

/** Resolved (1) and Closed (2) are final; every other status is still open (docs/komerza-api.md §5.3). */
export function isOpenTicket(ticket: Ticket): boolean {
  return ticket.status !== TicketStatus.Resolved && ticket.status !== TicketStatus.Closed;
}

/** Opened (0) and CustomerResponded (4) wait on the seller: the support team owes a reply. */
export function ticketNeedsReply(ticket: Ticket): boolean {
  return ticket.status === TicketStatus.Opened || ticket.status === TicketStatus.CustomerResponded;
}

const LABELS: Record<number, string> = {
  [TicketStatus.Opened]: 'Opened',
  [TicketStatus.Resolved]: 'Resolved',
  [TicketStatus.Closed]: 'Closed',
  [TicketStatus.Responded]: 'Responded',
  [TicketStatus.CustomerResponded]: 'Customer responded',
};

export function ticketStatusLabel(status: number): string {
  return LABELS[status] ?? 'Unknown status';
}

/** The newest entry by date (entries are not documented to be ordered). */
export function lastTicketEntry(ticket: Ticket): NonNullable<Ticket['entries']>[number] | undefined {
  const entries = ticket.entries ?? [];
  let last: (typeof entries)[number] | undefined;
  for (const entry of entries) {
    if (!last || timeOf(entry.dateCreated) >= timeOf(last.dateCreated)) last = entry;
  }
  return last;
}
