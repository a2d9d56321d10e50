import { describe, expect, it } from '@jest/globals';
import { decideAccess, needsGroupMembership, policyFromConfig, userDecision } from '../../src/access/policy.js';
import type { IncomingRequest } from '../../src/access/request.js';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  kind: 'command',
  userId: 'U1',
  teamId: 'T1',
  channelId: 'C1',
  inModal: false,
  countsAsLookup: true,
  responseUrl: undefined,
  triggerId: undefined,
  surface: { kind: 'command' },
  ...overrides,
});

const open = policyFromConfig({ userIds: undefined, usergroupIds: undefined, channelIds: undefined });

describe('decideAccess', () => {
  it('lets the whole workspace in when nothing is restricted', () => {
    expect(decideAccess(open, request())).toEqual({ allowed: true });
    expect(decideAccess(open, request({ channelId: undefined, userId: 'W9' }))).toEqual({ allowed: true });
  });

  it('refuses a lookup that names nobody even when everyone may look up: it could not be counted', () => {
    const step = request({ kind: 'workflow_step', userId: undefined, channelId: undefined });
    expect(decideAccess(open, step)).toEqual({ allowed: false, reason: 'no_user' });
    // What reads nothing needs no one to charge.
    expect(decideAccess(open, request({ userId: undefined, countsAsLookup: false }))).toEqual({ allowed: true });
  });

  it('refuses a workflow step when channels are restricted: it has no channel', () => {
    const policy = policyFromConfig({ userIds: undefined, usergroupIds: undefined, channelIds: ['C1'] });
    const step = request({ kind: 'workflow_step', userId: 'U1', channelId: undefined });
    expect(decideAccess(policy, step)).toEqual({ allowed: false, reason: 'channel_not_allowed' });
  });

  it('decides the user rule alone for the Home tab (no channel there)', () => {
    const policy = policyFromConfig({ userIds: ['U1'], usergroupIds: ['S1'], channelIds: ['C1'] });
    expect(userDecision(policy, 'U1')).toEqual({ allowed: true });
    expect(userDecision(policy, 'U2', 'member')).toEqual({ allowed: true });
    expect(userDecision(policy, 'U2', 'unknown')).toEqual({ allowed: false, reason: 'membership_unknown' });
    expect(userDecision(policy, 'U2')).toEqual({ allowed: false, reason: 'user_not_allowed' });
    expect(userDecision(open, 'U9')).toEqual({ allowed: true });
  });

  it('allows listed users only', () => {
    const policy = policyFromConfig({ userIds: ['U1', 'U2'], usergroupIds: undefined, channelIds: undefined });
    expect(decideAccess(policy, request({ userId: 'U2' }))).toEqual({ allowed: true });
    expect(decideAccess(policy, request({ userId: 'U3' }))).toEqual({ allowed: false, reason: 'user_not_allowed' });
    expect(decideAccess(policy, request({ userId: undefined }))).toEqual({ allowed: false, reason: 'no_user' });
  });

  it('allows members of listed user groups, and fails closed when membership is unknown', () => {
    const policy = policyFromConfig({ userIds: ['U1'], usergroupIds: ['S1'], channelIds: undefined });
    expect(needsGroupMembership(policy, request({ userId: 'U1' }))).toBe(false);
    expect(needsGroupMembership(policy, request({ userId: 'U5' }))).toBe(true);
    expect(decideAccess(policy, request({ userId: 'U1' }))).toEqual({ allowed: true });
    expect(decideAccess(policy, request({ userId: 'U5' }), 'member')).toEqual({ allowed: true });
    expect(decideAccess(policy, request({ userId: 'U5' }), 'not_member')).toEqual({
      allowed: false,
      reason: 'user_not_allowed',
    });
    expect(decideAccess(policy, request({ userId: 'U5' }), 'unknown')).toEqual({
      allowed: false,
      reason: 'membership_unknown',
    });
  });

  it('restricts channels; a modal click is judged by the channel the modal recorded, and refused without one', () => {
    const policy = policyFromConfig({ userIds: undefined, usergroupIds: undefined, channelIds: ['C1'] });
    expect(decideAccess(policy, request({ channelId: 'C1' }))).toEqual({ allowed: true });
    expect(decideAccess(policy, request({ channelId: 'C2' }))).toEqual({
      allowed: false,
      reason: 'channel_not_allowed',
    });
    // request.ts gives a modal click the channel the modal was opened from.
    expect(decideAccess(policy, request({ kind: 'block_actions', channelId: 'C1', inModal: true }))).toEqual({
      allowed: true,
    });
    expect(decideAccess(policy, request({ kind: 'block_actions', channelId: 'C2', inModal: true }))).toEqual({
      allowed: false,
      reason: 'channel_not_allowed',
    });
    expect(decideAccess(policy, request({ kind: 'block_actions', channelId: undefined, inModal: true }))).toEqual({
      allowed: false,
      reason: 'channel_not_allowed',
    });
    expect(decideAccess(policy, request({ kind: 'shortcut', channelId: undefined }))).toEqual({
      allowed: false,
      reason: 'channel_not_allowed',
    });
  });

  it('checks the channel before the user (no API call for a request refused anyway)', () => {
    const policy = policyFromConfig({ userIds: undefined, usergroupIds: ['S1'], channelIds: ['C1'] });
    expect(needsGroupMembership(policy, request({ channelId: 'C9' }))).toBe(false);
    expect(needsGroupMembership(policy, request({ channelId: 'C1' }))).toBe(true);
    expect(decideAccess(policy, request({ channelId: 'C9' }), 'member')).toEqual({
      allowed: false,
      reason: 'channel_not_allowed',
    });
  });
});
