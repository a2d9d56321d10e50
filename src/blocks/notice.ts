import type { SlackMessage } from './message.js';
import { clampText, MAX_TEXT, mrkdwn } from './text.js';

/**
 * The one shape of every short message the app sends besides cards and pickers: an emoji, a bold headline (what
 * happened) and, below it, advice (what to do). `headline` and `advice` are mrkdwn the caller has already made
 * safe (outside strings escaped). The notification text is the headline without its markup.
 */
export function notice(emoji: string, headline: string, advice?: string): SlackMessage {
  const body = `${emoji} *${headline}*${advice ? `\n${advice}` : ''}`;
  return {
    text: clampText(headline.replace(/\*/g, ''), MAX_TEXT),
    blocks: [{ type: 'section', text: mrkdwn(body) }],
  };
}
