import type { Deps } from '../../deps.js';
import { showCardInPlace } from '../../slack/card-in-place.js';
import type { ButtonArgs } from '../../slack/context.js';

/** Refresh: read the customer again past every cache and put the new card where the old one was. */
export function refreshCard(deps: Deps) {
  return (args: ButtonArgs): Promise<void> => showCardInPlace(deps, args, 'refresh', deps.komerza.fresh);
}
