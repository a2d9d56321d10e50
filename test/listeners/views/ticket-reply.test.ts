import { describe, expect, it } from '@jest/globals';
import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { KomerzaForbiddenError, KomerzaUnavailableError } from '../../../src/komerza/errors.js';
import type { Ticket } from '../../../src/komerza/schemas.js';
import { sendReply } from '../../../src/listeners/views/ticket-reply.js';
import { BLOCKS, INPUTS, TICKET_VIEW } from '../../../src/slack/ids.js';
import { ticketModal } from '../../../src/slack/values.js';
import { createTicketOffer } from '../../../src/tickets/offer.js';
import { fakeDeps, type TestDeps, viewSubmissionArgs } from '../../support/listener-kit.js';

const CUSTOMER = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';
const TICKET = 'b0000000-0000-4000-8000-000000000001';
type Args = SlackViewMiddlewareArgs<ViewSubmitAction>;

const ticket = (messages: string[]): Ticket => ({
  id: TICKET,
  customerId: CUSTOMER,
  subject: 'Order arrived damaged',
  status: messages.length > 1 ? 3 : 4,
  emailAddress: 'jane@example.com',
  dateCreated: '2026-11-20T10:00:00Z',
  entries: messages.map((message, i) => ({
    id: `e${i}`,
    message,
    name: i ? 'Support' : 'Jane',
    dateCreated: `2026-11-2${i}T10:00:00Z`,
  })),
});

/** Deps whose Komerza holds one ticket; `put` decides what a reply does. */
function depsWith(put: (message: string) => Promise<void>): TestDeps & { puts: string[] } {
  const deps = fakeDeps();
  const messages = ['The box was crushed.'];
  const puts: string[] = [];
  deps.tickets = {
    ...deps.tickets,
    offer: createTicketOffer('reply'),
    komerza: {
      getTicket: async () => ticket(messages),
      replyToTicket: async (_id, message) => {
        puts.push(message);
        await put(message);
        messages.push(message);
        return undefined;
      },
      closeTicket: async () => undefined,
    },
  };
  return Object.assign(deps, { puts });
}

function submission(reply: string | null, nonce = 'nonce-0001') {
  const metadata = ticketModal.encode({ ticketId: TICKET, customerId: CUSTOMER, nonce, channel: 'C0SUPPORT' });
  const view = {
    callback_id: TICKET_VIEW,
    private_metadata: metadata,
    blocks: [{ type: 'input', block_id: BLOCKS.ticketReply, element: { type: 'plain_text_input' } }],
  };
  return viewSubmissionArgs<Args>(view, {
    [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: { type: 'plain_text_input', value: reply } },
  });
}

const updatedView = (run: ReturnType<typeof submission>) =>
  JSON.stringify(run.fake.callsTo('views.update').at(-1)?.args.view);

describe('Send reply (the thread modal’s submission)', () => {
  it('acks with "Sending…" at once, sends one PUT with the text as typed, then shows the thread with the reply', async () => {
    const deps = depsWith(async () => undefined);
    const run = submission('  Hello Jane,\n a new one ships today.  ');
    await sendReply(deps)(run.args as never);
    expect(run.acks).toHaveLength(1);
    expect(JSON.stringify(run.acks[0])).toContain('Sending your reply');
    expect(run.acks[0]).not.toHaveProperty('view.submit');
    expect(deps.puts).toEqual(['  Hello Jane,\n a new one ships today.  ']);
    expect(updatedView(run)).toContain('Reply sent');
    expect(updatedView(run)).toContain('a new one ships today.');
    const shown = run.fake.callsTo('views.update').at(-1)?.args.view as { private_metadata?: string } | undefined;
    // A new view of the reply box: a second, deliberate reply from it is not taken for this one sent again.
    expect(ticketModal.decode(shown?.private_metadata ?? '').nonce).not.toBe('nonce-0001');
  });

  it('refuses an empty reply with an input error, sending nothing', async () => {
    const deps = depsWith(async () => undefined);
    const run = submission('   ');
    await sendReply(deps)(run.args as never);
    expect(run.acks).toEqual([{ response_action: 'errors', errors: { [BLOCKS.ticketReply]: expect.any(String) } }]);
    expect(deps.puts).toEqual([]);
  });

  it('the same view submitted again is refused in the modal: one PUT', async () => {
    const deps = depsWith(async () => undefined);
    await sendReply(deps)(submission('Once').args as never);
    const again = submission('Once');
    await sendReply(deps)(again.args as never);
    expect(JSON.stringify(again.acks[0])).toContain('already sent');
    expect(deps.puts).toEqual(['Once']);
  });

  it('a timeout: one PUT, "may or may not have been sent", the text kept, the key kept (no second send)', async () => {
    const deps = depsWith(async () => {
      throw new KomerzaUnavailableError('PUT /stores/{storeId}/tickets/{ticketId}', 'timeout');
    });
    const run = submission('Did it arrive?');
    await sendReply(deps)(run.args as never);
    expect(updatedView(run)).toContain('may or may not have been sent');
    expect(updatedView(run)).toContain('"initial_value":"Did it arrive?"');
    const again = submission('Did it arrive?');
    await sendReply(deps)(again.args as never);
    expect(JSON.stringify(again.acks[0])).toContain('already sent');
    expect(deps.puts).toHaveLength(1);
    expect(deps.logs.join('\n')).not.toContain('Did it arrive');
  });

  it('a 403: says why, keeps the text, frees the view to try again, and stops offering replies', async () => {
    let fail = true;
    const deps = depsWith(async () => {
      if (fail)
        throw new KomerzaForbiddenError('PUT /stores/{storeId}/tickets/{ticketId}', 403, 'stores.tickets.update');
    });
    const run = submission('Try me');
    await sendReply(deps)(run.args as never);
    expect(updatedView(run)).toContain('was not sent');
    expect(updatedView(run)).toContain('"initial_value":"Try me"');
    expect(deps.tickets.offer.actions().reply).toBe(false);
    fail = false;
    deps.tickets.offer = createTicketOffer('reply');
    const again = submission('Try me');
    await sendReply(deps)(again.args as never);
    expect(deps.puts).toEqual(['Try me', 'Try me']);
  });

  it('sends nothing while the guard cannot promise "once" (Redis away)', async () => {
    const deps = depsWith(async () => undefined);
    deps.tickets.guard = { claim: async () => 'unavailable', release: async () => undefined };
    const run = submission('Hello');
    await sendReply(deps)(run.args as never);
    expect(JSON.stringify(run.acks[0])).toContain('cannot make sure it is sent only once');
    expect(deps.puts).toEqual([]);
  });

  it('metadata this app did not write: refused in the modal', async () => {
    const deps = depsWith(async () => undefined);
    const run = viewSubmissionArgs<Args>({ callback_id: TICKET_VIEW, private_metadata: '{"t":"x"}', blocks: [] }, {});
    await sendReply(deps)(run.args as never);
    expect(JSON.stringify(run.acks[0])).toContain('out of date');
    expect(deps.puts).toEqual([]);
  });
});
