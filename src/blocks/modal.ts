import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { SlackMessage } from './message.js';
import { mrkdwn, plainText } from './text.js';

/**
 * The message shortcut's modal. Slack allows 100 blocks and a 24-character title; every message this app builds
 * stays under 50 blocks, so a message's blocks always fit a modal.
 */

export const LOOKUP_VIEW_CALLBACK = 'lookup_customer_result';
const TITLE = 'Customer lookup';

/**
 * Where the shortcut was used, kept in the view's `private_metadata` (≤ 3000 chars, echoed back on every click):
 * ids and the shortcut's response_url only, so Share can post in the message's thread or fall back to the hook.
 */
export interface ModalContext {
  channel: string;
  /** The thread to share into: the message's thread_ts, or its own ts. */
  threadTs: string;
  responseUrl?: string;
}

const contextSchema = z.object({
  ch: z.string().regex(/^[A-Z0-9]{1,32}$/),
  ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/),
  ru: z.string().url().max(1000).optional(),
});

export function encodeModalContext(context: ModalContext): string {
  return JSON.stringify({
    ch: context.channel,
    ts: context.threadTs,
    ...(context.responseUrl ? { ru: context.responseUrl } : {}),
  });
}

export function parseModalContext(metadata: string | undefined): ModalContext | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = contextSchema.safeParse(JSON.parse(metadata));
    if (!parsed.success) return undefined;
    const { ch, ts, ru } = parsed.data;
    return { channel: ch, threadTs: ts, ...(ru ? { responseUrl: ru } : {}) };
  } catch {
    return undefined;
  }
}

function modal(blocks: ModalView['blocks'], privateMetadata: string | undefined): ModalView {
  return {
    type: 'modal',
    callback_id: LOOKUP_VIEW_CALLBACK,
    title: plainText(TITLE, 24),
    close: plainText('Close', 24),
    blocks,
    ...(privateMetadata ? { private_metadata: privateMetadata } : {}),
  };
}

/** Opened at once with the trigger_id (valid 3 s, once), before Komerza is asked anything. */
export function loadingModal(privateMetadata?: string): ModalView {
  return modal(
    [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: *Looking up the customer…*\nThis takes a moment.') }],
    privateMetadata,
  );
}

/** Any answer (card, picker, not found, error) as the modal's content. */
export function messageModal(message: SlackMessage, privateMetadata?: string): ModalView {
  return modal(message.blocks.slice(0, 100), privateMetadata);
}

/** The shortcut found nothing to look up: say what it looked for and how to use `/customer` instead. */
export function noCandidatesMessage(): SlackMessage {
  const text = [
    ':mag: *No email address or id found in this message*',
    'The shortcut looks for email addresses and customer or order ids (UUIDs) in the message’s text, blocks and attachments.',
    'To look someone up by part of an email, use `/customer jane` in a channel (slash commands do not work in threads).',
  ].join('\n');
  return { text: 'No email address or id found in this message', blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
