import { describe, expect, it } from '@jest/globals';
import { KOMERZA_FEATURES } from '../../src/requirements.js';
import { createTicketOffer, describeOffer } from '../../src/tickets/offer.js';

const feature = (scope: string) => KOMERZA_FEATURES.find((f) => f.scope === scope) ?? { scope, feature: scope };
const lacking = (...scopes: string[]) => ({ allowed: [], missing: scopes.map(feature) });

describe('what cards offer on open tickets', () => {
  it('follows TICKET_ACTIONS while the key is not known to lack anything (unverified keys included)', () => {
    expect(createTicketOffer('off').actions()).toEqual({ reply: false, close: false });
    expect(createTicketOffer('reply').actions()).toEqual({ reply: true, close: false });
    const both = createTicketOffer('reply_and_close');
    both.learn({ allowed: [], missing: [] });
    expect(both.actions()).toEqual({ reply: true, close: true });
  });

  it.each([
    ['stores.tickets.update', { reply: false, close: true }],
    ['stores.tickets.view', { reply: false, close: true }],
    ['stores.tickets.delete', { reply: true, close: false }],
  ])('drops what a missing %s takes away', (scope, expected) => {
    const offer = createTicketOffer('reply_and_close');
    offer.learn(lacking(scope));
    expect(offer.actions()).toEqual(expected);
    expect(offer.missing()).toEqual([scope]);
  });

  it('a 403 at write time takes the button away too', () => {
    const offer = createTicketOffer('reply');
    offer.lost('stores.tickets.update');
    offer.lost(undefined);
    expect(offer.actions()).toEqual({ reply: false, close: false });
  });

  it('says in one start-up line what is offered, to whom, and what the key lacks', () => {
    expect(describeOffer(createTicketOffer('off'), false)).toContain('off (TICKET_ACTIONS=off)');
    expect(describeOffer(createTicketOffer('reply_and_close'), false)).toBe(
      'Ticket actions: cards offer View & reply and Close ticket to whoever may look customers up (TICKET_ACTIONS=reply_and_close)',
    );
    const partial = createTicketOffer('reply_and_close');
    partial.learn(lacking('stores.tickets.delete'));
    expect(describeOffer(partial, true)).toBe(
      'Ticket actions: cards offer View & reply to ALLOWED_WRITE_USER_IDS / ALLOWED_WRITE_USERGROUP_IDS (TICKET_ACTIONS=reply_and_close; the key lacks stores.tickets.delete)',
    );
    const none = createTicketOffer('reply');
    none.learn(lacking('stores.tickets.update'));
    expect(describeOffer(none, false)).toBe(
      'Ticket actions: none offered (TICKET_ACTIONS=reply; the key lacks stores.tickets.update)',
    );
  });
});
