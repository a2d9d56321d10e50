import { z } from 'zod';
import { komerzaId } from '../komerza/schemas.js';

/**
 * What the app stores in Slack and gets back: button values (≤ 2000 chars) and a modal's private_metadata
 * (≤ 3000 chars), docs/slack-platform.md §3. Each is a zod codec: `decode` reads what Slack echoes (anything that
 * does not parse was not written by this app), `encode` writes it. They carry ids only, never an email or a name:
 * Slack stores these strings and shows them to anyone who inspects the message.
 *
 * The wire keys are short and stay as they are: cards already posted keep working across upgrades.
 */

/** A JSON string whose parsed value matches `wire`, mapped to and from the domain shape. */
function jsonCodec<Wire extends z.ZodType, Domain extends z.ZodType>(
  wire: Wire,
  domain: Domain,
  maps: { toDomain: (wire: z.output<Wire>) => z.input<Domain>; toWire: (value: z.input<Domain>) => z.input<Wire> },
) {
  return z.codec(z.string().max(3000), domain, {
    decode: (text, ctx) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'not JSON' });
        return z.NEVER;
      }
      const parsed = wire.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input: undefined });
        return z.NEVER;
      }
      return maps.toDomain(parsed.data);
    },
    encode: (value) => JSON.stringify(maps.toWire(value)),
  });
}

/**
 * Share, Refresh, Open and a picker row's Open: which customer, and on a card that came from a lookup by order id,
 * which order it marks (`o`, so Refresh and Share keep the mark).
 */
export const customerButton = jsonCodec(
  z.object({ c: komerzaId, o: komerzaId.optional() }),
  z.object({ customerId: komerzaId, orderId: komerzaId.optional() }),
  {
    toDomain: (wire) => ({ customerId: wire.c.toLowerCase(), ...(wire.o ? { orderId: wire.o.toLowerCase() } : {}) }),
    toWire: (value) => ({ c: value.customerId, ...(value.orderId ? { o: value.orderId } : {}) }),
  },
);
export type CustomerButton = z.output<typeof customerButton>;

/** A card's ticket buttons (View & reply, Close ticket): the ticket, its customer, and the order the card marks. */
export const ticketButton = jsonCodec(
  z.object({ c: komerzaId, t: komerzaId, o: komerzaId.optional() }),
  z.object({ customerId: komerzaId, ticketId: komerzaId, orderId: komerzaId.optional() }),
  {
    toDomain: (wire) => ({
      customerId: wire.c.toLowerCase(),
      ticketId: wire.t.toLowerCase(),
      ...(wire.o ? { orderId: wire.o.toLowerCase() } : {}),
    }),
    toWire: (value) => ({ c: value.customerId, t: value.ticketId, ...(value.orderId ? { o: value.orderId } : {}) }),
  },
);
export type TicketButton = z.output<typeof ticketButton>;

/**
 * A ticket's thread modal, in its private_metadata: which ticket of which customer, a nonce naming this one view of
 * the reply box (a reply is sent at most once per nonce: tickets/write-guard.ts), the channel the card was in (the
 * access rules' channel), and where the card is, to refresh it after a write: its message's response_url, or the
 * modal view it sits in (the thread modal is pushed on top of it) with that view's own private_metadata.
 */
export const ticketModal = jsonCodec(
  z.object({
    t: komerzaId,
    c: komerzaId,
    o: komerzaId.optional(),
    n: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    ch: z
      .string()
      .regex(/^[A-Z0-9]{1,32}$/)
      .optional(),
    ru: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
    cv: z
      .string()
      .regex(/^[A-Z0-9]{1,64}$/)
      .optional(),
    cm: z.string().max(1200).optional(),
  }),
  z.object({
    ticketId: z.string(),
    customerId: z.string(),
    orderId: z.string().optional(),
    nonce: z.string(),
    channel: z.string().optional(),
    cardResponseUrl: z.string().optional(),
    cardViewId: z.string().optional(),
    cardMetadata: z.string().optional(),
  }),
  {
    toDomain: (wire) => ({
      ticketId: wire.t.toLowerCase(),
      customerId: wire.c.toLowerCase(),
      ...(wire.o ? { orderId: wire.o.toLowerCase() } : {}),
      nonce: wire.n,
      ...(wire.ch ? { channel: wire.ch } : {}),
      ...(wire.ru ? { cardResponseUrl: wire.ru } : {}),
      ...(wire.cv ? { cardViewId: wire.cv } : {}),
      ...(wire.cm ? { cardMetadata: wire.cm } : {}),
    }),
    toWire: (value) => ({
      t: value.ticketId,
      c: value.customerId,
      ...(value.orderId ? { o: value.orderId } : {}),
      n: value.nonce,
      ...(value.channel ? { ch: value.channel } : {}),
      ...(value.cardResponseUrl ? { ru: value.cardResponseUrl } : {}),
      ...(value.cardViewId ? { cv: value.cardViewId } : {}),
      ...(value.cardMetadata ? { cm: value.cardMetadata } : {}),
    }),
  },
);
export type TicketModal = z.output<typeof ticketModal>;

/**
 * Previous / Next of a search picker: the search (a token: the text sealed with AES-GCM, never in plain form, see
 * shared-state/search-store.ts) and a page.
 */
export const pageButton = jsonCodec(
  z.object({ t: z.string().regex(/^[A-Za-z0-9_-]{8,1900}$/), p: z.number().int().min(1).max(10_000) }),
  z.object({ token: z.string(), page: z.number().int() }),
  { toDomain: (wire) => ({ token: wire.t, page: wire.p }), toWire: (value) => ({ t: value.token, p: value.page }) },
);
export type PageButton = z.output<typeof pageButton>;

/**
 * Where the message shortcut was used, kept in its modal's private_metadata and echoed back on every click: the
 * channel and thread (Share posts there, access control checks the channel) and the shortcut's response_url (the
 * fallback where the bot is not a channel member).
 */
export const modalContext = jsonCodec(
  z.object({
    ch: z.string().regex(/^[A-Z0-9]{1,32}$/),
    ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/),
    ru: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
  }),
  z.object({ channel: z.string(), threadTs: z.string(), responseUrl: z.string().optional() }),
  {
    toDomain: (wire) => ({ channel: wire.ch, threadTs: wire.ts, ...(wire.ru ? { responseUrl: wire.ru } : {}) }),
    toWire: (value) => ({
      ch: value.channel,
      ts: value.threadTs,
      ...(value.responseUrl ? { ru: value.responseUrl } : {}),
    }),
  },
);
export type ModalContext = z.output<typeof modalContext>;

/** Decodes `text` with `codec`, or undefined when it is missing or was not written by this app. */
export function decodeValue<T>(
  codec: { safeDecode(text: string): { success: true; data: T } | { success: false } },
  text: string | undefined,
): T | undefined {
  if (!text) return undefined;
  const result = codec.safeDecode(text);
  return result.success ? result.data : undefined;
}
