import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/harness.js';
import { IDS } from '../support/sample-store.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

function allText(message: Record<string, unknown>): string {
  return JSON.stringify(message);
}

describe('/customer over HTTP', () => {
  it('answers an email lookup with the card, privately', async () => {
    const ack = await t.command('<mailto:jane@example.com|jane@example.com>');
    expect(ack.status).toBe(200);
    const post = await t.slack.waitForPost(ack.responseId);
    expect(post.response_type).toBe('ephemeral');
    const text = allText(post);
    expect(text).toContain('jane@example.com');
    expect(text).toContain('$12,345.50');
    expect(text).toContain('Order arrived damaged');
  });

  it('finds a customer by order id', async () => {
    const ack = await t.command(IDS.janeOrder);
    const post = await t.slack.waitForPost(ack.responseId);
    expect(allText(post)).toContain('jane@example.com');
  });
});
