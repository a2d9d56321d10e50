import { ACTIONS, BLOCKS, LOOKUP_STEP, STEP_INPUTS } from '../../src/slack/ids.js';
import { FAKE_TEAM_ID } from './fake-slack.js';

/**
 * Events API bodies (the `event_callback` wrapper, docs/slack-platform.md §8.2 and §9) and Home tab clicks, as
 * objects: the harness's `event()` posts them as signed JSON over HTTP and as `events_api` envelopes in Socket Mode.
 */

type Json = Record<string, unknown>;

/** The token Slack hands a step for its own calls (`bot_access_token`): complete / fail must use it. */
export const STEP_TOKEN = 'xwfp-test-0000000000-step';

let counter = 0;

function wrapper(event: Json): Json {
  counter += 1;
  return {
    token: 'deprecated',
    team_id: FAKE_TEAM_ID,
    api_app_id: 'A0APP',
    event,
    type: 'event_callback',
    event_id: `Ev${String(counter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_TEAM_ID, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export interface StepOptions {
  /** The `customer` input (default jane@example.com). */
  customer?: unknown;
  /** Who runs the workflow, as the user_context input; `null` leaves it out. Default U0AGENT. */
  userId?: string | null;
  /** Inputs exactly as given, instead of the two above. */
  inputs?: Json;
  callbackId?: string;
}

/** `function_executed` for one run of the step. Its execution id comes back on functions.complete*. */
export function functionExecutedBody(options: StepOptions = {}): { body: Json; executionId: string } {
  counter += 1;
  const executionId = `Fx${String(counter).padStart(10, '0')}`;
  const person =
    options.userId === null ? {} : { [STEP_INPUTS.person]: { id: options.userId ?? 'U0AGENT', secret: 'c2VjcmV0' } };
  const inputs = options.inputs ?? { [STEP_INPUTS.customer]: options.customer ?? 'jane@example.com', ...person };
  const event = {
    type: 'function_executed',
    function: {
      id: 'Fn0LOOKUP',
      callback_id: options.callbackId ?? LOOKUP_STEP,
      title: 'Look up Komerza customer',
      description: 'Find a customer of your Komerza store',
      type: 'app',
      input_parameters: [],
      output_parameters: [],
      app_id: 'A0APP',
      date_created: 1_700_000_000,
      date_updated: 1_700_000_000,
      date_deleted: 0,
    },
    inputs,
    function_execution_id: executionId,
    workflow_execution_id: `Wx${String(counter).padStart(10, '0')}`,
    event_ts: `${Date.now() / 1000}`,
    bot_access_token: STEP_TOKEN,
  };
  return { body: wrapper(event), executionId };
}

/** `app_home_opened` (docs/slack-platform.md §9.2). */
export function appHomeOpenedBody(userId = 'U0AGENT', tab: 'home' | 'messages' = 'home'): Json {
  return wrapper({ type: 'app_home_opened', user: userId, channel: 'D0HOME', tab, event_ts: `${Date.now() / 1000}` });
}

/**
 * A click in a published Home tab: the Look up button (`via: 'button'`, the box's text in the view state) or Enter
 * in the search box (`via: 'enter'`, the text in the action itself). `view` is the published view as Slack holds it.
 */
export function homeClickPayload(
  view: Json,
  text: string,
  options: { userId?: string; via?: 'button' | 'enter'; triggerId?: string } = {},
): Json {
  counter += 1;
  const action =
    options.via === 'enter'
      ? { type: 'plain_text_input', action_id: ACTIONS.homeSearchInput, block_id: BLOCKS.homeSearch, value: text }
      : { type: 'button', action_id: ACTIONS.homeSearch, block_id: 'b', text: { type: 'plain_text', text: 'Look up' } };
  return {
    type: 'block_actions',
    user: { id: options.userId ?? 'U0AGENT', username: 'agent', name: 'agent', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0APP',
    token: 'deprecated',
    container: { type: 'view', view_id: view.id },
    trigger_id: options.triggerId ?? `trigger-home-${counter}`,
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    view: {
      ...view,
      type: 'home',
      team_id: FAKE_TEAM_ID,
      state: {
        values: {
          [BLOCKS.homeSearch]: { [ACTIONS.homeSearchInput]: { type: 'plain_text_input', value: text } },
        },
      },
    },
    actions: [{ ...action, action_ts: `${Date.now() / 1000}` }],
  };
}
