import { describe, expect, it } from '@jest/globals';
import { describeRequest, requestFacts } from '../../src/access/request.js';

describe('describeRequest', () => {
  it('reads a slash command form', () => {
    expect(
      describeRequest({
        command: '/customer',
        text: 'jane@example.com',
        user_id: 'U1',
        team_id: 'T1',
        channel_id: 'C1',
        response_url: 'https://hooks/1',
        trigger_id: 'tr1',
      }),
    ).toEqual({
      kind: 'command',
      userId: 'U1',
      teamId: 'T1',
      channelId: 'C1',
      inModal: false,
      countsAsLookup: true,
      responseUrl: 'https://hooks/1',
      triggerId: 'tr1',
      surface: { kind: 'command' },
    });
  });

  it.each(['', '   ', 'help', 'HELP', '?', '--help'])('does not count the help request %j as a lookup', (text) => {
    expect(describeRequest({ command: '/customer', text, user_id: 'U1' })?.countsAsLookup).toBe(false);
  });

  it('reads a block action in a message', () => {
    const request = describeRequest({
      type: 'block_actions',
      user: { id: 'U2', team_id: 'T2' },
      channel: { id: 'C2', name: 'support' },
      response_url: 'https://hooks/2',
      trigger_id: 'tr2',
      actions: [{ action_id: 'refresh' }],
    });
    expect(request).toMatchObject({ kind: 'block_actions', userId: 'U2', teamId: 'T2', channelId: 'C2' });
    expect(request?.inModal).toBe(false);
    expect(request?.countsAsLookup).toBe(true);
  });

  it('marks a block action inside a modal (no channel, no response_url)', () => {
    const request = describeRequest({
      type: 'block_actions',
      user: { id: 'U2' },
      team: { id: 'T2' },
      view: { id: 'V1' },
      trigger_id: 'tr3',
      actions: [],
    });
    expect(request).toMatchObject({ kind: 'block_actions', inModal: true, channelId: undefined, teamId: 'T2' });
    expect(request?.responseUrl).toBeUndefined();
  });

  it('reads shortcuts, message shortcuts and view payloads', () => {
    expect(describeRequest({ type: 'shortcut', user: { id: 'U3' }, trigger_id: 't' })).toMatchObject({
      kind: 'shortcut',
      channelId: undefined,
      responseUrl: undefined,
      countsAsLookup: true,
    });
    expect(
      describeRequest({
        type: 'message_action',
        user: { id: 'U3' },
        channel: { id: 'C3' },
        response_url: 'https://hooks/3',
        message: { text: 'hi' },
      }),
    ).toMatchObject({ kind: 'message_action', channelId: 'C3', responseUrl: 'https://hooks/3' });
    expect(
      describeRequest({
        type: 'view_submission',
        user: { id: 'U3' },
        view: { id: 'V' },
        response_urls: [{ response_url: 'https://hooks/4' }],
      }),
    ).toMatchObject({ kind: 'view_submission', inModal: true, responseUrl: 'https://hooks/4' });
    expect(describeRequest({ type: 'view_closed', user: { id: 'U3' }, view: {} })?.countsAsLookup).toBe(false);
    expect(describeRequest({ type: 'something_new', user: { id: 'U3' } })?.kind).toBe('other_interaction');
  });

  it('leaves Events API bodies and anything unrecognised alone', () => {
    expect(describeRequest({ event: { type: 'app_mention' }, team_id: 'T' })).toBeUndefined();
    expect(describeRequest({ type: 'url_verification', challenge: 'x' })).toBeUndefined();
    expect(describeRequest('nonsense')).toBeUndefined();
    expect(describeRequest(null)).toBeUndefined();
  });

  it('works out the surface: a message click, the shortcut, a click in the app modal (with where it was opened)', () => {
    const onMessage = describeRequest({
      type: 'block_actions',
      user: { id: 'U2' },
      channel: { id: 'C2' },
      response_url: 'https://hooks/2',
    });
    expect(onMessage?.surface).toEqual({ kind: 'message' });
    expect(describeRequest({ type: 'message_action', user: { id: 'U2' }, channel: { id: 'C2' } })?.surface).toEqual({
      kind: 'shortcut',
    });
    const metadata = '{"ch":"C9","ts":"1700000000.000100","ru":"https://hooks/9"}';
    const inModal = describeRequest({
      type: 'block_actions',
      user: { id: 'U2' },
      team: { id: 'T2' },
      view: { id: 'V1', type: 'modal', hash: 'h1', private_metadata: metadata },
    });
    expect(inModal?.surface).toEqual({
      kind: 'modal',
      viewId: 'V1',
      hash: 'h1',
      metadata,
      opener: { channel: 'C9', threadTs: '1700000000.000100', responseUrl: 'https://hooks/9' },
    });
    // Listeners see the channel the modal was opened from; a forged or missing metadata gives no channel.
    expect(inModal && requestFacts(inModal).channelId).toBe('C9');
    const forged = describeRequest({
      type: 'block_actions',
      user: { id: 'U2' },
      view: { id: 'V1', type: 'modal', private_metadata: '{"ch":"<!channel>","ts":"1.2"}' },
    });
    expect(forged && requestFacts(forged).channelId).toBeUndefined();
    // A Home tab is not the lookup modal: its own surface, not "in a modal" (a refusal opens a modal, never pushes).
    const home = describeRequest({
      type: 'block_actions',
      user: { id: 'U2' },
      view: { id: 'V2', type: 'home' },
      trigger_id: 'tr',
      actions: [{ action_id: 'home_search' }],
    });
    expect(home).toMatchObject({ surface: { kind: 'home', viewId: 'V2' }, inModal: false, countsAsLookup: true });
    expect(home?.channelId).toBeUndefined();
  });

  describe('a Workflow Builder step (function_executed)', () => {
    const step = (inputs: unknown, extra: Record<string, unknown> = {}) => ({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event: {
        type: 'function_executed',
        function: { id: 'Fn1', callback_id: 'lookup_komerza_customer' },
        inputs,
        function_execution_id: 'Fx1',
        bot_access_token: 'xwfp-1',
      },
      ...extra,
    });

    it('is a lookup by the person in its user_context input, with no channel, response_url or trigger', () => {
      expect(describeRequest(step({ customer: 'jane@example.com', person: { id: 'U7', secret: 's' } }))).toEqual({
        kind: 'workflow_step',
        userId: 'U7',
        teamId: 'T1',
        channelId: undefined,
        inModal: false,
        countsAsLookup: true,
        responseUrl: undefined,
        triggerId: undefined,
        surface: { kind: 'workflow_step' },
      });
    });

    it.each([
      ['missing', { customer: 'jane@example.com' }],
      ['a bare string (a user_id input, which a builder can set by hand)', { person: 'U7' }],
      ['not a user id', { person: { id: '<!channel>', secret: 's' } }],
      ['no inputs at all', undefined],
    ])('names nobody when the user_context is %s', (_what, inputs) => {
      expect(describeRequest(step(inputs))?.userId).toBeUndefined();
    });

    it('leaves other events alone (the Home tab opening is not a request for customer data)', () => {
      expect(
        describeRequest({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } }),
      ).toBeUndefined();
    });
  });
});
