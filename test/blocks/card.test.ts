import { describe, expect, it } from '@jest/globals';
import { customerCard } from '../../src/blocks/card.js';
import { komerzaErrorMessage, notFoundMessage } from '../../src/blocks/errors.js';
import { helpMessage } from '../../src/blocks/help.js';
import { searchPicker } from '../../src/blocks/picker.js';
import { KomerzaForbiddenError, KomerzaRateLimitedError, KomerzaUnavailableError } from '../../src/komerza/errors.js';
import { type Customer, customerReferenceSchema, customerSchema, storeSchema } from '../../src/komerza/schemas.js';
import type { CustomerProfile, SubscriptionsResult } from '../../src/lookup/profile.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { IDS, sampleStore } from '../support/sample-store.js';

const now = new Date('2026-03-10T12:00:00Z');
const data = sampleStore(now);
const store = storeSchema.parse(data.store);
const customer = (id: string): Customer => customerSchema.parse(data.customers.find((c) => c.id === id));

function profile(
  c: Customer,
  subscriptions: SubscriptionsResult = { kind: 'loaded', items: [], more: false },
): CustomerProfile {
  return { customer: c, store: { kind: 'loaded', store }, subscriptions };
}

const json = (value: unknown) => JSON.stringify(value);

describe('customerCard', () => {
  const card = customerCard(profile(customer(IDS.jane)), { now });

  it('heads with the email and summarises status, tenure and store', () => {
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'jane@example.com', emoji: true },
    });
    const context = json(card.blocks[1]);
    expect(context).toContain('*VIP*');
    expect(context).toContain('customer since <!date^');
    expect(context).toContain('Northwind Goods');
  });

  it('shows spend, average, orders and store credit in the store currency', () => {
    const fields = json(card.blocks.find((b) => b.type === 'section' && 'fields' in b));
    for (const expected of ['$12,345.50', '$205.76', '60', '$25.00']) expect(fields).toContain(expected);
  });

  it('lists open tickets only, those needing a reply first, with the last entry', () => {
    const text = json(card.blocks);
    expect(text).toContain('Open tickets (2)');
    expect(text).toContain('1 needs a reply');
    expect(text).not.toContain('Old question');
    expect(text.indexOf('Order arrived damaged')).toBeLessThan(text.indexOf('Invoice for March'));
    expect(text).toContain('Customer responded · needs reply');
    expect(text).toContain('Jane: Photo attached, thanks.');
    expect(text).toContain('opened 3 days ago');
  });

  it('shows the affiliate and the private details', () => {
    const text = json(card.blocks);
    expect(text).toContain('JANE10');
    expect(text).toContain('10% commission');
    expect(text).toContain('203.0.113.24');
    expect(text).toContain('81234567890123456');
  });

  it('hides the IP, integrations and blocked note when shared', () => {
    const blocked = { ...customer(IDS.jane), isBlocked: true, blockedNote: 'chargeback fraud' };
    const shared = json(customerCard(profile(blocked), { now, audience: 'shared' }).blocks);
    expect(shared).toContain('Blocked');
    expect(shared).not.toContain('203.0.113.24');
    expect(shared).not.toContain('81234567890123456');
    expect(shared).not.toContain('chargeback fraud');
    expect(json(customerCard(profile(blocked), { now }).blocks)).toContain('chargeback fraud');
  });

  it('has a plain fallback text and stays inside Block Kit limits', () => {
    expect(card.text).toBe('Customer jane@example.com: $12,345.50 spent over 60 orders, 2 open tickets');
    expect(blockKitViolations(card as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
  });

  it('orders subscriptions by expiry, flags the near and the expired, notes auto-renew off', () => {
    const items = data.subscriptions.map((s) => ({
      id: s.id,
      product: String(s.productName),
      expiresAt: String(s.currentPeriodEnd),
      autoRenew: Boolean(s.autoRenew),
    }));
    const text = json(customerCard(profile(customer(IDS.bob), { kind: 'loaded', items, more: false }), { now }).blocks);
    const order = ['Add-on storage', 'Pro plan', 'Support plan'].map((name) => text.indexOf(name));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain(':warning: *Add-on storage* — <!date^');
    expect(text).toContain('expired 2 days ago');
    expect(text).toContain(':warning: *Pro plan* — <!date^');
    expect(text).toContain('expires in 3 days');
    expect(text).toContain(':repeat: *Support plan*');
    expect(text).toContain('auto-renew off');
  });

  it('says which scope would show subscriptions when the key lacks it', () => {
    const text = json(
      customerCard(profile(customer(IDS.bob), { kind: 'forbidden', scope: 'stores.subscriptions.view' }), { now })
        .blocks,
    );
    expect(text).toContain('`stores.subscriptions.view`');
  });

  it('escapes hostile Komerza strings and keeps them verbatim', () => {
    const hostile = {
      ...customer(IDS.jane),
      status: '<!here>',
      tickets: [
        {
          id: 't1',
          subject: '<!channel> refund <https://evil.example|click>',
          status: 0,
          entries: [{ message: '<@U12345> & <#C123>', name: '<!subteam^S1>' }],
        },
      ],
    } as Customer;
    const rendered = customerCard(profile(hostile), { now });
    const text = json(rendered);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U12345>|<#C123>|<!subteam|<https:\/\/evil/);
    expect(text).toContain('&lt;!channel&gt;');
    for (const block of rendered.blocks) {
      for (const element of 'elements' in block
        ? (block.elements as Array<{ type: string; verbatim?: boolean }>)
        : []) {
        if (element.type === 'mrkdwn') expect(element.verbatim).toBe(true);
      }
      if (block.type === 'section' && block.text?.type === 'mrkdwn') expect(block.text.verbatim).toBe(true);
    }
  });

  it('truncates many tickets and subscriptions with "and N more"', () => {
    const many = {
      ...customer(IDS.jane),
      tickets: Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, subject: `Ticket ${i}`, status: 0, entries: [] })),
    } as Customer;
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, product: `Plan ${i}` }));
    const rendered = customerCard(profile(many, { kind: 'loaded', items, more: true }), { now });
    const text = json(rendered);
    expect(text).toContain('and 35 more open tickets');
    expect(text).toContain('and 22 more in Komerza');
    expect(blockKitViolations(rendered as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
  });

  it('shows an inactive customer plainly', () => {
    const text = json(customerCard(profile(customer(IDS.quiet)), { now }).blocks);
    expect(text).toContain('None :white_check_mark:');
    expect(text).toContain('$0.00');
  });
});

describe('other messages', () => {
  it('lists several matches with email, spend, orders and status', () => {
    const matches = data.customers.slice(3).map((c) => customerReferenceSchema.parse(c));
    const message = searchPicker({ query: 'alex', matches, page: 1, pages: 1, currency: 'USD', token: undefined });
    const text = json(message);
    expect(text).toContain('Customers matching “alex”');
    expect(text).toContain('*alex.smith@example.com*  ·  $120.00  ·  3 orders  ·  Regular');
    expect(blockKitViolations(message as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
  });

  it('explains not found with what was searched and what to try', () => {
    const text = json(notFoundMessage('<!channel>'));
    expect(text).toContain('No customer found for “&lt;!channel&gt;”');
    expect(text).toContain('full email address');
  });

  it('names the missing scope, the wait, and the outage', () => {
    expect(json(komerzaErrorMessage(new KomerzaForbiddenError('r', 403, 'stores.customers.view')))).toContain(
      '`stores.customers.view`',
    );
    expect(json(komerzaErrorMessage(new KomerzaRateLimitedError('r', 12)))).toContain('Try again in 12 seconds');
    expect(json(komerzaErrorMessage(new KomerzaUnavailableError('r', 'timeout')))).toContain('did not answer in time');
    expect(json(komerzaErrorMessage(new KomerzaUnavailableError('r', 'server_error', 502)))).toContain('HTTP 502');
  });

  it('explains usage', () => {
    expect(json(helpMessage())).toContain('/customer jane@example.com');
  });
});
