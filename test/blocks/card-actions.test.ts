import { describe, expect, it } from '@jest/globals';
import { cardActions, dashboardUrl, sharedCardActions } from '../../src/blocks/card-actions.js';
import { blockKitViolations } from '../support/block-kit-limits.js';

const ID = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';

describe('card action buttons', () => {
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
    expect(actions?.elements.map((e) => e.action_id)).toEqual(['card_share', 'card_refresh', 'card_open']);
    expect(cardActions({ customerId: ID, dashboardUrl: undefined })?.elements).toHaveLength(2);
    expect(sharedCardActions('https://d.example/x')?.elements.map((e) => e.action_id)).toEqual(['card_open']);
    expect(sharedCardActions(undefined)).toBeUndefined();
    const message = { text: 'card', blocks: actions ? [actions] : [] };
    expect(blockKitViolations(message, { surface: 'message' })).toEqual([]);
  });

  it('leave out Share and Refresh for an id Komerza should never send (they could not work)', () => {
    expect(cardActions({ customerId: '<!channel>', dashboardUrl: 'https://d.example/x' })?.elements).toHaveLength(1);
    expect(cardActions({ customerId: 'not-a-uuid', dashboardUrl: undefined })).toBeUndefined();
  });
});
