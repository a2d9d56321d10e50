import { describe, expect, it } from '@jest/globals';
import {
  cardActions,
  customerValue,
  dashboardUrl,
  parseCustomerValue,
  sharedCardActions,
} from '../../src/blocks/card-actions.js';
import { blockKitViolations } from '../support/block-kit-limits.js';

const ID = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';

describe('card action buttons', () => {
  it('carry the customer id only, and round-trip it', () => {
    const value = customerValue(ID);
    expect(value).toBe(`{"c":"${ID}"}`);
    expect(parseCustomerValue(value)).toBe(ID);
    expect(parseCustomerValue(customerValue(ID.toUpperCase()))).toBe(ID);
  });

  it('reject values this app did not write', () => {
    for (const bad of [undefined, '', 'x', '{"c":"jane@example.com"}', '{"c":1}', '[1]', '{"c":"../../x"}']) {
      expect(parseCustomerValue(bad)).toBeUndefined();
    }
  });

  it('fill and encode the dashboard template', () => {
    expect(
      dashboardUrl('https://d.example/{storeId}/c/{customerId}?x={customerId}', { storeId: 's 1', customerId: ID }),
    ).toBe(`https://d.example/s%201/c/${ID}?x=${ID}`);
    expect(dashboardUrl('https://dashboard.komerza.com', { storeId: 's', customerId: ID })).toBe(
      'https://dashboard.komerza.com',
    );
  });

  it('are Share, Refresh and a link on a private card; only the link on a shared one', () => {
    const actions = cardActions({ customerId: ID, dashboardUrl: 'https://d.example/x' });
    expect(actions.elements.map((e) => e.action_id)).toEqual(['card_share', 'card_refresh', 'card_open']);
    expect(cardActions({ customerId: ID, dashboardUrl: undefined }).elements).toHaveLength(2);
    expect(sharedCardActions('https://d.example/x')?.elements.map((e) => e.action_id)).toEqual(['card_open']);
    expect(sharedCardActions(undefined)).toBeUndefined();
    const message = { text: 'card', blocks: [actions] };
    expect(blockKitViolations(message, { surface: 'message' })).toEqual([]);
  });
});
