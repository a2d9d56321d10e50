import { slackErrorReason } from '../slack/socket-mode.js';
import { type SlackCheckContext, slackErrorCode } from './slack-context.js';
import type { Verdict } from './verdict.js';

/** Slack's answers to auth.test that mean the bot token itself is wrong. */
const TOKEN_REJECTED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

const BASE = { id: 'slack.bot_token', title: 'Slack bot token', required: true } as const;

/** Does Slack accept SLACK_BOT_TOKEN? `auth.test` through SLACK_API_URL, as Bolt does when the app starts. */
export async function checkSlackBotToken(context: SlackCheckContext): Promise<Verdict> {
  const auth = await context.authTest();
  if (auth.ok) {
    const { team, team_id: teamId, user, user_id: userId } = auth.value;
    return {
      ...BASE,
      status: 'ok',
      meaning: `Slack accepts SLACK_BOT_TOKEN: workspace "${team ?? '?'}" (${teamId ?? '?'}), bot user @${user ?? '?'} (${userId ?? '?'}).`,
    };
  }
  if (slackErrorCode(auth.error) === 'slack_webapi_rate_limited_error') {
    return {
      ...BASE,
      status: 'unknown',
      meaning: 'Slack rate-limited auth.test.',
      advice: 'Run the check again in a minute.',
    };
  }
  return (
    botTokenProblem(auth.error) ?? {
      ...BASE,
      status: 'fail',
      meaning: `Slack refused auth.test (${slackErrorReason(auth.error)}).`,
      advice: 'Check SLACK_BOT_TOKEN and SLACK_API_URL.',
    }
  );
}

/**
 * A bot token Slack rejects, or a Web API the app cannot reach, in words an operator can act on. The app's start
 * (src/service.ts) words its failures with this too.
 */
export function botTokenProblem(error: unknown): Verdict | undefined {
  const code = slackErrorCode(error);
  if (code && TOKEN_REJECTED.has(code)) {
    return {
      ...BASE,
      status: 'fail',
      // Waiting will not make Slack accept it.
      fatal: true,
      meaning: `Slack rejected SLACK_BOT_TOKEN (${code}).`,
      advice: 'Copy the Bot User OAuth Token (xoxb-…) from the app\'s "OAuth & Permissions" page.',
    };
  }
  if (code === 'slack_webapi_request_error' || code === 'slack_webapi_http_error') {
    return {
      ...BASE,
      status: 'fail',
      meaning: `Could not reach Slack's Web API (${slackErrorReason(error)}).`,
      advice: 'Check SLACK_API_URL and the network.',
    };
  }
  return undefined;
}
