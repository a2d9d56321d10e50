import { COMMAND } from '../../src/slack/ids.js';
import { FAKE_TEAM_ID } from './fake-slack.js';

export interface SlashCommandFields {
  text: string;
  responseUrl: string;
  triggerId: string;
  userId?: string;
  channelId?: string;
  command?: string;
}

/** The form body Slack POSTs for a slash command (the fields Bolt reads), shared by the test harness and the demo. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated',
    team_id: FAKE_TEAM_ID,
    team_domain: 'test',
    channel_id: fields.channelId ?? 'C0SUPPORT',
    channel_name: 'support',
    user_id: fields.userId ?? 'U0AGENT',
    user_name: 'agent',
    command: fields.command ?? COMMAND,
    text: fields.text,
    api_app_id: 'A0APP',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  }).toString();
}
