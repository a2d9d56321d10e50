import { describe, expect, it } from '@jest/globals';
import { periodWords } from '../../src/blocks/card.js';
import { embeddedSubscriptionSchema, subscriptionSchema } from '../../src/komerza/schemas.js';
import { attentionOf, sortSubscriptions, subscriptionState } from '../../src/lookup/subscription-state.js';
import { summariseEmbedded, summariseSubscription } from '../../src/lookup/summaries.js';

const now = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();

describe('subscriptionState: what the dates and flags say, since the status names are not published', () => {
  it.each([
    ['active', { expiresAt: at(20) }],
    ['active', { expiresAt: at(20), startsAt: at(-10), autoRenew: false }],
    ['cancelling', { expiresAt: at(20), cancelAtPeriodEnd: true }],
    ['cancelling', { expiresAt: at(20), canceledAt: at(-1) }],
    ['expired', { expiresAt: at(-1), cancelAtPeriodEnd: true }],
    ['expired', { expiresAt: at(-1), failedPayments: 3, nextRetryAt: at(-0.5) }],
    ['past_due', { expiresAt: at(-1), failedPayments: 1, nextRetryAt: at(1) }],
    ['paused', { expiresAt: at(20), pausedAt: at(-2) }],
    ['paused', { expiresAt: at(20), pausedAt: at(-2), pauseResumesAt: at(3) }],
    ['active', { expiresAt: at(20), pausedAt: at(-5), pauseResumesAt: at(-1) }],
    ['upcoming', { expiresAt: at(40), startsAt: at(5) }],
    ['unknown', {}],
    ['unknown', { expiresAt: 'not a date' }],
  ] as const)('%s: %j', (state, fields) => {
    expect(subscriptionState({ id: 's', ...fields }, now)).toBe(state);
  });

  it('reads an embedded expiration date without an offset as UTC', () => {
    const sub = summariseEmbedded(
      embeddedSubscriptionSchema.parse({
        id: 'e',
        productId: 'p',
        startDate: '2026-03-01T00:00:00',
        expirationDate: '2026-03-10T11:30:00',
      }),
    );
    expect(subscriptionState(sub, now)).toBe('expired');
  });
});

describe('attention and order', () => {
  it('failed payments first, then ending within 7 days, then ended, then the rest by end date', () => {
    const items = [
      { id: 'later', expiresAt: at(40) },
      { id: 'ended-long-ago', expiresAt: at(-60) },
      { id: 'soon', expiresAt: at(3) },
      { id: 'failing', expiresAt: at(25), failedPayments: 1 },
      { id: 'ended-yesterday', expiresAt: at(-1) },
      { id: 'sooner', expiresAt: at(1) },
      { id: 'no-end' },
      { id: 'past-due', expiresAt: at(-2), failedPayments: 2, nextRetryAt: at(2) },
    ];
    expect(sortSubscriptions(items, now).map((s) => s.id)).toEqual([
      'past-due',
      'failing',
      'sooner',
      'soon',
      'ended-yesterday',
      'ended-long-ago',
      'later',
      'no-end',
    ]);
    expect(attentionOf({ id: 'x', expiresAt: at(8) }, now)).toBeUndefined();
    expect(attentionOf({ id: 'x', expiresAt: at(7) }, now)).toBe('expiring');
    expect(attentionOf({ id: 'x', expiresAt: at(-1), failedPayments: 2 }, now)).toBe('expired');
  });
});

describe('summariseSubscription', () => {
  it('keeps state, failures, price and the billing period from the list shape', () => {
    const sub = summariseSubscription(
      subscriptionSchema.parse({
        id: 's',
        productName: 'Team plan',
        status: 1,
        billingInterval: 2,
        price: '29.5',
        currencyCode: 'EUR',
        currentPeriodStart: '2026-02-08T00:00:00',
        currentPeriodEnd: '2026-03-10T00:00:00',
        failedPaymentCount: 2,
        nextRetryDate: '2026-03-12T00:00:00Z',
        somethingNew: true,
      }),
    );
    expect(sub).toEqual({
      id: 's',
      product: 'Team plan',
      komerzaStatus: 1,
      startsAt: '2026-02-08T00:00:00',
      expiresAt: '2026-03-10T00:00:00',
      failedPayments: 2,
      nextRetryAt: '2026-03-12T00:00:00Z',
      price: 29.5,
      currency: 'EUR',
      intervalDays: 30,
    });
    expect(summariseSubscription(subscriptionSchema.parse({ id: 's', customIntervalDays: 45 })).intervalDays).toBe(45);
  });

  it('words a billing period', () => {
    expect([1, 7, 14, 28, 31, 91, 182, 365, 366, 45].map(periodWords)).toEqual([
      'day',
      'week',
      '2 weeks',
      'month',
      'month',
      '3 months',
      '6 months',
      'year',
      'year',
      '45 days',
    ]);
  });
});
