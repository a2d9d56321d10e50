/** Small helpers to read what the app sent to Slack in tests: find buttons. */

type Json = Record<string, unknown>;

/** Every button of a message or view, from actions blocks and section accessories, in order. */
export function buttons(payload: Json): Json[] {
  const out: Json[] = [];
  for (const block of (payload.blocks as Json[] | undefined) ?? []) {
    if (block.type === 'actions') {
      for (const element of block.elements as Json[]) if (element.type === 'button') out.push(element);
    }
    const accessory = block.accessory as Json | undefined;
    if (accessory?.type === 'button') out.push(accessory);
  }
  return out;
}

export function button(payload: Json, actionId: string | RegExp, nth = 0): Json {
  const found = buttons(payload).filter((b) =>
    typeof actionId === 'string' ? b.action_id === actionId : actionId.test(String(b.action_id)),
  );
  const hit = found[nth];
  if (!hit) throw new Error(`no button ${String(actionId)} #${nth} in ${JSON.stringify(payload).slice(0, 500)}`);
  return hit;
}
