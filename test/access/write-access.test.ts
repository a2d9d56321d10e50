import { describe, expect, it } from '@jest/globals';
import type { GroupMembership } from '../../src/access/policy.js';
import { createWriteAccess, writePolicy } from '../../src/access/write-access.js';

const groups = (answer: GroupMembership) => {
  const asked: string[] = [];
  return {
    asked,
    membership: async (userId: string) => {
      asked.push(userId);
      return answer;
    },
  };
};

describe('who may write to the store', () => {
  it('with no write list, whoever may look up (the read rules were applied before)', async () => {
    const access = createWriteAccess(writePolicy({ writeUserIds: undefined, writeUsergroupIds: undefined }));
    expect(access.restricted).toBe(false);
    expect(await access.check('U0ANYONE')).toEqual({ allowed: true });
  });

  it('ALLOWED_WRITE_USER_IDS: those users only, without asking Slack about groups', async () => {
    const checker = groups('member');
    const access = createWriteAccess(
      writePolicy({ writeUserIds: ['U0LEAD'], writeUsergroupIds: ['S0LEADS'] }),
      checker,
    );
    expect(access.restricted).toBe(true);
    expect(await access.check('U0LEAD')).toEqual({ allowed: true });
    expect(checker.asked).toEqual([]);
    expect(await access.check(undefined)).toEqual({ allowed: false, reason: 'no_user' });
  });

  it.each([
    ['member', { allowed: true }],
    ['not_member', { allowed: false, reason: 'user_not_allowed' }],
    ['unknown', { allowed: false, reason: 'membership_unknown' }],
  ] as const)('ALLOWED_WRITE_USERGROUP_IDS, Slack says %s', async (answer, expected) => {
    const access = createWriteAccess(
      writePolicy({ writeUserIds: undefined, writeUsergroupIds: ['S0LEADS'] }),
      groups(answer),
    );
    expect(await access.check('U0AGENT')).toEqual(expected);
  });
});
