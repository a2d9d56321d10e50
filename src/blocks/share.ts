import { slackDateTime } from './format.js';
import type { SlackMessage } from './message.js';
import { notice } from './notice.js';

/** Slack user and channel ids (the only ids put into mention syntax: never a string from Komerza). */
const SLACK_ID = /^[A-Z0-9]{2,32}$/;

function channelMention(channelId: string | undefined, otherwise: string): string {
  return channelId && SLACK_ID.test(channelId) ? `<#${channelId}>` : otherwise;
}

/** "Shared by @ana on …": who shared a card and when, rendered in each viewer's time zone. */
export function sharedBanner(userId: string, at: Date): string {
  const who = SLACK_ID.test(userId) ? `<@${userId}>` : 'a teammate';
  return `:loudspeaker: Shared by ${who} ${slackDateTime(at)}`;
}

/** The bot cannot post where the card was asked for: say how to add it. */
export function notInChannelMessage(channelId: string | undefined): SlackMessage {
  return notice(
    ':no_entry_sign:',
    `Could not share the card: the app is not in ${channelMention(channelId, 'this channel')}`,
    'Add it with `/invite @customer-lookup` in that channel, then choose *Share* again.',
  );
}

/** A Web API failure we cannot work around: the person is told, the details go to the log. */
export function shareFailedMessage(): SlackMessage {
  return notice(
    ':warning:',
    'Could not share the card',
    'Slack refused the message. Try again; if it keeps failing, tell whoever runs this app.',
  );
}

/** A page button whose stored search is gone (the app restarted, or the list is older than its life). */
export function searchExpiredMessage(): SlackMessage {
  return notice(':hourglass:', 'This list has expired', 'Run `/customer` with your search again to get a fresh list.');
}

/** Confirmation inside the modal after a Share into the message's thread. */
export function sharedInThreadMessage(channelId: string): SlackMessage {
  return notice(':white_check_mark:', `Shared in the message’s thread in ${channelMention(channelId, 'the channel')}`);
}

/** Confirmation inside the modal after a Share that had to go through the shortcut's response_url instead. */
export function sharedInChannelMessage(channelId: string): SlackMessage {
  return notice(
    ':white_check_mark:',
    `Shared in ${channelMention(channelId, 'the channel')}`,
    'Not in the thread: the app is not a member of the channel. `/invite @customer-lookup` there to share into threads.',
  );
}
