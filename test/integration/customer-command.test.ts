import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { ALL_SCOPES, FAKE_API_KEY } from '../support/fake-komerza.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { IDS } from '../support/sample-store.js';

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ mode });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    t.komerza.clearFaults();
    t.komerza.options.scopes = ALL_SCOPES;
    t.komerza.options.apiKey = FAKE_API_KEY;
    t.komerza.options.latencyMs = 0;
  });

  /** Sends the command, checks the ack, and returns the message posted to the response_url. */
  async function lookup(text: string): Promise<{ post: Record<string, unknown>; text: string }> {
    const ack = await t.command(text);
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const post = await t.slack.waitForPost(ack.responseId);
    expect(post.response_type).toBe('ephemeral');
    expect(blockKitViolations(post, { surface: 'message' })).toEqual([]);
    return { post, text: JSON.stringify(post) };
  }

  describe('/customer lookups', () => {
    it('by email (as Slack sends it, wrapped in mailto)', async () => {
      const { text } = await lookup('<mailto:jane@example.com|jane@example.com>');
      expect(text).toContain('"text":"jane@example.com"');
      expect(text).toContain('$12,345.50');
      expect(text).toContain('Order arrived damaged');
      expect(text).toContain('Northwind Goods');
    });

    it('by customer id', async () => {
      const { text } = await lookup(IDS.bob);
      expect(text).toContain('bob@example.org');
      expect(text).toContain('Pro plan');
      expect(text).toContain('expires in');
    });

    it('by order id', async () => {
      expect((await lookup(IDS.janeOrder)).text).toContain('jane@example.com');
    });

    it('by search with one hit, and with several', async () => {
      expect((await lookup('quiet')).text).toContain('quiet@example.net');
      const several = (await lookup('alex')).text;
      expect(several).toContain('Customers matching “alex”');
      expect(several).toContain('alex.smith@example.com');
      expect(several).toContain('alexandra@example.co.uk');
    });

    it('not found, saying what was searched', async () => {
      const { text } = await lookup('nobody@nowhere.example');
      expect(text).toContain('No customer found for “nobody@nowhere.example”');
    });

    it('answers usage in the ack itself for empty text and help', async () => {
      for (const text of ['', 'help']) {
        const ack = await t.command(text);
        expect(ack.status).toBe(200);
        expect(JSON.stringify(ack.body)).toContain('Look up a Komerza customer');
      }
    });
  });

  describe('/customer when Komerza fails', () => {
    it('a bad key', async () => {
      t.komerza.options.apiKey = 'another-key';
      expect((await lookup('jane@example.com')).text).toContain('Komerza rejected the app’s API key');
    });

    it('a missing scope, named', async () => {
      t.komerza.options.scopes = ALL_SCOPES.filter((s) => s !== 'stores.customers.view');
      expect((await lookup('jane@example.com')).text).toContain('`stores.customers.view`');
    });

    it('rate limited, with the wait', async () => {
      t.komerza.addFault({
        fault: {
          kind: 'status',
          status: 429,
          body: { success: false, code: 'RateLimited' },
          headers: { 'retry-after': '9' },
        },
      });
      expect((await lookup('jane@example.com')).text).toContain('Try again in 9 seconds');
    });

    it('unavailable (502 HTML page)', async () => {
      t.komerza.addFault({ fault: { kind: 'status', status: 502, text: '<html>Bad gateway</html>' } });
      expect((await lookup('jane@example.com')).text).toContain('Komerza is having trouble (HTTP 502)');
    });

    it('an answer of the wrong shape', async () => {
      t.komerza.addFault({
        path: '/email',
        fault: { kind: 'status', status: 200, body: { success: true, data: [1, 2] } },
      });
      expect((await lookup('jane@example.com')).text).toContain('does not understand');
    });

    it('acks at once even when Komerza is slow', async () => {
      t.komerza.options.latencyMs = 1200;
      const ack = await t.command('jane@example.com');
      expect(ack.status).toBe(200);
      // Not a timing assertion on our speed: only that the ack did not wait for Komerza's 1.2 s (×2 calls).
      expect(ack.ackMs).toBeLessThan(1200);
      const post = await t.slack.waitForPost(ack.responseId, 8000);
      expect(JSON.stringify(post)).toContain('jane@example.com');
    });

    it('keeps running when the response_url has expired', async () => {
      const ack = await t.command('jane@example.com', { responseStatus: 404 });
      expect(ack.status).toBe(200);
      const next = await lookup('bob@example.org');
      expect(next.text).toContain('bob@example.org');
    });
  });

  describe('delivering the answer (hostile review #8)', () => {
    it('tries the response_url again after a 5xx, and the card arrives there', async () => {
      const ack = await t.command('jane@example.com', { responseStatus: 503, responseFailures: 1 });
      const post = await t.slack.waitForPost(ack.responseId);
      expect(JSON.stringify(post)).toContain('$12,345.50');
      expect(t.slack.refusedPosts.filter((id) => id === ack.responseId)).toHaveLength(1);
    });

    it('falls back to an ephemeral message through the Web API when the response_url keeps failing', async () => {
      const calls = t.slack.calls.length;
      const ack = await t.command('jane@example.com', { responseStatus: 500, channelId: 'C0SUPPORT' });
      const ephemeral = await waitFor(() =>
        t.slack.calls.slice(calls).find((call) => call.method === 'chat.postEphemeral'),
      );
      expect(ephemeral.args).toMatchObject({ channel: 'C0SUPPORT', user: 'U0AGENT' });
      expect(JSON.stringify(ephemeral.args.blocks)).toContain('$12,345.50');
      expect(t.slack.refusedPosts.filter((id) => id === ack.responseId)).toHaveLength(2);
    });
  });

  // Signatures (HTTP mode only) are tested in request-integrity.test.ts.
  describe('health', () => {
    it('answers the health check', async () => {
      const response = await fetch(`${t.url}/healthz`);
      expect(response.status).toBe(200);
    });
  });
});
