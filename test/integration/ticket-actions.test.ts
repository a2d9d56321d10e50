import { afterEach, describe, expect, it } from '@jest/globals';
import { REPLY_MAX_CHARS } from '../../src/blocks/ticket-thread.js';
import { BLOCKS, INPUTS } from '../../src/slack/ids.js';
import { decodeValue, ticketButton } from '../../src/slack/values.js';
import { sleep, waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { ALL_SCOPES, startFakeKomerza } from '../support/fake-komerza.js';
import { MODES, type Mode, startTestApp, type TestApp, type TestAppOptions } from '../support/harness.js';
import { viewSubmissionPayload } from '../support/interaction-payloads.js';
import { assertNoInjection } from '../support/no-injection.js';
import { deleteKeys, MACHINE_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { IDS } from '../support/sample-store.js';
import { button, buttons } from '../support/slack-payloads.js';

type Json = Record<string, unknown>;

/** Jane's ticket waiting on the team ("Order arrived damaged", Customer responded) and her Responded one. */
const DAMAGED = 'b0000000-0000-4000-8000-000000000001';
const INVOICE = 'b0000000-0000-4000-8000-000000000002';
const ON = { TICKET_ACTIONS: 'reply_and_close' };

const text = (value: unknown) => JSON.stringify(value);

function ticketButtons(post: Json): Json[] {
  return buttons(post).filter((b) => String(b.action_id).startsWith('ticket_'));
}

/** The View & reply button of one ticket on a card. */
function viewButton(post: Json, ticketId: string): Json {
  const found = buttons(post).find(
    (b) => b.action_id === 'ticket_view' && decodeValue(ticketButton, String(b.value))?.ticketId === ticketId,
  );
  if (!found) throw new Error(`no View & reply for ${ticketId}`);
  return found;
}

const calls = (app: TestApp, method: string) => app.slack.calls.filter((c) => c.method === method);
const puts = (app: TestApp) => app.komerza.calls.filter((c) => c.method === 'PUT');
const deletes = (app: TestApp) => app.komerza.calls.filter((c) => c.method === 'DELETE');

/**
 * Clicks View & reply on a message card; resolves with the thread modal as Slack now holds it (and, in
 * `clickResponseId`, the click's response_url: where the card behind it is refreshed).
 */
async function openThread(app: TestApp, b: Json, userId = 'U0AGENT'): Promise<Json> {
  const click = await app.click(b, { surface: 'message', userId });
  const trigger = `trigger-click-${click.responseId}`;
  const opened = await waitFor(() => calls(app, 'views.open').find((c) => c.args.trigger_id === trigger));
  const id = (opened.answer as { view: { id: string } }).view.id;
  const filled = await waitFor(() => calls(app, 'views.update').find((c) => c.args.view_id === id));
  const view = filled.args.view as Json;
  expect(blockKitViolations(view, { surface: 'modal' })).toEqual([]);
  return { ...view, id, hash: `hash-${id}`, clickResponseId: click.responseId };
}

function submit(app: TestApp, view: Json, reply: string | null, userId = 'U0AGENT') {
  return app.interaction(
    viewSubmissionPayload(view, { [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: reply } }, userId),
  );
}

/** The view the app put in place of `view` after a submission (the thread with what became of the reply). */
async function afterSubmit(app: TestApp, view: Json, from: number): Promise<Json> {
  const update = await waitFor(() =>
    app.slack.calls.slice(from).find((c) => c.method === 'views.update' && c.args.view_id === view.id),
  );
  const next = update.args.view as Json;
  expect(blockKitViolations(next, { surface: 'modal' })).toEqual([]);
  return { ...next, id: view.id, hash: `hash-2-${String(view.id)}` };
}

const replyBox = (view: Json) =>
  (view.blocks as Json[]).find((block) => block.block_id === BLOCKS.ticketReply)?.element as Json | undefined;

describe.each(MODES)('%s mode', (mode: Mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function start(options: TestAppOptions = {}): Promise<TestApp> {
    t = await startTestApp({ mode, ...options, env: { ...ON, ...options.env } });
    return t;
  }

  async function card(app: TestApp, userId = 'U0AGENT'): Promise<{ post: Json; responseId: string }> {
    const ack = await app.command('jane@example.com', { userId });
    const post = await app.slack.waitForPost(ack.responseId);
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    return { post, responseId: ack.responseId };
  }

  describe('which cards carry ticket buttons', () => {
    it('TICKET_ACTIONS=off (the default): no ticket button on any card', async () => {
      const app = await start({ env: { TICKET_ACTIONS: 'off' } });
      const { post } = await card(app);
      expect(text(post)).toContain('Order arrived damaged');
      expect(ticketButtons(post)).toEqual([]);
    });

    it('on: every open ticket shown gets View & reply and Close ticket (with a confirmation), ids only in values', async () => {
      const app = await start();
      const { post } = await card(app);
      const all = ticketButtons(post);
      expect(all.map((b) => b.action_id)).toEqual(['ticket_view', 'ticket_close', 'ticket_view', 'ticket_close']);
      for (const b of all) {
        expect(decodeValue(ticketButton, String(b.value))).toEqual(
          expect.objectContaining({ customerId: IDS.jane, ticketId: expect.any(String) }),
        );
        expect(String(b.value)).not.toContain('jane@');
      }
      const close = button(post, 'ticket_close');
      expect(text(close.confirm)).toContain('The customer is not notified by this app.');
    });

    it('TICKET_ACTIONS=reply: View & reply only', async () => {
      const app = await start({ env: { TICKET_ACTIONS: 'reply' } });
      const { post } = await card(app);
      expect(ticketButtons(post).map((b) => b.action_id)).toEqual(['ticket_view', 'ticket_view']);
    });

    it('on, but the key lacks the write scopes: the start-up check says so and cards carry no ticket button', async () => {
      const app = await start({ startupCheck: true, komerza: { scopes: ALL_SCOPES } });
      expect(app.logs.join('\n')).toContain('stores.tickets.update');
      expect(app.logs.join('\n')).toContain('Ticket actions: none offered');
      const { post } = await card(app);
      expect(ticketButtons(post)).toEqual([]);
    });

    it('a shared card never carries ticket buttons', async () => {
      const app = await start();
      const { post } = await card(app);
      const click = await app.click(button(post, 'card_share'), { surface: 'message' });
      const shared = await app.slack.waitForPost(click.responseId);
      expect(shared.response_type).toBe('in_channel');
      expect(text(shared)).toContain('Order arrived damaged');
      expect(ticketButtons(shared)).toEqual([]);
    });
  });

  describe('who may write', () => {
    it('someone outside ALLOWED_WRITE_USER_IDS sees no ticket button, and is refused when they click or submit one', async () => {
      const app = await start({ env: { ALLOWED_WRITE_USER_IDS: 'U0LEAD' } });
      expect(ticketButtons((await card(app, 'U0AGENT')).post)).toEqual([]);
      const lead = (await card(app, 'U0LEAD')).post;
      expect(ticketButtons(lead)).toHaveLength(4);

      const click = await app.click(viewButton(lead, DAMAGED), { surface: 'message', userId: 'U0AGENT' });
      const refusal = await app.slack.waitForPost(click.responseId);
      expect(text(refusal)).toContain('not open ticket threads');
      expect(refusal.replace_original).toBe(false);
      expect(calls(app, 'views.open')).toEqual([]);

      const thread = await openThread(app, viewButton(lead, DAMAGED), 'U0LEAD');
      const ack = await submit(app, thread, 'Hello from someone else', 'U0AGENT');
      expect(ack.body).toEqual({
        response_action: 'errors',
        errors: { [BLOCKS.ticketReply]: expect.stringContaining('not reply to tickets') },
      });
      await app.click(button(lead, 'ticket_close'), { surface: 'message', userId: 'U0AGENT' });
      await app.settled();
      expect(puts(app)).toEqual([]);
      expect(deletes(app)).toEqual([]);
      // The submission and the Close are refused writes; opening the thread is an access refusal.
      const refused = app.logs.filter((line) => line.includes('"ticket_write"') && line.includes('"refused"'));
      expect(refused).toHaveLength(2);
      expect(app.logs.some((line) => line.includes('"access_denied"') && line.includes('ticket_view'))).toBe(true);
    });

    it('a submission the access rules refuse keeps the typed text: the refusal shows under the reply box', async () => {
      const app = await start({ env: { ALLOWED_USER_IDS: 'U0AGENT' } });
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      const ack = await submit(app, thread, 'Typed by someone else', 'U0GUEST');
      expect(ack.body).toEqual({
        response_action: 'errors',
        errors: { [BLOCKS.ticketReply]: expect.stringContaining('not allowed to look up customers') },
      });
      await app.settled();
      expect(puts(app)).toEqual([]);
    });
  });

  describe('the thread', () => {
    it('shows every entry (who, when, message), escaped; a 200-message thread stays inside the limits', async () => {
      const app = await start();
      const jane = app.komerza.data.customers.find((c) => c.id === IDS.jane) as Json;
      const ticket = (jane.tickets as Json[])[0] as Json;
      ticket.entries = Array.from({ length: 200 }, (_, i) => ({
        id: `e${i}`,
        dateCreated: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
        message: i === 199 ? '<!channel> *pay* <https://evil.example|here> &amp;' : `Message number ${i}`,
        name: i % 2 ? 'Support' : '<@U0BOSS> Jane',
      }));
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      expect(text(thread)).toContain('Message number 198');
      expect(text(thread)).toMatch(/and \d+ earlier messages/);
      expect(text(thread)).not.toContain('Message number 0"');
      assertNoInjection(thread);
      expect(replyBox(thread)).toEqual(expect.objectContaining({ max_length: REPLY_MAX_CHARS, multiline: true }));
    });
  });

  describe('replying', () => {
    it('sends exactly one PUT with the text as typed, shows the thread with the reply, and refreshes the card', async () => {
      const app = await start();
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      const typed = 'Hi Jane,\n\nA replacement is on its way <3 — *no* charge & no need to return it. 😀';
      const from = app.slack.calls.length;
      const ack = await submit(app, thread, typed);
      expect(ack.body).toEqual(expect.objectContaining({ response_action: 'update' }));
      expect(text(ack.body)).toContain('Sending your reply');
      const after = await afterSubmit(app, thread, from);
      expect(text(after)).toContain('Reply sent');
      expect(text(after)).toContain('A replacement is on its way &lt;3');
      expect(replyBox(after)?.initial_value).toBeUndefined();
      const refreshed = await app.slack.waitForPost(String(thread.clickResponseId));
      expect(refreshed.replace_original).toBe(true);
      expect(text(refreshed)).toContain('Order arrived damaged');
      // The ticket was waiting on the team; Komerza now has it Responded, and the card read again says so.
      expect(text(post)).toContain('needs reply');
      expect(text(refreshed)).not.toContain('needs reply');
      await app.settled();
      expect(puts(app)).toHaveLength(1);
      expect(app.komerza.writes).toEqual([
        expect.objectContaining({ method: 'PUT', ticketId: DAMAGED, message: typed }),
      ]);
      const audit = app.logs.filter((line) => line.includes('"ticket_write"'));
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0] as string)).toEqual(
        expect.objectContaining({ action: 'reply', ticketId: DAMAGED, customerId: IDS.jane, outcome: 'sent' }),
      );
      expect(app.logs.join('\n')).not.toContain('replacement');
    });

    it('a double submit and a redelivered submission post once', async () => {
      const app = await start();
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, INVOICE));
      const [first, second] = await Promise.all([submit(app, thread, 'Once only'), submit(app, thread, 'Once only')]);
      const acks = [first, second].map((a) => text(a.body));
      expect(acks.filter((a) => a.includes('"update"'))).toHaveLength(1);
      expect(acks.filter((a) => a.includes('already sent'))).toHaveLength(1);
      await app.settled();
      const again = await submit(app, thread, 'Once only');
      expect(text(again.body)).toContain('already sent');
      await app.settled();
      expect(puts(app)).toHaveLength(1);
    });

    it('refuses an empty or over-long reply in the modal, before anything is sent', async () => {
      const app = await start();
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      for (const reply of ['', '   \n  ', null, 'x'.repeat(REPLY_MAX_CHARS + 1)]) {
        const ack = await submit(app, thread, reply);
        expect(ack.body).toEqual({ response_action: 'errors', errors: { [BLOCKS.ticketReply]: expect.any(String) } });
      }
      const exact = await submit(app, thread, 'y'.repeat(REPLY_MAX_CHARS));
      expect(text(exact.body)).toContain('"update"');
      await app.settled();
      expect(puts(app)).toHaveLength(1);
    });

    it('a PUT that times out is not sent again: the person is told it may or may not have been sent, sees the thread as Komerza has it, keeps the text', async () => {
      const app = await start({ env: { KOMERZA_TIMEOUT_MS: '400' } });
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      app.komerza.addFault({
        method: 'PUT',
        path: '/tickets/',
        fault: { kind: 'apply_then', fault: { kind: 'hang' } },
      });
      const from = app.slack.calls.length;
      await submit(app, thread, 'Did this arrive?');
      const after = await afterSubmit(app, thread, from);
      expect(text(after)).toContain('may or may not have been sent');
      // Komerza applied it before the answer was lost: the thread read afterwards shows it.
      expect((after.blocks as Json[]).filter((b) => text(b).includes('Did this arrive?')).length).toBeGreaterThan(0);
      expect(replyBox(after)?.initial_value).toBe('Did this arrive?');
      await app.settled();
      await sleep(300);
      expect(puts(app)).toHaveLength(1);
      expect(app.logs.join('\n')).toContain('"outcome":"uncertain"');
    });

    it('a refused PUT (403) says why, keeps the text, and may be sent again from the updated modal', async () => {
      const app = await start();
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      app.komerza.addFault({
        method: 'PUT',
        path: '/tickets/',
        times: 1,
        fault: { kind: 'status', status: 403, body: { success: false, code: 'AccessDenied', message: 'no' } },
      });
      const from = app.slack.calls.length;
      await submit(app, thread, 'Try me');
      const after = await afterSubmit(app, thread, from);
      expect(text(after)).toContain('was not sent');
      expect(text(after)).toContain('stores.tickets.update');
      expect(replyBox(after)?.initial_value).toBe('Try me');
      await app.settled();
      expect(puts(app)).toHaveLength(1);
    });

    it('hostile text in a reply is sent exactly as typed and shown escaped', async () => {
      const app = await start();
      const { post } = await card(app);
      const thread = await openThread(app, viewButton(post, DAMAGED));
      const hostile = '<!channel> <@U0BOSS> <https://evil.example|click> &amp; `code` *bold* _it_ ~s~';
      const from = app.slack.calls.length;
      await submit(app, thread, hostile);
      const after = await afterSubmit(app, thread, from);
      assertNoInjection(after);
      await app.settled();
      expect(app.komerza.writes.map((w) => w.message)).toEqual([hostile]);
    });

    it('from a card in the shortcut modal: the thread is pushed over it, and the card under it is refreshed', async () => {
      const app = await start();
      const run = await app.runShortcut({ type: 'message', text: 'from jane@example.com', user: 'U0CUST', ts: '1.2' });
      const click = await app.click(viewButton(run.view, DAMAGED), { surface: 'modal', view: run.view });
      const trigger = `trigger-click-${click.responseId}`;
      const pushed = await waitFor(() => calls(app, 'views.push').find((c) => c.args.trigger_id === trigger));
      const id = (pushed.answer as { view: { id: string } }).view.id;
      const filled = await waitFor(() => calls(app, 'views.update').find((c) => c.args.view_id === id));
      const thread = { ...(filled.args.view as Json), id, hash: `hash-${id}` };
      const from = app.slack.calls.length;
      await submit(app, thread, 'From the modal');
      await afterSubmit(app, thread, from);
      const cardUpdate = await waitFor(() =>
        app.slack.calls.slice(from).find((c) => c.method === 'views.update' && c.args.view_id === run.view.id),
      );
      const refreshed = cardUpdate.args.view as Json;
      expect(refreshed.private_metadata).toBe(run.view.private_metadata);
      expect(text(refreshed)).toContain('Order arrived damaged');
      expect(blockKitViolations(refreshed, { surface: 'modal' })).toEqual([]);
    });
  });

  describe('closing', () => {
    it('one DELETE after the confirmation, then the card refreshed in place without the ticket; a double click closes once', async () => {
      const app = await start();
      const { post } = await card(app);
      const close = buttons(post).find(
        (b) => b.action_id === 'ticket_close' && decodeValue(ticketButton, String(b.value))?.ticketId === DAMAGED,
      ) as Json;
      const [first] = await Promise.all([
        app.click(close, { surface: 'message' }),
        app.click(close, { surface: 'message' }),
      ]);
      const refreshed = await app.slack.waitForPost(first.responseId);
      expect(refreshed.replace_original).toBe(true);
      await app.settled();
      expect(deletes(app)).toHaveLength(1);
      const posts = app.slack.posts.map((p) => text(p.body));
      expect(posts.some((p) => p.includes('Ticket closed'))).toBe(true);
      expect(posts.some((p) => p.includes('already being closed'))).toBe(true);
      const closedCard = posts.find((p) => p.includes('Ticket closed')) as string;
      expect(closedCard).not.toContain('Order arrived damaged');
      expect(closedCard).toContain('Invoice for March');
    });
  });
});

describe.each(MODES)('two replicas sharing one Redis (%s mode)', (mode: Mode) => {
  it('the same submission and the same Close reaching both replicas write once', async () => {
    const komerza = await startFakeKomerza();
    const prefix = `${uniquePrefix('ticket-writes')}:`;
    const env = { ...ON, REDIS_URL: MACHINE_REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const a = await startTestApp({ mode, komerzaServer: komerza, env });
    const b = await startTestApp({ mode, komerzaServer: komerza, env });
    try {
      const ack = await a.command('jane@example.com');
      const post = await a.slack.waitForPost(ack.responseId);
      const thread = await openThread(a, viewButton(post, DAMAGED));
      const payload = viewSubmissionPayload(thread, { [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: 'Just once' } });
      const acks = await Promise.all([a.interaction(payload), b.interaction(payload)]);
      expect(acks.map((x) => text(x.body)).filter((x) => x.includes('already sent'))).toHaveLength(1);

      const close = button(post, 'ticket_close');
      await Promise.all([a.click(close, { surface: 'message' }), b.click(close, { surface: 'message' })]);
      await Promise.all([a.settled(), b.settled()]);
      expect(komerza.writeAttempts).toBe(2);
      expect(komerza.writes.map((w) => w.method).sort()).toEqual(['DELETE', 'PUT']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await komerza.close();
      await deleteKeys(MACHINE_REDIS_URL, prefix);
    }
  });
});
