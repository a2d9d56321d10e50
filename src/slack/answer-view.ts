import type { AnswerView } from '../blocks/answer.js';
import { sharedBanner } from '../blocks/share.js';
import type { Deps } from '../deps.js';
import type { Surface } from './context.js';

/**
 * How the person who asked sees an answer (buttons, a picker with page buttons when `pickerToken` is given). `on`
 * is where it is shown, when that may have nowhere to share to: a modal that records no conversation (one opened
 * from the Home tab) gets no Share button.
 */
export function privateView(deps: Deps, pickerToken?: string, on?: Surface): AnswerView {
  return {
    audience: 'private',
    now: deps.now(),
    showIpAddress: deps.privacy.showIpAddress,
    dashboardUrl: deps.dashboardUrl,
    ...(pickerToken ? { pickerToken } : {}),
    ...(on && !canShareFrom(on) ? { shareable: false } : {}),
  };
}

/** Share posts into the conversation an answer came from; a modal that records none has nowhere to post. */
export function canShareFrom(surface: Surface): boolean {
  if (surface.kind === 'modal') return surface.opener !== undefined;
  return surface.kind !== 'home' && surface.kind !== 'workflow_step';
}

/** How a channel sees a shared card: redacted, saying who shared it and when. */
export function sharedView(deps: Deps, sharedBy: string | undefined): AnswerView {
  const now = deps.now();
  return {
    audience: 'shared',
    now,
    showIpAddress: false,
    dashboardUrl: deps.dashboardUrl,
    banner: sharedBanner(sharedBy ?? '', now),
  };
}
