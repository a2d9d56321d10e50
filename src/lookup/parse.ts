import { isKomerzaId } from '../komerza/schemas.js';

/**
 * From what a person typed (or what Slack made of it) to a lookup query.
 *
 * Slack sends command text in its stored form: with `should_escape` on, a typed email arrives as
 * `<mailto:jane@example.com|jane@example.com>`, URLs as `<https://…|label>`, and the three control characters as
 * `&amp;` `&lt;` `&gt;` (docs/slack-platform.md §1). Links are unwrapped first, then entities decoded, so a literal
 * `&lt;mailto:x&gt;` the person typed stays text.
 */

export type LookupQuery =
  | { kind: 'email'; email: string }
  | { kind: 'id'; id: string }
  | { kind: 'search'; text: string }
  | { kind: 'empty' };

export type QueryKind = LookupQuery['kind'];

/** Deliberately loose: Komerza decides what exists; this only routes "looks like an address" to the email lookup. */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const SLACK_LINK = /<([^<>|]*)(?:\|([^<>]*))?>/g;

/** Longest text the lookup will send on: no email or id is longer, and it keeps URLs and logs bounded. */
export const MAX_QUERY_LENGTH = 254;

export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `<mailto:a@b|a@b>` → `a@b`; `<https://x|label>` → label; `<https://x>` → the URL; `<@U1|name>` → name. */
export function unwrapSlackLinks(text: string): string {
  return text.replace(SLACK_LINK, (_whole, target: string, label: string | undefined) => {
    if (target.toLowerCase().startsWith('mailto:')) return target.slice('mailto:'.length);
    return label?.trim() ? label : target;
  });
}

/**
 * `<target|label>` → `target label`: both sides, for scanning a message for addresses and ids (a link's target can
 * hold the address its label does not, and a label the one its target does not).
 */
export function flattenSlackLinks(text: string): string {
  return text.replace(SLACK_LINK, (_whole, target: string, label: string | undefined) => ` ${target} ${label ?? ''} `);
}

export function normaliseQueryText(raw: string): string {
  const unwrapped = decodeSlackEntities(unwrapSlackLinks(raw)).trim();
  const withoutScheme = unwrapped.replace(/^mailto:/i, '');
  // Collapse runs of whitespace (pasted text often carries newlines or non-breaking spaces).
  return withoutScheme.replace(/\s+/g, ' ').trim();
}

export function isUuid(text: string): boolean {
  return isKomerzaId(text);
}

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

/** Punctuation a pasted sentence leaves on an address ("write to jane@example.com."). */
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

export function parseQuery(raw: string): LookupQuery {
  const text = normaliseQueryText(raw).slice(0, MAX_QUERY_LENGTH);
  if (text === '') return { kind: 'empty' };
  const trimmed = text.replace(TRAILING_PUNCTUATION, '');
  if (isEmail(trimmed)) return { kind: 'email', email: trimmed };
  if (isUuid(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  return { kind: 'search', text };
}

/** What the person asked for, as they would recognise it (for "nothing found for …" messages). */
export function describeQuery(query: LookupQuery): string {
  switch (query.kind) {
    case 'email':
      return query.email;
    case 'id':
      return query.id;
    case 'search':
      return query.text;
    case 'empty':
      return '';
  }
}

const HELP_WORDS = new Set(['help', '?', '-h', '--help']);

/** `/customer`, `/customer help` and the like ask for usage, not a lookup (they never reach Komerza). */
export function isHelpRequest(raw: string): boolean {
  return parseQuery(raw).kind === 'empty' || HELP_WORDS.has(raw.trim().toLowerCase());
}

/** Letters and digits a search needs: "@" or "a" would list a large part of the customer base page by page. */
export const MIN_SEARCH_CHARS = 3;

/** A search too broad to run (the person is asked for more of the address instead). */
export function isTooBroad(query: LookupQuery): boolean {
  return query.kind === 'search' && (query.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_SEARCH_CHARS;
}
