/**
 * A Block Kit message as readable terminal text, for `npm run demo` (development only: nothing under src/ imports
 * it). It approximates what Slack shows, not pixel for pixel: the Block Kit Builder link the demo prints is the
 * exact preview.
 *
 * mrkdwn handling follows Slack's formatting reference (docs/slack-platform.md §3): `<…>` is a control sequence (date
 * tokens show their fallback text, links their label), `&lt; &gt; &amp;` are the only entities, and `*bold*`,
 * `_italic_`, `~strike~`, `` `code` `` and `>` quotes are the inline styles.
 */

export interface RenderOptions {
  /** ANSI styles (bold, dim, colours). Off for pipes, files and NO_COLOR. */
  color?: boolean;
  /** Total width of dividers and of the two-column field grid. */
  width?: number;
}

type Json = Record<string, unknown>;

interface Style {
  bold(text: string): string;
  italic(text: string): string;
  strike(text: string): string;
  code(text: string): string;
  dim(text: string): string;
  header(text: string): string;
  button(text: string, primary: boolean): string;
}

const ESC = '\u001b[';
const ansi = (open: string, close: string) => (text: string) => `${ESC}${open}m${text}${ESC}${close}m`;

const COLOR: Style = {
  bold: ansi('1', '22'),
  italic: ansi('3', '23'),
  strike: ansi('9', '29'),
  code: ansi('36', '39'),
  // Bold and dim share the reset code 22, so a bold run inside a dim line must switch dim back on after it.
  dim: (text) => `${ESC}2m${text.replaceAll(`${ESC}22m`, `${ESC}22m${ESC}2m`)}${ESC}22m`,
  header: (text) => `${ESC}1;4m${text}${ESC}0m`,
  button: (text, primary) => (primary ? ansi('1;32', '0')(`[ ${text} ]`) : ansi('1', '22')(`[ ${text} ]`)),
};

const PLAIN: Style = {
  bold: (text) => text,
  italic: (text) => text,
  strike: (text) => text,
  code: (text) => text,
  dim: (text) => text,
  header: (text) => text,
  button: (text) => `[ ${text} ]`,
};

/** The emoji the app's messages use, so a terminal shows a symbol instead of `:name:`. Others stay as `:name:`. */
const EMOJI: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  envelope_with_arrow: '📩',
  hourglass_flowing_sand: '⏳',
  repeat: '🔁',
  handshake: '🤝',
  mag: '🔍',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  lock: '🔒',
  key: '🔑',
  x: '❌',
  hourglass: '⌛',
  information_source: 'ℹ️',
  link: '🔗',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  credit_card: '💳',
  moneybag: '💰',
  package: '📦',
  ticket: '🎫',
  bell: '🔔',
  zzz: '💤',
  construction: '🚧',
  bar_chart: '📊',
  memo: '📝',
  grey_question: '❔',
  satellite_antenna: '📡',
  arrows_counterclockwise: '🔄',
  speech_balloon: '💬',
  calendar: '📅',
  star: '⭐',
  tada: '🎉',
  mag_right: '🔎',
  leftwards_arrow_with_hook: '↩️',
  rotating_light: '🚨',
  double_vertical_bar: '⏸️',
};

export function renderTerminal(message: { text?: unknown; blocks?: unknown }, options: RenderOptions = {}): string {
  const style = options.color ? COLOR : PLAIN;
  const width = options.width ?? 78;
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Json[]) : [];
  if (blocks.length === 0) return typeof message.text === 'string' ? renderMrkdwn(message.text, style) : '';
  return blocks.flatMap((block) => renderBlock(block, style, width)).join('\n');
}

function renderBlock(block: Json, style: Style, width: number): string[] {
  switch (block.type) {
    case 'header': {
      const title = textOf(block.text, style);
      return [style.header(title), style.dim('═'.repeat(Math.min(width, Math.max(8, visibleLength(title)))))];
    }
    case 'divider':
      return [style.dim('─'.repeat(width))];
    case 'context': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      const parts = elements.map((element) =>
        element.type === 'image' ? `[${String(element.alt_text ?? 'image')}]` : textOf(element, style),
      );
      return parts.join('  ').split('\n').map(style.dim);
    }
    case 'section': {
      const lines: string[] = [];
      if (block.text) lines.push(...textOf(block.text, style).split('\n'));
      if (Array.isArray(block.fields)) lines.push(...fieldGrid(block.fields as Json[], style, width));
      if (block.accessory) lines.push(`  ${renderElement(block.accessory as Json, style)}`);
      return lines;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      return [elements.map((element) => renderElement(element, style)).join('  ')];
    }
    case 'image':
      return [style.dim(`[image: ${String(block.alt_text ?? '')}]`)];
    case 'input': {
      // A text box: its label, the box with what is typed in it (or its placeholder), and the hint under it.
      const element = (block.element ?? {}) as Json;
      const placeholder =
        typeof element.initial_value === 'string'
          ? element.initial_value.replace(/\n/g, ' ')
          : element.placeholder
            ? textOf(element.placeholder, style)
            : '';
      const box = `▕ ${placeholder}`.padEnd(Math.min(width, Math.max(40, placeholder.length + 4)) - 1, ' ');
      const lines = [style.bold(textOf(block.label, style)), `${box}▏`];
      if (block.hint) lines.push(style.dim(textOf(block.hint, style)));
      return lines;
    }
    default:
      return [style.dim(`[${String(block.type)} block]`)];
  }
}

/** Section fields: two columns like Slack's desktop layout, each field's lines side by side. */
function fieldGrid(fields: Json[], style: Style, width: number): string[] {
  const column = Math.floor(width / 2);
  const lines: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const left = textOf(fields[i], style).split('\n');
    const right = i + 1 < fields.length ? textOf(fields[i + 1], style).split('\n') : [];
    for (let row = 0; row < Math.max(left.length, right.length); row += 1) {
      const cell = left[row] ?? '';
      const next = right[row] ?? '';
      lines.push(next ? `${cell}${' '.repeat(Math.max(2, column - visibleLength(cell)))}${next}` : cell);
    }
  }
  return lines;
}

function renderElement(element: Json, style: Style): string {
  switch (element.type) {
    case 'button': {
      const label = textOf(element.text, style);
      const link = typeof element.url === 'string' ? ' ↗' : '';
      return style.button(`${label}${link}`, element.style === 'primary');
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return style.button(`${element.placeholder ? textOf(element.placeholder, style) : 'Select'} ▾`, false);
    case 'overflow':
      return style.button('⋯', false);
    case 'image':
      return `[${String(element.alt_text ?? 'image')}]`;
    default:
      return style.dim(`[${String(element.type)}]`);
  }
}

function textOf(value: unknown, style: Style): string {
  const object = value as Json | undefined;
  if (!object || typeof object.text !== 'string') return '';
  if (object.type === 'plain_text') return emoji(object.text);
  return renderMrkdwn(object.text, style);
}

/** mrkdwn → terminal text: control sequences first, styles next, entities last (decoded text is never markup). */
export function renderMrkdwn(text: string, style: Style = PLAIN): string {
  return text
    .split('\n')
    .map((line) => {
      const quote = /^(>|&gt;)\s?/.exec(line);
      const body = quote ? line.slice(quote[0].length) : line;
      const rendered = renderInline(body, style);
      return quote ? `${style.dim('│')} ${rendered}` : rendered;
    })
    .join('\n');
}

function renderInline(text: string, style: Style): string {
  // Code spans are literal: split them out before any other rule touches their content.
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => {
      if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) {
        return style.code(decodeEntities(controlSequences(part.slice(1, -1))));
      }
      return decodeEntities(emoji(styles(controlSequences(part), style)));
    })
    .join('');
}

/** `<!date^…|fallback>`, `<url|label>`, `<mailto:…|label>`, `<@U…>`, `<#C…|name>`, `<!here>`, `<!subteam^…|@x>`. */
export function controlSequences(text: string): string {
  return text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('!date^')) return label ?? target;
    if (target.startsWith('!subteam^')) return label ?? '@group';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    if (target.startsWith('@')) return label ? `@${label}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('mailto:')) return label ?? target.slice(7);
    // A link labelled with its own address (shortened): the address alone says it all.
    const bare = target.replace(/^https?:\/\//, '');
    if (label && bare.startsWith(label.replace(/…$/, ''))) return target;
    return label && label !== target ? `${label} (${target})` : target;
  });
}

function styles(text: string, style: Style): string {
  // Slack only styles a run whose markers touch a word boundary on the outside and text on the inside.
  const around = (marker: string) =>
    new RegExp(
      `(^|[\\s(\\[{"'“])\\${marker}([^\\s${marker}](?:[^${marker}\\n]*[^\\s${marker}])?)\\${marker}(?=$|[\\s)\\]}.,;:!?"'”])`,
      'g',
    );
  return text
    .replace(around('*'), (_m, before: string, inner: string) => `${before}${style.bold(inner)}`)
    .replace(around('_'), (_m, before: string, inner: string) => `${before}${style.italic(inner)}`)
    .replace(around('~'), (_m, before: string, inner: string) => `${before}${style.strike(inner)}`);
}

function emoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Length as a terminal shows it: without ANSI styles. (Wide emoji still count as one; close enough for a grid.) */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** The Block Kit Builder preview of a message: the exact rendering Slack would show. */
export function blockKitBuilderUrl(message: { blocks?: unknown }): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks: message.blocks ?? [] }))}`;
}
