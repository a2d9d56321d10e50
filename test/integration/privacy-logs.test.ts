import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BLOCKS, INPUTS } from '../../src/slack/ids.js';
import { waitFor } from '../support/async.js';
import { FAKE_API_KEY } from '../support/fake-komerza.js';
import { FAKE_BOT_TOKEN, FAKE_TEAM_ID } from '../support/fake-slack.js';
import { MODES, SIGNING_SECRET, startTestApp, type TestApp } from '../support/harness.js';
import { viewSubmissionPayload } from '../support/interaction-payloads.js';
import { IDS } from '../support/sample-store.js';
import { button } from '../support/slack-payloads.js';

/** A ticket reply with an address and an amount in it: the audit line says a reply was sent, never what it said. */
const REPLY_TEXT = 'Dear jane@example.com, your refund of $19 is on its way';

/**
 * What the logs hold after a whole run (lookups of every kind, faults, refusals, the lookup limit, a dead
 * response_url, ticket replies and a close), at debug level: the audit fields, and never an email, a typed query, an IP, a token, the signing
 * secret or the Komerza API key.
 */
describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      mode,
      env: {
        ALLOWED_CHANNEL_IDS: 'C0SUPPORT',
        LOOKUPS_PER_USER_PER_MINUTE: '8',
        KOMERZA_TIMEOUT_MS: '150',
        TICKET_ACTIONS: 'reply_and_close',
      },
      // A fixed clock: the per-minute budget's window must not roll over in the middle of the run.
      now: () => new Date('2026-03-01T12:00:30Z'),
    });
    const run = async (
      text: string,
      options: { userId?: string; channelId?: string; responseStatus?: number } = {},
    ) => {
      const ack = await t.command(text, options);
      if (ack.body === '' && !options.responseStatus) await t.slack.waitForPost(ack.responseId);
    };
    await run('<mailto:jane@example.com|jane@example.com>');
    await run(IDS.bob);
    await run(IDS.janeOrder);
    await run('alex');
    await run('alexandra');
    await run('nobody-at-all@example.com');
    await run('help');
    await run('jane@example.com', { channelId: 'C0RANDOM' });
    await run('jane@example.com', { responseStatus: 404 });
    t.komerza.addFault({ fault: { kind: 'status', status: 500 } });
    await run('quiet@example.net');
    t.komerza.clearFaults();
    t.komerza.addFault({ fault: { kind: 'hang' } });
    await run('bob@example.org');
    t.komerza.clearFaults();
    // A refused message shortcut whose message holds an email.
    const response = t.slack.responseUrl();
    await t.interaction({
      type: 'message_action',
      callback_id: 'lookup_customer',
      user: { id: 'U0AGENT' },
      team: { id: FAKE_TEAM_ID },
      channel: { id: 'C0RANDOM' },
      response_url: response.url,
      trigger_id: 'trigger-m',
      message: { text: 'please check jane@example.com', ts: '1.2' },
      api_app_id: 'A0APP',
    });
    await t.slack.waitForPost(response.id);
    // An allowed shortcut (its card goes out through views.open / views.update), a Share from its modal
    // (chat.postMessage) and a Share and a Refresh from a command's card: Web API calls whose bodies hold the card.
    const shortcut = await t.messageShortcut({ text: 'please check jane@example.com' }, { userId: 'U0SHARER' });
    const update = await t.slack.waitForCall('views.update');
    const modal = { ...(update.args.view as Record<string, unknown>), id: 'V1', hash: 'h1' };
    expect(shortcut.status).toBe(200);
    await t.click(button(modal, 'card_share'), { surface: 'modal', view: modal, userId: 'U0SHARER' });
    await t.slack.waitForCall('chat.postMessage');
    const command = await t.command('bob@example.org', { userId: 'U0SHARER' });
    const card = await t.slack.waitForPost(command.responseId);
    for (const action of ['card_share', 'card_refresh']) {
      const click = await t.click(button(card, action), { surface: 'message', userId: 'U0SHARER' });
      await t.slack.waitForPost(click.responseId);
    }
    // Ticket actions: a reply that Komerza refuses, one that it takes, and a close. Their text must not be logged.
    const jane = await t.command('jane@example.com', { userId: 'U0WRITER' });
    const janeCard = await t.slack.waitForPost(jane.responseId);
    const view = await t.click(button(janeCard, 'ticket_view'), { surface: 'message', userId: 'U0WRITER' });
    const trigger = `trigger-click-${view.responseId}`;
    const opened = await waitFor(() =>
      t.slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger),
    );
    const threadId = (opened.answer as { view: { id: string } }).view.id;
    const updatesOfThread = () =>
      t.slack.calls.filter((c) => c.method === 'views.update' && c.args.view_id === threadId);
    const filled = await waitFor(() => updatesOfThread()[0]);
    let thread = { ...(filled.args.view as Record<string, unknown>), id: threadId, hash: 'h-thread' };
    const reply = (text: string) =>
      t.interaction(
        viewSubmissionPayload(thread, { [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: text } }, 'U0WRITER'),
      );
    t.komerza.addFault({ method: 'PUT', path: '/tickets/', times: 1, fault: { kind: 'status', status: 503 } });
    await reply(REPLY_TEXT);
    thread = {
      ...((await waitFor(() => updatesOfThread()[1])).args.view as Record<string, unknown>),
      id: threadId,
      hash: 'h-2',
    };
    await reply(REPLY_TEXT);
    await waitFor(() => updatesOfThread()[2]);
    await t.slack.waitForPost(view.responseId);
    const close = await t.click(button(janeCard, 'ticket_close'), { surface: 'message', userId: 'U0WRITER' });
    await t.slack.waitForPost(close.responseId);
    // Past the per-user limit (each card, row or "no customer" answer counts one).
    for (let i = 0; i < 6; i++) await run('alex.smith@example.com');
    await t.settled();
  });
  afterAll(async () => {
    await t.stop();
  });

  const entries = () => t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

  describe('logs of a whole run', () => {
    it('hold no email, query text, IP address, token, signing secret or API key', () => {
      const all = t.logs.join('\n');
      expect(t.logs.length).toBeGreaterThan(10);
      const forbidden = [
        ...t.komerza.data.customers.map((c) => c.emailAddress),
        ...t.komerza.data.customers.map((c) => c.ipAddress).filter((ip): ip is string => typeof ip === 'string'),
        'nobody-at-all',
        'alexandra',
        'mailto:',
        FAKE_BOT_TOKEN,
        SIGNING_SECRET,
        FAKE_API_KEY,
        'Bearer ',
        REPLY_TEXT,
        'refund of',
      ];
      for (const secret of forbidden) expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
      expect(all).not.toMatch(/xox[abposr]-/);
      expect(all).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
    });

    it('have one audit line per lookup with who, where, what kind, what was found, the outcome and the latency', () => {
      const lookups = entries().filter((entry) => entry.event === 'lookup');
      expect(lookups.length).toBeGreaterThanOrEqual(10);
      for (const line of lookups) {
        expect(line).toMatchObject({ user: expect.any(String), team: FAKE_TEAM_ID, channel: 'C0SUPPORT' });
        expect(['email', 'id', 'search', 'several', 'none']).toContain(line.queryKind);
        expect(['card', 'matches', 'not_found', 'error']).toContain(line.outcome);
        expect(typeof line.latencyMs).toBe('number');
        if (line.outcome === 'card') expect(line.customerId).toEqual(expect.any(String));
        if (line.outcome === 'error') expect(line.errorKind).toEqual(expect.any(String));
      }
      expect(lookups.find((line) => line.customerId === IDS.jane && line.resolvedVia === 'order')).toBeDefined();
      expect(lookups.find((line) => line.customerId === IDS.bob && line.resolvedVia === 'id')).toBeDefined();
    });

    it('record refusals and the lookup limit by user id', () => {
      const denied = entries().filter((entry) => entry.event === 'access_denied');
      expect(denied.map((entry) => entry.request).sort()).toEqual(['command', 'message_action']);
      expect(denied.every((entry) => entry.user === 'U0AGENT' && entry.channel === 'C0RANDOM')).toBe(true);
      expect(entries().some((entry) => entry.event === 'lookup_limited' && entry.user === 'U0AGENT')).toBe(true);
    });
  });

  describe('SHOW_IP_ADDRESS', () => {
    it('shows the IP in the private card by default, and never when set to false', async () => {
      const shown = await t.command('jane@example.com', { userId: 'U0IP' });
      expect(JSON.stringify(await t.slack.waitForPost(shown.responseId))).toContain('IP 203.0.113.24');

      const hidden = await startTestApp({ mode, env: { SHOW_IP_ADDRESS: 'false' } });
      try {
        const ack = await hidden.command('jane@example.com');
        const text = JSON.stringify(await hidden.slack.waitForPost(ack.responseId));
        expect(text).toContain('jane@example.com');
        expect(text).not.toContain('203.0.113.24');
      } finally {
        await hidden.stop();
      }
    });
  });
});
