import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { ALL_SCOPES, FAKE_API_KEY, problemBody } from '../support/fake-komerza.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { assertNoInjection } from '../support/no-injection.js';
import { IDS } from '../support/sample-store.js';
import { button } from '../support/slack-payloads.js';

/**
 * Issue 10 end to end: `/customer` against a fake Komerza that answers in each shape its documentation allows (the
 * documented customer, `data: null`, JSON as text/plain, ASP.NET problem bodies, 403s that are not about a scope)
 * and with each thing a support agent asks about next (recent orders, the looked-up order, subscription state,
 * tickets), over HTTP and over Socket Mode.
 */

type Json = Record<string, unknown>;

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ mode, env: { LOOKUPS_PER_USER_PER_MINUTE: '0' } });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    t.komerza.clearFaults();
    t.komerza.options.scopes = ALL_SCOPES;
    t.komerza.options.apiKey = FAKE_API_KEY;
    t.komerza.options.emailRoute = 'present';
    t.komerza.options.jsonContentType = 'application/json; charset=utf-8';
  });

  async function lookup(query: string): Promise<{ post: Json; text: string }> {
    const ack = await t.command(query);
    expect(ack.status).toBe(200);
    const post = await t.slack.waitForPost(ack.responseId);
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    assertNoInjection(post);
    return { post, text: JSON.stringify(post) };
  }

  /** The text of the card's section that starts with `heading`. */
  function section(post: Json, heading: string): string {
    const blocks = post.blocks as Array<{ type: string; text?: { text: string } }>;
    return blocks.find((b) => b.type === 'section' && b.text?.text.startsWith(heading))?.text?.text ?? '';
  }

  describe('the documented customer shape', () => {
    it('shows the embedded subscriptions by product name, with dates read as UTC, and no product id', async () => {
      const { post, text } = await lookup('dana@example.net');
      const subscriptions = section(post, '*Subscriptions');
      expect(subscriptions).toContain('*Subscriptions (2)*');
      expect(subscriptions).toMatch(/:repeat: \*Community access\* — active until <!date\^\d+\^\{date_short\}\|/);
      expect(subscriptions).toMatch(
        /:warning: \*Starter kit\* — expired <!date\^\d+\^\{date_short\}\|[\d-]+ UTC> \(35 days ago\)/,
      );
      expect(text).not.toContain('9f000000-0000-4000-8000-000000000007');
      expect(text).not.toContain('3c90c3cc');
      // Dana's dates carry no offset: "customer since" is the UTC day, whatever the server's zone.
      const dana = t.komerza.data.customers.find((c) => c.id === IDS.dana);
      const since = Math.floor(Date.parse(`${String(dana?.dateCreated)}Z`) / 1000);
      expect(text).toContain(`customer since <!date^${since}^{date_short}|`);
      expect(t.komerza.callsTo('/products/all').length).toBeGreaterThan(0);
    });

    it('without stores.products.view, says which scope would show product names', async () => {
      // An app of its own: the product list is cached for as long as the store, so the shared app already has it.
      const app = await startTestApp({
        mode,
        komerza: { scopes: ALL_SCOPES.filter((s) => s !== 'stores.products.view') },
      });
      try {
        const ack = await app.command('dana@example.net');
        const post = await app.slack.waitForPost(ack.responseId);
        const text = JSON.stringify(post);
        expect(text).toContain('_product name hidden_');
        expect(text).toContain('needs the `stores.products.view` scope to show them');
        expect(text).not.toMatch(/9f000000|3c90c3cc/);
        assertNoInjection(post);
      } finally {
        await app.stop();
      }
    });

    it('shows the affiliate link as a link', async () => {
      const { text } = await lookup('dana@example.net');
      expect(text).toContain('link <https://northwind.komerza.com/?ref=DANA|northwind.komerza.com/?ref=DANA>');
    });
  });

  describe('what the documentation allows Komerza to answer', () => {
    it('`200` with `data: null` from the email route falls back to the list filter, as a 404 does', async () => {
      t.komerza.options.emailRoute = 'data_null';
      t.komerza.addFault({
        path: '/customers/bob@example.org/email',
        fault: { kind: 'status', status: 200, body: { success: true, message: null, code: null, data: null } },
      });
      const before = t.komerza.calls.length;
      const { text } = await lookup('bob@example.org');
      expect(text).toContain('"text":"bob@example.org"');
      expect(t.komerza.calls.slice(before).some((c) => c.path.endsWith('/customers') && c.query.get('email'))).toBe(
        true,
      );
      expect((await lookup('nobody@example.com')).text).toContain('No customer found for “nobody@example.com”');
    });

    it('JSON sent as text/plain is read like JSON', async () => {
      t.komerza.options.jsonContentType = 'text/plain; charset=utf-8';
      const { text } = await lookup('riley@example.com');
      expect(text).toContain('Team plan');
      expect(text).toContain('*Recent orders*');
    });

    it('an ASP.NET problem body is answered by its status, and never quoted', async () => {
      t.komerza.addFault({
        path: '/email',
        fault: {
          kind: 'status',
          status: 400,
          body: problemBody(400, { email: ['bad'] }),
          contentType: 'application/problem+json',
        },
      });
      const { text } = await lookup('jane@example.com');
      expect(text).toContain('Komerza refused this lookup');
      expect(text).not.toMatch(/validation errors|traceId|rfc9110/);
    });

    it('a 403 that is not about a scope gets its own message, not "missing scope"', async () => {
      t.komerza.addFault({
        path: '/email',
        fault: {
          kind: 'status',
          status: 403,
          body: { success: false, code: 'UpgradeRequired', message: 'Upgrade', data: null },
        },
      });
      const { text } = await lookup('jane@example.com');
      expect(text).toContain('The Komerza store’s plan does not include this (`UpgradeRequired`)');
      expect(text).toContain('This is not about the API key’s scopes');
      expect(text).not.toMatch(/lacks the|scope to read/);
    });

    it('a JSON 403 FeatureUnavailable on the orders list leaves the card, saying orders are not available', async () => {
      t.komerza.addFault({
        path: /\/orders$/,
        fault: { kind: 'status', status: 403, body: { success: false, code: 'FeatureUnavailable', data: null } },
      });
      const { post } = await lookup('riley@example.com');
      expect(section(post, '*Recent orders*')).toContain(
        "Not available: Komerza says the store's plan or account does not include it (`FeatureUnavailable`).",
      );
    });

    it('a 404 from /subscriptions is "unavailable", not "None"', async () => {
      t.komerza.addFault({
        path: '/subscriptions',
        fault: { kind: 'status', status: 404, body: { success: false, code: 'NotFound', message: 'x', data: null } },
      });
      const { post } = await lookup('bob@example.org');
      const subscriptions = section(post, '*Subscriptions');
      expect(subscriptions).toContain('Unavailable: Komerza did not serve the subscriptions list');
      expect(subscriptions).not.toContain('None');
    });

    it('says so when Komerza has more pages of subscriptions than the card read', async () => {
      for (let i = 0; i < 60; i++) {
        t.komerza.data.subscriptions.push({
          id: `d2000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          customerId: IDS.alex1,
          customerEmail: 'alex.smith@example.com',
          productName: `Plan ${i}`,
          currentPeriodEnd: new Date(Date.now() + (i + 10) * 86_400_000).toISOString(),
        });
      }
      try {
        const { post } = await lookup(IDS.alex1);
        const subscriptions = section(post, '*Subscriptions');
        expect(subscriptions).toContain('*Subscriptions (50+)*');
        expect(subscriptions).toContain('_and 42 more in Komerza (more than the app read)_');
      } finally {
        t.komerza.data.subscriptions = t.komerza.data.subscriptions.filter((s) => s.customerId !== IDS.alex1);
      }
    });
  });

  describe('what a support agent asks about next', () => {
    it('recent orders: newest first, this customer’s only, amount, status, products, short id, and "and N more"', async () => {
      const { post } = await lookup('riley@example.com');
      const orders = section(post, '*Recent orders*');
      const lines = orders.split('\n').slice(1);
      expect(lines).toHaveLength(6);
      expect(lines[0]).toMatch(
        /^• <!date\^\d+\^\{date_short\}\|[\d-]+ UTC> {2}· {2}\$29\.00 {2}· {2}\*Pending\* {2}· {2}Team plan {2}· {2}`e4b2c901`$/,
      );
      expect(lines[1]).toContain('$19.90  ·  *Delivered*  ·  Sticker pack ×2  ·  `b7d41a5c`');
      expect(lines[5]).toBe('_and 2 more in Komerza_');
      // A guest whose address merely contains Riley's is not Riley.
      expect(orders).not.toContain('ffee1234');
    });

    it('a lookup by order id marks that order and shows delivery, refund and chargeback; Refresh keeps the mark', async () => {
      const { post } = await lookup(IDS.rileyRefundedOrder);
      const orders = section(post, '*Recent orders*');
      expect(orders).toContain(':mag_right: *Looked up:* ');
      expect(orders).toContain('`a9d8e7f6`');
      expect(orders).toContain(':white_check_mark: delivered (1 item)');
      expect(orders).toContain('*refunded* $190.00 (requested by the customer)');
      expect(orders).toContain('*chargeback* UnderReview (Fraudulent)');
      const refresh = button(post, 'card_refresh');
      expect(JSON.parse(String(refresh.value))).toEqual({ c: IDS.riley, o: IDS.rileyRefundedOrder });
      const ack = await t.click(refresh, { surface: 'message' });
      const refreshed = await t.slack.waitForPost(ack.responseId);
      expect(section(refreshed, '*Recent orders*')).toContain('*chargeback* UnderReview (Fraudulent)');
      // A customer looked up by email has no order to mark.
      expect(JSON.parse(String(button((await lookup('riley@example.com')).post, 'card_refresh').value))).toEqual({
        c: IDS.riley,
      });
    });

    it('subscription state: the failing renewal first, with its failed payments, next retry, price and period', async () => {
      const { post } = await lookup('riley@example.com');
      const subscriptions = section(post, '*Subscriptions');
      const [heading, first, second] = subscriptions.split('\n');
      expect(heading).toBe('*Subscriptions (2)*  ·  1 needs attention');
      expect(first).toContain(':x: *Team plan* (5 seats) — *renewal payment failing*, due since <!date^');
      expect(first).toMatch(/\*2 failed payments\*, last <!date\^\d+\^\{date_short\}\|[\d-]+ UTC>, next retry <!date/);
      expect(first).toContain('$29.00 / month');
      expect(second).toContain(':hourglass_flowing_sand: *Community access* — *cancelling*, ends <!date^');
      expect(second).toContain('$60.00 / year');
    });

    it('tickets: how many messages and when the last one came', async () => {
      const { text } = await lookup('jane@example.com');
      expect(text).toContain('opened 3 days ago  ·  3 messages, last 1 day ago');
    });
  });

  describe('store flags', () => {
    it('no "Store credit" where the store has no customer balances; "ticketing is off" instead of "None"', async () => {
      // An app of its own: the store is cached for minutes, and this one must read the changed flags.
      const app = await startTestApp({ mode });
      Object.assign(app.komerza.data.store, { isCustomerBalanceEnabled: false, isTicketingEnabled: false });
      try {
        const ack = await app.command('quiet@example.net');
        const post = await app.slack.waitForPost(ack.responseId);
        const text = JSON.stringify(post);
        expect(text).not.toContain('Store credit');
        expect(text).toContain('Ticketing is turned off for this store.');
        expect(text).not.toContain('None :white_check_mark:');
      } finally {
        await app.stop();
      }
    });
  });

  describe('CARD_RECENT_ORDERS', () => {
    it('0 turns the orders section and its Komerza call off', async () => {
      const app = await startTestApp({ mode, env: { CARD_RECENT_ORDERS: '0' } });
      try {
        const ack = await app.command('riley@example.com');
        const post = await app.slack.waitForPost(ack.responseId);
        expect(JSON.stringify(post)).not.toContain('Recent orders');
        expect(app.komerza.callsTo(/\/orders$/)).toHaveLength(0);
      } finally {
        await app.stop();
      }
    });

    it('2 shows two orders and counts the rest', async () => {
      const app = await startTestApp({ mode, env: { CARD_RECENT_ORDERS: '2' } });
      try {
        const ack = await app.command('riley@example.com');
        const post = await app.slack.waitForPost(ack.responseId);
        const orders = section(post, '*Recent orders*');
        expect(orders.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(2);
        expect(orders).toContain('_and 5 more in Komerza_');
      } finally {
        await app.stop();
      }
    });
  });
});
