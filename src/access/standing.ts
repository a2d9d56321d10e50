import type { BudgetLimits, LookupBudget } from './budget.js';
import { type AccessPolicy, type GroupMembership, type Refusal, userDecision } from './policy.js';
import type { GroupMembershipChecker } from './usergroups.js';

/** Who may use the app: the policy from configuration, and the group checker when ALLOWED_USERGROUP_IDS is set. */
export interface AccessRules {
  policy: AccessPolicy;
  groups?: GroupMembershipChecker | undefined;
}

/** Where a person may look customers up: anywhere, only in the allowed channels, or not at all (and why). */
export type LookupStanding =
  | { kind: 'anywhere' }
  | { kind: 'channels'; channelIds: string[] }
  | { kind: 'refused'; reason: Refusal };

/** A person's own access, as the Home tab tells them (the same rules the access middleware applies). */
export interface PersonAccess {
  lookups: LookupStanding;
  /** What the person may still be shown (access/budget.ts); absent when they may not look up at all. */
  budget?: { limits: BudgetLimits; remaining: { minute: number; hour: number } };
  /**
   * Replying to tickets from Slack: this version only reads Komerza, so nobody can. Said plainly rather than left
   * out, since people ask.
   */
  ticketReplies: 'not_available';
}

/** A person's standing, worked out like a request's (policy.ts) but without a channel: the Home tab has none. */
export async function personAccess(
  rules: AccessRules,
  budget: LookupBudget,
  limits: BudgetLimits,
  userId: string,
): Promise<PersonAccess> {
  const { policy } = rules;
  let membership: GroupMembership = 'not_member';
  if (rules.groups && (policy.usergroupIds?.length ?? 0) > 0 && !policy.userIds?.has(userId)) {
    membership = await rules.groups.membership(userId);
  }
  const decision = userDecision(policy, userId, membership);
  if (!decision.allowed)
    return { lookups: { kind: 'refused', reason: decision.reason }, ticketReplies: 'not_available' };
  const state = await budget.peek(userId);
  return {
    lookups: policy.channelIds ? { kind: 'channels', channelIds: [...policy.channelIds] } : { kind: 'anywhere' },
    budget: { limits, remaining: state.remaining },
    ticketReplies: 'not_available',
  };
}
