import type { TicketOffer } from '../tickets/offer.js';
import type { BudgetLimits, LookupBudget } from './budget.js';
import { type AccessPolicy, type GroupMembership, type Refusal, userDecision } from './policy.js';
import type { GroupMembershipChecker } from './usergroups.js';
import type { WriteAccess } from './write-access.js';

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
  /** Replying to (and closing) tickets from cards: said plainly either way, since people ask. */
  tickets: TicketStanding;
}

/** What a person may do with a card's open tickets (TICKET_ACTIONS, the key's scopes, ALLOWED_WRITE_*). */
export type TicketStanding =
  | { kind: 'off' }
  | { kind: 'key_lacks'; scopes: readonly string[] }
  | { kind: 'allowed'; close: boolean }
  | { kind: 'refused'; reason: Refusal };

/** Where ticket actions come from: what the app offers, and who may write. */
export interface TicketRules {
  offer: Pick<TicketOffer, 'setting' | 'actions' | 'missing'>;
  writeAccess: WriteAccess;
}

/** A person's standing, worked out like a request's (policy.ts) but without a channel: the Home tab has none. */
export async function personAccess(
  rules: AccessRules,
  budget: LookupBudget,
  limits: BudgetLimits,
  userId: string,
  tickets: TicketRules,
): Promise<PersonAccess> {
  const { policy } = rules;
  let membership: GroupMembership = 'not_member';
  if (rules.groups && (policy.usergroupIds?.length ?? 0) > 0 && !policy.userIds?.has(userId)) {
    membership = await rules.groups.membership(userId);
  }
  const decision = userDecision(policy, userId, membership);
  if (!decision.allowed) {
    const refused = { kind: 'refused' as const, reason: decision.reason };
    return { lookups: refused, tickets: tickets.offer.setting === 'off' ? { kind: 'off' } : refused };
  }
  const state = await budget.peek(userId);
  return {
    lookups: policy.channelIds ? { kind: 'channels', channelIds: [...policy.channelIds] } : { kind: 'anywhere' },
    budget: { limits, remaining: state.remaining },
    tickets: await ticketStanding(tickets, userId),
  };
}

async function ticketStanding(rules: TicketRules, userId: string): Promise<TicketStanding> {
  if (rules.offer.setting === 'off') return { kind: 'off' };
  const offered = rules.offer.actions();
  if (!offered.reply && !offered.close) return { kind: 'key_lacks', scopes: rules.offer.missing() };
  const decision = await rules.writeAccess.check(userId);
  return decision.allowed ? { kind: 'allowed', close: offered.close } : { kind: 'refused', reason: decision.reason };
}
