import type { ActionsBlock, Button } from '@slack/types';
import { z } from 'zod';
import { plainText } from './text.js';

/**
 * The buttons under a card and the values they carry. A value holds ids only (a customer id, a page number, an
 * opaque token), never an email or other personal data: Slack stores and echoes it, and it must stay < 2000 chars.
 */

export const ACTIONS = {
  share: 'card_share',
  refresh: 'card_refresh',
  /** A link button: Slack opens the URL itself, but still sends the click, which must be acknowledged. */
  open: 'card_open',
  pickerOpen: 'picker_open',
  pickerPage: 'picker_page',
} as const;

/** Komerza's ids are UUIDs; anything else in a value was not written by this app. */
const customerId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const customerValueSchema = z.object({ c: customerId });

export function customerValue(id: string): string {
  return JSON.stringify({ c: id });
}

/** The customer id a Share / Refresh / Open button carries, or undefined for a value this app did not write. */
export function parseCustomerValue(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const parsed = customerValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data.c.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The dashboard template with its placeholders filled (URL-encoded); no placeholder → the template as it is. */
export function dashboardUrl(template: string, ids: { storeId: string; customerId: string }): string {
  return template
    .replace(/\{storeId\}/g, encodeURIComponent(ids.storeId))
    .replace(/\{customerId\}/g, encodeURIComponent(ids.customerId));
}

function openButton(url: string): Button {
  return { type: 'button', action_id: ACTIONS.open, text: plainText('Open in Komerza', 75), url };
}

/** The private card's buttons: Share, Refresh, Open in Komerza. */
export function cardActions(input: { customerId: string; dashboardUrl: string | undefined }): ActionsBlock {
  const value = customerValue(input.customerId);
  const elements: Button[] = [
    { type: 'button', action_id: ACTIONS.share, text: plainText('Share', 75), value, style: 'primary' },
    { type: 'button', action_id: ACTIONS.refresh, text: plainText('Refresh', 75), value },
  ];
  if (input.dashboardUrl) elements.push(openButton(input.dashboardUrl));
  return { type: 'actions', block_id: 'card_actions', elements };
}

/**
 * A shared card keeps only the link: Refresh there would rewrite a message the whole channel sees, and a Share of
 * a share adds nothing.
 */
export function sharedCardActions(dashboardLink: string | undefined): ActionsBlock | undefined {
  if (!dashboardLink) return undefined;
  return { type: 'actions', block_id: 'card_actions', elements: [openButton(dashboardLink)] };
}
