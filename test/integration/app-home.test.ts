import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { appHomeOpenedBody, homeClickPayload } from '../support/event-payloads.js';
import type { WebApiCall } from '../support/fake-slack.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { assertNoInjection } from '../support/no-injection.js';
import { button, buttons } from '../support/slack-payloads.js';

type Json = Record<string, unknown>;

/**
 * The Home tab end to end, in both modes: app_home_opened → views.publish (docs/slack-platform.md §9.2), the search
 * box → a private modal, and access control on the tab's clicks.
 */
describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  /** Opens the Home tab as `userId`; resolves with the view published for them, as Slack holds it (id, hash). */
  async function openHome(app: TestApp, userId = 'U0AGENT'): Promise<Json> {
    const before = app.slack.calls.length;
    const ack = await app.event(appHomeOpenedBody(userId));
    expect(ack.status).toBe(200);
    const publish = await waitFor(
      () =>
        app.slack.calls.slice(before).find((call) => call.method === 'views.publish' && call.args.user_id === userId),
      5000,
      'views.publish',
    );
    const answer = publish.answer as { view: { id: string; hash: string } };
    return { ...(publish.args.view as Json), id: answer.view.id, hash: answer.view.hash };
  }

  const callsAfter = (app: TestApp, index: number, method: string) =>
    app.slack.calls.slice(index).filter((call) => call.method === method);

  describe('the Home tab', () => {
    it('is published for whoever opens it: how to use the app, their access, the app’s state, no customer data', async () => {
      t = await startTestApp({ mode });
      const view = await openHome(t);
      expect(view.type).toBe('home');
      expect(blockKitViolations(view, { surface: 'home' })).toEqual([]);
      assertNoInjection(view);
      const text = JSON.stringify(view);
      expect(text).toContain('/customer jane@example.com');
      expect(text).toContain('Look up Komerza customer');
      expect(text).toContain('Look up customers: *yes*');
      expect(text).toContain(mode === 'socket' ? '*Socket Mode*' : '*HTTP*');
      expect(text).toContain('Komerza queue: *empty*');
      // The test app skips the start-up check (service.ts runs it): the tab says so rather than guess.
      expect(text).toContain('Komerza key: *not checked*');
      expect(t.komerza.calls).toHaveLength(0);
      // Opening the Messages tab publishes nothing.
      const before = t.slack.calls.length;
      await t.event(appHomeOpenedBody('U0AGENT', 'messages'));
      await t.settled();
      expect(callsAfter(t, before, 'views.publish')).toEqual([]);
    });

    it.each(['button', 'enter'] as const)(
      'searches from the box (%s): "Looking up…" in a modal, then the card there, privately',
      async (via) => {
        t = await startTestApp({ mode });
        const home = await openHome(t);
        const before = t.slack.calls.length;
        const ack = await t.interaction(homeClickPayload(home, 'jane@example.com', { via, triggerId: 'trigger-h1' }));
        expect(ack.status).toBe(200);
        const open = await waitFor(() => callsAfter(t as TestApp, before, 'views.open')[0], 5000, 'views.open');
        expect(open.args.trigger_id).toBe('trigger-h1');
        const opened = (open.answer as { view: { id: string } }).view.id;
        const update = await waitFor(
          () => callsAfter(t as TestApp, before, 'views.update').find((call) => call.args.view_id === opened),
          5000,
          'views.update',
        );
        const modal = update.args.view as Json;
        expect(blockKitViolations(modal, { surface: 'modal' })).toEqual([]);
        expect(JSON.stringify(modal)).toContain('Order arrived damaged');
        expect(buttons(modal).map((b) => b.action_id)).toEqual(['card_refresh', 'card_open']);
        // Nothing went to a channel.
        expect(callsAfter(t, before, 'chat.postMessage')).toEqual([]);
        expect(callsAfter(t, before, 'chat.postEphemeral')).toEqual([]);

        // Refresh inside that modal works where it is (views.update of the same view).
        const refreshBefore = t.slack.calls.length;
        await t.click(button(modal, 'card_refresh'), {
          surface: 'modal',
          view: { ...modal, id: opened, hash: 'h-home-modal' },
        });
        const refreshed = await waitFor(
          () => callsAfter(t as TestApp, refreshBefore, 'views.update')[0],
          5000,
          'the refreshed card',
        );
        expect(refreshed.args.view_id).toBe(opened);
        expect(buttons(refreshed.args.view as Json).map((b) => b.action_id)).not.toContain('card_share');
        await t.settled();
        const audit = t.logs.map((line) => JSON.parse(line) as Json).filter((entry) => entry.event === 'lookup');
        expect(audit[0]).toMatchObject({ source: 'home', user: 'U0AGENT', outcome: 'card', queryKind: 'email' });
        // What was typed into the box, and what was found, stay out of the logs.
        expect(t.logs.join('\n')).not.toContain('jane@example.com');
      },
    );

    it('counts a Home search against the person’s budget, and refuses it privately once spent', async () => {
      // A clock that stands still: the minute's window must not roll over between the searches.
      const now = new Date();
      t = await startTestApp({
        mode,
        env: { LOOKUPS_PER_USER_PER_MINUTE: '1', LOOKUPS_PER_USER_PER_HOUR: '0' },
        now: () => new Date(now),
      });
      const home = await openHome(t);
      let before = t.slack.calls.length;
      await t.interaction(homeClickPayload(home, 'jane@example.com'));
      await waitFor(() => callsAfter(t as TestApp, before, 'views.update')[0], 5000, 'the card');
      await t.settled();
      const calls = t.komerza.calls.length;

      before = t.slack.calls.length;
      await t.interaction(homeClickPayload(home, 'bob@example.org'));
      const refusal = await waitFor(() => callsAfter(t as TestApp, before, 'views.open')[0], 5000, 'the refusal');
      expect(JSON.stringify(refusal.args.view)).toContain('You have been shown 1 customer this minute');
      expect(t.komerza.calls).toHaveLength(calls);
      // The tab itself still publishes, and shows what is left.
      expect(JSON.stringify(await openHome(t))).toContain('0 of 1 this minute');
    });
  });

  describe('access control on the Home tab', () => {
    it('still publishes the tab for a refused person, explaining why, with no search box', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0LEAD' } });
      const view = await openHome(t, 'U0GUEST');
      const text = JSON.stringify(view);
      expect(text).toContain('You cannot look customers up with this app');
      expect(text).not.toContain('home_search_input');
      expect(text).toContain('Reply to tickets: *off*');
    });

    it('refuses a search from a tab published before access was withdrawn: a private modal, Komerza not asked', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0LEAD' } });
      const home = await openHome(t, 'U0LEAD');
      const before = t.slack.calls.length;
      const ack = await t.interaction(homeClickPayload(home, 'jane@example.com', { userId: 'U0GUEST' }));
      expect(ack.status).toBe(200);
      const refusal: WebApiCall = await waitFor(
        () => callsAfter(t as TestApp, before, 'views.open')[0],
        5000,
        'the refusal modal',
      );
      // Opened, not pushed: a Home tab is not a modal.
      expect(callsAfter(t, before, 'views.push')).toEqual([]);
      expect(JSON.stringify(refusal.args.view)).toContain('You are not allowed to look up customers');
      expect(t.komerza.calls).toHaveLength(0);
      const denied = t.logs.map((line) => JSON.parse(line) as Json).filter((entry) => entry.event === 'access_denied');
      expect(denied).toEqual([expect.objectContaining({ request: 'block_actions', user: 'U0GUEST' })]);
    });

    it('refuses a Home search when lookups are limited to channels (the tab has none), and says where to go', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_CHANNEL_IDS: 'C0SUPPORT' } });
      const view = await openHome(t);
      expect(JSON.stringify(view)).toContain('<#C0SUPPORT>');
      assertNoInjection(view, { trustedChannelIds: ['C0SUPPORT'] });
      const before = t.slack.calls.length;
      await t.interaction(homeClickPayload(view, 'jane@example.com'));
      const refusal = await waitFor(() => callsAfter(t as TestApp, before, 'views.open')[0], 5000, 'the refusal');
      expect(JSON.stringify(refusal.args.view)).toContain('Customer lookups are not enabled here');
      expect(t.komerza.calls).toHaveLength(0);
    });
  });
});
