import type { ModalView } from '@slack/types';
import type { Refusal } from '../access/policy.js';
import type { BudgetNote } from '../lookup/result.js';
import { roughDuration, slackDateTime } from './format.js';
import type { SlackMessage } from './message.js';
import { notice } from './notice.js';
import { plainText } from './text.js';

/**
 * What a person sees when access control or the lookup limit refuses a request: what happened and what to do.
 * Channel ids come from validated configuration (ALLOWED_CHANNEL_IDS), so `<#C…>` mentions of them are safe markup.
 */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

export function accessDeniedMessage(reason: Refusal, allowedChannelIds: readonly string[] = []): SlackMessage {
  switch (reason) {
    case 'channel_not_allowed': {
      const channels = channelMentions(allowedChannelIds);
      return notice(
        ':lock:',
        'Customer lookups are not enabled here',
        channels ? `Use the app in ${channels}.` : 'Ask whoever runs this app which channels it is enabled in.',
      );
    }
    case 'membership_unknown':
      return notice(
        ':hourglass:',
        'Your access could not be checked just now',
        'Slack did not say whether you are in an allowed user group. Try again in a minute; if it keeps happening, tell whoever runs this app.',
      );
    case 'no_user':
    case 'user_not_allowed':
      return notice(
        ':lock:',
        'You are not allowed to look up customers',
        'This app is limited to some people in this workspace. Ask whoever runs it to give you access.',
      );
  }
}

/** `<#C1>, <#C2> or another allowed channel`: the allowed channels as mentions (at most 20); '' when none is valid. */
export function channelMentions(allowedChannelIds: readonly string[]): string {
  const channels = allowedChannelIds.filter((id) => CHANNEL_ID.test(id)).slice(0, 20);
  if (channels.length === 0) return '';
  const more = allowedChannelIds.length > channels.length ? ' or another allowed channel' : '';
  return `${channels.map((id) => `<#${id}>`).join(', ')}${more}`;
}

/** The person's budget of customers shown is spent (access/disclosure.ts): say which, and when it resets. */
export function lookupLimitMessage(budget: BudgetNote, now: Date): SlackMessage {
  return notice(
    ':hourglass:',
    `You have been shown ${budgetLimit(budget)}: the most this app shows one person`,
    `It resets ${resetsAt(budget, now)}. Each customer card and each row of a list counts; the limit keeps customer data from being copied out in bulk.`,
  );
}

/** "100 customers this minute", "1,000 customers this hour". */
export function budgetLimit(budget: BudgetNote): string {
  const customers = `${budget.limit.toLocaleString('en-US')} customer${budget.limit === 1 ? '' : 's'}`;
  return `${customers} this ${budget.window}`;
}

/** "in 45 seconds", "in 12 minutes (at 10:00)", in the viewer's time zone. */
export function resetsAt(budget: BudgetNote, now: Date): string {
  const seconds = Math.max(1, Math.ceil(budget.resetsInMs / 1000));
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const at = new Date(now.getTime() + budget.resetsInMs);
  return `in ${roughDuration(budget.resetsInMs)} (${slackDateTime(at)})`;
}

/** A refusal shown in a modal: for requests that have no response_url to answer through (global shortcuts, modals). */
export function refusalModal(message: SlackMessage): ModalView {
  return {
    type: 'modal',
    title: plainText('Customer Lookup', 24),
    close: plainText('Close', 24),
    blocks: message.blocks,
  };
}
