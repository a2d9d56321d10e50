import { describe, expect, it } from '@jest/globals';
import { openInKomerza } from '../../../src/listeners/actions/open-in-komerza.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeDeps } from '../../support/listener-kit.js';

describe('Open in Komerza listener', () => {
  it('only acknowledges the click (Slack opens the link itself)', async () => {
    const deps = fakeDeps();
    const click = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.open, url: 'https://dashboard.komerza.com' },
      { surface: 'message' },
    );
    await openInKomerza(deps)(click.args);
    expect(click.acks).toHaveLength(1);
    expect(click.responses).toEqual([]);
    expect(click.fake.calls).toEqual([]);
  });
});
