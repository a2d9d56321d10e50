import { type SocketModeStartError, socketModeStartError } from '../slack/socket-mode.js';
import { type SlackCheckContext, slackErrorCode } from './slack-context.js';
import { sentence, type Verdict } from './verdict.js';

/**
 * In Socket Mode: does Slack hand out a connection for SLACK_APP_TOKEN? `apps.connections.open` through
 * SLACK_API_URL, as the app's receiver calls it (src/slack/socket-mode.ts). The WebSocket URL it returns is never
 * opened: Slack spreads requests over every open connection of an app (docs/slack-platform.md §8.3), so a check
 * that connected while the app runs could take a person's /customer and drop it. An unused URL simply expires.
 */
export async function checkSlackSocketMode(context: SlackCheckContext): Promise<Verdict | undefined> {
  if (!context.config.slack.appToken) return undefined;
  const opened = await context.openConnection();
  if (opened.ok) {
    return {
      ...BASE,
      status: 'ok',
      meaning:
        "Slack hands out Socket Mode connections for SLACK_APP_TOKEN (apps.connections.open answered with a URL; not opened, so the running app's requests are not shared with this check).",
    };
  }
  if (slackErrorCode(opened.error) === 'slack_webapi_rate_limited_error') {
    return {
      ...BASE,
      status: 'unknown',
      meaning: 'Slack rate-limited apps.connections.open (about one call a minute is allowed).',
      advice: 'Run the check again in a minute.',
    };
  }
  return socketModeVerdict(socketModeStartError(opened.error));
}

const BASE = { id: 'slack.socket_mode', title: 'Socket Mode', required: true } as const;

/** Slack's answers to apps.connections.open that mean the app-level token itself is wrong. */
const APP_TOKEN_REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
]);

/** Why a Socket Mode connection cannot be had, and what to change. */
export function socketModeVerdict(error: SocketModeStartError): Verdict {
  const fail = { ...BASE, status: 'fail' } as const;
  if (error.kind === 'rejected' && error.code && APP_TOKEN_REJECTED.has(error.code)) {
    return {
      ...fail,
      fatal: true,
      meaning: `Slack rejected SLACK_APP_TOKEN (${error.code}).`,
      advice:
        'Set it to an app-level token (xapp-…) with the connections:write scope, from the app\'s "Basic Information" page (App-Level Tokens).',
    };
  }
  if (error.kind === 'rejected') {
    return {
      ...fail,
      meaning: `Slack refused to open a Socket Mode connection (${error.code}).`,
      advice: "Check that Socket Mode is on in the app's settings.",
    };
  }
  if (error.kind === 'unreachable') {
    return {
      ...fail,
      meaning: `Could not reach Slack to open a Socket Mode connection (${error.message}).`,
      advice: 'Check SLACK_API_URL and the network.',
    };
  }
  return {
    ...fail,
    meaning: `Slack's Socket Mode WebSocket could not be opened (${error.message}).`,
    advice: 'Check that outgoing WebSocket (wss://) connections are allowed.',
  };
}

/** The same, as the one line the app's start-up failure prints (src/service.ts). */
export function socketModeProblem(error: SocketModeStartError): string {
  return sentence(socketModeVerdict(error));
}
