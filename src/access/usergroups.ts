import { LRUCache } from 'lru-cache';
import type { GroupMembership } from './policy.js';

/** Lists the members of one user group (`usergroups.users.list`); rejects when Slack cannot answer. */
export type ListGroupMembers = (usergroupId: string) => Promise<string[]>;

export interface GroupMembershipOptions {
  usergroupIds: readonly string[];
  list: ListGroupMembers;
  /** How long a group's member list is reused. Membership changes rarely; a stale minute or five is acceptable. */
  ttlMs?: number;
  /**
   * Longest wait for Slack before answering `unknown`. The Web client retries network failures for minutes by
   * default, and a command must be acknowledged within 3 s, so the check gives up well before that.
   */
  deadlineMs?: number;
  onError?: (usergroupId: string, error: unknown) => void;
  /**
   * The oldest list still trusted while Slack fails to give a new one (default twice the TTL). Past it the answer
   * is `unknown` (refused): a member removed from the group, or a revoked usergroups:read scope, must not keep
   * access for as long as Slack keeps failing.
   */
  maxStaleMs?: number;
  now?: () => number;
}

export interface GroupMembershipChecker {
  membership(userId: string): Promise<GroupMembership>;
}

/**
 * Membership of any allowed user group, with each group's member list cached (lru-cache `fetch`: one in-flight
 * load per group however many requests arrive at once). A failed refresh falls back to the last known list
 * (`allowStaleOnFetchRejection`), so a Slack hiccup does not lock out the support team; with no list at all the
 * answer is `unknown` and the caller refuses (fail closed).
 */
interface MemberList {
  members: ReadonlySet<string>;
  loadedAt: number;
}

export function createGroupMembership(options: GroupMembershipOptions): GroupMembershipChecker {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const maxStaleMs = options.maxStaleMs ?? 2 * ttlMs;
  const now = options.now ?? Date.now;
  const cache = new LRUCache<string, MemberList>({
    max: Math.max(1, options.usergroupIds.length),
    ttl: ttlMs,
    allowStaleOnFetchRejection: true,
    // While a refresh is still pending (Slack slow, or retrying), answer with the last known list rather than wait
    // for the deadline and refuse the support team.
    allowStale: true,
    fetchMethod: async (usergroupId) => {
      try {
        return { members: new Set(await options.list(usergroupId)), loadedAt: now() };
      } catch (error) {
        // Reported here, with Slack's own error (e.g. missing_scope): the cache turns a failed load with no
        // stale list into a plain `undefined`, which says nothing about why.
        options.onError?.(usergroupId, error);
        throw error;
      }
    },
  });
  const deadlineMs = options.deadlineMs ?? 2000;

  async function withinDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Slack within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  const trusted = (list: MemberList | undefined): list is MemberList =>
    list !== undefined && now() - list.loadedAt <= maxStaleMs;

  async function members(usergroupId: string): Promise<ReadonlySet<string>> {
    const found = await withinDeadline(cache.fetch(usergroupId));
    if (!found) throw new LoadFailed();
    if (trusted(found)) return found.members;
    // Too old to trust: wait for a new list (within the deadline); failing that, the answer is unknown.
    const fresh = await withinDeadline(
      cache.fetch(usergroupId, { forceRefresh: true, allowStale: false, allowStaleOnFetchRejection: false }),
    );
    if (!trusted(fresh)) throw new LoadFailed();
    return fresh.members;
  }

  return {
    async membership(userId) {
      const results = await Promise.allSettled(options.usergroupIds.map(members));
      let failed = false;
      results.forEach((result, index) => {
        if (result.status === 'rejected') {
          failed = true;
          // A failed load was reported by fetchMethod already; a deadline has not been.
          if (!(result.reason instanceof LoadFailed))
            options.onError?.(options.usergroupIds[index] ?? '', result.reason);
        }
      });
      if (results.some((result) => result.status === 'fulfilled' && result.value.has(userId))) return 'member';
      return failed ? 'unknown' : 'not_member';
    },
  };
}

/** The member list could not be loaded (and there is no earlier one): already reported through `onError`. */
class LoadFailed extends Error {
  constructor() {
    super('the user group member list could not be loaded');
  }
}
