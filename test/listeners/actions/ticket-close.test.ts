import { describe, expect, it } from '@jest/globals';
import { KomerzaForbiddenError, KomerzaUnavailableError } from '../../../src/komerza/errors.js';
import type { Customer } from '../../../src/komerza/schemas.js';
import { closeTicket } from '../../../src/listeners/actions/ticket-close.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { createTicketOffer } from '../../../src/tickets/offer.js';
import { clickArgs, fakeDeps, sampleCustomers, stubKomerza, type TestDeps } from '../../support/listener-kit.js';

const customer = sampleCustomers()[0] as Customer;
const TICKET = 'b0000000-0000-4000-8000-000000000001';

function depsClosing(close: () => Promise<void>): TestDeps & { deletes: number } {
  const deps = Object.assign(fakeDeps({ api: stubKomerza({ getCustomer: async () => customer }) }), { deletes: 0 });
  deps.tickets = {
    ...deps.tickets,
    offer: createTicketOffer('reply_and_close'),
    komerza: {
      ...deps.tickets.komerza,
      closeTicket: async () => {
        deps.deletes++;
        await close();
      },
    },
  };
  return deps;
}

function click() {
  const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketClose }, { surface: 'message' });
  run.args.context.ticket = { customerId: customer.id, ticketId: TICKET };
  return run;
}

describe('Close ticket listener', () => {
  it('one DELETE, then the card read again in place of the old one, saying the ticket is closed; audited', async () => {
    const deps = depsClosing(async () => undefined);
    const run = click();
    await closeTicket(deps)(run.args);
    expect(deps.deletes).toBe(1);
    expect(run.responses[0]).toMatchObject({ replace_original: true });
    expect(JSON.stringify(run.responses[0])).toContain('Ticket closed. The customer is not notified by this app.');
    const audit = deps.logs.map((line) => JSON.parse(line)).find((line) => line.event === 'ticket_write');
    expect(audit).toMatchObject({ action: 'close', ticketId: TICKET, customerId: customer.id, outcome: 'sent' });
  });

  it('a second click while the first is under way (or just done) sends no second DELETE', async () => {
    const deps = depsClosing(async () => undefined);
    await closeTicket(deps)(click().args);
    const again = click();
    await closeTicket(deps)(again.args);
    expect(deps.deletes).toBe(1);
    expect(JSON.stringify(again.responses[0])).toContain('already being closed');
  });

  it('Komerza refusing for a missing scope: says so, and cards stop offering Close', async () => {
    const deps = depsClosing(async () => {
      throw new KomerzaForbiddenError('DELETE /stores/{storeId}/tickets/{ticketId}', 403, 'stores.tickets.delete');
    });
    const run = click();
    await closeTicket(deps)(run.args);
    expect(JSON.stringify(run.responses[0])).toContain('The ticket was not closed');
    expect(deps.tickets.offer.actions().close).toBe(false);
    expect(JSON.stringify(run.responses[0])).not.toContain('ticket_close');
  });

  it('no answer from Komerza: may or may not be closed, never sent again by itself', async () => {
    const deps = depsClosing(async () => {
      throw new KomerzaUnavailableError('DELETE /stores/{storeId}/tickets/{ticketId}', 'timeout');
    });
    const run = click();
    await closeTicket(deps)(run.args);
    expect(JSON.stringify(run.responses[0])).toContain('may or may not have been closed');
    await closeTicket(deps)(click().args);
    expect(deps.deletes).toBe(1);
  });
});
