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
export function createGroupMembership(options: GroupMembershipOptions): GroupMembershipChecker {
  const cache = new LRUCache<string, ReadonlySet<string>>({
    max: Math.max(1, options.usergroupIds.length),
    ttl: options.ttlMs ?? 5 * 60_000,
    allowStaleOnFetchRejection: true,
    // While a refresh is still pending (Slack slow, or retrying), answer with the last known list rather than wait
    // for the deadline and refuse the support team.
    allowStale: true,
    fetchMethod: async (usergroupId) => {
      try {
        return new Set(await options.list(usergroupId));
      } catch (error) {
        // Reported here, with Slack's own error (e.g. missing_scope): the cache turns a failed load with no
        // stale list into a plain `undefined`, which says nothing about why.
        options.onError?.(usergroupId, error);
        throw error;
      }
    },
  });
  const deadlineMs = options.deadlineMs ?? 2000;

  async function members(usergroupId: string): Promise<ReadonlySet<string>> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Slack within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      const found = await Promise.race([cache.fetch(usergroupId), deadline]);
      if (!found) throw new LoadFailed();
      return found;
    } finally {
      clearTimeout(timer);
    }
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
