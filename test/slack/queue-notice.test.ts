import { describe, expect, it } from '@jest/globals';
import { queuedMessage } from '../../src/blocks/queued.js';
import type { RateLimitStatus } from '../../src/komerza/rate-limit.js';
import { queueEstimate, withQueueNotice } from '../../src/slack/queue-notice.js';
import { blockKitViolations } from '../support/block-kit-limits.js';

function services(status: RateLimitStatus | undefined, queueNoticeMs = 3000) {
  return { queue: status ? { status: () => status } : undefined, queueNoticeMs };
}

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('queueEstimate', () => {
  it('says nothing under the threshold or without a limiter', () => {
    expect(queueEstimate(services(undefined))).toBeUndefined();
    expect(queueEstimate(services({ queued: 4, available: 0, estimatedWaitMs: 2999 }))).toBeUndefined();
  });

  it('turns queued Komerza calls into lookups ahead once the wait reaches the threshold', () => {
    expect(queueEstimate(services({ queued: 9, available: 0, estimatedWaitMs: 6000 }))).toEqual({
      lookupsAhead: 5,
      waitMs: 6000,
    });
    expect(queueEstimate(services({ queued: 2, available: 0, estimatedWaitMs: 600 }, 500))).toEqual({
      lookupsAhead: 1,
      waitMs: 600,
    });
  });
});

describe('withQueueNotice', () => {
  it('does not notify without an estimate', async () => {
    const notices: unknown[] = [];
    const outcome = await withQueueNotice(later(30, 'card'), undefined, async (info) => notices.push(info) > 0);
    expect(outcome).toEqual({ result: 'card', notified: false });
    expect(notices).toEqual([]);
  });

  it('does not notify when the answer comes within the grace period (a cached card)', async () => {
    const notices: unknown[] = [];
    const outcome = await withQueueNotice(
      Promise.resolve('card'),
      { lookupsAhead: 3, waitMs: 5000 },
      async (info) => notices.push(info) > 0,
    );
    expect(outcome).toEqual({ result: 'card', notified: false });
    expect(notices).toEqual([]);
  });

  it('notifies first when the answer is slow, and says so', async () => {
    const events: string[] = [];
    const work = later(120, 'card').then((card) => {
      events.push('card');
      return card;
    });
    const outcome = await withQueueNotice(
      work,
      { lookupsAhead: 3, waitMs: 5000 },
      async () => {
        events.push('notice');
        return true;
      },
      20,
    );
    expect(outcome).toEqual({ result: 'card', notified: true });
    expect(events).toEqual(['notice', 'card']);
  });

  it('reports a notice that could not be delivered as not notified', async () => {
    const outcome = await withQueueNotice(later(60, 'card'), { lookupsAhead: 1, waitMs: 4000 }, async () => false, 5);
    expect(outcome.notified).toBe(false);
  });
});

describe('queuedMessage', () => {
  it('says how many lookups are ahead and roughly how long, within Block Kit limits', () => {
    const message = queuedMessage({ lookupsAhead: 7, waitMs: 4200 });
    expect(message.text).toContain('Queued, 7 lookups ahead');
    expect(message.text).toContain('about 5 s');
    expect(blockKitViolations(message as unknown as Record<string, unknown>, { surface: 'message' })).toEqual([]);
    expect(queuedMessage({ lookupsAhead: 1, waitMs: 10 }).text).toContain('Queued, 1 lookup ahead');
    expect(queuedMessage({ lookupsAhead: 0, waitMs: 3000 }).text).toMatch(/^Queued for Komerza’s rate limit/);
  });
});
