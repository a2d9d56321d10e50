import { z } from 'zod';
import type { Refusal } from '../access/policy.js';
import { lookupErrorMessage } from '../blocks/errors.js';
import { formatMoney, parseDate, roughDuration } from '../blocks/format.js';
import type { SlackMessage } from '../blocks/message.js';
import { wellFormed } from '../blocks/text.js';
import { isOpenTicket, ticketNeedsReply } from '../komerza/tickets.js';
import type { CardResult, LookupResult } from '../lookup/result.js';
import { STEP_INPUTS } from './ids.js';

/**
 * The Workflow Builder step's contract with Slack (manifest.yml `functions`, docs/slack-platform.md §9.1): what its
 * inputs hold, and a LookupResult turned into its outputs or into the one sentence `functions.completeError` shows.
 *
 * It lives here, not in blocks/: outputs are plain typed values a later step reads (a number, a timestamp, a
 * string), not Block Kit, so nothing in them is mrkdwn; and not in lookup/, which knows nothing of Slack, while these
 * names and types are the manifest's. Pure: `now` and the dashboard link come in with the call.
 */

/** Every output the step declares, with its type: manifest.yml must declare exactly these (test/manifest.test.ts). */
export const STEP_OUTPUT_TYPES = {
  found: 'boolean',
  customer_id: 'string',
  email: 'string',
  status: 'string',
  total_spend: 'number',
  total_spend_formatted: 'string',
  orders: 'integer',
  open_tickets: 'integer',
  tickets_needing_reply: 'integer',
  next_subscription_expiry: 'slack#/types/timestamp',
  subscriptions_expiring_soon: 'integer',
  dashboard_url: 'string',
} as const;

/**
 * The outputs. Strings are always sent (empty when unknown or not found), so a message built from them shows nothing
 * rather than a placeholder; numbers and the timestamp are left out when unknown, since Slack has no empty number and
 * a 0 would claim a value. `found` is the one required output.
 */
export interface StepOutputs {
  found: boolean;
  customer_id: string;
  email: string;
  status: string;
  total_spend?: number;
  /** e.g. `$12,345.50`, in the store's currency. */
  total_spend_formatted: string;
  orders?: number;
  open_tickets?: number;
  tickets_needing_reply?: number;
  /** Unix seconds (slack#/types/timestamp) of the soonest subscription end still ahead. */
  next_subscription_expiry?: number;
  subscriptions_expiring_soon?: number;
  dashboard_url: string;
}

/** Subscriptions ending within this many days (and not already ended) count as expiring soon, as on the card. */
export const EXPIRING_SOON_DAYS = 7;

export interface StepView {
  now: Date;
  dashboardUrl: (customerId: string) => string | undefined;
}

/** How the step ends: `functions.completeSuccess` with outputs, or `functions.completeError` with a sentence. */
export type StepOutcome = { kind: 'complete'; outputs: StepOutputs } | { kind: 'fail'; error: string };

// ── Inputs ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * `slack#/types/user_context` is documented as `{ id, secret }` (https://docs.slack.dev/reference/types/user_context-type;
 * deno-slack-sdk's UserContextType): the id of the person who ran the workflow, which a workflow's builder cannot
 * set by hand. The secret is Slack's own check and is not verifiable here.
 */
const userContext = z.object({ id: z.string().regex(/^[UW][A-Z0-9]{1,40}$/) });
/** A string input is "up to 4000 bytes" (Slack's types reference); anything else was not sent by Slack's step. */
const customerInput = z.string().max(4000);

/** The person who ran the workflow, when Slack sent one the app can read. */
export function stepPerson(inputs: unknown): string | undefined {
  const value = inputObject(inputs)[STEP_INPUTS.person];
  const parsed = userContext.safeParse(value);
  return parsed.success ? parsed.data.id : undefined;
}

/** What to look up, as typed into the step (or mapped from an earlier step); '' when there is nothing usable. */
export function stepCustomerText(inputs: unknown): string {
  const parsed = customerInput.safeParse(inputObject(inputs)[STEP_INPUTS.customer]);
  return parsed.success ? parsed.data : '';
}

function inputObject(inputs: unknown): Record<string, unknown> {
  return typeof inputs === 'object' && inputs !== null ? (inputs as Record<string, unknown>) : {};
}

// ── Outputs ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A LookupResult (already charged to the person) as the step's ending. */
export function stepOutcome(result: LookupResult, view: StepView): StepOutcome {
  switch (result.kind) {
    case 'card':
      return { kind: 'complete', outputs: cardOutputs(result, view) };
    case 'not_found':
      // An id that may be an order's could not be checked: an incomplete answer, not "no such customer".
      if (result.note?.skipped === 'orders') {
        return {
          kind: 'fail',
          error: failure(
            `No customer has this id, and order ids could not be checked: the app's Komerza API key lacks the ${result.note.scope ?? 'stores.orders.view'} scope. Ask whoever runs the app to add it.`,
          ),
        };
      }
      return { kind: 'complete', outputs: notFoundOutputs() };
    case 'matches':
      // Not reached from the step (it looks up one email or id, never a search), but a list is no answer for it.
      return { kind: 'fail', error: severalCandidatesError() };
    case 'over_budget':
      return { kind: 'fail', error: stepLimitError(result.budget, view.now) };
    case 'error':
      return { kind: 'fail', error: failure(plainTextOf(lookupErrorMessage(result.error))) };
  }
}

/** `found: false`, every string empty, no numbers: what a later step can test with "found is false". */
export function notFoundOutputs(): StepOutputs {
  return {
    found: false,
    customer_id: '',
    email: '',
    status: '',
    total_spend_formatted: '',
    dashboard_url: '',
  };
}

/** The card's numbers as values. Never the IP address, the blocked note or anything else the card keeps private. */
export function cardOutputs(result: CardResult, view: StepView): StepOutputs {
  const { customer, store, subscriptions } = result.profile;
  const currency = store.kind === 'loaded' ? store.store.currencyCode : undefined;
  const tickets = (customer.tickets ?? []).filter(isOpenTicket);
  const spend = finite(customer.totalSpend);
  const orders = finite(customer.totalOrders);
  // Without the subscriptions (a missing scope, a failed read) their numbers are unknown, not zero.
  const ends =
    subscriptions.kind === 'loaded'
      ? subscriptions.items
          .map((sub) => parseDate(sub.expiresAt)?.getTime())
          .filter((time): time is number => time !== undefined && time > view.now.getTime())
      : undefined;
  const soon = view.now.getTime() + EXPIRING_SOON_DAYS * 86_400_000;
  // In the manifest's order, so the outputs read the same wherever they are printed.
  const outputs: StepOutputs = {
    found: true,
    customer_id: plainValue(customer.id, 64),
    email: plainValue(customer.emailAddress, 254),
    status: plainValue(customer.status ?? '', 100),
    ...(spend !== undefined ? { total_spend: spend } : {}),
    total_spend_formatted: spend === undefined ? '' : plainValue(decodeEntities(formatMoney(spend, currency)), 64),
    ...(orders !== undefined ? { orders: Math.round(orders) } : {}),
    open_tickets: tickets.length,
    tickets_needing_reply: tickets.filter(ticketNeedsReply).length,
    ...(ends && ends.length > 0 ? { next_subscription_expiry: Math.floor(Math.min(...ends) / 1000) } : {}),
    ...(ends ? { subscriptions_expiring_soon: ends.filter((time) => time <= soon).length } : {}),
    dashboard_url: view.dashboardUrl(customer.id) ?? '',
  };
  return outputs;
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * A string output: one line, bounded, and with `<` `>` replaced, so that a value a later step puts into a message
 * cannot become a Slack link or mention (whether Workflow Builder reads inserted values as markup is not documented).
 */
export function plainValue(text: string, max: number): string {
  const line = wellFormed(text).replace(/\s+/g, ' ').trim().replace(/</g, '‹').replace(/>/g, '›');
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// ── Failures (functions.completeError's `error`, a sentence for whoever looks at the workflow's run) ─────────────

const PREFIX = 'Komerza customer lookup failed: ';

function failure(sentence: string): string {
  return `${PREFIX}${sentence}`;
}

/**
 * One of the app's notices (blocks/notice.ts: emoji, bold headline, advice) as a plain sentence: where Slack shows
 * a step's error, and whether it reads markup there, is not documented, so the text carries none.
 */
export function plainTextOf(message: SlackMessage): string {
  const [first] = message.blocks;
  const mrkdwn = first && first.type === 'section' && first.text?.type === 'mrkdwn' ? first.text.text : message.text;
  const [headline = '', ...advice] = mrkdwn.replace(/^:[a-z0-9_+-]+:\s*/, '').split('\n');
  const sentence = [headline.replace(/[.!]?$/, '.'), ...advice].join(' ');
  return decodeEntities(sentence.replace(/[*`]/g, '')).replace(/</g, '‹').replace(/>/g, '›').trim();
}

/** The input named more than one email address or id: the step answers for one customer. */
export function severalCandidatesError(): string {
  return failure(
    'the input names more than one email address or id. Give the step one customer: an email address, a customer id or an order id.',
  );
}

/** The step was cut short by a restart of the app. */
export function stepRestartingError(): string {
  return failure('the lookup app restarted before this step finished. Run the workflow again.');
}

/** Access control refused the person running the workflow (src/access/middleware.ts). */
export function stepRefusalError(reason: Refusal): string {
  switch (reason) {
    case 'channel_not_allowed':
      return failure(
        'this app is limited to some channels (ALLOWED_CHANNEL_IDS), and a workflow step has no channel of its own, so it cannot look customers up while that limit is set.',
      );
    case 'membership_unknown':
      return failure(
        'Slack did not say whether the person running this workflow is in an allowed user group. Try again in a minute.',
      );
    case 'no_user':
      return failure(
        'Slack did not say who is running this workflow, so the lookup cannot be checked or counted. Start the workflow with a person’s action (a form, a button, a link or a shortcut), or put a step with a button before this one.',
      );
    case 'user_not_allowed':
      return failure(
        'the person running this workflow is not allowed to look up customers. Ask whoever runs the app for access.',
      );
  }
}

/** The person's budget of customers shown is spent (access/disclosure.ts): which limit, and when it resets. */
export function stepLimitError(budget: { window: 'minute' | 'hour'; limit: number; resetsInMs: number }, now: Date) {
  const seconds = Math.max(1, Math.ceil(budget.resetsInMs / 1000));
  const inTime =
    seconds < 90
      ? `in ${seconds} second${seconds === 1 ? '' : 's'}`
      : `in ${roughDuration(budget.resetsInMs)} (at ${new Date(now.getTime() + budget.resetsInMs).toISOString().slice(11, 16)} UTC)`;
  const customers = `${budget.limit.toLocaleString('en-US')} customer${budget.limit === 1 ? '' : 's'}`;
  return failure(
    `the person running this workflow has been shown ${customers} this ${budget.window}, the most this app shows one person. It resets ${inTime}.`,
  );
}
