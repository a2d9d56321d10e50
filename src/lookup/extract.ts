import { decodeSlackEntities, flattenSlackLinks, isEmail, isUuid, type LookupQuery } from './parse.js';

/**
 * What a message names that the app can look up: email addresses and UUIDs (a customer id or an order id).
 * Input is a list of strings (the message text, its blocks' text, its attachments' text); the Slack-payload walk
 * that collects them lives with the listener, so this stays pure and payload-agnostic.
 */

export type Candidate = Extract<LookupQuery, { kind: 'email' } | { kind: 'id' }>;

/** Enough for any real message; a pasted log with hundreds of addresses is cut here, not in Komerza. */
export const MAX_CANDIDATES = 20;
/** Text scanned in total: bounds the regex work on a huge pasted message. */
export const MAX_SCANNED_CHARS = 50_000;

// A loose scan; each hit is then checked with parse.ts's isEmail/isUuid, the same rules `/customer` uses.
const EMAIL_SCAN = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+/g;
const UUID_SCAN = /(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/gi;

/**
 * Email addresses and UUIDs in the order they first appear, de-duplicated (emails case-insensitively, since
 * Komerza matches them so). Slack's stored form is handled: `<mailto:a@b|a@b>` is unwrapped and `&amp;` decoded.
 */
export function extractCandidates(texts: readonly string[], max: number = MAX_CANDIDATES): Candidate[] {
  const found: Array<{ at: number; candidate: Candidate }> = [];
  const seen = new Set<string>();
  let budget = MAX_SCANNED_CHARS;
  const out: Candidate[] = [];

  for (const raw of texts) {
    if (budget <= 0 || out.length >= max) break;
    const chunk = raw.slice(0, budget);
    budget -= chunk.length;
    const text = decodeSlackEntities(flattenSlackLinks(chunk));
    found.length = 0;
    for (const match of text.matchAll(EMAIL_SCAN)) {
      // A sentence's full stop is not part of the address ("write to jane@example.com.").
      const email = match[0].replace(/^mailto:/i, '').replace(/[.-]+$/, '');
      if (isEmail(email)) found.push({ at: match.index, candidate: { kind: 'email', email } });
    }
    for (const match of text.matchAll(UUID_SCAN)) {
      if (isUuid(match[0])) found.push({ at: match.index, candidate: { kind: 'id', id: match[0].toLowerCase() } });
    }
    // Emails and ids were scanned separately: put them back in reading order within this string.
    found.sort((a, b) => a.at - b.at);
    for (const { candidate } of found) {
      const key = candidate.kind === 'email' ? `e:${candidate.email.toLowerCase()}` : `i:${candidate.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(candidate);
      if (out.length >= max) break;
    }
  }
  return out;
}

/** How a candidate reads to a person ("jane@example.com", "order or customer id 3f2b…"). */
export function describeCandidate(candidate: Candidate): string {
  return candidate.kind === 'email' ? candidate.email : candidate.id;
}
