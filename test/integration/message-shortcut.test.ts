import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { MODES, type ShortcutRun, startTestApp, type TestApp } from '../support/harness.js';
import { IDS } from '../support/sample-store.js';
import { button, buttons } from '../support/slack-payloads.js';

type Json = Record<string, unknown>;

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ mode });
  });
  afterEach(() => {
    t.komerza.clearFaults();
    t.slack.off('views.open');
    t.slack.off('views.update');
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Runs the shortcut (harness) and checks both views it sent are within Block Kit's modal limits. */
  async function runShortcut(message: Json, options: Parameters<TestApp['runShortcut']>[1] = {}): Promise<ShortcutRun> {
    const run = await t.runShortcut(message, options);
    expect(run.ack.status).toBe(200);
    expect(blockKitViolations(run.open.args.view as Json, { surface: 'modal' })).toEqual([]);
    expect(blockKitViolations(run.update.args.view as Json, { surface: 'modal' })).toEqual([]);
    return run;
  }

  const text = (value: unknown) => JSON.stringify(value);

  describe('"Look up customer" message shortcut', () => {
    it('opens a "Looking up…" modal right after the ack, before Komerza answers, then updates that view with the card', async () => {
      // Komerza holds every answer until the test releases it: the modal must open without waiting for Komerza
      // (the trigger_id dies after 3 s). A gate rather than a delay, so the assertions do not race a timer.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      t.komerza.addFault({ fault: { kind: 'wait', until: gate } });
      const ack = await t.messageShortcut({
        text: 'Customer <mailto:jane@example.com|jane@example.com> wants a refund',
      });
      expect(ack.status).toBe(200);
      const open = await waitFor(
        () => t.slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === ack.triggerId),
        5000,
        'views.open',
      );
      // When the modal opened, no Komerza request had been answered yet, and the view was not yet updated.
      const opened = (open.answer as { view: { id: string; hash: string } }).view;
      expect(t.slack.calls.some((c) => c.method === 'views.update' && c.args.view_id === opened.id)).toBe(false);
      expect(text(open.args.view)).toContain('Looking up');
      // Komerza, held at the gate, has answered nothing yet: only now may the lookup finish.
      release();

      const update = await waitFor(
        () => t.slack.calls.find((c) => c.method === 'views.update' && c.args.view_id === opened.id),
        5000,
        'views.update',
      );
      expect(update.args.hash).toBe(opened.hash);
      const view = update.args.view as Json;
      expect(view.type).toBe('modal');
      expect(text(view)).toContain('jane@example.com');
      expect(text(view)).toContain('$12,345.50');
      expect(buttons(view).map((b) => b.action_id)).toEqual(['card_share', 'card_refresh', 'card_open']);
      expect(blockKitViolations(view, { surface: 'modal' })).toEqual([]);
      expect(blockKitViolations(open.args.view as Json, { surface: 'modal' })).toEqual([]);
      // The thread to share into and the response_url travel in private_metadata, no personal data.
      const metadata = JSON.parse(String(view.private_metadata));
      expect(metadata).toMatchObject({ ch: 'C0SUPPORT', ts: '1700000000.000100' });
      expect(String(view.private_metadata)).not.toContain('@');
    });

    it('audits the lookup without the email', async () => {
      await runShortcut({ text: 'from jane@example.com' });
      await t.settled();
      const audit = t.logs.filter((line) => line.includes('"shortcut"'));
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.join('\n')).not.toContain('jane@example.com');
      expect(audit.at(-1)).toContain(IDS.jane);
    });

    it('finds an entity-escaped address in the text', async () => {
      const run = await runShortcut({ text: 'Reply to &lt;bob@example.org&gt; please' });
      expect(text(run.view)).toContain('bob@example.org');
      expect(text(run.view)).toContain('Pro plan');
    });

    it('finds an address in rich_text blocks when the text is empty', async () => {
      const run = await runShortcut({
        text: '',
        blocks: [
          {
            type: 'rich_text',
            block_id: 'x',
            elements: [
              {
                type: 'rich_text_section',
                elements: [
                  { type: 'text', text: 'Customer: ' },
                  { type: 'link', url: 'mailto:bob@example.org', text: 'Bob' },
                ],
              },
            ],
          },
        ],
      });
      expect(text(run.view)).toContain('bob@example.org');
    });

    it('finds an address in a section block and an order id in an attachment', async () => {
      const section = await runShortcut({
        text: 'New ticket',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'From: <mailto:quiet@example.net|quiet@example.net>' } },
        ],
      });
      expect(text(section.view)).toContain('quiet@example.net');

      const attachment = await runShortcut({
        text: 'Order alert',
        attachments: [{ fallback: 'order', fields: [{ title: 'Order', value: IDS.janeOrder.toUpperCase() }] }],
      });
      expect(text(attachment.view)).toContain('jane@example.com');
    });

    it('shows the card once when an email and an order id name the same customer', async () => {
      const run = await runShortcut({ text: `jane@example.com about order ${IDS.janeOrder}` });
      expect(text(run.view)).toContain('$12,345.50');
      expect(buttons(run.view).some((b) => b.action_id === 'picker_open')).toBe(false);
    });

    it('lists several customers with an Open button each, and Open replaces the list with the card', async () => {
      const run = await runShortcut({
        text: 'Merge jane@example.com into bob@example.org? Also ghost@example.com',
      });
      const view = run.view;
      expect(text(view)).toContain('names 2 customers');
      expect(text(view)).toContain('ghost@example.com'); // listed as not found
      const opens = buttons(view).filter((b) => b.action_id === 'picker_open');
      expect(opens).toHaveLength(2);
      for (const b of opens) expect(String(b.value)).not.toContain('@');

      const ack = await t.click(button(view, 'picker_open', 1), { surface: 'modal', view });
      expect(ack.status).toBe(200);
      const update = await waitFor(
        () =>
          t.slack.calls.find(
            (c) => c.method === 'views.update' && c.args.view_id === view.id && c.args.hash === view.hash,
          ),
        5000,
        'views.update after Open',
      );
      const card = update.args.view as Json;
      expect(text(card)).toContain('bob@example.org');
      expect(text(card)).toContain('Pro plan');
      expect(card.private_metadata).toBe(view.private_metadata);
      expect(blockKitViolations(card, { surface: 'modal' })).toEqual([]);
    });

    it('says what it looked for when the message names nobody', async () => {
      const run = await runShortcut({ text: 'Can someone look at this? <@U0123> thanks' });
      expect(text(run.view)).toContain('No email address or id found');
      expect(text(run.view)).toContain('/customer');
    });

    it('says nobody matched when the address is unknown', async () => {
      const run = await runShortcut({ text: 'nobody@example.com' });
      expect(text(run.view)).toContain('No customer found');
    });

    it('shows the same Komerza error message as the command', async () => {
      t.komerza.addFault({ fault: { kind: 'status', status: 401, body: { success: false, code: 'BadToken' } } });
      const run = await runShortcut({ text: 'jane@example.com' });
      expect(text(run.view)).toContain('Komerza rejected the app’s API key');
    });

    it('answers through the response_url when the modal cannot be opened (trigger expired)', async () => {
      t.slack.on('views.open', () => ({ ok: false, error: 'trigger_expired' }));
      const ack = await t.messageShortcut({ text: 'jane@example.com' });
      const post = await t.slack.waitForPost(ack.responseId);
      expect(post.response_type).toBe('ephemeral');
      expect(text(post)).toContain('$12,345.50');
      expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    });

    it('answers through the response_url when the modal cannot be updated, so "Looking up…" does not stay', async () => {
      t.slack.on('views.update', () => ({ ok: false, error: 'internal_error' }));
      const ack = await t.messageShortcut({ text: 'jane@example.com' });
      const post = await t.slack.waitForPost(ack.responseId);
      expect(post).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(text(post)).toContain('$12,345.50');
    });

    it('tells nobody when the person closed the modal before the answer came (views.update: not_found)', async () => {
      t.slack.on('views.update', () => ({ ok: false, error: 'not_found' }));
      const ack = await t.messageShortcut({ text: 'jane@example.com' });
      await waitFor(() => t.logs.find((line) => line.includes('Could not update the lookup modal')), 5000, 'log');
      await expect(t.slack.waitForPost(ack.responseId, 300)).rejects.toThrow('no post');
    });

    it('says so on the card when one customer was found but Komerza failed on the message’s other candidates', async () => {
      t.komerza.addFault({
        path: 'bob@example.org',
        fault: { kind: 'status', status: 503, text: '<html>down</html>' },
      });
      const run = await runShortcut({ text: 'jane@example.com and bob@example.org' });
      expect(text(run.view)).toContain('$12,345.50');
      expect(text(run.view)).toContain('1 other id or address in this message could not be checked');
      expect(t.logs.some((line) => line.includes('Komerza call failed'))).toBe(true);
    });

    it('keeps a modal of a huge message within limits', async () => {
      const emails = Array.from({ length: 40 }, (_, i) => `person${i}@example.com`).join(' ');
      const run = await runShortcut({ text: `jane@example.com bob@example.org ${emails}` });
      expect(blockKitViolations(run.view, { surface: 'modal' })).toEqual([]);
      // Only the first 8 candidates are resolved: 2 customers, and 6 misses of which 5 are named.
      expect(buttons(run.view).filter((b) => b.action_id === 'picker_open')).toHaveLength(2);
      expect(text(run.view)).toContain('and 1 more');
      expect(text(run.view)).not.toContain('person6@');
    });

    it('a Slack 429 on one person’s views.open does not stall anyone else’s modal (hostile review #6)', async () => {
      let limited = true;
      const original = t.slack.calls.length;
      t.slack.on('views.open', (args) => {
        if (limited) {
          limited = false;
          return { rateLimitedFor: 20 };
        }
        return { ok: true, view: { ...(args.view as Json), id: 'V-second', hash: 'h-second' } };
      });
      const first = await t.messageShortcut({ text: 'jane@example.com' });
      // The first person's answer still arrives, through the shortcut's response_url.
      expect(text(await t.slack.waitForPost(first.responseId))).toContain('jane@example.com');
      const second = await t.runShortcut({ text: 'bob@example.org' }, { userId: 'U0SECOND' });
      expect(text(second.view)).toContain('bob@example.org');
      const opens = t.slack.calls.slice(original).filter((call) => call.method === 'views.open');
      expect(opens).toHaveLength(2);
    });

    it('reads Komerza while views.open is pending, never retries it, and gives up on it inside the trigger’s 3 s (hostile review #7)', async () => {
      const app = await startTestApp({ mode, slackRetries: 2 });
      try {
        app.slack.on('views.open', () => 'hang');
        const ack = await app.messageShortcut({ text: 'jane@example.com' });
        // Komerza is asked while views.open still has no answer.
        await waitFor(() => (app.komerza.calls.length > 0 ? true : undefined), 2500, 'a Komerza read');
        expect(app.slack.calls.filter((call) => call.method === 'views.open')).toHaveLength(1);
        // views.open is given up within the trigger's life; the answer goes to the response_url.
        const post = await app.slack.waitForPost(ack.responseId, 6000);
        expect(text(post)).toContain('jane@example.com');
        expect(app.slack.calls.filter((call) => call.method === 'views.open')).toHaveLength(1);
      } finally {
        await app.stop();
      }
    });
  });
});
