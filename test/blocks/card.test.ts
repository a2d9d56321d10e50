import { describe, expect, it } from '@jest/globals';
import { customerCard } from '../../src/blocks/card.js';
import { komerzaErrorMessage, notFoundMessage } from '../../src/blocks/errors.js';
import { helpMessage } from '../../src/blocks/help.js';
import { searchPicker } from '../../src/blocks/picker.js';
import { KomerzaForbiddenError, KomerzaRateLimitedError, KomerzaUnavailableError } from '../../src/komerza/errors.js';
import {
  type Customer,
  customerReferenceSchema,
  customerSchema,
  storeSchema,
  subscriptionSchema,
} from '../../src/komerza/schemas.js';
import type { CustomerProfile, SubscriptionsResult } from '../../src/lookup/profile.js';
import { summariseSubscription } from '../../src/lookup/summaries.js';
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
  return {
    customer: c,
    store: { kind: 'loaded', store },
    subscriptions,
    orders: { kind: 'off' },
    productNames: { kind: 'not_needed' },
  };
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

  it('shows the affiliate, its link as a link, and the private details', () => {
    const text = json(card.blocks);
    expect(text).toContain('link <https://northwind.komerza.com/?ref=JANE10|northwind.komerza.com/?ref=JANE10>');
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

  it('puts what needs attention first: a failed payment, then ending within 7 days, then ended', () => {
    const items = data.subscriptions.map((s) => summariseSubscription(subscriptionSchema.parse(s)));
    const text = json(customerCard(profile(customer(IDS.bob), { kind: 'loaded', items, more: false }), { now }).blocks);
    const order = ['Team plan', 'Pro plan', 'Add-on storage', 'Community access', 'Support plan'].map((name) =>
      text.indexOf(name),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain('*Subscriptions (5)*  ·  3 need attention');
    expect(text).toContain(':x: *Team plan* (5 seats) — *renewal payment failing*, due since <!date^');
    expect(text).toContain('*2 failed payments*, last <!date^');
    expect(text).toMatch(/next retry <!date\^\d+\^\{date_short\}\|[\d-]+ UTC> \(in 2 days\)/);
    expect(text).toContain(':warning: *Pro plan* (Monthly) — active, renews <!date^');
    expect(text).toContain('$19.00 / month');
    expect(text).toContain(':hourglass_flowing_sand: *Community access* — *cancelling*, ends <!date^');
    expect(text).toContain(':warning: *Add-on storage* — expired <!date^');
    expect(text).toContain('(2 days ago)');
    expect(text).toContain(':repeat: *Support plan* — active until <!date^');
    expect(text).toContain('_auto-renew off_');
    expect(text).toContain('$9.00 / year');
    // Komerza's status values have no published names: shown as sent, next to the state read from the dates.
    expect(text).toContain('_Komerza status 3_');
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
    expect(text).toContain('*Subscriptions (30+)*');
    expect(text).toContain('and 22 more in Komerza (more than the app read)');
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

describe('customerCard: store flags, orders, product names, links', () => {
  const jane = customer(IDS.jane);
  const orders = [
    {
      id: 'c0ffee00-aaaa-4bbb-8ccc-000000000101',
      createdAt: '2026-03-06T10:00:00Z',
      status: 'Delivered',
      amount: 59.9,
      currency: 'EUR',
      items: [
        { product: 'Sticker pack', quantity: 2 },
        { product: 'Gift card', quantity: 1 },
        { productId: '9f000000-0000-4000-8000-0000000000aa' },
        { product: 'Fourth thing' },
      ],
    },
    { id: '7d3f2a10-aaaa-4bbb-8ccc-000000000102', createdAt: '2026-02-01T10:00:00Z', status: 'Pending', items: [] },
  ];
  const withOrders = (over: Partial<CustomerProfile> = {}): CustomerProfile => ({
    ...profile(jane),
    orders: { kind: 'loaded', items: orders, more: 3, morePages: false },
    ...over,
  });
  const text = (p: CustomerProfile) => json(customerCard(p, { now }));

  it('leaves out store credit where the store has no customer balances', () => {
    const off = {
      ...profile(jane),
      store: { kind: 'loaded' as const, store: { ...store, isCustomerBalanceEnabled: false } },
    };
    expect(text(off)).not.toContain('Store credit');
    expect(text(profile(jane))).toContain('Store credit');
  });

  it('says ticketing is off instead of "None" where the store has it turned off', () => {
    const off = {
      ...profile(customer(IDS.quiet)),
      store: { kind: 'loaded' as const, store: { ...store, isTicketingEnabled: false } },
    };
    expect(text(off)).toContain('Ticketing is turned off for this store.');
    expect(text(off)).not.toContain('None :white_check_mark:');
  });

  it('counts each open ticket’s messages and says when the last one came', () => {
    const shown = text(profile(jane));
    expect(shown).toContain('3 messages, last 1 day ago');
    expect(shown).toContain('1 message, last 9 days ago');
  });

  it('lists recent orders with date, amount in their currency, status, products and short id, then "and N more"', () => {
    const shown = text(withOrders());
    expect(shown).toContain('*Recent orders*');
    expect(shown).toContain(
      '€59.90  ·  *Delivered*  ·  Sticker pack ×2, Gift card, _unknown product_ +1 more  ·  `c0ffee00`',
    );
    expect(shown).toContain('*Pending*  ·  `7d3f2a10`');
    expect(shown).toContain('_and 3 more in Komerza_');
    expect(shown.indexOf('c0ffee00')).toBeLessThan(shown.indexOf('7d3f2a10'));
    expect(shown).not.toContain('9f000000-0000-4000-8000-0000000000aa');
  });

  it('marks the looked-up order and shows delivery, refund and chargeback', () => {
    const order = {
      ...orders[0],
      id: 'c0ffee00-aaaa-4bbb-8ccc-000000000101',
      items: orders[0]?.items ?? [],
      deliveredItems: 0,
      refund: { amount: 20, reason: 'duplicate' },
      chargeback: { status: 'Won', reason: 'Fraudulent' },
    };
    const shown = text(withOrders({ order }));
    expect(shown).toContain(':mag_right: *Looked up:* ');
    expect(shown).toContain(':hourglass_flowing_sand: not delivered yet');
    expect(shown).toContain('*refunded* €20.00 (duplicate)');
    expect(shown).toContain('*chargeback* Won (Fraudulent)');
    // Marked in place, not listed twice.
    expect(shown.match(/c0ffee00/g)).toHaveLength(1);
    const delivered = text(
      withOrders({ order: { ...order, deliveredItems: 2, refund: undefined, chargeback: undefined } }),
    );
    expect(delivered).toContain(':white_check_mark: delivered (2 items)  ·  not refunded  ·  no chargeback');
    // An order older than the recent ones is shown on its own, above them; with the section off, alone.
    const older = { ...order, id: '11111111-aaaa-4bbb-8ccc-000000000001' };
    expect(text(withOrders({ order: older }))).toMatch(/Looked up:.*`11111111`.*c0ffee00/);
    const alone = text({ ...profile(jane), order: older });
    expect(alone).toContain('*Looked-up order*');
    expect(alone).not.toContain('Recent orders');
  });

  it('says why orders are missing: scope, route unavailable, plan, hiccup; and nothing at all when turned off', () => {
    expect(text(withOrders({ orders: { kind: 'forbidden', scope: 'stores.orders.view' } }))).toContain(
      '`stores.orders.view` scope to read orders',
    );
    expect(text(withOrders({ orders: { kind: 'unavailable' } }))).toContain(
      'Unavailable: Komerza did not serve the orders',
    );
    expect(
      text(withOrders({ orders: { kind: 'failed', error: 'feature_unavailable', code: 'UpgradeRequired' } })),
    ).toContain("the store's plan or account does not include it (`UpgradeRequired`)");
    expect(text(withOrders({ orders: { kind: 'failed', error: 'unavailable' } }))).toContain('Could not be loaded');
    expect(text(withOrders({ orders: { kind: 'loaded', items: [], more: 0, morePages: false } }))).toContain(
      '*Recent orders*\\nNone',
    );
    expect(text(profile(jane))).not.toContain('Recent orders');
  });

  it('"unavailable" subscriptions are not "None", and more pages than read are said', () => {
    const unavailable = text(profile(jane, { kind: 'unavailable' }));
    expect(unavailable).toContain('Unavailable: Komerza did not serve the subscriptions list');
    expect(unavailable).not.toContain('*Subscriptions*\\nNone');
    expect(text(profile(jane, { kind: 'loaded', items: [], more: false }))).toContain('*Subscriptions*\\nNone');
    expect(text(profile(jane, { kind: 'loaded', items: [], more: true }))).toContain('_More in Komerza_');
  });

  it('never shows a product id as a product name, and says which scope would show the names', () => {
    const items = [{ id: 's1', productId: '3c90c3cc-0d44-4b50-8888-8dd25736052a', expiresAt: '2026-04-01T00:00:00Z' }];
    const hidden = text({
      ...profile(jane, { kind: 'loaded', items, more: false }),
      productNames: { kind: 'forbidden', scope: 'stores.products.view' },
    });
    expect(hidden).not.toContain('3c90c3cc');
    expect(hidden).toContain('_product name hidden_');
    expect(hidden).toContain(
      "Product names are hidden: the app's Komerza API key needs the `stores.products.view` scope",
    );
    const failed = text({
      ...profile(jane, { kind: 'loaded', items, more: false }),
      productNames: { kind: 'failed', error: 'unavailable' },
    });
    expect(failed).toContain('_product name unavailable_');
    expect(failed).toContain('Product names could not be loaded');
    const unknown = text({
      ...profile(jane, { kind: 'loaded', items, more: false }),
      productNames: { kind: 'loaded' },
    });
    expect(unknown).toContain('_unknown product_');
    expect(unknown).not.toContain('3c90c3cc');
  });

  it('makes an affiliate link a link only when it is a clean http(s) URL; anything else is plain text', () => {
    const withLink = (link: string) => text({ ...profile({ ...jane, affiliate: { ...jane.affiliate, link } }) });
    expect(withLink('https://shop.example/r?a=1&b=2|x')).toContain(
      '<https://shop.example/r?a=1&amp;b=2%7Cx|shop.example/r?a=1&amp;b=2%7Cx>',
    );
    for (const bad of [
      'JANE10',
      'javascript:alert(1)',
      'https://user:pw@evil.example/',
      'https://evil.example|Refund',
      'ftp://x.example/',
    ]) {
      const shown = withLink(bad);
      expect(shown).not.toMatch(/link <(?!!date)/);
    }
    expect(withLink('JANE10')).toContain('link JANE10');
    expect(withLink('<https://evil.example|Refund>')).toContain('link &lt;https://evil.example|Refund&gt;');
  });
});
