import type { ModalView } from '@slack/types';
import { LOOKUP_VIEW } from '../slack/ids.js';
import type { SlackMessage } from './message.js';
import { mrkdwn, plainText } from './text.js';

/**
 * The message shortcut's modal. Slack allows 100 blocks and a 24-character title; every message this app builds
 * stays under 50 blocks, so a message's blocks always fit a modal. `privateMetadata` is the encoded
 * slack/values.ts `modalContext` (where the shortcut was used), carried through every view of the modal.
 */

const TITLE = 'Customer lookup';

function modal(blocks: ModalView['blocks'], privateMetadata: string | undefined): ModalView {
  return modalView({ callbackId: LOOKUP_VIEW, title: TITLE, blocks, privateMetadata });
}

/** A modal of this app: its callback_id, a title and buttons cut to Slack's 24 characters, no submit unless named. */
export function modalView(view: {
  callbackId: string;
  title: string;
  blocks: ModalView['blocks'];
  privateMetadata: string | undefined;
  submit?: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: view.callbackId,
    title: plainText(view.title, 24),
    close: plainText('Close', 24),
    ...(view.submit ? { submit: plainText(view.submit, 24) } : {}),
    blocks: view.blocks,
    ...(view.privateMetadata ? { private_metadata: view.privateMetadata } : {}),
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
