import type { HomeView, KnownBlock } from '@slack/types';
import type { Refusal } from '../access/policy.js';
import type { PersonAccess } from '../access/standing.js';
import type { RateLimitStatus } from '../komerza/rate-limit.js';
import type { KomerzaFeature as Feature } from '../requirements.js';
import { ACTIONS, BLOCKS, COMMAND, HOME_VIEW } from '../slack/ids.js';
import { channelMentions } from './access.js';
import { slackDateTime } from './format.js';
import type { SlackMessage } from './message.js';
import { escapeAndClamp, mrkdwn, plainText } from './text.js';

/**
 * The Home tab (docs/slack-platform.md §9.2): what the app does and how to use it, a search box, the person's own
 * access, and the app's state for everyone (Slack connection, the Komerza key as checked at start-up, Komerza's
 * queue). Nothing on it is about a customer: a lookup from the search box opens in a modal only its person sees.
 * Pure: every fact comes in `HomeFacts`.
 */
export interface HomeFacts {
  now: Date;
  access: PersonAccess;
  slackMode: 'http' | 'socket';
  /** What the start-up check found the key allows and lacks (both empty: the scopes could not be verified). */
  keyCheck: { report: { allowed: readonly Feature[]; missing: readonly Feature[] }; at: Date } | undefined;
  /** Komerza's request queue now (the app's token bucket). */
  queue: RateLimitStatus | undefined;
  /** A message on top (e.g. the last search could not open its window). */
  notice?: SlackMessage;
}

/** A Home tab holds at most 100 blocks (docs/slack-platform.md §9.2); this one holds about 15. */
export function homeView(facts: HomeFacts): HomeView {
  const blocks: KnownBlock[] = [];
  if (facts.notice) blocks.push(...facts.notice.blocks, { type: 'divider' });
  blocks.push(
    { type: 'header', text: plainText('Customer Lookup', 150) },
    section(
      `Look up a Komerza customer's spend, open tickets and subscriptions without leaving Slack. Answers are for your eyes only unless you share them, and ${
        facts.access.tickets.kind === 'off'
          ? 'the app only reads the store: it never changes anything in Komerza.'
          : 'the app changes nothing in Komerza but the ticket replies and closes that people allowed to write send from cards.'
      }`,
    ),
    ...searchBlocks(facts.access),
    { type: 'divider' },
    section(waysToUse(facts.access)),
    { type: 'divider' },
    section(`*Your access*\n${accessLines(facts.access).join('\n')}`),
    { type: 'divider' },
    section(`*The app right now* (the same for everyone)\n${appLines(facts).join('\n')}`),
    {
      type: 'context',
      elements: [mrkdwn(`As of ${slackDateTime(facts.now)}. Nothing on this tab is about a customer.`)],
    },
  );
  return { type: 'home', callback_id: HOME_VIEW, blocks: blocks.slice(0, 100) };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** The search box when the person may look customers up from here; otherwise why not, and what to do instead. */
function searchBlocks(access: PersonAccess): KnownBlock[] {
  switch (access.lookups.kind) {
    case 'anywhere':
      return [
        {
          type: 'input',
          block_id: BLOCKS.homeSearch,
          // Enter in the box sends a block action of its own, so the button is not the only way to search.
          dispatch_action: true,
          label: plainText('Look up a customer', 2000),
          element: {
            type: 'plain_text_input',
            action_id: ACTIONS.homeSearchInput,
            placeholder: plainText('jane@example.com, a customer or order id, or part of an email', 150),
            max_length: 254,
            dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
          },
          hint: plainText('Press Enter or Look up. The answer opens in a window only you see.', 2000),
        },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: ACTIONS.homeSearch, text: plainText('Look up', 75), style: 'primary' },
          ],
        },
      ];
    case 'channels': {
      const where = channelMentions(access.lookups.channelIds);
      return [
        section(
          `:lock: *Lookups are limited to some channels*, and this tab is not one of them. Use \`${COMMAND}\` or the message shortcut ${where ? `in ${where}` : 'in those channels'}.`,
        ),
      ];
    }
    case 'refused':
      return [section(`:lock: ${refusalLine(access.lookups.reason)}`)];
  }
}

function refusalLine(reason: Refusal): string {
  return reason === 'membership_unknown'
    ? '*Your access could not be checked just now.* Slack did not say whether you are in an allowed user group: open this tab again in a minute.'
    : '*You cannot look customers up with this app.* It is limited to some people in this workspace: ask whoever runs it for access.';
}

function waysToUse(access: PersonAccess): string {
  const lines = [
    '*Ways to look someone up*',
    `• \`${COMMAND} jane@example.com\` in a channel: by email, customer id, order id, or part of an email (\`${COMMAND} jane\`).`,
    '• *Look up customer* in any message’s menu (⋮), threads included: finds the email addresses and ids in that message.',
    '• In Workflow Builder, the step *Look up Komerza customer*: hands a workflow the customer’s spend, tickets and subscriptions, e.g. to post a summary when a form is submitted (paid Slack plans).',
  ];
  if (access.lookups.kind === 'anywhere') lines.push('• The search box above.');
  return lines.join('\n');
}

function accessLines(access: PersonAccess): string[] {
  const lines: string[] = [];
  switch (access.lookups.kind) {
    case 'anywhere':
      lines.push(':white_check_mark: Look up customers: *yes*, wherever you use the app.');
      break;
    case 'channels': {
      const where = channelMentions(access.lookups.channelIds);
      lines.push(
        `:white_check_mark: Look up customers: *yes, in ${where || 'the allowed channels'} only* (not from this tab or a workflow step, which have no channel).`,
      );
      break;
    }
    case 'refused':
      lines.push(
        access.lookups.reason === 'membership_unknown'
          ? ':grey_question: Look up customers: *could not be checked just now*.'
          : ':no_entry: Look up customers: *no*.',
      );
      break;
  }
  if (access.budget) lines.push(`:bar_chart: ${budgetLine(access.budget)}`);
  lines.push(ticketLine(access.tickets));
  return lines;
}

function ticketLine(tickets: PersonAccess['tickets']): string {
  switch (tickets.kind) {
    case 'off':
      return ':memo: Reply to tickets: *off* in this app (it only reads Komerza). Answer customers in the Komerza dashboard.';
    case 'key_lacks':
      return `:memo: Reply to tickets: *not available*: the app's Komerza key lacks ${tickets.scopes.map((scope) => `\`${scope}\``).join(', ') || 'a ticket scope'}.`;
    case 'allowed':
      return `:memo: Reply to tickets: *yes*, with *View &amp; reply* under a card's open tickets${tickets.close ? '; close them with *Close ticket*' : ''}.`;
    case 'refused':
      return tickets.reason === 'membership_unknown'
        ? ':grey_question: Reply to tickets: *could not be checked just now*.'
        : ':no_entry: Reply to tickets: *no*: only some people may write to Komerza from Slack.';
  }
}

function budgetLine(budget: NonNullable<PersonAccess['budget']>): string {
  const { limits, remaining } = budget;
  const window = (left: number, limit: number, name: string) =>
    limit > 0 ? `${count(Math.max(0, left))} of ${count(limit)} this ${name}` : undefined;
  const parts = [window(remaining.minute, limits.perMinute, 'minute'), window(remaining.hour, limits.perHour, 'hour')];
  const shown = parts.filter((part): part is string => part !== undefined);
  return shown.length > 0
    ? `Customers you may still be shown: ${shown.join(', ')} (each card or list row counts one).`
    : 'Customers you may be shown: no limit is set.';
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function appLines(facts: HomeFacts): string[] {
  const lines = [
    facts.slackMode === 'socket'
      ? ':satellite_antenna: Slack connection: *Socket Mode* (the app keeps a WebSocket open to Slack).'
      : ':satellite_antenna: Slack connection: *HTTP* (Slack sends each request to the app’s public URL).',
    ...keyLines(facts.keyCheck),
    `:hourglass_flowing_sand: ${queueLine(facts.queue)}`,
  ];
  return lines;
}

function keyLines(check: HomeFacts['keyCheck']): string[] {
  if (!check) return [':key: Komerza key: *not checked* (this copy of the app started without its start-up check).'];
  const { allowed, missing } = check.report;
  const when = slackDateTime(check.at);
  if (allowed.length === 0 && missing.length === 0) {
    return [
      `:key: Komerza key, checked at start-up (${when}): its scopes *could not be verified*; each feature is checked as it is used.`,
    ];
  }
  return [
    `:key: Komerza key, checked at start-up (${when}):`,
    ...allowed.map((feature) => `      :white_check_mark: ${escapeAndClamp(feature.feature, 200)}`),
    ...missing.map(
      (feature) =>
        `      :warning: no ${escapeAndClamp(feature.feature, 200)} (the key lacks \`${escapeAndClamp(feature.scope, 60)}\`)`,
    ),
  ];
}

function queueLine(queue: RateLimitStatus | undefined): string {
  if (!queue) return 'Komerza queue: *none* (requests go straight to Komerza).';
  const seconds = Math.max(1, Math.ceil(queue.estimatedWaitMs / 1000));
  // The bucket counts fractions of a token between refills: only whole ones can go.
  const free = Math.floor(queue.available);
  if (queue.queued === 0 && free >= 1) {
    return `Komerza queue: *empty*, ${count(free)} request${free === 1 ? '' : 's'} can go at once.`;
  }
  if (queue.queued === 0) {
    return `Komerza queue: *empty*, but Komerza's allowance is used up for a moment: a lookup started now waits about ${seconds} s.`;
  }
  return `Komerza queue: *${count(queue.queued)} request${queue.queued === 1 ? '' : 's'} waiting*; a lookup started now waits about ${seconds} s (Komerza allows a few requests a second).`;
}

/** "Look up" with an empty search box: what to type (shown in a modal, since a Home tab click has no reply). */
export function homeSearchHelp(): SlackMessage {
  return {
    text: 'Type who to look up first',
    blocks: [
      section(
        ':mag: *Type who to look up first*\nAn email address, a customer or order id, or at least 3 letters of an email, then press Enter or *Look up*.',
      ),
    ],
  };
}

/** Slack did not open the answer's window in time (the click's trigger lasts 3 s): shown on top of the Home tab. */
export function homeSearchNotOpened(): SlackMessage {
  return {
    text: 'The answer could not be shown',
    blocks: [
      section(
        ':warning: *The answer could not be shown*: Slack did not open its window in time. Nothing was counted against your limit; try again.',
      ),
    ],
  };
}
