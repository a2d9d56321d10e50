import { describe, expect, it } from '@jest/globals';
import { KomerzaUnavailableError } from '../../../src/komerza/errors.js';
import { shareCard } from '../../../src/listeners/actions/share.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeDeps, sampleCustomer, stubKomerza } from '../../support/listener-kit.js';

const jane = sampleCustomer('jane@example.com');
const ID = jane.id;
const shareButton = { action_id: ACTIONS.share, value: `{"c":"${ID}"}` };
const modalView = {
  private_metadata: '{"ch":"C0SUPPORT","ts":"1700000000.000100","ru":"https://hooks.slack.test/shortcut/1"}',
  blocks: [{ type: 'section', block_id: 'card', text: { type: 'mrkdwn', text: 'the card' } }],
};

function run(where: Parameters<typeof clickArgs>[1], api = stubKomerza({ getCustomer: async () => jane })) {
  const deps = fakeDeps({ api });
  const click = clickArgs<ButtonArgs>(shareButton, where);
  click.args.context.customerId = ID;
  return { deps, click, share: () => shareCard(deps)(click.args) };
}

describe('Share listener', () => {
  it('from a /customer card: posts the redacted card in the channel through the response_url', async () => {
    const { click, share } = run({ surface: 'message' });
    await share();
    expect(click.acks).toHaveLength(1);
    const [posted] = click.responses;
    expect(posted?.response_type).toBe('in_channel');
    expect(posted?.replace_original).toBe(false);
    const text = JSON.stringify(posted);
    expect(text).toContain('Shared by <@U0AGENT>');
    expect(text).not.toContain('203.0.113.24'); // the IP address stays private
    expect(text).not.toContain(ACTIONS.refresh);
  });

  it('from the modal: posts into the message thread and says so on top of the modal', async () => {
    const { click, share } = run({ surface: 'modal', view: modalView });
    await share();
    const [post] = click.fake.callsTo('chat.postMessage');
    expect(post?.args).toMatchObject({ channel: 'C0SUPPORT', thread_ts: '1700000000.000100' });
    const [update] = click.fake.callsTo('views.update');
    const text = JSON.stringify(update?.args.view);
    expect(text).toContain('Shared in the message’s thread');
    expect(text).toContain('the card'); // the modal keeps its content under the notice
  });

  it('shares nothing when Komerza fails, and tells the person why', async () => {
    const failing = stubKomerza({
      getCustomer: async () => Promise.reject(new KomerzaUnavailableError('r', 'network')),
    });
    const { click, share } = run({ surface: 'message' }, failing);
    await share();
    expect(click.responses).toHaveLength(1);
    expect(click.responses[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(click.responses[0])).toContain('could not reach Komerza');
    expect(click.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('says how to invite the app when the bot is not in the channel and the hook is gone', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomer: async () => jane }) });
    const click = clickArgs<ButtonArgs>(shareButton, { surface: 'message' }, { respondStatus: 404 });
    click.args.context.customerId = ID;
    click.fake.fail('chat.postMessage', 'not_in_channel');
    await shareCard(deps)(click.args);
    expect(JSON.stringify(click.fake.callsTo('chat.postEphemeral'))).toContain('/invite @customer-lookup');
  });
});
