import { parseCustomerValue } from '../../blocks/card-actions.js';
import { parsePageValue } from '../../blocks/picker.js';
import { searchExpiredMessage } from '../../blocks/share.js';
import { answerCustomerId, answerSearchPage } from '../lookup-answer.js';
import { privatePresentation } from '../presentation.js';
import type { SearchSessions } from '../search-sessions.js';
import type { Services } from '../services.js';
import { type ButtonArgs, replaceAnswer } from './surface.js';

/** A picker row's Open: the list is replaced by that customer's card (response_url or views.update). */
export function openFromPicker(services: Services) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const customerId = parseCustomerValue(args.action.value);
    if (!customerId) return services.logger.warn('Open clicked with a value this app did not write');
    const answer = await answerCustomerId(services, customerId, {}, privatePresentation(services));
    services.logger.event('lookup', {
      source: 'picker',
      user: args.body.user.id,
      team: args.body.team?.id,
      outcome: answer.outcome,
      ...(answer.customerId ? { customerId: answer.customerId } : {}),
      ...(answer.errorKind ? { errorKind: answer.errorKind } : {}),
    });
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
    const answer = await answerSearchPage(services, text, value.p, privatePresentation(services, searches, value.t));
    services.logger.event('lookup', {
      source: 'picker_page',
      user: args.body.user.id,
      team: args.body.team?.id,
      page: value.p,
      outcome: answer.outcome,
      ...(answer.errorKind ? { errorKind: answer.errorKind } : {}),
    });
    await replaceAnswer(args, services, answer.message);
  };
}
