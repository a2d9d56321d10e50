import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import type { Fault } from '../support/fake-komerza.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { assertNoInjection } from '../support/no-injection.js';
import { IDS } from '../support/sample-store.js';

/**
 * Every upstream fault, over real HTTP: the ack is immediate, the person gets the specific message, nothing is
 * unhandled and the next request works. Faults stay on for the whole request (not `times: 1`), so the outcome is
 * the same whether or not the Komerza client retries 5xx/429.
 */

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // Short enough that the hanging case ends soon, long enough that an ordinary answer on a loaded machine is not
    // taken for a timeout (an email lookup sends four requests at once: customer, store, subscriptions, orders).
    t = await startTestApp({ mode, env: { KOMERZA_TIMEOUT_MS: '500', LOOKUPS_PER_USER_PER_MINUTE: '0' } });
  });
  afterAll(async () => {
    await t.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  const HTML_403 =
    '<html><head><title>Access denied</title></head><body>Service unavailable in your region</body></html>';
  const HTML_5XX = '<html><body><h1>Bad gateway</h1><p>cloudflare</p></body></html>';

  interface Case {
    name: string;
    fault: Fault;
    /** Words the person must see. */
    expected: string[];
  }

  const CASES: Case[] = [
    {
      name: '401',
      fault: { kind: 'status', status: 401, body: { success: false, code: 'BadToken', message: 'Invalid token' } },
      expected: ['Komerza rejected the app’s API key', 'KOMERZA_API_KEY'],
    },
    {
      name: '403 JSON AccessDenied',
      fault: {
        kind: 'status',
        status: 403,
        body: { success: false, code: 'AccessDenied', message: 'Missing permission' },
      },
      expected: ['lacks the', 'stores.customers.view', 'scope'],
    },
    {
      name: '403 HTML (CDN block page)',
      fault: { kind: 'status', status: 403, text: HTML_403 },
      expected: ['Komerza’s network refused the request'],
    },
    {
      name: '404',
      fault: { kind: 'status', status: 404, body: { success: false, code: 'NotFound', message: 'Not found' } },
      expected: ['No customer found for', 'jane@example.com'],
    },
    {
      name: '409',
      fault: { kind: 'status', status: 409, body: { success: false, code: 'ObjectConflict', message: 'Conflict' } },
      expected: ['Komerza refused this lookup', 'ObjectConflict'],
    },
    {
      name: '429 with Retry-After',
      fault: {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '1' },
        body: { success: false, code: 'RateLimited', message: 'slow down' },
      },
      expected: ['Komerza is busy', 'Try again in 1 second'],
    },
    {
      name: '429 without Retry-After',
      fault: { kind: 'status', status: 429, body: { success: false, code: 'RateLimited', message: 'slow down' } },
      expected: ['Komerza is busy', 'Try again in a few seconds'],
    },
    {
      name: '500',
      fault: { kind: 'status', status: 500, body: { success: false, code: 'InternalServerError', message: 'boom' } },
      expected: ['Komerza is having trouble (HTTP 500)'],
    },
    {
      name: '502 HTML',
      fault: { kind: 'status', status: 502, text: HTML_5XX },
      expected: ['Komerza is having trouble (HTTP 502)'],
    },
    {
      name: '503 HTML',
      fault: { kind: 'status', status: 503, text: HTML_5XX },
      expected: ['Komerza is having trouble (HTTP 503)'],
    },
    { name: 'timeout', fault: { kind: 'hang' }, expected: ['Komerza did not answer in time'] },
    { name: 'connection reset', fault: { kind: 'reset' }, expected: ['The app could not reach Komerza'] },
    {
      name: 'malformed JSON',
      fault: {
        kind: 'status',
        status: 200,
        text: '{"success": true, "data": {"id": ',
        contentType: 'application/json',
      },
      expected: ['Komerza answered in a form this app does not understand'],
    },
    {
      name: 'success:false in a 200',
      fault: {
        kind: 'status',
        status: 200,
        body: { success: false, code: 'ValidationError', message: 'Email is invalid', data: null },
      },
      expected: ['Komerza refused this lookup', 'ValidationError'],
    },
  ];

  /** Runs the lookup that must still work after each fault. */
  async function expectCardStillWorks(app: TestApp = t): Promise<void> {
    const ack = await app.command('jane@example.com');
    expect(ack.status).toBe(200);
    const post = await app.slack.waitForPost(ack.responseId);
    expect(JSON.stringify(post)).toContain('Order arrived damaged');
  }

  let faultsExercised = 0;

  describe('upstream faults', () => {
    it.each(CASES)(
      '$name: immediate ack, the specific message, then business as usual',
      async ({ fault, expected }) => {
        faultsExercised++;
        const callsBefore = t.komerza.calls.length;
        t.komerza.addFault({ fault });
        try {
          const ack = await t.command('jane@example.com');
          expect(ack.status).toBe(200);
          expect(ack.body).toBe('');
          if (fault.kind === 'hang') {
            // The ack did not wait for Komerza: the answer cannot have been sent yet.
            expect(t.slack.posts.some((post) => post.id === ack.responseId)).toBe(false);
          }
          const post = await t.slack.waitForPost(ack.responseId);
          expect(post.response_type).toBe('ephemeral');
          for (const words of expected) expect(JSON.stringify(post)).toContain(words);
          expect(JSON.stringify(post)).not.toMatch(/cloudflare|<html|Invalid token|Email is invalid|"success"/);
          expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
          assertNoInjection(post);
          expect(t.komerza.calls.length).toBeGreaterThan(callsBefore);
        } finally {
          t.komerza.clearFaults();
        }
        await expectCardStillWorks();
      },
    );

    it('a customer with unknown extra fields and missing optional ones still gets a card', async () => {
      faultsExercised++;
      t.komerza.data.customers.push({
        id: 'a1f3c2d4-9999-4a6b-9c3d-000000000009',
        emailAddress: 'sparse@example.com',
        // Everything optional missing; fields this app has never heard of present.
        loyaltyTier: { level: 3, perks: ['x'] },
        newFlag: true,
        tickets: null,
      } as unknown as (typeof t.komerza.data.customers)[number]);
      const ack = await t.command('sparse@example.com');
      const post = await t.slack.waitForPost(ack.responseId);
      const text = JSON.stringify(post);
      expect(text).toContain('sparse@example.com');
      expect(text).toContain('None :white_check_mark:');
      expect(text).not.toContain('loyaltyTier');
      expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    });

    it('a response_url that answers 404 (expired): the card comes as an ephemeral message instead, and the app goes on', async () => {
      faultsExercised++;
      const calls = t.slack.calls.length;
      const ack = await t.command('jane@example.com', { responseStatus: 404 });
      expect(ack.status).toBe(200);
      const ephemeral = await waitFor(() =>
        t.slack.calls.slice(calls).find((call) => call.method === 'chat.postEphemeral'),
      );
      expect(JSON.stringify(ephemeral.args.blocks)).toContain('Order arrived damaged');
      // An expired hook is not tried twice.
      expect(t.slack.refusedPosts.filter((id) => id === ack.responseId)).toHaveLength(1);
      await expectCardStillWorks();
    });

    it('a fault on optional data (subscriptions) still gives a card that says what is missing', async () => {
      faultsExercised++;
      // (The store itself is cached for minutes after the first lookup, so a store fault here would not be seen.)
      t.komerza.addFault({ path: '/subscriptions', fault: { kind: 'status', status: 503, text: HTML_5XX } });
      try {
        const ack = await t.command(IDS.bob);
        const text = JSON.stringify(await t.slack.waitForPost(ack.responseId));
        expect(text).toContain('bob@example.org');
        expect(text).toContain('Could not be loaded from Komerza just now');
      } finally {
        t.komerza.clearFaults();
      }
    });

    it('left nothing unhandled', () => {
      expect(unhandled).toEqual([]);
      expect(t.logs.filter((line) => line.includes('Unhandled error') || line.includes('unhandled error'))).toEqual([]);
      process.stdout.write(`upstream faults exercised: ${faultsExercised}\n`);
    });
  });

  describe('soak: a few hundred mixed requests with faults', () => {
    // An app of its own: the cases above need a short Komerza timeout, which 34 concurrent lookups on a loaded
    // 2-core machine can exceed without any fault.
    let soak: TestApp;
    beforeAll(async () => {
      soak = await startTestApp({ mode, env: { LOOKUPS_PER_USER_PER_MINUTE: '0' } });
    });
    afterAll(async () => {
      await soak.stop();
    });

    it('answers every one and stays healthy', async () => {
      const t = soak;
      // Faults tied to particular customers, so concurrent requests each meet a known outcome.
      t.komerza.addFault({ path: IDS.bob, fault: { kind: 'status', status: 500 } });
      t.komerza.addFault({ path: 'quiet@example.net', fault: { kind: 'reset' } });
      t.komerza.addFault({
        path: '/customers/search/alexandra',
        fault: { kind: 'status', status: 502, text: HTML_5XX },
      });
      const mix: Array<[string, string]> = [
        ['jane@example.com', 'Order arrived damaged'],
        ['jane@example.com', 'Order arrived damaged'],
        [IDS.janeOrder, 'jane@example.com'],
        ['alex', 'Customers matching'],
        ['nobody-here@example.com', 'No customer found'],
        [IDS.bob, 'Komerza is having trouble (HTTP 500)'],
        ['quiet@example.net', 'could not reach Komerza'],
        ['alexandra', 'Komerza is having trouble (HTTP 502)'],
        ['help', 'Look up a Komerza customer'],
      ];
      const total = 306;
      let answered = 0;
      try {
        for (let start = 0; start < total; start += 34) {
          await Promise.all(
            Array.from({ length: Math.min(34, total - start) }, async (_, k) => {
              const i = start + k;
              const [query, words] = mix[i % mix.length] as [string, string];
              const ack = await t.command(query, { userId: `U0SOAK${i % 23}` });
              expect(ack.status).toBe(200);
              const answer = query === 'help' ? ack.body : await t.slack.waitForPost(ack.responseId);
              expect(JSON.stringify(answer)).toContain(words);
              answered++;
            }),
          );
        }
      } finally {
        t.komerza.clearFaults();
      }
      expect(answered).toBe(total);
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(200);
      await expectCardStillWorks(t);
      expect(unhandled).toEqual([]);
      // Bounded, but generous: 5xx and resets are retried once (250 ms later), and CI machines are shared.
    }, 60_000);
  });
});
