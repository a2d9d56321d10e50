import type { LookupAnswer } from './lookup-answer.js';
import type { Services } from './services.js';

/**
 * One audit line per lookup or share, the same shape from every entry point (command, shortcut, picker, card
 * buttons): who (Slack ids), where, what kind of query, what was found, the outcome and the latency. Never the
 * query text, an email, a name or an IP: ids and enums only.
 */
export interface AuditContext {
  source: 'command' | 'shortcut' | 'picker' | 'picker_page' | 'share' | 'refresh';
  user: string | undefined;
  team: string | undefined;
  channel: string | undefined;
  /** email | id | search (what the person gave), or for a shortcut: one candidate's kind, `several` or `none`. */
  queryKind: string;
  /** `performance.now()` when the work started. */
  started: number;
}

export function auditLookup(
  services: Services,
  context: AuditContext,
  answer: LookupAnswer,
  extra: Record<string, unknown> = {},
): void {
  const { started, source, ...who } = context;
  services.logger.event(source === 'share' || source === 'refresh' ? 'card_action' : 'lookup', {
    source,
    ...who,
    outcome: answer.outcome,
    ...(answer.resolvedVia ? { resolvedVia: answer.resolvedVia } : {}),
    ...(answer.customerId ? { customerId: answer.customerId } : {}),
    ...(answer.errorKind ? { errorKind: answer.errorKind } : {}),
    latencyMs: Math.round(performance.now() - started),
    ...extra,
  });
}
