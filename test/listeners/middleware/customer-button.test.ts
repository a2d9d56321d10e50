import { describe, expect, it } from '@jest/globals';
import { customerFromButton } from '../../../src/listeners/middleware/customer-button.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeDeps } from '../../support/listener-kit.js';

const ID = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';

describe('customer button middleware', () => {
  it('puts the decoded customer id on the context and goes on', async () => {
    const deps = fakeDeps();
    const run = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.refresh, value: `{"c":"${ID.toUpperCase()}"}` },
      {
        surface: 'message',
      },
    );
    await customerFromButton(deps)(run.args);
    expect(run.args.context.customerId).toBe(ID);
    expect(run.nextCalled()).toBe(true);
    expect(run.acks).toEqual([]);
  });

  it('also puts the order a card marks on the context, when the button carries one', async () => {
    const order = 'c0ffee00-aaaa-4bbb-8ccc-000000000101';
    const run = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.refresh, value: `{"c":"${ID}","o":"${order}"}` },
      { surface: 'message' },
    );
    await customerFromButton(fakeDeps())(run.args);
    expect(run.args.context).toMatchObject({ customerId: ID, orderId: order });
    expect(run.nextCalled()).toBe(true);
  });

  it('acknowledges and drops a value this app did not write', async () => {
    const deps = fakeDeps();
    const run = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.share, value: '{"c":"jane@example.com"}' },
      {
        surface: 'message',
      },
    );
    await customerFromButton(deps)(run.args);
    expect(run.acks).toHaveLength(1);
    expect(run.nextCalled()).toBe(false);
    expect(deps.logs.some((line) => line.includes('a value this app did not write'))).toBe(true);
    expect(deps.logs.join('\n')).not.toContain('jane@example.com');
  });
});
