import { describe, expect, it } from '@jest/globals';
import type { ActionsBlock, Button, KnownBlock, ModalView } from '@slack/types';
import fc from 'fast-check';
import { answerMessage, answerModal } from '../../src/blocks/answer.js';
import { customerCard, MAX_TICKETS_SHOWN } from '../../src/blocks/card.js';
import { type TicketActions, ticketActionsBlock } from '../../src/blocks/ticket-actions.js';
import { type Customer, customerSchema, storeSchema, type Ticket } from '../../src/komerza/schemas.js';
import type { CustomerProfile } from '../../src/lookup/profile.js';
import { ACTIONS, BLOCKS } from '../../src/slack/ids.js';
import { ticketButton } from '../../src/slack/values.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { hostileOption } from '../support/hostile.js';
import { injectionProblems } from '../support/no-injection.js';
import { IDS, sampleStore } from '../support/sample-store.js';

const now = new Date('2026-03-10T12:00:00Z');
const TICKET_ID = 'b0000000-0000-4000-8000-000000000001';
const ORDER_ID = 'c0ffee00-aaaa-4bbb-8ccc-000000000101';
const BOTH: TicketActions = { reply: true, close: true };

const open = (over: Partial<Ticket> = {}): Ticket => ({
  id: TICKET_ID,
  subject: 'Order arrived damaged',
  status: 4,
  ...over,
});
const buttons = (block: ActionsBlock | undefined) => (block?.elements ?? []) as Button[];
const asMessage = (blocks: KnownBlock[]) => ({ text: 'card', blocks }) as unknown as Record<string, unknown>;

describe('ticketActionsBlock', () => {
  it('offers View & reply and Close ticket, with the confirmation dialog, in a block of its own', () => {
    const block = ticketActionsBlock(open(), 2, { customerId: IDS.jane }, BOTH);
    expect(block?.block_id).toBe(`${BLOCKS.ticketActions}_2`);
    const [view, close] = buttons(block);
    expect(view).toMatchObject({ action_id: ACTIONS.ticketView, text: { type: 'plain_text', text: 'View & reply' } });
    expect(view?.style).toBeUndefined();
    expect(close).toMatchObject({
      action_id: ACTIONS.ticketClose,
      text: { type: 'plain_text', text: 'Close ticket' },
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Close this ticket?' },
        text: {
          type: 'plain_text',
          text: "Close ticket 'Order arrived damaged'? The customer is not notified by this app.",
        },
        confirm: { type: 'plain_text', text: 'Close ticket' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
    expect(blockKitViolations(asMessage(block ? [block] : []), { surface: 'message' })).toEqual([]);
  });

  it('carries the ticket, its customer and the marked order in values ticketButton decodes', () => {
    const block = ticketActionsBlock(open(), 0, { customerId: IDS.jane, orderId: ORDER_ID }, BOTH);
    for (const button of buttons(block)) {
      expect(ticketButton.decode(button.value ?? '')).toEqual({
        customerId: IDS.jane,
        ticketId: TICKET_ID,
        orderId: ORDER_ID,
      });
    }
    // An order id that is not a UUID costs only the mark.
    const unmarked = ticketActionsBlock(open(), 0, { customerId: IDS.jane, orderId: '<!channel>' }, BOTH);
    expect(buttons(unmarked)).toHaveLength(2);
    expect(ticketButton.decode(buttons(unmarked)[0]?.value ?? '')).toEqual({
      customerId: IDS.jane,
      ticketId: TICKET_ID,
    });
  });

  it('offers only what the person may do: View thread to read what they may close', () => {
    const labels = (allowed: TicketActions) =>
      buttons(ticketActionsBlock(open(), 0, { customerId: IDS.jane }, allowed)).map((b) => b.text.text);
    expect(labels({ reply: true, close: false })).toEqual(['View & reply']);
    expect(labels({ reply: false, close: true })).toEqual(['View thread', 'Close ticket']);
    expect(ticketActionsBlock(open(), 0, { customerId: IDS.jane }, { reply: false, close: false })).toBeUndefined();
  });

  it('offers nothing for ids that are not UUIDs, or a ticket that is no longer open', () => {
    expect(ticketActionsBlock(open({ id: 't1' }), 0, { customerId: IDS.jane }, BOTH)).toBeUndefined();
    expect(ticketActionsBlock(open(), 0, { customerId: '<!channel>' }, BOTH)).toBeUndefined();
    for (const status of [1, 2]) {
      expect(ticketActionsBlock(open({ status }), 0, { customerId: IDS.jane }, BOTH)).toBeUndefined();
    }
  });

  it('keeps the dialog within Slack’s limits whatever the subject', () => {
    const dialogOf = (subject: string | null | undefined) =>
      buttons(ticketActionsBlock(open({ subject }), 0, { customerId: IDS.jane }, BOTH))[1]?.confirm;
    const long = dialogOf('<!channel> refund '.repeat(600));
    expect(long?.text.text.length).toBeLessThanOrEqual(300);
    expect(long?.text.text).toMatch(
      /^Close ticket '<!channel> refund .*…'\? The customer is not notified by this app\.$/,
    );
    expect(dialogOf(null)?.text.text).toBe("Close ticket '(no subject)'? The customer is not notified by this app.");
    fc.assert(
      fc.property(hostileOption, (subject) => {
        const dialog = dialogOf(subject);
        expect(dialog?.text.type).toBe('plain_text');
        expect(dialog?.text.text.length).toBeLessThanOrEqual(300);
        expect((dialog?.title?.text.length ?? 0) <= 100 && (dialog?.confirm?.text.length ?? 0) <= 30).toBe(true);
        expect((dialog?.deny?.text.length ?? 0) <= 30).toBe(true);
        expect(injectionProblems(dialog)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ticket buttons on the card', () => {
  const data = sampleStore(now);
  const jane = customerSchema.parse(data.customers.find((c) => c.id === IDS.jane));
  const profile = (customer: Customer): CustomerProfile => ({
    customer,
    store: { kind: 'loaded', store: storeSchema.parse(data.store) },
    subscriptions: { kind: 'loaded', items: [], more: false },
    orders: { kind: 'off' },
    productNames: { kind: 'not_needed' },
  });
  const ticketBlocks = (blocks: ModalView['blocks']) =>
    (blocks as KnownBlock[]).filter(
      (b): b is ActionsBlock => b.type === 'actions' && Boolean(b.block_id?.startsWith(BLOCKS.ticketActions)),
    );

  it('puts each open ticket’s buttons right under it', () => {
    const card = customerCard(profile(jane), { now, ticketActions: BOTH });
    const actions = ticketBlocks(card.blocks);
    expect(actions.map((b) => b.block_id)).toEqual([`${BLOCKS.ticketActions}_0`, `${BLOCKS.ticketActions}_1`]);
    // Damaged (needs a reply) is listed first; each actions block follows its ticket's section.
    const ids = actions.map((b) => ticketButton.decode(buttons(b)[0]?.value ?? '').ticketId);
    expect(ids).toEqual(['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002']);
    for (const block of actions) {
      const above = card.blocks[card.blocks.indexOf(block) - 1];
      expect(above?.type).toBe('section');
    }
    expect(JSON.stringify(card.blocks[card.blocks.indexOf(actions[0] as ActionsBlock) - 1])).toContain(
      'Order arrived damaged',
    );
    expect(blockKitViolations(card as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
    expect(ticketBlocks(customerCard(profile(jane), { now }).blocks)).toEqual([]);
  });

  it('marks the looked-up order in the buttons', () => {
    const withOrder = { ...profile(jane), order: { id: ORDER_ID, items: [] } };
    const [first] = ticketBlocks(customerCard(withOrder, { now, ticketActions: BOTH }).blocks);
    expect(ticketButton.decode(buttons(first)[0]?.value ?? '').orderId).toBe(ORDER_ID);
  });

  it('never gives a shared card ticket buttons, whatever is passed', () => {
    const shared = customerCard(profile(jane), { now, audience: 'shared', ticketActions: BOTH });
    expect(ticketBlocks(shared.blocks)).toEqual([]);
    const result = { kind: 'card' as const, profile: profile(jane) };
    const view = { now, showIpAddress: true, dashboardUrl: () => undefined, tickets: BOTH };
    expect(ticketBlocks(answerMessage(result, { ...view, audience: 'shared' }).blocks)).toEqual([]);
    expect(ticketBlocks(answerMessage(result, { ...view, audience: 'private' }).blocks)).toHaveLength(2);
    const modal = answerModal(result, { ...view, audience: 'private' }, 'meta');
    expect(ticketBlocks(modal.blocks)).toHaveLength(2);
    expect(blockKitViolations(modal as unknown as Record<string, unknown>, { surface: 'modal' })).toEqual([]);
  });

  it('stays within the card’s block budget with many open tickets', () => {
    const tickets = Array.from({ length: 40 }, (_, i) => ({
      id: `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      subject: `Ticket ${i}`,
      status: 0,
      entries: [],
    }));
    const withOrders: CustomerProfile = {
      ...profile({ ...jane, tickets, isBlocked: true }),
      orders: { kind: 'loaded', items: [], more: 0, morePages: false },
    };
    const card = customerCard(withOrders, { now, ticketActions: BOTH, alert: 'alert', banner: 'banner' });
    expect(ticketBlocks(card.blocks)).toHaveLength(MAX_TICKETS_SHOWN);
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitViolations(card as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
  });
});
