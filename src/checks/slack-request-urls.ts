import { EVENTS_PATH } from '../routes.js';
import type { SlackCheckContext } from './slack-context.js';
import type { Verdict } from './verdict.js';

/**
 * In HTTP mode Slack must reach the app from outside, which nothing on this side can prove: a reminder of where
 * Slack has to send requests (docs/slack-platform.md §1, §2), as "not settled here".
 */
export async function checkSlackRequestUrls(context: SlackCheckContext): Promise<Verdict | undefined> {
  if (context.config.slack.appToken) return undefined;
  return {
    id: 'slack.request_urls',
    title: 'Request URLs (HTTP mode)',
    status: 'unknown',
    required: false,
    meaning: `In HTTP mode Slack sends /customer, the shortcut, every button and the events (Home tab, workflow step) to POST ${EVENTS_PATH} on this app (port ${context.config.port}), signed with SLACK_SIGNING_SECRET; whether Slack can reach it cannot be seen from here.`,
    advice: `In the app's settings, set https://<your host>${EVENTS_PATH} as the Request URL of /customer (Slash Commands), of Interactivity & Shortcuts and of Event Subscriptions, with Socket Mode off; then run /customer help in Slack.`,
  };
}
