import { describe, expect, it } from '@jest/globals';
import { createWriteAccess } from '../../../src/access/write-access.js';
import { ticketFromButton } from '../../../src/listeners/middleware/ticket-button.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { ticketButton } from '../../../src/slack/values.js';
import { createTicketOffer } from '../../../src/tickets/offer.js';
import { clickArgs, fakeDeps, type TestDeps } from '../../support/listener-kit.js';

const CUSTOMER = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';
const TICKET = 'b0000000-0000-4000-8000-000000000001';
const value = ticketButton.encode({ customerId: CUSTOMER, ticketId: TICKET });

function depsWith(setting: 'off' | 'reply' | 'reply_and_close', writers?: string[]): TestDeps {
  const deps = fakeDeps();
  deps.tickets = {
    ...deps.tickets,
    offer: createTicketOffer(setting),
    writeAccess: createWriteAccess({ userIds: writers ? new Set(writers) : undefined }),
  };
  return deps;
}

const audits = (deps: TestDeps) =>
  deps.logs.filter((line) => line.includes('"ticket_write"')).map((l) => JSON.parse(l));

describe('ticket button middleware', () => {
  it('puts the decoded ticket on the context and lets a writer through', async () => {
    const deps = depsWith('reply_and_close');
    const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketClose, value }, { surface: 'message' });
    await ticketFromButton(deps, 'close')(run.args);
    expect(run.args.context.ticket).toEqual({ customerId: CUSTOMER, ticketId: TICKET });
    expect(run.nextCalled()).toBe(true);
    expect(run.acks).toEqual([]);
  });

  it('refuses, privately and audited, someone who may not write: nothing goes further', async () => {
    const deps = depsWith('reply_and_close', ['U0LEAD']);
    const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketClose, value }, { surface: 'message' });
    await ticketFromButton(deps, 'close')(run.args);
    expect(run.nextCalled()).toBe(false);
    expect(run.acks).toHaveLength(1);
    expect(JSON.stringify(run.responses)).toContain('not close tickets from Slack');
    expect(run.responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(audits(deps)).toEqual([
      expect.objectContaining({ action: 'close', user: 'U0AGENT', ticketId: TICKET, outcome: 'refused' }),
    ]);
  });

  it('opening a thread: for whoever may reply or close; a refusal is logged as access_denied, not as a write', async () => {
    const closeOnly = depsWith('reply_and_close');
    closeOnly.tickets.offer.lost('stores.tickets.update');
    const allowed = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketView, value }, { surface: 'message' });
    await ticketFromButton(closeOnly, 'view')(allowed.args);
    expect(allowed.nextCalled()).toBe(true);

    const deps = depsWith('reply', ['U0LEAD']);
    const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketView, value }, { surface: 'message' });
    await ticketFromButton(deps, 'view')(run.args);
    expect(run.nextCalled()).toBe(false);
    expect(JSON.stringify(run.responses)).toContain('not open ticket threads from Slack');
    expect(audits(deps)).toEqual([]);
    expect(deps.logs.join('\n')).toContain('"event":"access_denied"');
  });

  it('refuses a button from a card drawn before the setting was turned off (pushed over a modal it came from)', async () => {
    const deps = depsWith('reply');
    const run = clickArgs<ButtonArgs>({ action_id: ACTIONS.ticketClose, value }, { surface: 'modal', view: {} });
    deps.triggerClient = run.fake.client;
    await ticketFromButton(deps, 'close')(run.args);
    expect(run.nextCalled()).toBe(false);
    const pushed = run.fake.callsTo('views.push');
    expect(pushed).toHaveLength(1);
    expect(JSON.stringify(pushed[0]?.args)).toContain('does not close tickets right now');
  });

  it('acknowledges and drops a value this app did not write', async () => {
    const deps = depsWith('reply');
    const run = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.ticketView, value: '{"c":"jane@example.com","t":"x"}' },
      { surface: 'message' },
    );
    await ticketFromButton(deps, 'view')(run.args);
    expect(run.acks).toHaveLength(1);
    expect(run.nextCalled()).toBe(false);
    expect(deps.logs.join('\n')).toContain('a value this app did not write');
    expect(deps.logs.join('\n')).not.toContain('jane@example.com');
  });
});
