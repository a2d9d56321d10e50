import { afterEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { functionExecutedBody, STEP_TOKEN, type StepOptions } from '../support/event-payloads.js';
import type { WebApiCall } from '../support/fake-slack.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { IDS } from '../support/sample-store.js';

/**
 * The Workflow Builder step end to end: a signed `function_executed` over HTTP (JSON) and the same body as an
 * `events_api` envelope in Socket Mode; the app acks, looks up, and ends the step through the fake Slack's
 * functions.completeSuccess / completeError with the event's own token (docs/slack-platform.md §9.1).
 */
describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  /** Runs the step once; resolves with the ack and the call that ended this execution. */
  async function runStep(app: TestApp, options: StepOptions = {}) {
    const { body, executionId } = functionExecutedBody(options);
    const ack = await app.event(body);
    const end = await waitFor(
      () =>
        app.slack.calls.find(
          (call) => call.method.startsWith('functions.complete') && call.args.function_execution_id === executionId,
        ),
      5000,
      `the end of step ${executionId}`,
    );
    return { ack, end };
  }

  const outputsOf = (call: WebApiCall) => call.args.outputs as Record<string, unknown>;
  const events = (app: TestApp, name: string) =>
    app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === name);

  describe('the "Look up Komerza customer" step', () => {
    it('acks, then completes with Jane’s outputs using the token Slack gave the step', async () => {
      t = await startTestApp({ mode });
      const { ack, end } = await runStep(t, { customer: 'jane@example.com' });
      expect(ack.status).toBe(200);
      expect(end.method).toBe('functions.completeSuccess');
      expect(end.token).toBe(STEP_TOKEN);
      expect(outputsOf(end)).toEqual({
        found: true,
        customer_id: IDS.jane,
        email: 'jane@example.com',
        status: 'VIP',
        total_spend: 12345.5,
        total_spend_formatted: '$12,345.50',
        orders: 60,
        open_tickets: 2,
        tickets_needing_reply: 1,
        subscriptions_expiring_soon: 0,
        dashboard_url: 'https://dashboard.komerza.com',
      });
      const text = JSON.stringify(outputsOf(end));
      expect(text).not.toContain('203.0.113.24');
      await t.settled();
      expect(events(t, 'lookup')).toEqual([
        expect.objectContaining({ source: 'workflow_step', user: 'U0AGENT', outcome: 'card', customerId: IDS.jane }),
      ]);
      expect(t.logs.join('\n')).not.toContain('jane@example.com');
    });

    it('gives Bob’s subscription expiring in 3 days as the next expiry, by order id for Jane too', async () => {
      t = await startTestApp({ mode });
      const bob = outputsOf((await runStep(t, { customer: 'bob@example.org' })).end);
      expect(bob).toMatchObject({ found: true, subscriptions_expiring_soon: 1, orders: 10, open_tickets: 0 });
      const inThreeDays = Date.now() / 1000 + 3 * 86_400;
      expect(Math.abs((bob.next_subscription_expiry as number) - inThreeDays)).toBeLessThan(120);
      const byOrder = outputsOf((await runStep(t, { customer: IDS.janeOrder })).end);
      expect(byOrder).toMatchObject({ found: true, customer_id: IDS.jane });
    });

    it('completes with found: false and empty values for an unknown address', async () => {
      t = await startTestApp({ mode });
      const { end } = await runStep(t, { customer: 'nobody@example.com' });
      expect(end.method).toBe('functions.completeSuccess');
      expect(outputsOf(end)).toEqual({
        found: false,
        customer_id: '',
        email: '',
        status: '',
        total_spend_formatted: '',
        dashboard_url: '',
      });
      await t.settled();
      // What the workflow passed in is never logged.
      expect(t.logs.join('\n')).not.toContain('nobody@example.com');
    });

    it('fails with a clear message when Komerza is down', async () => {
      t = await startTestApp({ mode });
      t.komerza.addFault({ path: '/customers', fault: { kind: 'status', status: 503, text: 'down' } });
      const { end } = await runStep(t, { customer: 'jane@example.com' });
      expect(end.method).toBe('functions.completeError');
      expect(end.token).toBe(STEP_TOKEN);
      expect(end.args.error).toMatch(/^Komerza customer lookup failed: Komerza is having trouble \(HTTP 503\)/);
    });

    it('fails naming the scope when the key may not read customers', async () => {
      t = await startTestApp({
        mode,
        komerza: { scopes: ['stores.view', 'stores.orders.view', 'stores.subscriptions.view'] },
      });
      const { end } = await runStep(t, { customer: 'jane@example.com' });
      expect(end.method).toBe('functions.completeError');
      expect(end.args.error).toContain('lacks the stores.customers.view scope');
    });

    it('ends a step this version does not define with an error rather than leaving it running', async () => {
      t = await startTestApp({ mode });
      const { ack, end } = await runStep(t, { callbackId: 'retired_step' });
      expect(ack.status).toBe(200);
      expect(end.method).toBe('functions.completeError');
      expect(end.args.error).toContain('not part of this version');
      expect(t.komerza.calls).toHaveLength(0);
    });
  });

  describe('access control for the step', () => {
    it('fails the step for a person outside ALLOWED_USER_IDS, without asking Komerza, and logs it', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_USER_IDS: 'U0LEAD' } });
      const { ack, end } = await runStep(t, { customer: 'jane@example.com', userId: 'U0GUEST' });
      expect(ack.status).toBe(200);
      expect(end.method).toBe('functions.completeError');
      expect(end.token).toBe(STEP_TOKEN);
      expect(end.args.error).toContain('the person running this workflow is not allowed to look up customers');
      expect(t.komerza.calls).toHaveLength(0);
      expect(events(t, 'access_denied')).toEqual([
        expect.objectContaining({ request: 'workflow_step', user: 'U0GUEST', reason: 'user_not_allowed' }),
      ]);
      const allowed = await runStep(t, { customer: 'jane@example.com', userId: 'U0LEAD' });
      expect(allowed.end.method).toBe('functions.completeSuccess');
    });

    it('fails a step that names no person, even with no restriction set: it could not be counted', async () => {
      t = await startTestApp({ mode });
      const { end } = await runStep(t, { customer: 'jane@example.com', userId: null });
      expect(end.method).toBe('functions.completeError');
      expect(end.args.error).toContain('did not say who is running this workflow');
      expect(t.komerza.calls).toHaveLength(0);
    });

    it('fails every step while lookups are limited to channels (a step has none)', async () => {
      t = await startTestApp({ mode, env: { ALLOWED_CHANNEL_IDS: 'C0SUPPORT' } });
      const { end } = await runStep(t, { customer: 'jane@example.com' });
      expect(end.args.error).toContain('a workflow step has no channel');
      expect(t.komerza.calls).toHaveLength(0);
    });

    it('charges the person’s budget: a found customer costs one, and a spent budget fails the step', async () => {
      // A clock that stands still: the minute's window must not roll over between the runs.
      const now = new Date();
      t = await startTestApp({
        mode,
        env: { LOOKUPS_PER_USER_PER_MINUTE: '2', LOOKUPS_PER_USER_PER_HOUR: '0' },
        now: () => new Date(now),
      });
      expect((await runStep(t, { customer: 'jane@example.com' })).end.method).toBe('functions.completeSuccess');
      expect((await runStep(t, { customer: 'nobody@example.com' })).end.method).toBe('functions.completeSuccess');
      const calls = t.komerza.calls.length;
      const spent = await runStep(t, { customer: 'bob@example.org' });
      expect(spent.end.method).toBe('functions.completeError');
      expect(spent.end.args.error).toContain('has been shown 2 customers this minute');
      // Refused by the middleware's look at the budget, before Komerza is asked.
      expect(t.komerza.calls).toHaveLength(calls);
      // Another person's budget is their own.
      expect((await runStep(t, { customer: 'bob@example.org', userId: 'U0LEAD' })).end.method).toBe(
        'functions.completeSuccess',
      );
    });
  });
});
