import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { IDS, STORE_ID } from '../support/sample-store.js';
import { button, buttons } from '../support/slack-payloads.js';

type Json = Record<string, unknown>;

const DASHBOARD = 'https://dashboard.komerza.com/stores/{storeId}/customers/{customerId}';

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ mode, env: { KOMERZA_DASHBOARD_URL: DASHBOARD } });
  });
  afterEach(() => {
    t.komerza.clearFaults();
    t.slack.off('chat.postMessage');
    t.slack.off('chat.postEphemeral');
    t.slack.off('views.update');
  });
  afterAll(async () => {
    await t.stop();
  });

  const text = (value: unknown) => JSON.stringify(value);

  /** `/customer <query>` and its answer (a card or a picker) on the response_url. */
  async function command(query: string): Promise<Json> {
    const ack = await t.command(query);
    expect(ack.status).toBe(200);
    const post = await t.slack.waitForPost(ack.responseId);
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    return post;
  }

  /** Clicks a button on a `/customer` message and returns what the app posted to that click's response_url. */
  async function clickOnMessage(b: Json): Promise<Json> {
    const ack = await t.click(b, { surface: 'message' });
    expect(ack.status).toBe(200);
    const post = await t.slack.waitForPost(ack.responseId);
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    return post;
  }

  function callsAfter(method: string, from: number) {
    return t.slack.calls.slice(from).filter((c) => c.method === method);
  }

  async function shortcutModal(message: Json): Promise<Json> {
    return (await t.runShortcut(message)).view;
  }

  describe('card buttons on /customer', () => {
    it('puts Share, Refresh and Open in Komerza under the card, with ids only in their values', async () => {
      const card = await command('jane@example.com');
      const all = buttons(card);
      expect(all.map((b) => b.action_id)).toEqual(['card_share', 'card_refresh', 'card_open']);
      for (const b of all) {
        expect(String(b.value ?? '')).not.toContain('@');
        expect(String(b.value ?? '').length).toBeLessThan(2000);
      }
      expect(JSON.parse(String(button(card, 'card_share').value))).toEqual({ c: IDS.jane });
      expect(button(card, 'card_open').url).toBe(
        `https://dashboard.komerza.com/stores/${STORE_ID}/customers/${IDS.jane}`,
      );
      const ack = await t.click(button(card, 'card_open'), { surface: 'message' });
      expect(ack.status).toBe(200);
    });

    it('Share posts the redacted card in the channel, saying who shared it and when', async () => {
      const jane = t.komerza.data.customers.find((c) => c.id === IDS.jane) as Json;
      Object.assign(jane, {
        isBlocked: true,
        blockedNote: 'Chargeback fraud suspected',
        blockedAt: new Date().toISOString(),
      });
      try {
        const card = await command('jane@example.com');
        // The private card shows what the shared one must not (so the checks below can fail).
        expect(text(card)).toContain('203.0.113.24');
        expect(text(card)).toContain('81234567890123456');
        expect(text(card)).toContain('Chargeback fraud');

        const shared = await clickOnMessage(button(card, 'card_share'));
        expect(shared.response_type).toBe('in_channel');
        expect(shared.replace_original).toBe(false);
        const body = text(shared);
        expect(body).toContain('jane@example.com');
        expect(body).toContain('Blocked');
        expect(body).not.toContain('203.0.113.24');
        expect(body).not.toContain('81234567890123456');
        expect(body).not.toContain('Chargeback fraud');
        expect(body).toContain('Shared by <@U0AGENT>');
        expect(body).toMatch(/<!date\^\d+\^/);
        expect(body).toContain('as of');
        // Only the link survives on a shared card.
        expect(buttons(shared).map((b) => b.action_id)).toEqual(['card_open']);
      } finally {
        Object.assign(jane, { isBlocked: false, blockedNote: null, blockedAt: null });
      }
    });

    it('Share on an expired card posts through chat.postMessage instead', async () => {
      const card = await command('bob@example.org');
      const from = t.slack.calls.length;
      const ack = await t.click(button(card, 'card_share'), { surface: 'message', responseStatus: 404 });
      expect(ack.status).toBe(200);
      const post = await waitFor(() => callsAfter('chat.postMessage', from)[0], 5000, 'chat.postMessage');
      expect(post.args.channel).toBe('C0SUPPORT');
      expect(text(post.args.blocks)).toContain('bob@example.org');
      expect(text(post.args.blocks)).not.toContain('198.51.100.7');
      expect(blockKitViolations({ text: post.args.text, blocks: post.args.blocks }, { surface: 'message' })).toEqual(
        [],
      );
    });

    it('Share on an expired card where the app is not in the channel says how to add it', async () => {
      t.slack.on('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
      const card = await command('bob@example.org');
      const from = t.slack.calls.length;
      await t.click(button(card, 'card_share'), { surface: 'message', responseStatus: 404 });
      const ephemeral = await waitFor(() => callsAfter('chat.postEphemeral', from)[0], 5000, 'chat.postEphemeral');
      expect(ephemeral.args.user).toBe('U0AGENT');
      expect(text(ephemeral.args.blocks)).toContain('/invite @customer-lookup');
      expect(
        blockKitViolations({ text: ephemeral.args.text, blocks: ephemeral.args.blocks }, { surface: 'message' }),
      ).toEqual([]);
    });

    it('Refresh reads Komerza again past the cache and replaces the card in place', async () => {
      const card = await command('bob@example.org');
      expect(text(card)).toContain('$310.00');
      const bob = t.komerza.data.customers.find((c) => c.id === IDS.bob) as Json;
      bob.totalSpend = 999.99;
      const storeCalls = t.komerza.callsTo(/^\/stores\/[^/]+$/).length;
      try {
        const refreshed = await clickOnMessage(button(card, 'card_refresh'));
        expect(refreshed.replace_original).toBe(true);
        expect(refreshed.response_type).toBe('ephemeral');
        expect(text(refreshed)).toContain('$999.99');
        expect(text(refreshed)).toContain('as of');
        // The store (cached for 10 minutes otherwise) was read again.
        expect(t.komerza.callsTo(/^\/stores\/[^/]+$/).length).toBe(storeCalls + 1);
      } finally {
        bob.totalSpend = 310;
      }
    });

    it('Refresh on a card past its response_url life answers with a new private message', async () => {
      const card = await command('bob@example.org');
      const from = t.slack.calls.length;
      await t.click(button(card, 'card_refresh'), { surface: 'message', responseStatus: 404 });
      const ephemeral = await waitFor(() => callsAfter('chat.postEphemeral', from)[0], 5000, 'chat.postEphemeral');
      expect(ephemeral.args.channel).toBe('C0SUPPORT');
      expect(text(ephemeral.args.blocks)).toContain('bob@example.org');
    });

    it('Refresh shows a clear message when Komerza fails', async () => {
      const card = await command('bob@example.org');
      t.komerza.addFault({ fault: { kind: 'status', status: 503, text: 'down' } });
      const refreshed = await clickOnMessage(button(card, 'card_refresh'));
      expect(text(refreshed)).toContain('Komerza');
      expect(text(refreshed)).not.toContain('down');
    });
  });

  describe('picker for several matches on /customer', () => {
    it('offers one Open button per match and replaces the list with the chosen card', async () => {
      const picker = await command('alex');
      const opens = buttons(picker).filter((b) => b.action_id === 'picker_open');
      expect(opens).toHaveLength(2);
      expect(text(picker)).toContain('alex.smith@example.com');
      expect(text(picker)).toContain('$120.00');
      const card = await clickOnMessage(opens[1] as Json);
      expect(card.replace_original).toBe(true);
      expect(text(card)).toContain('alexandra@example.co.uk');
      expect(buttons(card).map((b) => b.action_id)).toContain('card_share');
    });

    it('pages through Komerza’s pages with Next and Previous', async () => {
      const extra = Array.from({ length: 30 }, (_, i) => ({
        id: `5a5a5a5a-0000-4000-8000-${String(i).padStart(12, '0')}`,
        emailAddress: `sam${String(i).padStart(2, '0')}@example.com`,
        dateCreated: new Date().toISOString(),
        status: 'New',
        totalSpend: i,
        averageSpend: i,
        totalOrders: 1,
        tickets: [],
      }));
      t.komerza.data.customers.push(...extra);
      try {
        const first = await command('sam');
        expect(text(first)).toContain('page 1 of 2');
        expect(buttons(first).filter((b) => b.action_id === 'picker_open')).toHaveLength(25);
        const next = button(first, 'picker_page_next');
        // The value holds a token and a page number, not the search text.
        expect(String(next.value)).not.toContain('sam');
        expect(() => button(first, 'picker_page_prev')).toThrow();

        const second = await clickOnMessage(next);
        expect(second.replace_original).toBe(true);
        expect(text(second)).toContain('page 2 of 2');
        expect(text(second)).toContain('sam29@example.com');
        expect(buttons(second).filter((b) => b.action_id === 'picker_open')).toHaveLength(5);
        const searchCalls = t.komerza.callsTo('/customers/search/');
        expect(searchCalls.at(-1)?.query.get('Page')).toBe('2');

        const back = await clickOnMessage(button(second, 'picker_page_prev'));
        expect(text(back)).toContain('page 1 of 2');
      } finally {
        t.komerza.data.customers.splice(-extra.length);
      }
    });

    it('says the list expired when its stored search is gone', async () => {
      const post = await clickOnMessage({
        action_id: 'picker_page_next',
        text: { type: 'plain_text', text: 'Next' },
        value: JSON.stringify({ t: 'unknowntoken1234', p: 2 }),
      });
      expect(text(post)).toContain('This list has expired');
    });
  });

  describe('card buttons in the shortcut’s modal', () => {
    it('Share posts the redacted card into the message’s thread and confirms in the modal', async () => {
      const view = await shortcutModal({
        text: 'jane@example.com',
        ts: '1700000000.000300',
        thread_ts: '1700000000.000100',
      });
      const from = t.slack.calls.length;
      await t.click(button(view, 'card_share'), { surface: 'modal', view });
      const post = await waitFor(() => callsAfter('chat.postMessage', from)[0], 5000, 'chat.postMessage');
      expect(post.args.channel).toBe('C0SUPPORT');
      expect(post.args.thread_ts).toBe('1700000000.000100');
      const blocks = text(post.args.blocks);
      expect(blocks).toContain('jane@example.com');
      expect(blocks).not.toContain('203.0.113.24');
      expect(blocks).not.toContain('81234567890123456');
      expect(blocks).toContain('Shared by <@U0AGENT>');
      expect(blockKitViolations({ text: post.args.text, blocks: post.args.blocks }, { surface: 'message' })).toEqual(
        [],
      );

      const update = await waitFor(() => callsAfter('views.update', from)[0], 5000, 'views.update');
      expect(update.args.view_id).toBe(view.id);
      expect(text(update.args.view)).toContain('Shared in the message’s thread');
      expect(text(update.args.view)).toContain('203.0.113.24'); // the person's own view stays complete
      expect(blockKitViolations(update.args.view as Json, { surface: 'modal' })).toEqual([]);
    });

    it('Share where the app is not in the channel falls back to the shortcut’s response_url', async () => {
      t.slack.on('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
      const { view, ack } = await t.runShortcut({ text: 'bob@example.org' });
      const from = t.slack.calls.length;
      await t.click(button(view, 'card_share'), { surface: 'modal', view });
      const post = await t.slack.waitForPost(ack.responseId);
      expect(post.response_type).toBe('in_channel');
      expect(text(post)).toContain('bob@example.org');
      expect(text(post)).not.toContain('198.51.100.7');
      expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
      const confirm = await waitFor(() => callsAfter('views.update', from)[0], 5000, 'views.update');
      expect(text(confirm.args.view)).toContain('/invite @customer-lookup');
    });

    it('Share with no way to post says how to add the app, in the modal', async () => {
      t.slack.on('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }));
      const { view } = await t.runShortcut({ text: 'bob@example.org' }, { responseStatus: 404 });
      const from = t.slack.calls.length;
      await t.click(button(view, 'card_share'), { surface: 'modal', view });
      const notice = await waitFor(() => callsAfter('views.update', from)[0], 5000, 'views.update');
      expect(text(notice.args.view)).toContain('the app is not in');
      expect(text(notice.args.view)).toContain('bob@example.org'); // the card is still there under the notice
      expect(blockKitViolations(notice.args.view as Json, { surface: 'modal' })).toEqual([]);
    });

    it('Refresh updates the modal in place with fresh data', async () => {
      const view = await shortcutModal({ text: 'quiet@example.net' });
      const quiet = t.komerza.data.customers.find((c) => c.id === IDS.quiet) as Json;
      quiet.totalOrders = 7;
      try {
        const from = t.slack.calls.length;
        await t.click(button(view, 'card_refresh'), { surface: 'modal', view });
        const update = await waitFor(() => callsAfter('views.update', from)[0], 5000, 'views.update');
        expect(update.args.view_id).toBe(view.id);
        expect(update.args.hash).toBe(view.hash);
        expect(text(update.args.view)).toContain('*Orders*\\n7');
        expect((update.args.view as Json).private_metadata).toBe(view.private_metadata);
        expect(blockKitViolations(update.args.view as Json, { surface: 'modal' })).toEqual([]);
      } finally {
        quiet.totalOrders = 0;
      }
    });

    it('a click whose modal cannot be updated shows its answer on top of the modal instead (views.push)', async () => {
      const view = await shortcutModal({ text: 'quiet@example.net' });
      t.slack.on('views.update', () => ({ ok: false, error: 'internal_error' }));
      await t.click(button(view, 'card_refresh'), { surface: 'modal', view });
      const push = await t.slack.waitForCall('views.push');
      expect(push.args.trigger_id).toEqual(expect.stringMatching(/^trigger-click-/));
      expect(text(push.args.view)).toContain('quiet@example.net');
      expect(blockKitViolations(push.args.view as Json, { surface: 'modal' })).toEqual([]);
    });
  });
});
