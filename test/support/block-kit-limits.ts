/**
 * Block Kit's documented limits (docs/slack-platform.md §3; the JSDoc of @slack/types says the same), checked over a
 * whole message or modal. Returns every violation as a readable path + rule, so a failing test says what broke.
 */

export interface LimitOptions {
  /** A Home tab holds 100 blocks like a modal, but has no title or buttons of its own. */
  surface: 'message' | 'modal' | 'home';
}

/** Slack starts refusing messages (`msg_blocks_too_long`) around 12-13k characters of block text in total. */
export const MAX_TOTAL_TEXT = 11_000;

type Json = Record<string, unknown>;

export function blockKitViolations(payload: Json, options: LimitOptions): string[] {
  const problems: string[] = [];
  const blocks = (options.surface === 'modal' ? payload.blocks : payload.blocks) as Json[] | undefined;
  const maxBlocks = options.surface === 'message' ? 50 : 100;
  if (!Array.isArray(blocks)) return ['blocks: missing'];
  if (blocks.length > maxBlocks) problems.push(`blocks: ${blocks.length} > ${maxBlocks}`);

  if (options.surface === 'message') {
    const text = payload.text;
    if (typeof text !== 'string' || text.length === 0) problems.push('text: a top-level fallback is required');
    else if (text.length > 4000) problems.push(`text: ${text.length} > 4000`);
  } else if (options.surface === 'modal') {
    checkText(payload.title, 'title', 24, problems, 'plain_text');
    if (payload.close) checkText(payload.close, 'close', 24, problems, 'plain_text');
    if (payload.submit) checkText(payload.submit, 'submit', 24, problems, 'plain_text');
    if (typeof payload.private_metadata === 'string' && payload.private_metadata.length > 3000) {
      problems.push('private_metadata: > 3000');
    }
    if (JSON.stringify(payload).length > 250_000) problems.push('view: > 250 kB');
  } else {
    if (payload.type !== 'home') problems.push('type: a Home tab view is `home`');
    if (JSON.stringify(payload).length > 250_000) problems.push('view: > 250 kB');
  }

  let total = 0;
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) problems.push(`${at}.block_id: > 255`);
      if (blockIds.has(block.block_id)) problems.push(`${at}.block_id: duplicate ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        total += checkText(block.text, `${at}.text`, 150, problems, 'plain_text');
        break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: needs text or fields`);
        if (block.text !== undefined) total += checkText(block.text, `${at}.text`, 3000, problems);
        const fields = block.fields as Json[] | undefined;
        if (fields) {
          if (fields.length > 10) problems.push(`${at}.fields: ${fields.length} > 10`);
          fields.forEach((field, j) => {
            total += checkText(field, `${at}.fields[${j}]`, 2000, problems);
          });
        }
        if (block.accessory) checkElement(block.accessory as Json, `${at}.accessory`, problems);
        break;
      }
      case 'context': {
        const elements = block.elements as Json[];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${at}.elements: empty`);
        else if (elements.length > 10) problems.push(`${at}.elements: ${elements.length} > 10`);
        elements?.forEach((element, j) => {
          if (element.type !== 'image') total += checkText(element, `${at}.elements[${j}]`, 3000, problems);
        });
        break;
      }
      case 'actions': {
        const elements = block.elements as Json[];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${at}.elements: empty`);
        else if (elements.length > 25) problems.push(`${at}.elements: ${elements.length} > 25`);
        elements?.forEach((element, j) => {
          checkElement(element, `${at}.elements[${j}]`, problems);
        });
        break;
      }
      case 'divider':
        break;
      case 'input': {
        if (options.surface === 'message') problems.push(`${at}: input blocks are for modals and Home tabs here`);
        total += checkText(block.label, `${at}.label`, 2000, problems, 'plain_text');
        if (block.hint !== undefined) checkText(block.hint, `${at}.hint`, 2000, problems, 'plain_text');
        const element = block.element as Json | undefined;
        if (!element) problems.push(`${at}.element: missing`);
        else {
          checkElement(element, `${at}.element`, problems);
          if (element.placeholder !== undefined) {
            checkText(element.placeholder, `${at}.element.placeholder`, 150, problems, 'plain_text');
          }
        }
        break;
      }
      default:
        problems.push(`${at}.type: unexpected ${String(block.type)}`);
    }
  });
  if (total > MAX_TOTAL_TEXT) problems.push(`total block text: ${total} > ${MAX_TOTAL_TEXT}`);
  return problems;
}

function checkText(value: unknown, at: string, max: number, problems: string[], only?: 'plain_text'): number {
  const text = value as Json | undefined;
  if (!text || typeof text !== 'object') {
    problems.push(`${at}: missing text object`);
    return 0;
  }
  if (text.type !== 'plain_text' && text.type !== 'mrkdwn') problems.push(`${at}.type: ${String(text.type)}`);
  if (only && text.type !== only) problems.push(`${at}.type: must be ${only}`);
  const content = text.text;
  if (typeof content !== 'string' || content.length === 0) {
    problems.push(`${at}.text: empty`);
    return 0;
  }
  if (content.length > max) problems.push(`${at}.text: ${content.length} > ${max}`);
  return content.length;
}

function checkElement(element: Json, at: string, problems: string[]): void {
  if (typeof element.action_id === 'string' && element.action_id.length > 255) problems.push(`${at}.action_id: > 255`);
  if (element.type === 'button') {
    checkText(element.text, `${at}.text`, 75, problems, 'plain_text');
    if (typeof element.value === 'string' && element.value.length > 2000) problems.push(`${at}.value: > 2000`);
    if (typeof element.url === 'string' && element.url.length > 3000) problems.push(`${at}.url: > 3000`);
  }
  if (element.type === 'static_select') {
    const choices = (element.options as Json[] | undefined) ?? [];
    if (choices.length > 100) problems.push(`${at}.options: ${choices.length} > 100`);
    choices.forEach((choice, k) => {
      checkText(choice.text, `${at}.options[${k}].text`, 75, problems, 'plain_text');
      if (typeof choice.value === 'string' && choice.value.length > 150)
        problems.push(`${at}.options[${k}].value: > 150`);
    });
  }
}
