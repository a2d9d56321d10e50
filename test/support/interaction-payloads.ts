import { LOOKUP_SHORTCUT } from '../../src/slack/ids.js';
import { FAKE_TEAM_ID } from './fake-slack.js';
import type { ClickContext, ShortcutOptions } from './harness.js';

/**
 * The interaction payloads Slack sends for the message shortcut and for a button click, as objects: the HTTP
 * harness posts them form-encoded (`payload=…`), the Socket Mode driver sends them as an envelope's payload.
 * Same builders as test/support/harness.ts's `messageShortcut` and `click`, so a scenario can run in both modes.
 */

export function messageShortcutPayload(
  message: Record<string, unknown>,
  response: { url: string },
  triggerId: string,
  options: ShortcutOptions = {},
): Record<string, unknown> {
  return {
    type: 'message_action',
    callback_id: LOOKUP_SHORTCUT,
    trigger_id: triggerId,
    message_ts: message.ts ?? '1700000000.000100',
    response_url: response.url,
    message: { type: 'message', ts: '1700000000.000100', ...message },
    user: { id: options.userId ?? 'U0AGENT', name: 'agent' },
    channel: { id: options.channelId ?? 'C0SUPPORT', name: 'support' },
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    token: 'deprecated',
    action_ts: `${Date.now() / 1000}`,
  };
}

export function clickPayload(
  button: Record<string, unknown>,
  context: ClickContext,
  response: { id: string; url: string },
): Record<string, unknown> {
  const action = {
    type: 'button',
    action_id: button.action_id,
    block_id: 'b',
    text: button.text,
    ...(button.value !== undefined ? { value: button.value } : {}),
    ...(button.url !== undefined ? { url: button.url } : {}),
    action_ts: `${Date.now() / 1000}`,
  };
  const base = {
    type: 'block_actions',
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    user: { id: context.userId ?? 'U0AGENT', username: 'agent', name: 'agent', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: `trigger-click-${response.id}`,
    actions: [action],
  };
  // Slack sends a response_url with clicks on messages only; clicks in a modal carry the view instead.
  return context.surface === 'message'
    ? {
        ...base,
        container: {
          type: 'message',
          message_ts: '1700000000.000200',
          channel_id: context.channelId ?? 'C0SUPPORT',
          is_ephemeral: true,
        },
        channel: { id: context.channelId ?? 'C0SUPPORT', name: 'support' },
        response_url: response.url,
      }
    : {
        ...base,
        container: { type: 'view', view_id: context.view.id },
        view: { type: 'modal', team_id: FAKE_TEAM_ID, state: { values: {} }, ...context.view },
      };
}

/**
 * A modal's submission as Slack sends it (docs/slack-platform.md §2): the view as last sent (with its id, hash and
 * private_metadata) and the inputs' values in `view.state.values[block_id][action_id]`.
 */
export function viewSubmissionPayload(
  view: Record<string, unknown>,
  values: Record<string, Record<string, string | null>>,
  userId = 'U0AGENT',
): Record<string, unknown> {
  const state = Object.fromEntries(
    Object.entries(values).map(([blockId, inputs]) => [
      blockId,
      Object.fromEntries(
        Object.entries(inputs).map(([actionId, value]) => [actionId, { type: 'plain_text_input', value }]),
      ),
    ]),
  );
  return {
    type: 'view_submission',
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    user: { id: userId, username: 'agent', name: 'agent', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0APP',
    token: 'deprecated',
    trigger_id: `trigger-submit-${Math.random().toString(36).slice(2)}`,
    view: { type: 'modal', team_id: FAKE_TEAM_ID, ...view, state: { values: state } },
    response_urls: [],
  };
}
