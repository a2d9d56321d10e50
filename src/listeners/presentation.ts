import { cardActions, sharedCardActions } from '../blocks/card-actions.js';
import { searchPicker } from '../blocks/picker.js';
import type { AnswerPresentation } from './lookup-answer.js';
import type { SearchSessions } from './search-sessions.js';
import type { Services } from './services.js';

/**
 * How answers look on each surface. The private card (command and modal) gets Share / Refresh / Open; several
 * search matches become a picker whose page buttons point at the stored search (`token` reuses one while paging).
 */
export function privatePresentation(services: Services, searches?: SearchSessions, token?: string): AnswerPresentation {
  return {
    cardActions: (customer) =>
      cardActions({ customerId: customer.id, dashboardUrl: services.dashboardUrl?.(customer.id) }),
    ...(searches
      ? {
          picker: (input) =>
            searchPicker({
              ...input,
              token: input.pages > 1 ? (token ?? searches.save(input.query)) : undefined,
            }),
        }
      : {}),
  };
}

/** What a Share posts: the redacted card, who shared it and when, and only the link button. */
export function sharedPresentation(services: Services, banner: string): AnswerPresentation {
  return {
    audience: 'shared',
    banner,
    cardActions: (customer) => sharedCardActions(services.dashboardUrl?.(customer.id)),
  };
}
