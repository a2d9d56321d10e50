import { describe, expect, it } from '@jest/globals';
import { lookupCustomerShortcut } from '../../../src/listeners/shortcuts/lookup-customer.js';
import { LOOKUP_VIEW } from '../../../src/slack/ids.js';
import { fakeClient, fakeDeps, sampleCustomer, shortcutArgs, stubKomerza } from '../../support/listener-kit.js';

type Args = Parameters<ReturnType<typeof lookupCustomerShortcut>>[0];
const jane = sampleCustomer('jane@example.com');
const api = stubKomerza({ getCustomerByEmail: async () => jane });

describe('"Look up customer" shortcut listener', () => {
  it('opens "Looking up…" with the trigger, then updates that view with the card, keeping where it was used', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({ api, triggerClient: fake.client });
    const run = shortcutArgs<Args>({ text: 'Ticket from jane@example.com', ts: '1700000000.000100' }, { fake });
    await lookupCustomerShortcut(deps)(run.args);
    const [open] = run.fake.callsTo('views.open');
    const [update] = run.fake.callsTo('views.update');
    expect(JSON.stringify(open?.args.view)).toContain('Looking up the customer');
    expect(update?.args.view_id).toBe('V1');
    const view = update?.args.view as Record<string, unknown>;
    expect(view.callback_id).toBe(LOOKUP_VIEW);
    expect(JSON.stringify(view)).toContain('Order arrived damaged');
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({ ch: 'C0SUPPORT', ts: '1700000000.000100' });
    expect(run.responses).toEqual([]);
  });

  it('answers through the response_url when the modal cannot be opened', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({ api, triggerClient: fake.client });
    const run = shortcutArgs<Args>({ text: 'jane@example.com' }, { fake });
    run.fake.fail('views.open', 'trigger_expired');
    await lookupCustomerShortcut(deps)(run.args);
    expect(JSON.stringify(run.responses)).toContain('Order arrived damaged');
  });

  it('stops when the person closed the modal (views.update not_found)', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({ api, triggerClient: fake.client });
    const run = shortcutArgs<Args>({ text: 'jane@example.com' }, { fake });
    run.fake.fail('views.update', 'not_found');
    await lookupCustomerShortcut(deps)(run.args);
    expect(run.responses).toEqual([]);
  });

  it('says how to look up when the message names nobody', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({ api: stubKomerza({}), triggerClient: fake.client });
    const run = shortcutArgs<Args>({ text: 'Thanks, all sorted!' }, { fake });
    await lookupCustomerShortcut(deps)(run.args);
    expect(JSON.stringify(run.fake.callsTo('views.update'))).toContain('No email address or id found');
  });
});
