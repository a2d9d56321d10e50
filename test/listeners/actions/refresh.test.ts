import { describe, expect, it } from '@jest/globals';
import type { Customer } from '../../../src/komerza/schemas.js';
import { refreshCard } from '../../../src/listeners/actions/refresh.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeDeps, sampleCustomers, stubKomerza } from '../../support/listener-kit.js';

const customer = sampleCustomers()[0] as Customer;
const ID = customer.id;

describe('Refresh listener', () => {
  it('reads through the fresh view of Komerza and replaces the card in place', async () => {
    const reads: string[] = [];
    const deps = fakeDeps();
    deps.komerza = {
      cached: stubKomerza({
        getCustomer: async () => {
          reads.push('cached');
          return customer;
        },
      }),
      fresh: stubKomerza({
        getCustomer: async () => {
          reads.push('fresh');
          return { ...customer, totalSpend: 99999 };
        },
      }),
    };
    const click = clickArgs<ButtonArgs>({ action_id: ACTIONS.refresh, value: `{"c":"${ID}"}` }, { surface: 'message' });
    click.args.context.customerId = ID;
    await refreshCard(deps)(click.args);
    expect(reads).toEqual(['fresh']);
    expect(click.responses[0]?.replace_original).toBe(true);
    expect(JSON.stringify(click.responses[0])).toContain('$99,999.00');
  });

  it('falls back to an ephemeral message when the card is too old to update', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomer: async () => customer }) });
    const click = clickArgs<ButtonArgs>({ action_id: ACTIONS.refresh }, { surface: 'message' }, { respondStatus: 404 });
    click.args.context.customerId = ID;
    await refreshCard(deps)(click.args);
    const [post] = click.fake.callsTo('chat.postEphemeral');
    expect(post?.args).toMatchObject({ channel: 'C0SUPPORT', user: 'U0AGENT' });
  });
});
