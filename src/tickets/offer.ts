import type { TicketActions } from '../blocks/ticket-actions.js';
import type { KeyScopes } from '../checks/key-scopes.js';
import type { TicketActionsSetting } from '../config.js';

/**
 * What cards offer on open tickets before anyone's own write access is asked: TICKET_ACTIONS, narrowed by what the
 * start-up check found the Komerza key to lack. A key whose scopes could not be verified (an owner's key, an
 * unreadable permissions route) is taken at its word: a write it may not make is refused by Komerza with a 403, which
 * the person is told about and which takes the button away (`lost`).
 */
export interface TicketOffer {
  setting: TicketActionsSetting;
  actions(): TicketActions;
  /** The start-up check's findings (service.ts). */
  learn(scopes: KeyScopes): void;
  /** Komerza refused a call for lack of `scope`: stop offering what needs it. */
  lost(scope: string | undefined): void;
  /** Scopes the key was found to lack, of those ticket actions need. */
  missing(): string[];
}

/** Reading the thread needs the view scope, replying the update scope, closing the delete scope. */
const NEEDS = {
  reply: ['stores.tickets.view', 'stores.tickets.update'],
  close: ['stores.tickets.delete'],
} as const;

export function createTicketOffer(setting: TicketActionsSetting): TicketOffer {
  const lacking = new Set<string>();
  const has = (scopes: readonly string[]) => scopes.every((scope) => !lacking.has(scope));
  return {
    setting,
    actions: () => ({
      reply: setting !== 'off' && has(NEEDS.reply),
      close: setting === 'reply_and_close' && has(NEEDS.close),
    }),
    learn(scopes) {
      for (const feature of scopes.missing) lacking.add(feature.scope);
    },
    lost(scope) {
      if (scope) lacking.add(scope);
    },
    missing: () => [...NEEDS.reply, ...NEEDS.close].filter((scope) => lacking.has(scope)),
  };
}

/** One start-up line: what cards offer on open tickets, and to whom. */
export function describeOffer(offer: TicketOffer, writeRestricted: boolean): string {
  if (offer.setting === 'off') return 'Ticket actions: off (TICKET_ACTIONS=off): cards only read tickets';
  const { reply, close } = offer.actions();
  const missing = offer.missing();
  const lacking = missing.length > 0 ? `; the key lacks ${missing.join(', ')}` : '';
  if (!reply && !close) return `Ticket actions: none offered (TICKET_ACTIONS=${offer.setting}${lacking})`;
  const what = [reply ? 'View & reply' : undefined, close ? 'Close ticket' : undefined].filter(Boolean).join(' and ');
  const who = writeRestricted
    ? 'ALLOWED_WRITE_USER_IDS / ALLOWED_WRITE_USERGROUP_IDS'
    : 'whoever may look customers up';
  return `Ticket actions: cards offer ${what} to ${who} (TICKET_ACTIONS=${offer.setting}${lacking})`;
}
