import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROUTES } from '../../src/komerza/client.js';
import { FAKE_API_KEY } from '../support/fake-komerza.js';
import { FAKE_BOT_TOKEN, FAKE_TEAM_ID } from '../support/fake-slack.js';
import { FAKE_APP_TOKEN } from '../support/fake-socket-mode.js';
import { MODES, startTestApp, type TestApp } from '../support/harness.js';
import { parseExposition, type Sample, sampleValue } from '../support/prometheus.js';
import { IDS, STORE_ID } from '../support/sample-store.js';
import { button } from '../support/slack-payloads.js';

/** GET /metrics after real lookups, in both modes: what is counted, what is timed, and what never is a label. */

const QUERIES = ['jane@example.com', 'bob@example.org', 'alex', 'nobody@example.com'];

async function scrape(t: TestApp): Promise<{ status: number; contentType: string | null; samples: Sample[] }> {
  const response = await fetch(`${t.url}/metrics`);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    samples: response.status === 200 ? parseExposition(text) : [],
  };
}

describe.each(MODES)('%s mode', (mode) => {
  let t: TestApp;
  let samples: Sample[];
  let contentType: string | null;
  const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);

  beforeAll(async () => {
    t = await startTestApp({ mode, env: { METRICS_ENABLED: 'true', KOMERZA_CACHE_TTL_MS: '60000' } });
    const jane = await t.command('jane@example.com');
    const card = await t.slack.waitForPost(jane.responseId);
    // Asked again: the customer comes from the cache.
    await t.slack.waitForPost((await t.command('jane@example.com')).responseId);
    // Komerza answers one 429 (no Retry-After): retried after one refill interval, then a card.
    t.komerza.addFault({
      path: '/email',
      fault: { kind: 'status', status: 429, body: { success: false, code: 'RateLimited', message: 'slow down' } },
      times: 1,
    });
    await t.slack.waitForPost((await t.command('bob@example.org')).responseId);
    await t.slack.waitForPost((await t.command('alex')).responseId);
    await t.slack.waitForPost((await t.command('nobody@example.com')).responseId);
    const refresh = await t.click(button(card, 'card_refresh'), { surface: 'message' });
    await t.slack.waitForPost(refresh.responseId);
    // Each lookup is counted just after its answer is delivered.
    await t.settled();
    ({ samples, contentType } = await scrape(t));
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves the Prometheus text format', () => {
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(samples.length).toBeGreaterThan(50);
  });

  it('counts lookups by kind and outcome, and times each from the ack to the delivered answer', () => {
    const lookups = samples.filter((s) => s.name === 'customer_lookup_lookups_total');
    expect(Object.fromEntries(lookups.map((s) => [`${s.labels.kind}/${s.labels.outcome}`, s.value]))).toEqual({
      'command/card': 3,
      'command/matches': 1,
      'command/not_found': 1,
      'refresh/card': 1,
    });
    const answered = { kind: 'command', outcome: 'card' };
    expect(value('customer_lookup_time_to_answer_seconds_count', answered)).toBe(3);
    expect(value('customer_lookup_time_to_answer_seconds_sum', answered)).toBeGreaterThan(0);
    // Cumulative buckets: the +Inf one holds every observation.
    expect(value('customer_lookup_time_to_answer_seconds_bucket', { ...answered, le: '+Inf' })).toBe(3);
  });

  it('times every ack, by kind of Slack request', () => {
    expect(value('customer_lookup_ack_seconds_count', { request: 'command' })).toBe(5);
    expect(value('customer_lookup_ack_seconds_count', { request: 'block_actions' })).toBe(1);
    expect(value('customer_lookup_ack_seconds_bucket', { request: 'command', le: '3' })).toBe(5);
  });

  it('counts Komerza requests by route template and status, the 429 and its retry', () => {
    const email = ROUTES.customerByEmail.name;
    expect(value('customer_lookup_komerza_requests_total', { route: email, status: '429' })).toBe(1);
    // jane (once: then cached), bob's retry, and the miss.
    expect(value('customer_lookup_komerza_requests_total', { route: email, status: '200' })).toBe(2);
    expect(value('customer_lookup_komerza_requests_total', { route: email, status: '404' })).toBe(1);
    expect(value('customer_lookup_komerza_requests_total', { route: ROUTES.customerSearch.name, status: '200' })).toBe(
      1,
    );
    expect(value('customer_lookup_komerza_rate_limited_total', { route: email })).toBe(1);
    expect(value('customer_lookup_komerza_retries_total', { route: email, reason: 'rate_limited' })).toBe(1);
    expect(value('customer_lookup_komerza_request_duration_seconds_count', { route: email })).toBe(4);
    // Every request took a token from the bucket (none had to wait long: the test bucket is huge).
    const tokens = value('customer_lookup_komerza_rate_limit_wait_seconds_count') ?? 0;
    const requests = samples
      .filter((s) => s.name === 'customer_lookup_komerza_requests_total')
      .reduce((sum, s) => sum + s.value, 0);
    expect(tokens).toBe(requests);
    expect(value('customer_lookup_komerza_rate_limit_queue_length')).toBe(0);
    expect(value('customer_lookup_komerza_rate_limit_estimated_wait_seconds')).toBe(0);
  });

  it('counts cache hits and misses by read (Refresh skips the cache and is not counted)', () => {
    // jane: miss then hit; bob and nobody: misses (a failed read is not cached).
    expect(value('customer_lookup_cache_hits_total', { read: 'email' })).toBe(1);
    expect(value('customer_lookup_cache_misses_total', { read: 'email' })).toBe(3);
    expect(value('customer_lookup_cache_misses_total', { read: 'store' })).toBe(1);
    expect(value('customer_lookup_cache_hits_total', { read: 'store' })).toBeGreaterThanOrEqual(1);
  });

  it('samples requests in flight, the Socket Mode connection, and the process', () => {
    expect(value('customer_lookup_requests_in_flight')).toBe(0);
    expect(value('customer_lookup_socket_mode_connected')).toBe(mode === 'socket' ? 1 : undefined);
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('never puts a query, an email, a customer id, a Slack id or a secret in a label', () => {
    const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
    const forbidden = [
      ...QUERIES,
      ...Object.values(IDS),
      STORE_ID,
      FAKE_TEAM_ID,
      'U0AGENT',
      'C0SUPPORT',
      FAKE_API_KEY,
      FAKE_BOT_TOKEN,
      FAKE_APP_TOKEN,
    ];
    for (const label of values) {
      expect({ label, leaks: forbidden.filter((secret) => label.includes(secret)) }).toEqual({ label, leaks: [] });
      expect(label).not.toMatch(/@|[0-9a-f]{8}-[0-9a-f]{4}-/i);
    }
  });
});

describe.each(MODES)('%s mode without METRICS_ENABLED', (mode) => {
  it('answers 404 on /metrics, and still serves /healthz and /readyz', async () => {
    const t = await startTestApp({ mode });
    try {
      expect((await scrape(t)).status).toBe(404);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});

it('keeps two apps in one process apart: a registry per app', async () => {
  const [a, b] = await Promise.all(MODES.map((mode) => startTestApp({ mode, env: { METRICS_ENABLED: 'true' } })));
  try {
    if (!a || !b) throw new Error('two apps expected');
    await a.slack.waitForPost((await a.command('jane@example.com')).responseId);
    await a.settled();
    const lookups = (t: TestApp) => async () =>
      sampleValue((await scrape(t)).samples, 'customer_lookup_lookups_total', { kind: 'command', outcome: 'card' });
    expect(await lookups(a)()).toBe(1);
    expect(await lookups(b)()).toBeUndefined();
  } finally {
    await Promise.all([a?.stop(), b?.stop()]);
  }
});
