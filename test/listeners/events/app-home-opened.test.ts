import { describe, expect, it } from '@jest/globals';
import { createMemoryBudget } from '../../../src/access/budget.js';
import { policyFromConfig } from '../../../src/access/policy.js';
import { createKeyCheckRecord } from '../../../src/checks/key-scopes.js';
import { appHomeOpened } from '../../../src/listeners/events/app-home-opened.js';
import { KOMERZA_FEATURES as FEATURES } from '../../../src/requirements.js';
import { HOME_VIEW } from '../../../src/slack/ids.js';
import { fakeDeps, homeOpenedArgs } from '../../support/listener-kit.js';

/** A clock that stands still, so a budget's minute cannot roll over inside a test. */
const CLOCK = Date.parse('2026-11-29T12:00:10Z');

type Args = Parameters<ReturnType<typeof appHomeOpened>>[0];

describe('app_home_opened listener', () => {
  it('publishes the Home tab for the person who opened it, with their access and the app’s state', async () => {
    const keyCheck = createKeyCheckRecord();
    keyCheck.record({ allowed: FEATURES.slice(0, 1), missing: FEATURES.slice(1, 2) }, new Date('2026-11-29T08:00:00Z'));
    const budget = createMemoryBudget({ perMinute: 100, perHour: 1000, now: () => CLOCK });
    await budget.take('U0AGENT', 3);
    const deps = fakeDeps({
      keyCheck,
      budget,
      budgetLimits: { perMinute: 100, perHour: 1000 },
      slackMode: 'socket',
      queue: { status: () => ({ queued: 4, available: 0, estimatedWaitMs: 2500 }) },
    });
    const run = homeOpenedArgs<Args>('U0AGENT');
    await appHomeOpened(deps)(run.args);
    const [publish] = run.fake.callsTo('views.publish');
    expect(publish?.args.user_id).toBe('U0AGENT');
    const view = publish?.args.view as Record<string, unknown>;
    expect(view).toMatchObject({ type: 'home', callback_id: HOME_VIEW });
    const text = JSON.stringify(view);
    expect(text).toContain('97 of 100 this minute, 997 of 1,000 this hour');
    expect(text).toContain('Socket Mode');
    expect(text).toContain('stores.orders.view');
    expect(text).toContain('4 requests waiting');
  });

  it('shows a person outside ALLOWED_USER_IDS why they cannot look up, and no search box', async () => {
    const deps = fakeDeps({
      access: { policy: policyFromConfig({ userIds: ['U0LEAD'], usergroupIds: undefined, channelIds: undefined }) },
    });
    const run = homeOpenedArgs<Args>('U0GUEST');
    await appHomeOpened(deps)(run.args);
    const text = JSON.stringify(run.fake.callsTo('views.publish')[0]?.args.view);
    expect(text).toContain('You cannot look customers up with this app');
    expect(text).not.toContain('home_search_input');
  });

  it('does nothing when the Messages tab is opened', async () => {
    const deps = fakeDeps();
    const run = homeOpenedArgs<Args>('U0AGENT', 'messages');
    await appHomeOpened(deps)(run.args);
    expect(run.fake.callsTo('views.publish')).toEqual([]);
  });

  it('logs, and does not throw, when Slack refuses the view', async () => {
    const deps = fakeDeps();
    const run = homeOpenedArgs<Args>('U0AGENT');
    run.fake.fail('views.publish', 'not_enabled');
    await appHomeOpened(deps)(run.args);
    expect(deps.logs.join('\n')).toContain('Could not publish the Home tab');
    expect(deps.logs.join('\n')).toContain('not_enabled');
  });
});
