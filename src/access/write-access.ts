import {
  type AccessDecision,
  type AccessPolicy,
  type GroupMembership,
  policyFromConfig,
  restrictsUsers,
  userDecision,
} from './policy.js';
import type { GroupMembershipChecker } from './usergroups.js';

/**
 * Who may write to the store from Slack (reply to a ticket, close one): ALLOWED_WRITE_USER_IDS and
 * ALLOWED_WRITE_USERGROUP_IDS, on top of the read rules the access middleware has already applied. With both unset,
 * whoever may look customers up may also write. Checked on every click and submission, and when a card is drawn
 * (no write buttons for someone who may not use them).
 */
export interface WriteAccess {
  /** Whether a write list is set at all (the Home tab and README say "whoever may look up" otherwise). */
  restricted: boolean;
  check(userId: string | undefined): Promise<AccessDecision>;
}

/** The write lists as a policy of users only (where to write is not restricted beyond the read rules). */
export function writePolicy(tickets: {
  writeUserIds: string[] | undefined;
  writeUsergroupIds: string[] | undefined;
}): AccessPolicy {
  return policyFromConfig({
    userIds: tickets.writeUserIds,
    usergroupIds: tickets.writeUsergroupIds,
    channelIds: undefined,
  });
}

/** The write rule over `policy`; `groups` reads ALLOWED_WRITE_USERGROUP_IDS' members (cached, fails closed). */
export function createWriteAccess(policy: AccessPolicy, groups?: GroupMembershipChecker): WriteAccess {
  return {
    restricted: restrictsUsers(policy),
    async check(userId) {
      let membership: GroupMembership = 'not_member';
      if (userId && groups && (policy.usergroupIds?.length ?? 0) > 0 && !policy.userIds?.has(userId)) {
        membership = await groups.membership(userId);
      }
      return userDecision(policy, userId, membership);
    },
  };
}
