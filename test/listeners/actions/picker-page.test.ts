import { describe, expect, it } from '@jest/globals';
import { pickerPage } from '../../../src/listeners/actions/picker-page.js';
import type { ButtonArgs } from '../../../src/slack/context.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { clickArgs, fakeDeps, sampleCustomers, stubKomerza } from '../../support/listener-kit.js';

const matches = sampleCustomers().slice(3);

describe('picker page listener', () => {
  it('shows the stored search’s other page, with page buttons on the same token', async () => {
    const pages: number[] = [];
    const deps = fakeDeps({
      api: stubKomerza({
        searchCustomers: async (_text, page) => {
          pages.push(page?.page ?? 1);
          return { items: matches, page: page?.page ?? 1, pages: 3 };
        },
      }),
    });
    const token = await deps.searches.save('alex');
    const click = clickArgs<ButtonArgs>(
      { action_id: `${ACTIONS.pickerPage}_next`, value: JSON.stringify({ t: token, p: 2 }) },
      { surface: 'message' },
    );
    await pickerPage(deps)(click.args);
    expect(pages).toEqual([2]);
    const shown = JSON.stringify(click.responses[0]);
    expect(shown).toContain('page 2 of 3');
    expect(shown).toContain(token);
  });

  it('says the list expired when its search is gone', async () => {
    const deps = fakeDeps();
    const click = clickArgs<ButtonArgs>(
      { action_id: `${ACTIONS.pickerPage}_next`, value: JSON.stringify({ t: 'unknown-token', p: 2 }) },
      { surface: 'message' },
    );
    await pickerPage(deps)(click.args);
    expect(JSON.stringify(click.responses[0])).toContain('This list has expired');
  });
});
