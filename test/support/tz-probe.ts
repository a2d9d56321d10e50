/**
 * Run in a child process with a non-UTC `TZ` (test/komerza/dates.test.ts): prints, as JSON, how the app reads
 * Komerza's date-times there. A jest worker cannot change its own time zone (jest hands each test file a copy of
 * process.env), so the probe runs the same code in a process started with that zone.
 */
import { customerCard } from '../../src/blocks/card.js';
import { parseDate } from '../../src/blocks/format.js';
import { parseKomerzaDate } from '../../src/komerza/dates.js';
import { customerSchema, type Ticket } from '../../src/komerza/schemas.js';
import { lastTicketEntry } from '../../src/komerza/tickets.js';
import { documentedCustomerExample } from './sample-store.js';

const offsetMinutes = new Date(2023, 10, 7).getTimezoneOffset();
/** 11:00 without an offset is 11:00 UTC, after 10:00Z; read as local time it would fall before or after it. */
const straddle = {
  id: 't2',
  status: 0,
  entries: [
    { message: 'earlier, with offset', dateCreated: '2023-11-07T10:00:00Z' },
    { message: 'later, without offset', dateCreated: '2023-11-07T11:00:00' },
  ],
} as unknown as Ticket;

// The documented example with its date-times stripped of their `Z`, as .NET may send them.
const example = documentedCustomerExample().response.data;
const withoutOffsets = JSON.parse(JSON.stringify(example).replace(/(\d{2}:\d{2}:\d{2})Z/g, '$1'));
const customer = customerSchema.parse(withoutOffsets);
const card = customerCard(
  {
    customer,
    store: { kind: 'loaded', store: { id: 's', name: 'Shop', currencyCode: 'USD' } },
    subscriptions: { kind: 'loaded', items: [], more: false },
    orders: { kind: 'off' },
    productNames: { kind: 'not_needed' },
  },
  { now: new Date('2023-11-10T00:00:00Z') },
);

process.stdout.write(
  JSON.stringify({
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsetMinutes,
    noOffset: parseKomerzaDate('2023-11-07T05:31:56')?.toISOString(),
    fraction: parseKomerzaDate('2023-11-07T05:31:56.1234567')?.toISOString(),
    viaFormat: parseDate('2023-11-07T05:31:56')?.toISOString(),
    lastEntry: lastTicketEntry(straddle)?.message,
    customerSince: JSON.stringify(card.blocks[1]),
  }),
);
