import { afterEach, describe, expect, it } from '@jest/globals';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { addCustomers } from '../support/sample-store.js';

/**
 * The fake Komerza enforces Komerza's bucket (12, +4 per interval) and answers 429 when it is empty; the app runs
 * with the same bucket. The interval is 100 ms instead of 2 s to keep the suite fast: the arithmetic is the same.
 */
const INTERVAL_MS = 100;

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function start(env: Record<string, string> = {}, intervalMs = INTERVAL_MS): Promise<TestApp> {
    t = await startTestApp({
      mode,
      komerza: {
        rateLimit: { capacity: 12, refillAmount: 4, refillIntervalMs: intervalMs, retryAfter: false },
      },
      env: {
        KOMERZA_RATE_CAPACITY: '12',
        KOMERZA_RATE_REFILL: '4',
        KOMERZA_RATE_INTERVAL_MS: String(intervalMs),
        KOMERZA_CACHE_TTL_MS: '60000',
        // About the bucket, not timeouts: a loaded machine must not turn a slow answer into a retry (an extra call).
        KOMERZA_TIMEOUT_MS: '10000',
        ...env,
      },
    });
    return t;
  }

  const isQueuedNotice = (post: Record<string, unknown>) => String(post.text).startsWith('Queued');

  /** Waits for the card of each lookup; returns how many were preceded by a "queued" notice. */
  async function cards(app: TestApp, lookups: Array<{ responseId: string; email: string }>): Promise<number> {
    let notices = 0;
    for (const { responseId, email } of lookups) {
      let post = await app.slack.waitForPost(responseId, 10_000);
      if (isQueuedNotice(post)) {
        notices++;
        expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
        post = await app.slack.waitForPost(responseId, 10_000);
        expect(post.replace_original).toBe(true);
      }
      const text = JSON.stringify(post);
      expect(text).toContain(email);
      expect(text).not.toMatch(/rate.?limit|too many/i);
      expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    }
    return notices;
  }

  describe('Komerza rate limit under load', () => {
    it('30 concurrent lookups of 30 customers all get their card: no 429 reaches a user', async () => {
      const app = await start();
      const emails = addCustomers(app.komerza.data, 30);
      const acks = await Promise.all(emails.map((email) => app.command(email)));
      expect(acks.every((ack) => ack.status === 200)).toBe(true);
      await cards(
        app,
        acks.map((ack, i) => ({ responseId: ack.responseId, email: emails[i] ?? '' })),
      );
      // Per lookup: the customer, the subscriptions and the orders; the store once for all (no product list: every
      // product has its name); plus any 429s that were retried.
      // (Komerza's refills can be wasted while the first requests are still in flight, see rate-limit.ts, so a rare
      // 429 at the fake is possible on a 100 ms interval; what matters is that every user got a card.)
      expect(app.komerza.calls.length - app.komerza.rateLimited).toBe(30 * 3 + 1);
    });

    it('the same customer asked for by 30 people at once costs one call per read', async () => {
      const app = await start();
      const acks = await Promise.all(Array.from({ length: 30 }, () => app.command('jane@example.com')));
      await cards(
        app,
        acks.map((ack) => ({ responseId: ack.responseId, email: 'jane@example.com' })),
      );
      expect(app.komerza.callsTo('/email')).toHaveLength(1);
      expect(app.komerza.callsTo('/subscriptions')).toHaveLength(1);
      expect(app.komerza.callsTo(/\/orders$/)).toHaveLength(1);
      expect(app.komerza.calls).toHaveLength(4);
    });

    it('tells people behind a long queue "queued, N lookups ahead", then replaces that with the card', async () => {
      // A 500 ms interval: 48 calls (16 lookups of 3) drain in about 4.5 s, so a queue builds even if a loaded machine
      // spreads the 16 commands over a couple of seconds.
      const app = await start({ LOOKUP_QUEUE_NOTICE_MS: '1000', LOOKUPS_PER_USER_PER_MINUTE: '0' }, 500);
      const emails = addCustomers(app.komerza.data, 16);
      const acks = await Promise.all(emails.map((email) => app.command(email)));
      const notices = await cards(
        app,
        acks.map((ack, i) => ({ responseId: ack.responseId, email: emails[i] ?? '' })),
      );
      expect(notices).toBeGreaterThan(0);
    });

    it('when Komerza is stricter than the app believes, its 429s are retried and never reach a user', async () => {
      // Komerza refuses calls the app's bucket allowed (another process on the key, a different phase): 429s
      // without Retry-After on the first calls, whatever the timing of a loaded machine.
      const app = await start({ LOOKUPS_PER_USER_PER_MINUTE: '0' });
      const emails = addCustomers(app.komerza.data, 12);
      app.komerza.addFault({
        path: '/email',
        fault: {
          kind: 'status',
          status: 429,
          body: { success: false, code: 'RateLimited', message: 'Too many', data: null },
        },
        times: 6,
      });
      const acks = await Promise.all(emails.map((email) => app.command(email)));
      await cards(
        app,
        acks.map((ack, i) => ({ responseId: ack.responseId, email: emails[i] ?? '' })),
      );
      // Each of the 6 refused calls was sent again (a retry after a timeout on a loaded machine adds more).
      expect(app.komerza.callsTo('/email').length).toBeGreaterThanOrEqual(12 + 6);
    });
  });
});
