import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { IDS } from '../support/sample-store.js';
import { button } from '../support/slack-payloads.js';

/**
 * A shutdown whose deadline passes with lookups still running (hostile review #9): everyone whose lookup was cut
 * short gets a last message telling them to run it again, instead of "Queued…", "Looking up…" or nothing.
 */
describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await Promise.all([t?.komerza.close(), t?.slack.close(), t?.socket?.close()]);
    t = undefined;
  });

  const text = (value: unknown) => JSON.stringify(value);

  it('tells each person whose lookup is cut short to run it again', async () => {
    t = await startTestApp({
      mode,
      env: { SHUTDOWN_TIMEOUT_MS: '300', LOOKUPS_PER_USER_PER_MINUTE: '0', KOMERZA_TIMEOUT_MS: '30000' },
    });
    const app = t;
    const card = await app.slack.waitForPost((await app.command('bob@example.org')).responseId);
    // From now on Komerza never answers: every lookup stays in flight.
    app.komerza.addFault({ fault: { kind: 'hang' } });
    const commands = await Promise.all(['jane@example.com', 'alex', IDS.quiet].map((query) => app.command(query)));
    const shortcut = await app.messageShortcut({ text: 'jane@example.com' });
    const opened = await waitFor(() =>
      app.slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === shortcut.triggerId),
    );
    const refresh = await app.click(button(card, 'card_refresh'), { surface: 'message' });
    await waitFor(() => (app.created.inflight.size() === 5 ? true : undefined), 5000, 'five lookups in flight');

    await expect(app.created.stop()).resolves.toEqual({ abandoned: 5 });

    for (const { responseId } of [...commands, refresh]) {
      expect(text(await app.slack.waitForPost(responseId))).toContain('The lookup app is restarting');
    }
    const viewId = (opened.answer as { view: { id: string } }).view.id;
    const update = app.slack.calls.find((c) => c.method === 'views.update' && c.args.view_id === viewId);
    expect(text(update?.args.view)).toContain('Run it again');
    expect(app.logs.join('\n')).toContain('Told 5 person(s) whose lookup was cut short to run it again');
  });
});
