import { describe, expect, it } from '@jest/globals';
import type { PersonAccess } from '../../src/access/standing.js';
import { type HomeFacts, homeView } from '../../src/blocks/home.js';
import { KOMERZA_FEATURES as FEATURES } from '../../src/requirements.js';
import { ACTIONS, BLOCKS, HOME_VIEW } from '../../src/slack/ids.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { assertNoInjection } from '../support/no-injection.js';
import { buttons } from '../support/slack-payloads.js';

type Json = Record<string, unknown>;

const NOW = new Date('2026-11-29T12:00:00Z');
const anywhere: PersonAccess = {
  lookups: { kind: 'anywhere' },
  budget: { limits: { perMinute: 100, perHour: 1000 }, remaining: { minute: 100, hour: 940 } },
  tickets: { kind: 'off' },
};

function facts(overrides: Partial<HomeFacts> = {}): HomeFacts {
  return {
    now: NOW,
    access: anywhere,
    slackMode: 'http',
    keyCheck: { report: { allowed: FEATURES, missing: [] }, at: NOW },
    queue: { queued: 0, available: 12, estimatedWaitMs: 0 },
    ...overrides,
  };
}

const text = (view: unknown) => JSON.stringify(view);

/** Every check a Home view must pass, whatever the facts. */
function checked(input: HomeFacts, trustedChannelIds: string[] = []) {
  const view = homeView(input) as unknown as Json;
  expect(blockKitViolations(view, { surface: 'home' })).toEqual([]);
  assertNoInjection(view, { trustedChannelIds });
  return view;
}

describe('the Home tab', () => {
  it('is a home view with the search box (Enter dispatches) and its button, for someone who may look up', () => {
    const view = checked(facts());
    expect(view).toMatchObject({ type: 'home', callback_id: HOME_VIEW });
    const blocks = view.blocks as Json[];
    const input = blocks.find((block) => block.type === 'input');
    expect(input).toMatchObject({
      block_id: BLOCKS.homeSearch,
      dispatch_action: true,
      element: {
        type: 'plain_text_input',
        action_id: ACTIONS.homeSearchInput,
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      },
    });
    expect(buttons(view).map((b) => b.action_id)).toEqual([ACTIONS.homeSearch]);
    expect(text(view)).toContain('/customer jane@example.com');
    expect(text(view)).toContain('Look up Komerza customer');
  });

  it('tells the person their access: lookups, what they may still be shown, and that ticket replies are off', () => {
    const view = text(checked(facts()));
    expect(view).toContain('Look up customers: *yes*');
    expect(view).toContain('100 of 100 this minute, 940 of 1,000 this hour');
    expect(view).toContain('Reply to tickets: *off*');
    expect(view).toContain('the app only reads the store');
    const unlimited = text(
      checked(
        facts({
          access: {
            ...anywhere,
            budget: {
              limits: { perMinute: 0, perHour: 0 },
              remaining: anywhere.budget?.remaining ?? { minute: 0, hour: 0 },
            },
          },
        }),
      ),
    );
    expect(unlimited).toContain('no limit is set');
  });

  it.each([
    [
      { kind: 'allowed', close: true },
      'Reply to tickets: *yes*, with *View &amp; reply*',
      'close them with *Close ticket*',
    ],
    [{ kind: 'allowed', close: false }, 'Reply to tickets: *yes*', 'open tickets.'],
    [{ kind: 'key_lacks', scopes: ['stores.tickets.update'] }, '*not available*', '`stores.tickets.update`'],
    [{ kind: 'refused', reason: 'user_not_allowed' }, 'Reply to tickets: *no*', 'only some people may write'],
    [{ kind: 'refused', reason: 'membership_unknown' }, 'Reply to tickets: *could not be checked', 'just now'],
  ] as const)('tells the person whether they may reply to tickets (%j)', (tickets, line, detail) => {
    const view = text(checked(facts({ access: { ...anywhere, tickets } })));
    expect(view).toContain(line);
    expect(view).toContain(detail);
    expect(view).toContain('ticket replies and closes that people allowed to write send');
  });

  it('has no search box, and says where to look up instead, when lookups are limited to channels', () => {
    const view = checked(
      facts({ access: { ...anywhere, lookups: { kind: 'channels', channelIds: ['C0SUPPORT', 'C0VIP'] } } }),
      ['C0SUPPORT', 'C0VIP'],
    );
    expect((view.blocks as Json[]).some((block) => block.type === 'input')).toBe(false);
    expect(buttons(view)).toEqual([]);
    expect(text(view)).toContain('Lookups are limited to some channels');
    expect(text(view)).toContain('<#C0SUPPORT>, <#C0VIP>');
  });

  it.each([
    ['user_not_allowed', 'You cannot look customers up with this app', ':no_entry: Look up customers: *no*'],
    ['membership_unknown', 'Your access could not be checked just now', 'could not be checked just now'],
  ] as const)('explains a refusal (%s) without a search box or a budget', (reason, why, line) => {
    const view = checked(facts({ access: { lookups: { kind: 'refused', reason }, tickets: { kind: 'off' } } }));
    expect(text(view)).toContain(why);
    expect(text(view)).toContain(line);
    expect(text(view)).not.toContain('this minute');
    expect(buttons(view)).toEqual([]);
  });

  it('shows the app’s state: the Slack connection, the key as checked at start-up, and the queue now', () => {
    const busy = text(
      checked(
        facts({
          slackMode: 'socket',
          keyCheck: { report: { allowed: FEATURES.slice(0, 1), missing: FEATURES.slice(1, 3) }, at: NOW },
          queue: { queued: 7, available: 0, estimatedWaitMs: 4100 },
        }),
      ),
    );
    expect(busy).toContain('*Socket Mode*');
    expect(busy).toContain(':white_check_mark: customer lookups');
    expect(busy).toContain(
      ':warning: no lookups by order id or recent orders on cards (the key lacks `stores.orders.view`)',
    );
    expect(busy).toContain('*7 requests waiting*; a lookup started now waits about 5 s');
    const calm = text(checked(facts()));
    expect(calm).toContain('*HTTP*');
    expect(calm).toContain('Komerza queue: *empty*, 12 requests can go at once');
    // Nobody waiting, but the bucket is empty until its next refill.
    const drained = text(checked(facts({ queue: { queued: 0, available: 0.4, estimatedWaitMs: 1200 } })));
    expect(drained).toContain('allowance is used up for a moment: a lookup started now waits about 2 s');
  });

  it('says when the key was not checked, or its scopes could not be verified', () => {
    expect(text(checked(facts({ keyCheck: undefined })))).toContain('Komerza key: *not checked*');
    expect(text(checked(facts({ keyCheck: { report: { allowed: [], missing: [] }, at: NOW } })))).toContain(
      'could not be verified',
    );
    expect(text(checked(facts({ queue: undefined })))).toContain('Komerza queue: *none*');
  });

  it('puts a notice on top when there is one', () => {
    const notice = {
      text: 'x',
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Top', verbatim: true } }],
    };
    const view = checked(facts({ notice }));
    expect((view.blocks as Json[])[0]).toEqual(notice.blocks[0]);
  });
});
