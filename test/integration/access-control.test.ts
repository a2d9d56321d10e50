import { afterEach, describe, expect, it } from '@jest/globals';
import { LOOKUP_VIEW } from '../../src/slack/ids.js';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { FAKE_TEAM_ID } from '../support/fake-slack.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { assertNoInjection } from '../support/no-injection.js';
import { addCustomers } from '../support/sample-store.js';
import { button } from '../support/slack-payloads.js';

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  const events = (app: TestApp, name: string) =>
    app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === name);

  const text = (value: unknown) => JSON.stringify(value);

  function blockAction(responseUrl: string | undefined, overrides: Record<string, unknown> = {}) {
    return {
      type: 'block_actions',
      user: { id: 'U0OTHER', team_id: FAKE_TEAM_ID },
      team: { id: FAKE_TEAM_ID },
      channel: { id: 'C0SUPPORT', name: 'support' },
      ...(responseUrl ? { response_url: responseUrl } : {}),
      trigger_id: 'trigger-action',
      api_app_id: 'A0APP',
      actions: [{ type: 'button', action_id: 'test_refresh', block_id: 'b', value: 'x', action_ts: '1' }],
      ...overrides,
    };
  }

  describe('access control', () => {
    it('lets everyone in when no restriction is set', async () => {
      t = await startTestApp({ mode });
      const ack = await t.command('jane@example.com', { userId: 'U0ANYONE', channelId: 'C0ANY' });
      expect(text(await t.slack.waitForPost(ack.responseId))).toContain('jane@example.com');
    });

    it('refuses a user outside ALLOWED_USER_IDS privately, without calling Komerza, and logs it', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0AGENT,U0LEAD' } });
      const before = t.komerza.calls.length;
      const refused = await t.command('jane@example.com', { userId: 'U0OTHER' });
      expect(refused.status).toBe(200);
      const body = refused.body as Record<string, unknown>;
      expect(body.response_type).toBe('ephemeral');
      expect(text(body)).toContain('You are not allowed to look up customers');
      expect(blockKitViolations(body, { surface: 'message' })).toEqual([]);
      expect(t.komerza.calls.length).toBe(before);
      expect(events(t, 'access_denied')).toEqual([
        expect.objectContaining({
          user: 'U0OTHER',
          team: FAKE_TEAM_ID,
          reason: 'user_not_allowed',
          request: 'command',
        }),
      ]);

      const allowed = await t.command('jane@example.com', { userId: 'U0LEAD' });
      expect(text(await t.slack.waitForPost(allowed.responseId))).toContain('jane@example.com');
    });

    it('refuses lookups outside ALLOWED_CHANNEL_IDS and names the allowed channels', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_CHANNEL_IDS: 'C0SUPPORT' } });
      const refused = await t.command('jane@example.com', { channelId: 'C0RANDOM' });
      const body = refused.body as Record<string, unknown>;
      expect(text(body)).toContain('not enabled here');
      expect(text(body)).toContain('<#C0SUPPORT>');
      assertNoInjection(body, { trustedChannelIds: ['C0SUPPORT'] });
      expect(t.komerza.calls).toHaveLength(0);
      const allowed = await t.command('jane@example.com', { channelId: 'C0SUPPORT' });
      expect(text(await t.slack.waitForPost(allowed.responseId))).toContain('jane@example.com');
    });

    it('resolves ALLOWED_USERGROUP_IDS with usergroups.users.list, cached', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USERGROUP_IDS: 'S0SUPPORT' } });
      t.slack.on('usergroups.users.list', (args) =>
        args.usergroup === 'S0SUPPORT' ? { ok: true, users: ['U0AGENT'] } : { ok: false, error: 'no_such_subteam' },
      );
      const member = await t.command('jane@example.com', { userId: 'U0AGENT' });
      expect(text(await t.slack.waitForPost(member.responseId))).toContain('jane@example.com');
      const outsider = await t.command('jane@example.com', { userId: 'U0GUEST' });
      expect(text(outsider.body)).toContain('You are not allowed');
      const again = await t.command('bob@example.org', { userId: 'U0AGENT' });
      expect(text(await t.slack.waitForPost(again.responseId))).toContain('bob@example.org');
      expect(t.slack.calls.filter((call) => call.method === 'usergroups.users.list')).toHaveLength(1);
    });

    it('fails closed, with its own message, when the user group cannot be read (missing scope)', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USERGROUP_IDS: 'S0SUPPORT' } });
      t.slack.on('usergroups.users.list', () => ({ ok: false, error: 'missing_scope', needed: 'usergroups:read' }));
      const refused = await t.command('jane@example.com');
      expect(text(refused.body)).toContain('Your access could not be checked just now');
      expect(t.komerza.calls).toHaveLength(0);
      expect(t.logs.join('\n')).toContain('missing_scope');
      expect(events(t, 'access_denied')[0]).toMatchObject({ reason: 'membership_unknown' });
    });

    it('re-checks every button click: a refused click gets an ephemeral reply and reaches no listener', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0AGENT' } });
      const reachedListener = () => t?.logs.filter((line) => line.includes('Open in Komerza clicked')).length;
      const open = { type: 'button', action_id: 'card_open', block_id: 'b', url: 'https://x.example', action_ts: '1' };
      const response = t.slack.responseUrl();
      const ack = await t.interaction(blockAction(response.url, { actions: [open] }));
      expect(ack.status).toBe(200);
      const post = await t.slack.waitForPost(response.id);
      expect(post).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(text(post)).toContain('You are not allowed');
      expect(reachedListener()).toBe(0);

      const allowed = await t.interaction(blockAction(undefined, { user: { id: 'U0AGENT' }, actions: [open] }));
      expect(allowed.status).toBe(200);
      expect(reachedListener()).toBe(1);
    });

    it('answers a refused global shortcut (no response_url) with a modal opened by its trigger_id', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0AGENT' } });
      const ack = await t.interaction({
        type: 'shortcut',
        callback_id: 'lookup_customer_global',
        user: { id: 'U0OTHER' },
        team: { id: FAKE_TEAM_ID },
        trigger_id: 'trigger-shortcut',
        api_app_id: 'A0APP',
      });
      expect(ack.status).toBe(200);
      const call = await t.slack.waitForCall('views.open');
      expect(call.args.trigger_id).toBe('trigger-shortcut');
      const view = call.args.view as Record<string, unknown>;
      expect(blockKitViolations(view, { surface: 'modal' })).toEqual([]);
      expect(text(view)).toContain('You are not allowed');
    });

    it('pushes the refusal over a modal when the click happened inside one, and updates a refused submission', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0AGENT' } });
      await t.interaction(blockAction(undefined, { channel: undefined, view: { id: 'V1', type: 'modal' } }));
      const push = await t.slack.waitForCall('views.push');
      expect(text(push.args.view)).toContain('You are not allowed');

      const submitted = await t.interaction({
        type: 'view_submission',
        user: { id: 'U0OTHER' },
        team: { id: FAKE_TEAM_ID },
        view: { id: 'V1', type: 'modal', callback_id: 'x', state: { values: {} } },
        api_app_id: 'A0APP',
      });
      const body = submitted.body as Record<string, unknown>;
      expect(body.response_action).toBe('update');
      expect(blockKitViolations(body.view as Record<string, unknown>, { surface: 'modal' })).toEqual([]);
    });
  });

  describe('clicks inside the lookup modal count as the channel it was opened from (hostile review #4)', () => {
    it('refuses a click in a modal opened from a channel that is not (or no longer) allowed', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_CHANNEL_IDS: 'C0SUPPORT' } });
      // A modal opened in C0SUPPORT works: its Refresh reaches Komerza.
      const run = await t.runShortcut({ text: 'jane@example.com' }, { channelId: 'C0SUPPORT' });
      const calls = t.komerza.calls.length;
      await t.click(button(run.view, 'card_refresh'), { surface: 'modal', view: run.view });
      await waitFor(() => t?.slack.calls.find((c) => c.method === 'views.update' && c.args.hash === run.view.hash));
      expect(t.komerza.calls.length).toBeGreaterThan(calls);

      // The same modal, but recorded as opened from a channel outside the allow-list (it left the list since).
      const elsewhere = { ...run.view, private_metadata: '{"ch":"C0RANDOM","ts":"1700000000.000100"}' };
      const before = t.komerza.calls.length;
      await t.click(button(elsewhere, 'card_refresh'), { surface: 'modal', view: elsewhere });
      const push = await t.slack.waitForCall('views.push');
      expect(text(push.args.view)).toContain('not enabled here');
      expect(t.komerza.calls.length).toBe(before);
      expect(events(t, 'access_denied')).toEqual([
        expect.objectContaining({ reason: 'channel_not_allowed', channel: 'C0RANDOM', request: 'block_actions' }),
      ]);
    });

    it('refuses a click in a modal that says nothing of where it was opened, when channels are restricted', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_CHANNEL_IDS: 'C0SUPPORT' } });
      const before = t.komerza.calls.length;
      await t.interaction(
        blockAction(undefined, { user: { id: 'U0AGENT' }, channel: undefined, view: { id: 'V9', type: 'modal' } }),
      );
      const push = await t.slack.waitForCall('views.push');
      expect(text(push.args.view)).toContain('not enabled here');
      expect(t.komerza.calls.length).toBe(before);
    });
  });

  describe('access control on the real buttons and shortcut', () => {
    it('refuses Share and Refresh on a card clicked by someone not allowed, and the message shortcut too', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0AGENT' } });
      const ack = await t.command('jane@example.com');
      const card = await t.slack.waitForPost(ack.responseId);
      const before = { komerza: t.komerza.calls.length, posts: t.slack.calls.length };

      for (const actionId of ['card_share', 'card_refresh']) {
        const click = await t.click(button(card, actionId), { surface: 'message', userId: 'U0GUEST' });
        expect(click.status).toBe(200);
        const answer = await t.slack.waitForPost(click.responseId);
        expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
        expect(text(answer)).toContain('You are not allowed');
      }
      const shortcut = await t.messageShortcut({ text: 'about jane@example.com' }, { userId: 'U0GUEST' });
      expect(text(await t.slack.waitForPost(shortcut.responseId))).toContain('You are not allowed');

      // Nothing was read from Komerza, nothing was posted to a channel and no modal was opened.
      expect(t.komerza.calls.length).toBe(before.komerza);
      expect(t.slack.calls.slice(before.posts).map((call) => call.method)).toEqual([]);
      expect(events(t, 'access_denied')).toHaveLength(3);
    });
  });

  describe('requests for ids the app does not know (hostile review #13)', () => {
    it('acknowledges them at once (Slack shows the person an error after 3 s otherwise) and logs one line each', async () => {
      t = await startTestApp({ mode });
      const click = await t.interaction(
        blockAction(undefined, {
          user: { id: 'U0AGENT' },
          actions: [{ type: 'button', action_id: 'old_button_v0', block_id: 'b', value: 'x', action_ts: '1' }],
        }),
      );
      expect(click.status).toBe(200);
      const shortcut = await t.interaction({
        type: 'shortcut',
        callback_id: 'some_global_shortcut',
        trigger_id: 't-1',
        user: { id: 'U0AGENT' },
        team: { id: FAKE_TEAM_ID },
      });
      expect(shortcut.status).toBe(200);
      const submission = await t.interaction({
        type: 'view_submission',
        user: { id: 'U0AGENT' },
        team: { id: FAKE_TEAM_ID },
        view: { id: 'V1', type: 'modal', callback_id: 'not_ours', state: { values: {} } },
      });
      expect(submission.status).toBe(200);
      // The lookup modal has no submit button: a submission of it was not sent for this app, and has no listener.
      const lookupModal = await t.interaction({
        type: 'view_submission',
        user: { id: 'U0AGENT' },
        team: { id: FAKE_TEAM_ID },
        view: { id: 'V2', type: 'modal', callback_id: LOOKUP_VIEW, state: { values: {} } },
      });
      expect(lookupModal.status).toBe(200);
      const lines = events(t, 'unknown_request');
      expect(lines).toEqual([
        expect.objectContaining({ request: 'block_actions', id: 'old_button_v0', user: 'U0AGENT' }),
        expect.objectContaining({ request: 'shortcut', id: 'some_global_shortcut' }),
        expect.objectContaining({ request: 'view_submission', id: 'not_ours' }),
        expect.objectContaining({ request: 'view_submission', id: LOOKUP_VIEW }),
      ]);
      expect(t.komerza.calls).toHaveLength(0);
    });
  });

  describe('per-user lookup limit', () => {
    it('refuses the lookup past the limit, says when it resets, and does not count help', async () => {
      let now = Date.parse('2026-03-01T12:00:00Z');
      t = await startTestApp({ mode, env: { LOOKUPS_PER_USER_PER_MINUTE: '2' }, now: () => new Date(now) });
      for (const query of ['jane@example.com', 'bob@example.org']) {
        const ack = await t.command(query);
        await t.slack.waitForPost(ack.responseId);
      }
      const help = await t.command('help');
      expect(text(help.body)).toContain('Look up a Komerza customer');
      const before = t.komerza.calls.length;
      now += 15_000;
      const refused = await t.command('quiet@example.net');
      expect(text(refused.body)).toContain('You have been shown 2 customers this minute');
      expect(text(refused.body)).toContain('It resets in 45 seconds');
      expect(t.komerza.calls.length).toBe(before);
      expect(events(t, 'lookup_limited')[0]).toMatchObject({
        user: 'U0AGENT',
        window: 'minute',
        limit: 2,
        retryAfterSeconds: 45,
      });
      // Another person is not affected; the same person can go on once the minute has passed.
      const other = await t.command('quiet@example.net', { userId: 'U0OTHER' });
      expect(text(await t.slack.waitForPost(other.responseId))).toContain('quiet@example.net');
      now += 46_000;
      const later = await t.command('quiet@example.net');
      expect(text(await t.slack.waitForPost(later.responseId))).toContain('quiet@example.net');
    });

    it('counts what is shown, not requests: a picker page of rows costs its rows (hostile review #1)', async () => {
      const now = Date.parse('2026-03-01T12:00:10Z');
      t = await startTestApp({
        mode,
        env: { LOOKUPS_PER_USER_PER_MINUTE: '30', LOOKUPS_PER_USER_PER_HOUR: '1000' },
        now: () => new Date(now),
      });
      addCustomers(t.komerza.data, 80);
      // Too broad to run at all: nothing is asked of Komerza.
      const broad = await t.command('@');
      expect(text(broad.body)).toContain('Type more of the address to search');
      expect(t.komerza.calls).toHaveLength(0);
      // A search listing 25 of 80 customers costs 25 of the 30.
      const first = await t.slack.waitForPost((await t.command('customer')).responseId);
      const shown = new Set<string>();
      const emails = (message: unknown) => text(message).match(/customer\d+@example\.net/g) ?? [];
      for (const email of emails(first)) shown.add(email);
      expect(shown.size).toBe(25);
      // The next page: only 5 more rows, and the list says why and when it resets.
      const next = await t.click(button(first, 'picker_page_next'), { surface: 'message' });
      const second = await t.slack.waitForPost(next.responseId);
      for (const email of emails(second)) shown.add(email);
      expect(shown.size).toBe(30);
      expect(text(second)).toContain('20 more customers not shown');
      expect(text(second)).toContain('It resets in 50 seconds');
      // Nothing more this minute: refused before Komerza is asked.
      const calls = t.komerza.calls.length;
      const third = await t.click(button(second, 'picker_page_next'), { surface: 'message' });
      expect(text(await t.slack.waitForPost(third.responseId))).toContain(
        'You have been shown 30 customers this minute',
      );
      expect(t.komerza.calls.length).toBe(calls);
    });

    it('has an hourly budget beside the minute one', async () => {
      let now = Date.parse('2026-03-01T12:58:00Z');
      t = await startTestApp({
        mode,
        env: { LOOKUPS_PER_USER_PER_MINUTE: '100', LOOKUPS_PER_USER_PER_HOUR: '3' },
        now: () => new Date(now),
      });
      for (const query of ['jane@example.com', 'bob@example.org', 'quiet@example.net']) {
        await t.slack.waitForPost((await t.command(query)).responseId);
        now += 20_000;
      }
      const refused = await t.command('jane@example.com');
      expect(text(refused.body)).toContain('You have been shown 3 customers this hour');
      expect(text(refused.body)).toContain('It resets in 60 seconds');
      now = Date.parse('2026-03-01T13:00:01Z');
      expect(text(await t.slack.waitForPost((await t.command('jane@example.com')).responseId))).toContain(
        'jane@example.com',
      );
    });

    it('does not count "Open in Komerza", which reads nothing (hostile review #11)', async () => {
      t = await startTestApp({ mode, env: { LOOKUPS_PER_USER_PER_MINUTE: '2' } });
      const first = await t.command('jane@example.com');
      const card = await t.slack.waitForPost(first.responseId);
      for (let i = 0; i < 3; i++) {
        const click = await t.click(button(card, 'card_open'), { surface: 'message' });
        expect(click.status).toBe(200);
        expect(click.body).toBe('');
      }
      const second = await t.command('bob@example.org');
      expect(text(await t.slack.waitForPost(second.responseId))).toContain('bob@example.org');
      expect(events(t, 'lookup_limited')).toEqual([]);
    });
  });
});
