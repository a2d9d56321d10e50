import { describe, expect, it } from '@jest/globals';
import { createMemoryBudget } from '../../../src/access/budget.js';
import { homeSearch } from '../../../src/listeners/actions/home-search.js';
import { ACTIONS, LOOKUP_VIEW } from '../../../src/slack/ids.js';
import {
  fakeClient,
  fakeDeps,
  homeClickArgs,
  sampleCustomer,
  sampleCustomers,
  stubKomerza,
} from '../../support/listener-kit.js';
import { buttons } from '../../support/slack-payloads.js';

/** A clock that stands still, so a budget's minute cannot roll over inside a test. */
const CLOCK = Date.parse('2026-11-29T12:00:10Z');

type Args = Parameters<ReturnType<typeof homeSearch>>[0];
const jane = sampleCustomer('jane@example.com');
const api = stubKomerza({ getCustomerByEmail: async () => jane });

describe('Home tab search listener', () => {
  it.each(['button', 'enter'] as const)(
    'opens "Looking up…" and puts the card in it, without Share (via %s)',
    async (via) => {
      const fake = fakeClient();
      const budget = createMemoryBudget({ perMinute: 10, perHour: 0, now: () => CLOCK });
      const deps = fakeDeps({ api, triggerClient: fake.client, budget });
      const run = homeClickArgs<Args>('jane@example.com', { fake, via });
      await homeSearch(deps)(run.args);
      expect(run.acks).toEqual([undefined]);
      const [open] = fake.callsTo('views.open');
      expect(open?.args.trigger_id).toBe('trigger-home');
      expect(JSON.stringify(open?.args.view)).toContain('Looking up the customer');
      const [update] = fake.callsTo('views.update');
      const view = update?.args.view as Record<string, unknown>;
      expect(update?.args.view_id).toBe('V1');
      expect(view.callback_id).toBe(LOOKUP_VIEW);
      expect(JSON.stringify(view)).toContain('Order arrived damaged');
      // Nowhere to share to from a Home tab; Refresh and the link remain.
      expect(buttons(view).map((b) => b.action_id)).toEqual([ACTIONS.refresh, ACTIONS.open]);
      expect((await budget.peek('U0AGENT')).remaining.minute).toBe(9);
    },
  );

  it('lists several matches in the modal with page buttons that work there', async () => {
    const fake = fakeClient();
    const deps = fakeDeps({
      api: stubKomerza({ searchCustomers: async () => ({ items: sampleCustomers().slice(3), page: 1, pages: 2 }) }),
      triggerClient: fake.client,
    });
    const run = homeClickArgs<Args>('alex', { fake });
    await homeSearch(deps)(run.args);
    const view = fake.callsTo('views.update')[0]?.args.view as Record<string, unknown>;
    expect(JSON.stringify(view)).toContain('alex.smith@example.com');
    expect(buttons(view).some((b) => b.action_id === `${ACTIONS.pickerPage}_next`)).toBe(true);
  });

  it('says what to type for an empty box or a too-broad search, asking Komerza nothing', async () => {
    for (const text of ['', '  ', 'ab']) {
      const fake = fakeClient();
      const deps = fakeDeps({ api: stubKomerza({}), triggerClient: fake.client });
      const run = homeClickArgs<Args>(text, { fake });
      await homeSearch(deps)(run.args);
      expect(fake.callsTo('views.update')).toEqual([]);
      expect(JSON.stringify(fake.callsTo('views.open')[0]?.args.view)).toMatch(
        /Type who to look up first|Type more of the address/,
      );
    }
  });

  it('charges nothing and says so on the Home tab when the modal cannot be opened', async () => {
    const fake = fakeClient();
    fake.fail('views.open', 'trigger_expired');
    const budget = createMemoryBudget({ perMinute: 10, perHour: 0, now: () => CLOCK });
    const deps = fakeDeps({ api, triggerClient: fake.client, budget });
    const run = homeClickArgs<Args>('jane@example.com', { fake });
    await homeSearch(deps)(run.args);
    expect((await budget.peek('U0AGENT')).remaining.minute).toBe(10);
    const published = JSON.stringify(fake.callsTo('views.publish')[0]?.args.view);
    expect(published).toContain('The answer could not be shown');
    expect(published).not.toContain('Order arrived damaged');
  });
});
