import { describe, expect, it } from '@jest/globals';
import { createMemoryBudget } from '../../../src/access/budget.js';
import { KomerzaForbiddenError, KomerzaNotFoundError, KomerzaUnavailableError } from '../../../src/komerza/errors.js';
import { lookupCustomerStep } from '../../../src/listeners/functions/lookup-customer-step.js';
import { deferred } from '../../support/async.js';
import { fakeDeps, sampleCustomer, stepArgs, stubKomerza } from '../../support/listener-kit.js';
import { IDS } from '../../support/sample-store.js';

/** A clock that stands still, so a budget's minute cannot roll over inside a test. */
const CLOCK = Date.parse('2026-11-29T12:00:10Z');

type Args = Parameters<ReturnType<typeof lookupCustomerStep>>[0];
const jane = sampleCustomer('jane@example.com');
const person = { id: 'U0AGENT', secret: 's' };
const notFound = () => Promise.reject(new KomerzaNotFoundError('GET /stores/{storeId}/customers/{id}', 404, false));

describe('"Look up Komerza customer" step listener', () => {
  it('completes with the customer’s outputs, charged to the person running the workflow', async () => {
    const budget = createMemoryBudget({ perMinute: 5, perHour: 0, now: () => CLOCK });
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: async () => jane }), budget });
    const run = stepArgs<Args>({ customer: 'jane@example.com', person });
    await lookupCustomerStep(deps)(run.args);
    expect(run.failed).toEqual([]);
    expect(run.completed).toEqual([
      expect.objectContaining({ found: true, customer_id: IDS.jane, email: 'jane@example.com', open_tickets: 2 }),
    ]);
    expect((await budget.peek('U0AGENT')).remaining.minute).toBe(4);
    const audit = deps.logs.map((line) => JSON.parse(line)).find((entry) => entry.event === 'lookup');
    expect(audit).toMatchObject({ source: 'workflow_step', user: 'U0AGENT', outcome: 'card', step: 'complete' });
    expect(JSON.stringify(audit)).not.toContain('jane@example.com');
  });

  it('finds the email inside a longer text (a form answer, a mailto link)', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: async () => jane }) });
    const run = stepArgs<Args>({ customer: 'From: Jane <mailto:jane@example.com|jane@example.com>', person });
    await lookupCustomerStep(deps)(run.args);
    expect(run.completed[0]).toMatchObject({ found: true, email: 'jane@example.com' });
  });

  it('completes with found: false when nobody matches, and when the input names no email or id (no search)', async () => {
    const deps = fakeDeps({
      api: stubKomerza({ getCustomerByEmail: notFound, listCustomers: async () => ({ items: [], page: 1, pages: 1 }) }),
    });
    const miss = stepArgs<Args>({ customer: 'nobody@example.com', person });
    await lookupCustomerStep(deps)(miss.args);
    expect(miss.completed).toEqual([expect.objectContaining({ found: false, email: '', customer_id: '' })]);
    // "jane" is not looked up at all: stubKomerza would throw on a search.
    const text = stepArgs<Args>({ customer: 'jane', person });
    await lookupCustomerStep(deps)(text.args);
    expect(text.completed).toEqual([expect.objectContaining({ found: false })]);
  });

  it('fails when the input names two customers: the step answers for one', async () => {
    const deps = fakeDeps({ api: stubKomerza({}) });
    const run = stepArgs<Args>({ customer: 'jane@example.com, bob@example.org', person });
    await lookupCustomerStep(deps)(run.args);
    expect(run.completed).toEqual([]);
    expect(run.failed).toEqual([expect.stringContaining('names more than one email address or id')]);
  });

  it('fails with a clear sentence when Komerza is down or the key lacks a scope', async () => {
    const down = fakeDeps({
      api: stubKomerza({ getCustomerByEmail: () => Promise.reject(new KomerzaUnavailableError('r', 'network')) }),
    });
    const first = stepArgs<Args>({ customer: 'jane@example.com', person });
    await lookupCustomerStep(down)(first.args);
    expect(first.failed).toEqual([expect.stringContaining('could not reach Komerza')]);

    const scope = fakeDeps({
      api: stubKomerza({
        getCustomerByEmail: () => Promise.reject(new KomerzaForbiddenError('r', 403, 'stores.customers.view')),
      }),
    });
    const second = stepArgs<Args>({ customer: 'jane@example.com', person });
    await lookupCustomerStep(scope)(second.args);
    expect(second.failed).toEqual([expect.stringContaining('lacks the stores.customers.view scope')]);
    expect(second.completed).toEqual([]);
  });

  it('fails when the person’s budget is spent, without outputs', async () => {
    const budget = createMemoryBudget({ perMinute: 1, perHour: 0, now: () => CLOCK });
    await budget.take('U0AGENT', 1);
    const deps = fakeDeps({
      api: stubKomerza({ getCustomerByEmail: async () => jane }),
      budget,
      budgetLimits: { perMinute: 1, perHour: 0 },
    });
    const run = stepArgs<Args>({ customer: 'jane@example.com', person });
    await lookupCustomerStep(deps)(run.args);
    expect(run.completed).toEqual([]);
    expect(run.failed).toEqual([expect.stringContaining('has been shown 1 customer this minute')]);
  });

  it('fails the step when Slack refuses the outputs, instead of leaving it running', async () => {
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: async () => jane }) });
    const run = stepArgs<Args>(
      { customer: 'jane@example.com', person },
      { completeError: 'parameter_validation_failed' },
    );
    await lookupCustomerStep(deps)(run.args);
    expect(run.failed).toEqual([expect.stringContaining('Slack refused the step outputs')]);
  });

  it('fails with "run it again" when the app must stop before the lookup ends', async () => {
    const held = deferred<typeof jane>();
    const deps = fakeDeps({ api: stubKomerza({ getCustomerByEmail: () => held.promise }) });
    const run = stepArgs<Args>({ customer: 'jane@example.com', person });
    const running = lookupCustomerStep(deps)(run.args);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await deps.farewells.sayAll(1000)).toBe(1);
    expect(run.failed).toEqual([expect.stringContaining('restarted before this step finished')]);
    held.resolve(jane);
    await running;
  });
});
