/**
 * The Slack-payload side of candidate extraction: every human-readable string of a message, in reading order
 * (its `text`, then its blocks — rich_text elements, section text and fields, context — then its attachments'
 * text, fields and blocks). Link targets (`url`) are included so a `mailto:` link's address is found even when
 * its label is something else. The walk is bounded: a huge or deeply nested payload cannot make it slow.
 */

/** Keys whose string values people read (or that hold link targets). Ids, timestamps and styles are skipped. */
const TEXT_KEYS = new Set(['text', 'url', 'fallback', 'pretext', 'title', 'value', 'footer', 'author_name']);
/** Keys to descend into: containers of blocks, elements, fields and text objects. */
const CONTAINER_KEYS = new Set(['blocks', 'elements', 'fields', 'attachments', 'text', 'accessory']);

const MAX_DEPTH = 12;
const MAX_STRINGS = 2000;

export function messageStrings(message: unknown): string[] {
  const out: string[] = [];
  if (!isRecord(message)) return out;
  if (typeof message.text === 'string') out.push(message.text);
  walk(message.blocks, 0, out);
  walk(message.attachments, 0, out);
  return out;
}

function walk(node: unknown, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH || out.length >= MAX_STRINGS) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, depth + 1, out);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (out.length >= MAX_STRINGS) return;
    if (typeof value === 'string') {
      if (TEXT_KEYS.has(key) && value !== '') out.push(value);
    } else if (CONTAINER_KEYS.has(key)) walk(value, depth + 1, out);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
