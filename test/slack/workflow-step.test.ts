import { describe, expect, it } from '@jest/globals';
import { komerzaErrorMessage } from '../../src/blocks/errors.js';
import { KomerzaForbiddenError, KomerzaRateLimitedError, KomerzaUnavailableError } from '../../src/komerza/errors.js';
import type { Customer } from '../../src/komerza/schemas.js';
import type { CardResult } from '../../src/lookup/result.js';
import {
  notFoundOutputs,
  plainTextOf,
  plainValue,
  STEP_OUTPUT_TYPES,
  type StepOutputs,
  stepCustomerText,
  stepLimitError,
  stepOutcome,
  stepPerson,
  stepRefusalError,
} from '../../src/slack/workflow-step.js';
import { sampleCustomer } from '../support/listener-kit.js';
import { IDS } from '../support/sample-store.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const view = { now: NOW, dashboardUrl: (id: string) => `https://dashboard.komerza.com/c/${id}` };
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

function card(customer: Customer, overrides: Partial<CardResult['profile']> = {}): CardResult {
  return {
    kind: 'card',
    profile: {
      customer,
      store: { kind: 'loaded', store: { id: 's', name: 'Northwind Goods', currencyCode: 'USD' } },
      subscriptions: { kind: 'loaded', items: [], more: false },
      orders: { kind: 'off' },
      productNames: { kind: 'not_needed' },
      ...overrides,
    },
  };
}

function outputsOf(result: CardResult): StepOutputs {
  const outcome = stepOutcome(result, view);
  if (outcome.kind !== 'complete') throw new Error(`expected outputs, got ${outcome.error}`);
  return outcome.outputs;
}

/** Each output's value has the type the manifest declares (test/manifest.test.ts holds the manifest to the list). */
function expectDeclaredTypes(outputs: StepOutputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    const type = STEP_OUTPUT_TYPES[name as keyof typeof STEP_OUTPUT_TYPES];
    expect(type).toBeDefined();
    if (type === 'string') expect(typeof value).toBe('string');
    if (type === 'boolean') expect(typeof value).toBe('boolean');
    if (type === 'number') expect(Number.isFinite(value)).toBe(true);
    if (type === 'integer' || type === 'slack#/types/timestamp') expect(Number.isInteger(value)).toBe(true);
  }
}

describe('the step outputs of a card', () => {
  it('carry Jane’s numbers, with the spend formatted in the store’s currency', () => {
    const outputs = outputsOf(card(sampleCustomer('jane@example.com')));
    expect(outputs).toEqual({
      found: true,
      customer_id: IDS.jane,
      email: 'jane@example.com',
      status: 'VIP',
      total_spend: 12345.5,
      total_spend_formatted: '$12,345.50',
      orders: 60,
      // Of three tickets one is resolved; of the two open, the customer answered last on one.
      open_tickets: 2,
      tickets_needing_reply: 1,
      subscriptions_expiring_soon: 0,
      dashboard_url: `https://dashboard.komerza.com/c/${IDS.jane}`,
    });
    expectDeclaredTypes(outputs);
  });

  it('never include the IP address, the blocked note or integration ids', () => {
    const customer = {
      ...sampleCustomer('jane@example.com'),
      isBlocked: true,
      blockedNote: 'Chargeback fraud, do not refund',
    };
    const text = JSON.stringify(outputsOf(card(customer)));
    expect(text).not.toContain('203.0.113.24');
    expect(text).not.toContain('Chargeback');
    expect(text).not.toContain('81234567890123456');
  });

  it('give the soonest subscription end still ahead, and how many end within 7 days (expired ones not counted)', () => {
    const items = [
      { id: 'a', product: 'Add-on storage', expiresAt: inDays(-2) },
      { id: 'b', product: 'Pro plan', expiresAt: inDays(3) },
      { id: 'c', product: 'Support plan', expiresAt: inDays(40) },
      { id: 'd', product: 'Lifetime' },
      { id: 'e', product: 'Ends in a week', expiresAt: inDays(7) },
    ];
    const outputs = outputsOf(
      card(sampleCustomer('bob@example.org'), { subscriptions: { kind: 'loaded', items, more: false } }),
    );
    expect(outputs.next_subscription_expiry).toBe(Math.floor((NOW.getTime() + 3 * DAY) / 1000));
    expect(outputs.subscriptions_expiring_soon).toBe(2);
    expectDeclaredTypes(outputs);
  });

  it('leave the subscription numbers out when they could not be read (unknown is not zero)', () => {
    for (const subscriptions of [
      { kind: 'forbidden' as const, scope: 'stores.subscriptions.view' },
      { kind: 'failed' as const, error: 'unavailable' as const },
    ]) {
      const outputs = outputsOf(card(sampleCustomer('bob@example.org'), { subscriptions }));
      expect(outputs).not.toHaveProperty('next_subscription_expiry');
      expect(outputs).not.toHaveProperty('subscriptions_expiring_soon');
      expect(outputs.found).toBe(true);
    }
  });

  it('leave numbers Komerza did not send out, and format without a known currency as USD like the card', () => {
    const customer = { ...sampleCustomer('quiet@example.net'), totalSpend: null, totalOrders: undefined };
    const outputs = outputsOf(card(customer, { store: { kind: 'failed', error: 'forbidden' } }));
    expect(outputs).not.toHaveProperty('total_spend');
    expect(outputs).not.toHaveProperty('orders');
    expect(outputs.total_spend_formatted).toBe('');
    const spent = outputsOf(card(sampleCustomer('bob@example.org'), { store: { kind: 'failed', error: 'forbidden' } }));
    expect(spent.total_spend_formatted).toBe('$310.00');
  });

  it('turn markup in strings inert and keep them on one bounded line', () => {
    const customer = { ...sampleCustomer('bob@example.org'), status: '<!channel> VIP\n<https://evil.example|refund>' };
    const outputs = outputsOf(card(customer));
    expect(outputs.status).toBe('‹!channel› VIP ‹https://evil.example|refund›');
    expect(plainValue('x'.repeat(300), 100)).toHaveLength(100);
    expect(plainValue('\ud83d broken', 20)).toBe('\ufffd broken');
  });

  it('send an empty link when no dashboard link is configured for the customer', () => {
    const outcome = stepOutcome(card(sampleCustomer('bob@example.org')), { now: NOW, dashboardUrl: () => undefined });
    expect(outcome.kind === 'complete' && outcome.outputs.dashboard_url).toBe('');
  });
});

describe('the step’s other endings', () => {
  it('completes with found: false and empty values when no customer matches', () => {
    expect(stepOutcome({ kind: 'not_found', query: 'nobody@example.com' }, view)).toEqual({
      kind: 'complete',
      outputs: notFoundOutputs(),
    });
    expect(notFoundOutputs()).toEqual({
      found: false,
      customer_id: '',
      email: '',
      status: '',
      total_spend_formatted: '',
      dashboard_url: '',
    });
  });

  it('fails, naming the scope, when an id could not be checked as an order id', () => {
    const outcome = stepOutcome(
      { kind: 'not_found', query: IDS.janeOrder, note: { skipped: 'orders', scope: 'stores.orders.view' } },
      view,
    );
    expect(outcome).toEqual({ kind: 'fail', error: expect.stringContaining('lacks the stores.orders.view scope') });
  });

  it.each([
    [new KomerzaForbiddenError('GET /x', 403, 'stores.customers.view'), 'lacks the stores.customers.view scope'],
    [new KomerzaUnavailableError('GET /x', 'timeout'), 'Komerza did not answer in time'],
    [new KomerzaUnavailableError('GET /x', 'server_error', 503), 'Komerza is having trouble (HTTP 503)'],
    [new KomerzaRateLimitedError('GET /x', 4), 'Try again in 4 seconds'],
  ])('fails with a plain sentence when Komerza fails (%p)', (error, words) => {
    const outcome = stepOutcome({ kind: 'error', error }, view);
    expect(outcome.kind).toBe('fail');
    const text = outcome.kind === 'fail' ? outcome.error : '';
    expect(text).toMatch(/^Komerza customer lookup failed: /);
    expect(text).toContain(words);
    // No mrkdwn: no emoji codes, no bold or code marks, no entities.
    expect(text).not.toMatch(/:[a-z_]+:|[*`]|&(amp|lt|gt);/);
  });

  it('fails with the person’s limit and when it resets', () => {
    const budget = { window: 'minute' as const, limit: 100, resetsInMs: 45_000 };
    expect(stepOutcome({ kind: 'over_budget', budget }, view)).toEqual({
      kind: 'fail',
      error:
        'Komerza customer lookup failed: the person running this workflow has been shown 100 customers this minute, the most this app shows one person. It resets in 45 seconds.',
    });
    expect(stepLimitError({ window: 'hour', limit: 1000, resetsInMs: 20 * 60_000 }, NOW)).toContain(
      'resets in 20 minutes (at 12:20 UTC)',
    );
  });

  it('says why the person running the workflow was refused, for each reason', () => {
    expect(stepRefusalError('user_not_allowed')).toContain('not allowed to look up customers');
    expect(stepRefusalError('channel_not_allowed')).toContain('a workflow step has no channel');
    expect(stepRefusalError('no_user')).toContain('did not say who is running this workflow');
    expect(stepRefusalError('membership_unknown')).toContain('allowed user group');
  });

  it('turns a notice into plain text that no renderer reads as markup', () => {
    const message = komerzaErrorMessage(new KomerzaForbiddenError('GET /x', 403, 'stores.<!here>'));
    expect(plainTextOf(message)).toBe(
      'The app’s Komerza API key lacks the stores.‹!here› scope. Ask whoever runs this app to add that permission to the key in the Komerza dashboard, then try again. (Komerza answers the same way for an id that belongs to another store.)',
    );
  });
});

describe('the step’s inputs', () => {
  it('read the person from the user_context and the customer text', () => {
    const inputs = { customer: ' jane@example.com ', person: { id: 'U0AGENT', secret: 'x' } };
    expect(stepPerson(inputs)).toBe('U0AGENT');
    expect(stepCustomerText(inputs)).toBe(' jane@example.com ');
  });

  it('give nothing for inputs that are not what Slack sends', () => {
    expect(stepPerson({ person: 'U0AGENT' })).toBeUndefined();
    expect(stepPerson(undefined)).toBeUndefined();
    expect(stepCustomerText({ customer: 42 })).toBe('');
    expect(stepCustomerText({ customer: 'x'.repeat(4001) })).toBe('');
    expect(stepCustomerText(null)).toBe('');
  });
});
