import { parseCustomerValue } from '../../blocks/card-actions.js';
import { parsePageValue } from '../../blocks/picker.js';
import { searchExpiredMessage } from '../../blocks/share.js';
import { auditLookup } from '../audit.js';
import { answerCustomerId, answerSearchPage } from '../lookup-answer.js';
import { privatePresentation } from '../presentation.js';
import type { SearchSessions } from '../search-sessions.js';
import type { Services } from '../services.js';
import { type ButtonArgs, replaceAnswer, whoClicked } from './surface.js';

/** A picker row's Open: the list is replaced by that customer's card (response_url or views.update). */
export function openFromPicker(services: Services) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const customerId = parseCustomerValue(args.action.value);
    if (!customerId) return services.logger.warn('Open clicked with a value this app did not write');
    const started = performance.now();
    const answer = await answerCustomerId(services, customerId, {}, privatePresentation(services));
    auditLookup(services, { source: 'picker', ...whoClicked(args), queryKind: 'id', started }, answer);
    await replaceAnswer(args, services, answer.message);
  };
}

/** Previous / Next: the stored search's other Komerza page, in place of this one. */
export function pickerPage(services: Services, searches: SearchSessions) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const value = parsePageValue(args.action.value);
    const text = value ? searches.get(value.t) : undefined;
    if (!value || text === undefined) {
      await replaceAnswer(args, services, searchExpiredMessage());
      return;
    }
    const started = performance.now();
    const answer = await answerSearchPage(services, text, value.p, privatePresentation(services, searches, value.t));
    auditLookup(services, { source: 'picker_page', ...whoClicked(args), queryKind: 'search', started }, answer, {
      page: value.p,
    });
    await replaceAnswer(args, services, answer.message);
  };
}
