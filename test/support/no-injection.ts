/**
 * Checks that a Slack message or view built from outside data cannot ping, link or break markup, whatever the data:
 *
 * - every mrkdwn text object is `verbatim: true` (no automatic linking of URLs, `@here`, `#channel`);
 * - in mrkdwn (and in a message's top-level `text`, which notifications render as mrkdwn) every `<` opens one of
 *   the app's own tokens — a complete `<!date^SECONDS^FORMAT|fallback>`, a `<#C…>` / `<@U…>` the caller trusts, or
 *   an honest link: `<http(s)://…|label>` to a well-formed URL without credentials whose label is that URL itself
 *   (without the scheme, perhaps shortened with `…`) — so no `<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>` or
 *   disguised `<https://evil|Refund>` from data survives;
 * - every `&` starts one of the three entities Slack uses (`&amp;` `&lt;` `&gt;`): a bare `&` means a string went
 *   in unescaped, and a cut entity (`&am…`) means a clamp split one;
 * - plain_text fields are not empty (nor only whitespace), and no string anywhere holds a lone UTF-16 surrogate
 *   (a cut through an emoji, which Slack shows as garbage or rejects).
 *
 * Use `assertNoInjection(message)` in any test of a renderer; `injectionProblems` returns the list instead.
 */

export interface InjectionOptions {
  /** Channel ids the app itself may mention (from validated configuration, e.g. ALLOWED_CHANNEL_IDS). */
  trustedChannelIds?: readonly string[];
  /** User ids the app itself may mention (from Slack's own payload, e.g. who shared a card). */
  trustedUserIds?: readonly string[];
}

const DATE_TOKEN = /^<!date\^\d+\^[^<>|]*\|[^<>]*>/;
const LINK_TOKEN = /^<(https?:\/\/[^\s<>|]+)\|([^<>|]*)>/;
const ENTITY = /^&(?:amp|lt|gt);/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Json = Record<string, unknown>;

export function injectionProblems(payload: unknown, options: InjectionOptions = {}): string[] {
  const problems: string[] = [];
  const trusted = new Set([
    ...(options.trustedChannelIds ?? []).map((id) => `#${id}`),
    ...(options.trustedUserIds ?? []).map((id) => `@${id}`),
  ]);
  if (payload && typeof payload === 'object' && typeof (payload as Json).text === 'string') {
    checkMrkdwn((payload as Json).text as string, 'text', trusted, problems);
  }
  visit(payload, '$', trusted, problems);
  return problems;
}

export function assertNoInjection(payload: unknown, options: InjectionOptions = {}): void {
  const problems = injectionProblems(payload, options);
  if (problems.length > 0) {
    throw new Error(`Unsafe Slack markup:\n${problems.slice(0, 10).join('\n')}`);
  }
}

function visit(value: unknown, at: string, trusted: Set<string>, problems: string[]): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) problems.push(`${at}: lone UTF-16 surrogate`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(item, `${at}[${i}]`, trusted, problems);
    });
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Json;
  if (object.type === 'mrkdwn') {
    if (object.verbatim !== true) problems.push(`${at}: mrkdwn without verbatim: true`);
    if (typeof object.text === 'string') checkMrkdwn(object.text, `${at}.text`, trusted, problems);
  }
  if (object.type === 'plain_text') {
    if (typeof object.text !== 'string' || object.text.trim() === '') problems.push(`${at}.text: empty plain_text`);
  }
  for (const [key, child] of Object.entries(object)) visit(child, `${at}.${key}`, trusted, problems);
}

/** A link that cannot pose as something else: a clean http(s) URL, labelled with itself. */
function isHonestLink(target: string, label: string): boolean {
  const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let url: URL;
  try {
    url = new URL(decode(target));
  } catch {
    return false;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return false;
  const shown = decode(label).replace(/…$/, '');
  return (
    shown.length > 0 &&
    decode(target)
      .replace(/^https?:\/\//, '')
      .startsWith(shown)
  );
}

function checkMrkdwn(text: string, at: string, trusted: Set<string>, problems: string[]): void {
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const rest = text.slice(i);
    const date = DATE_TOKEN.exec(rest);
    if (date) {
      i += date[0].length - 1;
      continue;
    }
    const mention = /^<([#@][A-Z0-9]+)>/.exec(rest);
    if (mention?.[1] && trusted.has(mention[1])) continue;
    const link = LINK_TOKEN.exec(rest);
    if (link && isHonestLink(link[1] ?? '', link[2] ?? '')) {
      i += link[0].length - 1;
      continue;
    }
    problems.push(`${at}: unescaped "<" at ${i}: ${JSON.stringify(rest.slice(0, 40))}`);
  }
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) {
      problems.push(`${at}: bare or cut "&" at ${i}: ${JSON.stringify(text.slice(i, i + 12))}`);
    }
  }
}
