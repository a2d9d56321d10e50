import { parseKomerzaDate } from '../komerza/dates.js';
import type { SubscriptionSummary } from './summaries.js';

/**
 * What a subscription's state is, derived from its dates and flags, since Komerza does not publish the names of its
 * SubscriptionStatus values (docs/komerza-api.md §5.4):
 * - `past_due`: the period is over, its renewal payment failed and Komerza will retry it;
 * - `expired`: the period (or the embedded expiration date) is over;
 * - `paused`: paused, and not yet due to resume;
 * - `cancelling`: still running, but cancelled or set to cancel at the end of the period;
 * - `upcoming`: starts later;
 * - `active`: running, with an end date in the future;
 * - `unknown`: no end date to judge by.
 */
export type SubscriptionState = 'active' | 'cancelling' | 'paused' | 'past_due' | 'expired' | 'upcoming' | 'unknown';

export function subscriptionState(sub: SubscriptionSummary, now: Date): SubscriptionState {
  const end = parseKomerzaDate(sub.expiresAt);
  const start = parseKomerzaDate(sub.startsAt);
  const at = now.getTime();
  if (end && end.getTime() <= at) {
    const retry = parseKomerzaDate(sub.nextRetryAt);
    return (sub.failedPayments ?? 0) > 0 && retry && retry.getTime() > at ? 'past_due' : 'expired';
  }
  const pausedAt = parseKomerzaDate(sub.pausedAt);
  const resumes = parseKomerzaDate(sub.pauseResumesAt);
  if (pausedAt && pausedAt.getTime() <= at && !(resumes && resumes.getTime() <= at)) return 'paused';
  if (!end) return 'unknown';
  if (sub.cancelAtPeriodEnd || sub.canceledAt) return 'cancelling';
  if (start && start.getTime() > at) return 'upcoming';
  return 'active';
}

const DAY = 86_400_000;
export const EXPIRING_WITHIN_DAYS = 7;

/** A payment failed, it ends within a week, or it is over: the card puts these first. */
export type Attention = 'failed_payment' | 'expiring' | 'expired' | undefined;

export function attentionOf(
  sub: SubscriptionSummary,
  now: Date,
  state: SubscriptionState = subscriptionState(sub, now),
): Attention {
  if ((sub.failedPayments ?? 0) > 0 && state !== 'expired') return 'failed_payment';
  if (state === 'expired') return 'expired';
  const end = parseKomerzaDate(sub.expiresAt);
  if (end && end.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY) return 'expiring';
  return undefined;
}

const RANK: Record<NonNullable<Attention> | 'none', number> = {
  failed_payment: 0,
  expiring: 1,
  expired: 2,
  none: 3,
};

/** A subscription with its state and attention worked out once (each date parsed once, not per comparison). */
export interface Ranked {
  sub: SubscriptionSummary;
  state: SubscriptionState;
  attention: Attention;
}

/**
 * Attention first (failed payments, then what ends within 7 days, then what has ended), then the rest; within a
 * group the soonest end first, and the most recently ended first among the expired.
 */
export function rankSubscriptions(items: readonly SubscriptionSummary[], now: Date): Ranked[] {
  return items
    .map((sub) => {
      const state = subscriptionState(sub, now);
      const attention = attentionOf(sub, now, state);
      const end = parseKomerzaDate(sub.expiresAt)?.getTime() ?? Number.POSITIVE_INFINITY;
      return { ranked: { sub, state, attention }, rank: RANK[attention ?? 'none'], end };
    })
    .sort((a, b) => a.rank - b.rank || (a.rank === RANK.expired ? b.end - a.end : a.end - b.end))
    .map(({ ranked }) => ranked);
}

export function sortSubscriptions(items: readonly SubscriptionSummary[], now: Date): SubscriptionSummary[] {
  return rankSubscriptions(items, now).map(({ sub }) => sub);
}
