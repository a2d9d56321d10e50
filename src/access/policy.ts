import type { IncomingRequest } from './request.js';

/**
 * Who may use the app, and where (ALLOWED_USER_IDS, ALLOWED_USERGROUP_IDS, ALLOWED_CHANNEL_IDS). An undefined list
 * means no restriction of that kind; with all three undefined the whole workspace may use the app.
 */
export interface AccessPolicy {
  userIds?: ReadonlySet<string> | undefined;
  usergroupIds?: readonly string[] | undefined;
  channelIds?: ReadonlySet<string> | undefined;
}

/** Whether the user is in one of the allowed user groups; `unknown` when Slack could not say (API failure). */
export type GroupMembership = 'member' | 'not_member' | 'unknown';

export type Refusal =
  /** The request names no user (a workflow step without a user_context; refused rather than guessed or uncounted). */
  | 'no_user'
  | 'user_not_allowed'
  | 'channel_not_allowed'
  /** Group membership could not be checked: fail closed, say so, log why. */
  | 'membership_unknown';

export type AccessDecision = { allowed: true } | { allowed: false; reason: Refusal };

export function policyFromConfig(access: {
  userIds: string[] | undefined;
  usergroupIds: string[] | undefined;
  channelIds: string[] | undefined;
}): AccessPolicy {
  return {
    userIds: access.userIds ? new Set(access.userIds) : undefined,
    usergroupIds: access.usergroupIds,
    channelIds: access.channelIds ? new Set(access.channelIds) : undefined,
  };
}

export function restrictsUsers(policy: AccessPolicy): boolean {
  return policy.userIds !== undefined || (policy.usergroupIds?.length ?? 0) > 0;
}

/** The channel rule alone: decidable without any API call, so it is checked first. */
export function channelDecision(policy: AccessPolicy, request: IncomingRequest): AccessDecision {
  if (!policy.channelIds) return { allowed: true };
  // A click in the app's modal counts as the channel the modal was opened from (request.ts reads it from the
  // modal); a request that names no channel at all (a global shortcut, a modal that is not the app's) cannot be
  // placed, and is refused.
  if (request.channelId && policy.channelIds.has(request.channelId)) return { allowed: true };
  return { allowed: false, reason: 'channel_not_allowed' };
}

/**
 * True when deciding needs the user's group membership (an API call): the channel is allowed and the user is not
 * allowed by id alone. A request refused for its channel never costs a Slack call.
 */
export function needsGroupMembership(policy: AccessPolicy, request: IncomingRequest): boolean {
  if (!request.userId || (policy.usergroupIds?.length ?? 0) === 0) return false;
  if (!channelDecision(policy, request).allowed) return false;
  return !policy.userIds?.has(request.userId);
}

/**
 * The whole decision. `membership` is only consulted when `needsGroupMembership` said so; pass what the
 * user-group lookup found (or `unknown` if it failed).
 */
export function decideAccess(
  policy: AccessPolicy,
  request: IncomingRequest,
  membership: GroupMembership = 'not_member',
): AccessDecision {
  const channel = channelDecision(policy, request);
  if (!channel.allowed) return channel;
  // What a lookup shows is charged to a person (access/disclosure.ts): one that names nobody cannot be counted.
  // Slack names a user in every command and interaction; a workflow step names one only through its user_context.
  if (request.countsAsLookup && !request.userId) return { allowed: false, reason: 'no_user' };
  return userDecision(policy, request.userId, membership);
}

/** The user rule alone, wherever the person is: may they use the app at all (the Home tab says so). */
export function userDecision(
  policy: AccessPolicy,
  userId: string | undefined,
  membership: GroupMembership = 'not_member',
): AccessDecision {
  if (!restrictsUsers(policy)) return { allowed: true };
  if (!userId) return { allowed: false, reason: 'no_user' };
  if (policy.userIds?.has(userId)) return { allowed: true };
  if ((policy.usergroupIds?.length ?? 0) === 0) return { allowed: false, reason: 'user_not_allowed' };
  if (membership === 'member') return { allowed: true };
  return { allowed: false, reason: membership === 'unknown' ? 'membership_unknown' : 'user_not_allowed' };
}
