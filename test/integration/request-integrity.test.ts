import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAKE_TEAM_ID } from '../support/fake-slack.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/harness.js';
import { signSlackRequest } from '../support/sign.js';

/**
 * Slack request integrity (HTTP mode): Bolt's HTTPReceiver checks `v0=HMAC-SHA256(secret, "v0:{ts}:{body}")` and
 * refuses timestamps older than 5 minutes (node_modules/@slack/bolt/dist/receivers/verify-request.js), answering
 * 401 before any middleware or listener runs. These tests hold it to that: no listener, no Komerza call, no post.
 */
let t: TestApp;
let reached = 0;

beforeAll(async () => {
  t = await startTestApp();
  t.created.app.use(async ({ next }) => {
    reached++;
    await next();
  });
});
afterAll(async () => {
  await t.stop();
});

function commandBody(text = 'jane@example.com'): { body: string; responseId: string } {
  const response = t.slack.responseUrl();
  const body = new URLSearchParams({
    team_id: FAKE_TEAM_ID,
    channel_id: 'C0SUPPORT',
    user_id: 'U0AGENT',
    command: '/customer',
    text,
    response_url: response.url,
    trigger_id: 'trigger-x',
    api_app_id: 'A0APP',
  }).toString();
  return { body, responseId: response.id };
}

const now = () => Math.floor(Date.now() / 1000);

async function expectRefused(send: () => Promise<{ status: number }>): Promise<void> {
  const komerzaCalls = t.komerza.calls.length;
  const posts = t.slack.posts.length;
  const reachedBefore = reached;
  const { status } = await send();
  expect(status).toBe(401);
  // Give a wrongly accepted request time to reach Komerza or the response_url before asserting nothing happened.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(t.komerza.calls.length).toBe(komerzaCalls);
  expect(t.slack.posts.length).toBe(posts);
  expect(reached).toBe(reachedBefore);
}

describe('Slack request integrity', () => {
  it('accepts a correctly signed request (the control case)', async () => {
    const { body, responseId } = commandBody();
    const ack = await t.postRaw(body);
    expect(ack.status).toBe(200);
    expect(JSON.stringify(await t.slack.waitForPost(responseId))).toContain('jane@example.com');
    expect(reached).toBe(1);
  });

  it('refuses a forged signature (signed with another secret)', async () => {
    const { body } = commandBody();
    await expectRefused(() => t.postRaw(body, signSlackRequest('not-the-signing-secret', body)));
  });

  it('refuses a stale timestamp (more than 5 minutes old), even correctly signed', async () => {
    const { body } = commandBody();
    await expectRefused(() => t.postRaw(body, signSlackRequest(SIGNING_SECRET, body, now() - 6 * 60)));
  });

  it('refuses a request with a missing signature or timestamp header', async () => {
    const { body } = commandBody();
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const { 'x-slack-signature': _signature, ...noSignature } = headers;
    const { 'x-slack-request-timestamp': _timestamp, ...noTimestamp } = headers;
    await expectRefused(() => t.postRaw(body, noSignature));
    await expectRefused(() => t.postRaw(body, noTimestamp));
    await expectRefused(() => t.postRaw(body, { 'content-type': 'application/x-www-form-urlencoded' }));
  });

  it('refuses a replayed body with a new timestamp but the old signature', async () => {
    const { body } = commandBody();
    const original = signSlackRequest(SIGNING_SECRET, body, now() - 6 * 60);
    await expectRefused(() => t.postRaw(body, { ...original, 'x-slack-request-timestamp': String(now()) }));
  });

  it('refuses a tampered body under a valid signature of the original', async () => {
    const { body } = commandBody('nobody@example.com');
    const headers = signSlackRequest(SIGNING_SECRET, body);
    const tampered = body.replace('nobody%40example.com', 'jane%40example.com');
    expect(tampered).not.toBe(body);
    await expectRefused(() => t.postRaw(tampered, headers));
  });

  it.each([
    ['null', 'payload=null'],
    ['a number', 'payload=42'],
    ['an array', 'payload=%5B1%2C2%5D'],
    ['a string', 'payload=%22x%22'],
    ['not JSON', 'payload=%7Bnope'],
  ])('answers 400 to a correctly signed payload that is %s, and goes on serving', async (_what, body) => {
    const komerzaCalls = t.komerza.calls.length;
    const answer = await t.postRaw(body);
    expect(answer.status).toBe(400);
    expect(t.komerza.calls.length).toBe(komerzaCalls);
    const { body: next, responseId } = commandBody();
    expect((await t.postRaw(next)).status).toBe(200);
    expect(JSON.stringify(await t.slack.waitForPost(responseId))).toContain('jane@example.com');
  });

  it('answers 400 to a correctly signed JSON body that is not an object', async () => {
    for (const body of ['null', '[]', '7']) {
      const headers = { ...signSlackRequest(SIGNING_SECRET, body), 'content-type': 'application/json' };
      expect((await t.postRaw(body, headers)).status).toBe(400);
    }
  });
});
