import type { Deps } from '../../deps.js';
import { showCardInPlace } from '../../slack/card-in-place.js';
import type { ButtonArgs } from '../../slack/context.js';

/** A picker row's Open: the list is replaced by that customer's card (response_url or views.update). */
export function openFromPicker(deps: Deps) {
  return (args: ButtonArgs): Promise<void> => showCardInPlace(deps, args, 'picker', deps.komerza.cached);
}
