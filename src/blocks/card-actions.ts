import type { ActionsBlock, Button } from '@slack/types';
import { ACTIONS, BLOCKS } from '../slack/ids.js';
import { customerButton } from '../slack/values.js';
import { plainText } from './text.js';

/**
 * The buttons under a card. Their values carry ids only (slack/values.ts): Slack stores and echoes them.
 */

/** The dashboard template with its placeholders filled (URL-encoded); no placeholder → the template as it is. */
export function dashboardUrl(template: string, ids: { storeId: string; customerId: string }): string {
  return template
    .replace(/\{storeId\}/g, encodeURIComponent(ids.storeId))
    .replace(/\{customerId\}/g, encodeURIComponent(ids.customerId));
}

function openButton(url: string): Button {
  return { type: 'button', action_id: ACTIONS.open, text: plainText('Open in Komerza', 75), url };
}

/**
 * A customer button's value, or undefined for an id Komerza should never send (not a UUID): a button the app
 * would refuse when clicked is better left out.
 */
export function customerValue(customerId: string, orderId?: string): string | undefined {
  const withOrder = orderId ? customerButton.safeEncode({ customerId, orderId }) : undefined;
  // An order id Komerza should never send (not a UUID) only costs the mark, not the buttons.
  if (withOrder?.success) return withOrder.data;
  const encoded = customerButton.safeEncode({ customerId });
  return encoded.success ? encoded.data : undefined;
}

/**
 * The private card's buttons: Share, Refresh, Open in Komerza. `orderId`: the order the card marks. `share: false`
 * leaves Share out where there is no conversation to share into (a modal opened from the Home tab).
 */
export function cardActions(input: {
  customerId: string;
  orderId?: string;
  dashboardUrl: string | undefined;
  share?: boolean;
}): ActionsBlock | undefined {
  const value = customerValue(input.customerId, input.orderId);
  const elements: Button[] = [];
  if (value && input.share !== false) {
    elements.push({ type: 'button', action_id: ACTIONS.share, text: plainText('Share', 75), value, style: 'primary' });
  }
  if (value) elements.push({ type: 'button', action_id: ACTIONS.refresh, text: plainText('Refresh', 75), value });
  if (input.dashboardUrl) elements.push(openButton(input.dashboardUrl));
  return elements.length > 0 ? { type: 'actions', block_id: BLOCKS.cardActions, elements } : undefined;
}

/**
 * A shared card keeps only the link: Refresh there would rewrite a message the whole channel sees, and a Share of
 * a share adds nothing.
 */
export function sharedCardActions(dashboardLink: string | undefined): ActionsBlock | undefined {
  if (!dashboardLink) return undefined;
  return { type: 'actions', block_id: BLOCKS.cardActions, elements: [openButton(dashboardLink)] };
}
