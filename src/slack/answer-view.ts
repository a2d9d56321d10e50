import type { AnswerView } from '../blocks/answer.js';
import { sharedBanner } from '../blocks/share.js';
import type { Deps } from '../deps.js';

/** How the person who asked sees an answer (buttons, a picker with page buttons when `pickerToken` is given). */
export function privateView(deps: Deps, pickerToken?: string): AnswerView {
  return {
    audience: 'private',
    now: deps.now(),
    showIpAddress: deps.privacy.showIpAddress,
    dashboardUrl: deps.dashboardUrl,
    ...(pickerToken ? { pickerToken } : {}),
  };
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
