import { slackDateTime } from './format.js';
import type { SlackMessage } from './message.js';
import { mrkdwn } from './text.js';

/** Slack user and channel ids (the only ids put into mention syntax: never a string from Komerza). */
const SLACK_ID = /^[A-Z0-9]{2,32}$/;

/** "Shared by @ana on …": who shared a card and when, rendered in each viewer's time zone. */
export function sharedBanner(userId: string, at: Date): string {
  const who = SLACK_ID.test(userId) ? `<@${userId}>` : 'a teammate';
  return `:loudspeaker: Shared by ${who} ${slackDateTime(at)}`;
}

function notice(text: string, fallback: string): SlackMessage {
  return { text: fallback, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** The bot cannot post where the card was asked for: say how to add it. */
export function notInChannelMessage(channelId: string | undefined): SlackMessage {
  const where = channelId && SLACK_ID.test(channelId) ? `<#${channelId}>` : 'this channel';
  return notice(
    `:no_entry_sign: *Could not share the card: the app is not in ${where}*\nAdd it with \`/invite @customer-lookup\` in that channel, then choose *Share* again.`,
    'Could not share the card: the app is not in this channel',
  );
}

/** A Web API failure we cannot work around: the person is told, the details go to the log. */
export function shareFailedMessage(): SlackMessage {
  return notice(
    ':warning: *Could not share the card*\nSlack refused the message. Try again; if it keeps failing, tell whoever runs this app.',
    'Could not share the card',
  );
}

/** A page button whose stored search is gone (the app restarted, or the list is older than its life). */
export function searchExpiredMessage(): SlackMessage {
  return notice(
    ':hourglass: *This list has expired*\nRun `/customer` with your search again to get a fresh list.',
    'This list has expired: run /customer again',
  );
}

/** Confirmation inside the modal after a Share. */
export function sharedNotice(channelId: string): string {
  const where = SLACK_ID.test(channelId) ? `<#${channelId}>` : 'the channel';
  return `:white_check_mark: Shared in the message’s thread in ${where}`;
}
