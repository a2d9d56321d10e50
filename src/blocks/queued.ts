import type { SlackMessage } from './message.js';
import { mrkdwn } from './text.js';

export interface QueuedInfo {
  /** Lookups (an estimate: queued Komerza calls over calls per lookup) ahead of this one. */
  lookupsAhead: number;
  /** Estimated wait before this lookup's first Komerza call, in milliseconds. */
  waitMs: number;
}

/**
 * Shown when Komerza's rate limit makes a lookup wait: says what is happening and that the card will replace it,
 * so a slow answer is never silence. Only numbers go into it, no data.
 */
export function queuedMessage(info: QueuedInfo): SlackMessage {
  const ahead = Math.max(0, Math.round(info.lookupsAhead));
  const seconds = Math.max(1, Math.ceil(info.waitMs / 1000));
  // Nobody ahead but still a wait: the bucket itself is empty (e.g. just after Komerza answered 429).
  const headline =
    ahead === 0 ? 'Queued for Komerza’s rate limit' : `Queued, ${ahead === 1 ? '1 lookup' : `${ahead} lookups`} ahead`;
  return {
    text: `${headline}: the card will be here in about ${seconds} s.`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:hourglass_flowing_sand: *${headline}*\nKomerza allows only a few requests per second, so lookups take turns. Your card will replace this message in about ${seconds} s.`,
        ),
      },
    ],
  };
}
