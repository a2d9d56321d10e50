import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/harness.js';
import { button, buttons } from '../support/slack-payloads.js';
import { startSocketTestApp } from '../support/socket-driver.js';

/**
 * The scenarios that matter, defined once and run over HTTP and over Socket Mode: the same bodies, the same
 * expectations on the ack and on what reaches Slack.
 */

type Json = Record<string, unknown>;
type Driven = Pick<TestApp, 'command' | 'messageShortcut' | 'click' | 'slack' | 'komerza' | 'logs' | 'stop'>;

const MODES: Array<[string, (options?: TestAppOptions) => Promise<Driven>]> = [
  ['HTTP', startTestApp],
  ['Socket Mode', startSocketTestApp],
];

const text = (value: unknown) => JSON.stringify(value);

describe.each(MODES)('over %s', (_mode, start) => {
  let t: Driven | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function command(query: string, app: Driven): Promise<Json> {
    const ack = await app.command(query);
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const post = await app.slack.waitForPost(ack.responseId);
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    return post;
  }

  it('/customer jane@example.com: an empty ack, then the card at the response_url', async () => {
    t = await start();
    const card = await command('jane@example.com', t);
    expect(card.response_type).toBe('ephemeral');
    expect(text(card)).toContain('$12,345.50');
    expect(text(card)).toContain('Order arrived damaged');
  });

  it('the message shortcut opens "Looking up…" and updates that view with the card', async () => {
    t = await start();
    const app = t;
    const ack = await app.messageShortcut({ text: 'Customer <mailto:jane@example.com|jane@example.com> writes' });
    expect(ack.status).toBe(200);
    const open = await waitFor(
      () => app.slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === ack.triggerId),
      5000,
      'views.open',
    );
    expect(text(open.args.view)).toContain('Looking up');
    const id = (open.answer as { view: { id: string } }).view.id;
    const update = await waitFor(
      () => app.slack.calls.find((c) => c.method === 'views.update' && c.args.view_id === id),
      5000,
      'views.update',
    );
    expect(text(update.args.view)).toContain('$12,345.50');
    expect(blockKitViolations(update.args.view as Json, { surface: 'modal' })).toEqual([]);
  });

  it('a click on Share posts the redacted card in the channel', async () => {
    t = await start();
    const card = await command('jane@example.com', t);
    expect(text(card)).toContain('203.0.113.24');
    const ack = await t.click(button(card, 'card_share'), { surface: 'message' });
    expect(ack.status).toBe(200);
    const shared = await t.slack.waitForPost(ack.responseId);
    expect(shared.response_type).toBe('in_channel');
    expect(text(shared)).toContain('Shared by <@U0AGENT>');
    expect(text(shared)).not.toContain('203.0.113.24');
    expect(buttons(shared).map((b) => b.action_id)).toEqual(['card_open']);
  });

  it('refuses a user outside ALLOWED_USER_IDS in the ack itself, without asking Komerza', async () => {
    t = await start({ env: { ALLOWED_USER_IDS: 'U0AGENT' } });
    const before = t.komerza.calls.length;
    const refused = await t.command('jane@example.com', { userId: 'U0OTHER' });
    expect(refused.status).toBe(200);
    expect((refused.body as Json).response_type).toBe('ephemeral');
    expect(text(refused.body)).toContain('You are not allowed to look up customers');
    expect(t.komerza.calls.length).toBe(before);
  });

  it('a Komerza fault (HTTP 500) reaches the person as a message at the response_url', async () => {
    t = await start();
    t.komerza.addFault({ path: '/email', fault: { kind: 'status', status: 500 } });
    const answer = await command('jane@example.com', t);
    expect(text(answer)).toContain('Komerza is having trouble (HTTP 500)');
  });
});
