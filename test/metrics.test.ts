import { describe, expect, it } from '@jest/globals';
import { register } from 'prom-client';
import { createTokenBucket } from '../src/komerza/rate-limit.js';
import { createMetrics, noMetrics } from '../src/metrics.js';
import { parseExposition, sampleValue } from './support/prometheus.js';

async function samples(metrics = createMetrics()) {
  return parseExposition((await metrics.scrape()).body);
}

describe('metrics', () => {
  it("registers on a registry of its own, never prom-client's global one", async () => {
    const before = (await register.getMetricsAsJSON()).length;
    const a = createMetrics();
    const b = createMetrics();
    a.lookupAnswered('command', 'card', 0.2);
    expect(sampleValue(await samples(a), 'customer_lookup_lookups_total', { kind: 'command' })).toBe(1);
    expect(sampleValue(await samples(b), 'customer_lookup_lookups_total', { kind: 'command' })).toBeUndefined();
    expect((await register.getMetricsAsJSON()).length).toBe(before);
  });

  it('labels acks by the kind of Slack request, and anything unexpected as other', async () => {
    const metrics = createMetrics();
    metrics.acked({ command: '/customer', text: 'jane@example.com' }, 0.01);
    metrics.acked({ type: 'block_actions', user: { id: 'U0AGENT' } }, 0.01);
    metrics.acked({ type: 'jane@example.com' }, 0.01);
    metrics.acked('not an object', 0.01);
    const all = await samples(metrics);
    const counts = all.filter((s) => s.name === 'customer_lookup_ack_seconds_count');
    expect(Object.fromEntries(counts.map((s) => [s.labels.request, s.value]))).toEqual({
      command: 1,
      block_actions: 1,
      other: 2,
    });
  });

  it('counts and times ticket writes by action and outcome', async () => {
    const metrics = createMetrics();
    metrics.ticketWrite('reply', 'sent', 0.3);
    metrics.ticketWrite('reply', 'uncertain', 8);
    metrics.ticketWrite('close', 'sent', 0.2);
    const all = await samples(metrics);
    expect(sampleValue(all, 'customer_lookup_ticket_writes_total', { action: 'reply', outcome: 'sent' })).toBe(1);
    expect(sampleValue(all, 'customer_lookup_ticket_writes_total', { action: 'reply', outcome: 'uncertain' })).toBe(1);
    expect(sampleValue(all, 'customer_lookup_ticket_write_seconds_count', { action: 'close', outcome: 'sent' })).toBe(
      1,
    );
    noMetrics.ticketWrite('reply', 'sent', 1);
  });

  it('times the wait for a token of the bucket', async () => {
    const metrics = createMetrics();
    const bucket = createTokenBucket({ capacity: 1, refillAmount: 1, refillIntervalMs: 50 });
    const limiter = metrics.timedLimiter(bucket);
    await limiter.acquire();
    await limiter.acquire();
    const all = await samples(metrics);
    expect(sampleValue(all, 'customer_lookup_komerza_rate_limit_wait_seconds_count')).toBe(2);
    // The second request waited for the refill (50 ms and more): the total wait shows it, whatever the machine's load.
    expect(sampleValue(all, 'customer_lookup_komerza_rate_limit_wait_seconds_sum')).toBeGreaterThanOrEqual(0.05);
    expect(limiter.status()).toMatchObject({ queued: 0, available: bucket.status().available });
  });

  it("samples the bucket's queue at scrape time", async () => {
    const metrics = createMetrics();
    let status = { queued: 3, available: 0, estimatedWaitMs: 1500 };
    metrics.watch({ queue: { status: () => status } });
    let all = await samples(metrics);
    expect(sampleValue(all, 'customer_lookup_komerza_rate_limit_queue_length')).toBe(3);
    expect(sampleValue(all, 'customer_lookup_komerza_rate_limit_estimated_wait_seconds')).toBe(1.5);
    status = { queued: 0, available: 12, estimatedWaitMs: 0 };
    all = await samples(metrics);
    expect(sampleValue(all, 'customer_lookup_komerza_rate_limit_queue_length')).toBe(0);
  });

  it('samples requests in flight and the Socket Mode connection when watched, and not otherwise', async () => {
    const metrics = createMetrics();
    let connected = true;
    metrics.watch({ inflight: { size: () => 3 }, connection: { isConnected: () => connected } });
    expect(sampleValue(await samples(metrics), 'customer_lookup_requests_in_flight')).toBe(3);
    expect(sampleValue(await samples(metrics), 'customer_lookup_socket_mode_connected')).toBe(1);
    connected = false;
    expect(sampleValue(await samples(metrics), 'customer_lookup_socket_mode_connected')).toBe(0);
    expect(sampleValue(await samples(), 'customer_lookup_socket_mode_connected')).toBeUndefined();
  });

  it('does nothing when disabled', async () => {
    const bucket = createTokenBucket({ capacity: 1, refillAmount: 1, refillIntervalMs: 50 });
    expect(noMetrics.enabled).toBe(false);
    expect(noMetrics.timedLimiter(bucket)).toBe(bucket);
    expect(noMetrics.komerzaHooks()).toEqual({});
    noMetrics.lookupAnswered('command', 'card', 1);
    expect((await noMetrics.scrape()).body).toBe('');
  });
});
