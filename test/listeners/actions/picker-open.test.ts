import { describe, expect, it } from '@jest/globals';
import { openFromPicker } from '../../../src/listeners/actions/picker-open.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeClient, fakeDeps, sampleCustomer, stubKomerza } from '../../support/listener-kit.js';

const bob = sampleCustomer('bob@example.org');
const ID = bob.id;

describe('picker Open listener', () => {
  it('in the modal: replaces the list with the card through views.update, keeping the modal context', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomer: async () => bob }) });
    const metadata = '{"ch":"C0SUPPORT","ts":"1700000000.000100"}';
    const click = clickArgs<ButtonArgs>(
      { action_id: ACTIONS.pickerOpen },
      { surface: 'modal', view: { private_metadata: metadata } },
    );
    click.args.context.customerId = ID;
    await openFromPicker(deps)(click.args);
    const [update] = click.fake.callsTo('views.update');
    expect(update?.args).toMatchObject({ view_id: 'V1', hash: 'h-current' });
    expect(JSON.stringify(update?.args.view)).toContain('bob@example.org');
    expect(update?.args.view).toMatchObject({ private_metadata: metadata });
  });

  it('pushes the answer over the modal when Slack refuses the update (still open)', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({ api: stubKomerza({ getCustomer: async () => bob }), triggerClient: fake.client });
    const click = clickArgs<ButtonArgs>({ action_id: ACTIONS.pickerOpen }, { surface: 'modal', view: {} }, { fake });
    click.args.context.customerId = ID;
    click.fake.fail('views.update', 'internal_error');
    await openFromPicker(deps)(click.args);
    expect(click.fake.callsTo('views.push')).toHaveLength(1);
  });
});
