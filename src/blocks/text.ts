import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/**
 * Text objects and the escaping every outside string needs before it goes into mrkdwn.
 *
 * Slack treats `&`, `<` and `>` as control characters: `<!channel>` pings a channel and `<https://evil|Refund>` is a
 * disguised link. Escaping those three (and only those, docs/slack-platform.md §3) plus `verbatim: true` (no automatic
 * linking of URLs, channel names or `@here`) makes a Komerza or user string inert.
 */
export function escapeMrkdwn(text: string): string {
  return wellFormed(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** mrkdwn built by this app. Always verbatim: callers escape outside strings with `escapeMrkdwn` first. */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text: clampMrkdwn(text, MAX_TEXT), verbatim: true };
}

/**
 * `clampText` for mrkdwn that is already escaped: a cut must not leave half an entity (`&am…` shows as garbage) or
 * half a `<!date^…|…>` token (an unclosed `<` swallows the rest). Renderers size their text to stay below the limit;
 * this is the last line of defence when they do not.
 */
export function clampMrkdwn(text: string, max: number): string {
  const cut = clampText(text, max);
  if (cut === text || !cut.endsWith('…')) return cut;
  const body = cut.slice(0, -1);
  const safe = body.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '');
  return `${safe}…`;
}

export function plainText(text: string, max: number = MAX_TEXT): PlainTextElement {
  return { type: 'plain_text', text: clampText(text, max), emoji: true };
}

/** Block Kit's limit for a text object; section fields are lower (2000). */
export const MAX_TEXT = 3000;
export const MAX_FIELD_TEXT = 2000;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `max` UTF-16 units (Slack counts characters that way) on a grapheme boundary, so an emoji
 * or an accented letter is never split, and ends it with `…`. Empty text becomes a single space-free dash: Slack
 * rejects empty text objects (`invalid_blocks`); whitespace-only text would show nothing, so it gets the dash too.
 * Lone surrogates in the input are replaced first (`wellFormed`), so no output holds half an emoji.
 */
export function clampText(text: string, max: number): string {
  const value = text.trim() === '' ? '–' : wellFormed(text);
  if (value.length <= max) return value;
  const budget = Math.max(0, max - 1);
  let out = '';
  for (const { segment } of segmenter.segment(value)) {
    if (out.length + segment.length > budget) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * Escapes `raw` for mrkdwn and shortens the result to at most `max` characters without cutting an entity
 * (`&amp;`) or a grapheme in half; a shortened result ends with `…`.
 */
export function escapeAndClamp(raw: string, max: number): string {
  return escapeWithin(raw, max).text;
}

/** `escapeAndClamp`, saying whether it had to shorten (a caller may then add "open it in Komerza"). */
export function escapeWithin(raw: string, max: number): { text: string; shortened: boolean } {
  // Escaping never shortens a string: one longer than `max` is cut without escaping all of it first.
  if (raw.length <= max) {
    const escaped = escapeMrkdwn(raw === '' ? '–' : raw);
    if (escaped.length <= max) return { text: escaped, shortened: false };
  }
  return { text: `${escapeMrkdwn(raw.slice(0, escapedCut(raw, max - 1)))}…`, shortened: true };
}

/**
 * The longest prefix of `raw` (in UTF-16 units) that ends on a grapheme boundary and whose escaped form fits in
 * `room`. Counted char by char and aligned with one `containing` lookup, not by walking every grapheme: a thread
 * of long messages is cut many times per view.
 */
function escapedCut(raw: string, room: number): number {
  let escaped = 0;
  let end = 0;
  for (; end < raw.length; end++) {
    const code = raw.charCodeAt(end);
    const width = code === 0x26 ? 5 : code === 0x3c || code === 0x3e ? 4 : 1; // &amp; &lt; &gt;
    if (escaped + width > room) break;
    escaped += width;
  }
  if (end >= raw.length) return end;
  // Back to the start of the grapheme `end` falls in (its start when `end` is already a boundary).
  return segmenter.segment(raw).containing(end)?.index ?? 0;
}

/** Longest URL made into a link; a longer one is shown as text (it would crowd the card and proves nothing). */
const MAX_LINK_URL = 500;

/**
 * A URL from outside (e.g. an affiliate link from Komerza) as mrkdwn: a `<url|label>` link only when it is a
 * well-formed http(s) URL with a host and no user name or password, labelled with the URL itself (shortened, without
 * the scheme) so the link cannot pose as something else; anything else is escaped text, never a link. The URL is
 * re-serialised by the WHATWG parser (which percent-encodes `<`, `>`, spaces and quotes) and `|`, which would end
 * the target, is percent-encoded too; `&` becomes `&amp;`, which Slack decodes in link targets (docs/slack-platform.md
 * §3).
 */
export function linkOrText(raw: string, maxLabel: number): string {
  const url = httpUrl(raw);
  if (!url) return escapeAndClamp(oneLine(raw) || '–', maxLabel);
  const href = url.href.replace(/\|/g, '%7C');
  const label = href.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return `<${escapeMrkdwn(href)}|${escapeAndClamp(label, maxLabel)}>`;
}

function httpUrl(raw: string): URL | undefined {
  const text = raw.trim();
  // The URL parser silently drops tabs and newlines inside a URL; a value holding any is not a clean URL.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (text === '' || text.length > MAX_LINK_URL || /[\s\u0000-\u001f\u007f]/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return url;
}

/** Collapses whitespace so a multi-line message fits on one line of a snippet. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone UTF-16 surrogates (half an emoji, from a bad cut upstream or a `\ud83d` escape in JSON) with U+FFFD,
 * like `String.prototype.toWellFormed` (ES2024, not in this project's lib). JSON.stringify would send them as
 * `\ud83d` escapes, which Slack shows as garbage or rejects.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATES, '\uFFFD');
}
