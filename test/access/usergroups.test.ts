import { describe, expect, it } from '@jest/globals';
import { createGroupMembership } from '../../src/access/usergroups.js';

describe('createGroupMembership', () => {
  it('finds members of any group and caches each list', async () => {
    const calls: string[] = [];
    const checker = createGroupMembership({
      usergroupIds: ['S1', 'S2'],
      list: async (id) => {
        calls.push(id);
        return id === 'S1' ? ['U1'] : ['U2'];
      },
    });
    expect(await checker.membership('U2')).toBe('member');
    expect(await checker.membership('U1')).toBe('member');
    expect(await checker.membership('U3')).toBe('not_member');
    expect(calls.sort()).toEqual(['S1', 'S2']);
  });

  it('answers unknown when a list cannot be read, and reports the error', async () => {
    const errors: string[] = [];
    const checker = createGroupMembership({
      usergroupIds: ['S1', 'S2'],
      list: async (id) => {
        if (id === 'S2') throw Object.assign(new Error('missing_scope'), { data: { error: 'missing_scope' } });
        return ['U1'];
      },
      onError: (id) => errors.push(id),
    });
    // A member of the readable group is still let in; anyone else cannot be decided.
    expect(await checker.membership('U1')).toBe('member');
    expect(await checker.membership('U9')).toBe('unknown');
    expect(errors).toContain('S2');
  });

  it('gives up after the deadline instead of holding the ack', async () => {
    const checker = createGroupMembership({
      usergroupIds: ['S1'],
      list: () => new Promise<string[]>(() => {}),
      deadlineMs: 20,
    });
    expect(await checker.membership('U1')).toBe('unknown');
  });

  it('keeps using the last known list when a refresh fails', async () => {
    let fail = false;
    const checker = createGroupMembership({
      usergroupIds: ['S1'],
      ttlMs: 1,
      maxStaleMs: 60_000,
      list: async () => {
        if (fail) throw new Error('ratelimited');
        return ['U1'];
      },
    });
    expect(await checker.membership('U1')).toBe('member');
    fail = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await checker.membership('U1')).toBe('member');
  });

  it('answers from the last known list while a refresh is still pending (Slack slow), not after the deadline', async () => {
    let calls = 0;
    const checker = createGroupMembership({
      usergroupIds: ['S1'],
      ttlMs: 1,
      maxStaleMs: 60_000,
      deadlineMs: 5_000,
      list: async () => {
        calls++;
        if (calls > 1) return new Promise<string[]>(() => undefined); // never answers
        return ['U1'];
      },
    });
    expect(await checker.membership('U1')).toBe('member');
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Answered from the stale list at once (a wait for the 5 s deadline would time this test out).
    expect(await checker.membership('U1')).toBe('member');
    expect(calls).toBe(2);
  }, 2_000);

  it('reports Slack’s own error (e.g. missing_scope) when a list cannot be read', async () => {
    const reported: unknown[] = [];
    const checker = createGroupMembership({
      usergroupIds: ['S1'],
      list: async () => {
        throw Object.assign(new Error('An API error occurred: missing_scope'), { data: { error: 'missing_scope' } });
      },
      onError: (_group, error) => reported.push(error),
    });
    expect(await checker.membership('U1')).toBe('unknown');
    expect(reported).toEqual([expect.objectContaining({ data: { error: 'missing_scope' } })]);
  });

  it('stops trusting a stale list once it is older than maxStaleMs while Slack keeps failing (hostile review #5)', async () => {
    let fail = false;
    let clock = 0;
    const checker = createGroupMembership({
      usergroupIds: ['S1'],
      ttlMs: 10,
      maxStaleMs: 20,
      now: () => clock,
      list: async () => {
        if (fail) throw Object.assign(new Error('missing_scope'), { data: { error: 'missing_scope' } });
        return ['U1'];
      },
    });
    expect(await checker.membership('U1')).toBe('member');
    // usergroups:read revoked: refreshes fail from now on.
    fail = true;
    clock = 15;
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(await checker.membership('U1')).toBe('member'); // stale, but within the bound: a hiccup locks nobody out
    clock = 25;
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(await checker.membership('U1')).toBe('unknown'); // past the bound: refused, as README promises
    // Slack answers again: the fresh list counts at once.
    fail = false;
    await new Promise((resolve) => setTimeout(resolve, 15));
    clock = 40;
    expect(await checker.membership('U1')).toBe('member');
  });
});
