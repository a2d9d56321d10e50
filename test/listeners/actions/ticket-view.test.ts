import { describe, expect, it } from '@jest/globals';
import { KomerzaNotFoundError } from '../../../src/komerza/errors.js';
import type { Ticket } from '../../../src/komerza/schemas.js';
import { viewTicket } from '../../../src/listeners/actions/ticket-view.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS, TICKET_VIEW } from '../../../src/slack/ids.js';
import { ticketButton, ticketModal } from '../../../src/slack/values.js';
import { clickArgs, fakeDeps, type TestDeps } from '../../support/listener-kit.js';

const CUSTOMER = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';
const TICKET = 'b0000000-0000-4000-8000-000000000001';
const value = ticketButton.encode({ customerId: CUSTOMER, ticketId: TICKET });
type Json = Record<string, unknown>;

const ticket: Ticket = {
  id: TICKET,
  customerId: CUSTOMER,
  subject: 'Order arrived damaged',
  status: 4,
  emailAddress: 'jane@example.com',
  dateCreated: '2026-11-20T10:00:00Z',
  entries: [{ id: 'e1', message: 'The box was crushed.', name: 'Jane', dateCreated: '2026-11-20T10:00:00Z' }],
};

function depsReading(read: () => Promise<Ticket>): TestDeps {
  const deps = fakeDeps();
  deps.tickets = { ...deps.tickets, komerza: { ...deps.tickets.komerza, getTicket: read } };
  return deps;
}

function click(where: { surface: 'message' } | { surface: 'modal'; view: Json }) {
  const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketView, value }, where);
  run.args.context.ticket = { customerId: CUSTOMER, ticketId: TICKET };
  return run;
}

const metadataOf = (call: { args: Json } | undefined) =>
  ticketModal.decode(String((call?.args.view as Json | undefined)?.private_metadata));

describe('View & reply listener', () => {
  it('opens "Loading…" with the trigger at once, then fills in the thread; the metadata says where the card is', async () => {
    const deps = depsReading(async () => ticket);
    const run = click({ surface: 'message' });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    expect(run.acks).toHaveLength(1);
    const [open] = run.fake.callsTo('views.open');
    expect(open?.args).toMatchObject({ trigger_id: 'trigger-click', view: { callback_id: TICKET_VIEW } });
    expect(metadataOf(open)).toMatchObject({
      ticketId: TICKET,
      customerId: CUSTOMER,
      channel: 'C0SUPPORT',
      cardResponseUrl: 'https://hooks.slack.test/click/1',
    });
    const [update] = run.fake.callsTo('views.update');
    expect(JSON.stringify(update?.args.view)).toContain('The box was crushed.');
    // The view views.open answered with (the fake client numbers them V1, V2…).
    expect(update?.args.view_id).toBe('V1');
  });

  it('pushes the thread over a card in a modal, remembering that view and its metadata to refresh it later', async () => {
    const deps = depsReading(async () => ticket);
    const run = click({ surface: 'modal', view: { id: 'VCARD', private_metadata: '{"ch":"C0SUPPORT","ts":"1.2"}' } });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    const [push] = run.fake.callsTo('views.push');
    expect(metadataOf(push)).toMatchObject({
      cardViewId: 'VCARD',
      cardMetadata: '{"ch":"C0SUPPORT","ts":"1.2"}',
      channel: 'C0SUPPORT',
    });
    expect(run.fake.callsTo('views.open')).toEqual([]);
  });

  it('a closed ticket is shown read-only: no reply box, no Send reply', async () => {
    const deps = depsReading(async () => ({ ...ticket, status: 2 }));
    const run = click({ surface: 'message' });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    const view = run.fake.callsTo('views.update')[0]?.args.view as Json;
    expect(JSON.stringify(view)).toContain('The box was crushed.');
    expect(JSON.stringify(view)).not.toContain('"type":"input"');
    expect(view.submit).toBeUndefined();
  });

  it('a ticket Komerza cannot find: the modal says so, with no reply box', async () => {
    const deps = depsReading(async () => {
      throw new KomerzaNotFoundError('GET /stores/{storeId}/tickets/{ticketId}', 404, false);
    });
    const run = click({ surface: 'message' });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    const shown = JSON.stringify(run.fake.callsTo('views.update')[0]?.args.view);
    expect(shown).toContain('Komerza could not find that');
    expect(shown).not.toContain('"type":"input"');
  });

  it('a bug while reading the ticket: the modal apologises (it is not left on "Loading…"), the error is logged', async () => {
    const deps = depsReading(async () => {
      throw new TypeError('boom');
    });
    const run = click({ surface: 'message' });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    expect(run.fake.callsTo('views.update')).toHaveLength(1);
    expect(JSON.stringify(run.fake.callsTo('views.update')[0]?.args.view)).not.toContain('Loading');
    expect(deps.logs.join('\n')).toContain('Lookup failed unexpectedly');
  });

  it('a ticket of another customer than the card’s is not shown under this one', async () => {
    const deps = depsReading(async () => ({ ...ticket, customerId: 'a1f3c2d4-2222-4a6b-9c3d-000000000002' }));
    const run = click({ surface: 'message' });
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    expect(JSON.stringify(run.fake.callsTo('views.update')[0]?.args.view)).not.toContain('The box was crushed.');
  });

  it('an expired trigger: nothing is opened, nothing read, the failure logged', async () => {
    let reads = 0;
    const deps = depsReading(async () => {
      reads++;
      return ticket;
    });
    const run = click({ surface: 'message' });
    run.fake.fail('views.open', 'expired_trigger_id');
    deps.triggerClient = run.fake.client;
    await viewTicket(deps)(run.args);
    expect(reads).toBe(0);
    expect(deps.logs.join('\n')).toContain('Could not open the ticket thread');
    // Told, privately, next to the card: nothing happened, click again.
    expect(run.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(run.responses[0])).toContain('The ticket could not be opened');
  });
});
