import type { KnownBlock } from '@slack/types';

/** A Block Kit message: blocks plus the top-level `text` Slack shows in notifications and to screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Block Kit's per-message block limit (docs/slack-platform.md §3); modals allow 100. */
export const MAX_MESSAGE_BLOCKS = 50;
