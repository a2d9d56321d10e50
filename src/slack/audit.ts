import type { AppLogger } from '../logger.js';
import { auditFacts, type LookupResult } from '../lookup/result.js';
import type { RequestFacts } from './context.js';

/**
 * One audit line per lookup or card action, the same shape from every entry point (command, shortcut, picker,
 * card buttons): who (Slack ids), where, what kind of query, what was found, the outcome and the latency. Never
 * the query text, an email, a name or an IP: ids and enums only.
 */
export interface AuditEntry {
  source: 'command' | 'shortcut' | 'picker' | 'picker_page' | 'share' | 'refresh';
  request: RequestFacts;
  /** email | id | search (what the person gave), or for a shortcut: one candidate's kind, `several` or `none`. */
  queryKind: string;
  /** `performance.now()` when the work started. */
  started: number;
}

export function audit(
  logger: AppLogger,
  entry: AuditEntry,
  result: LookupResult,
  extra: Record<string, unknown> = {},
): void {
  const { source, request } = entry;
  logger.event(source === 'share' || source === 'refresh' ? 'card_action' : 'lookup', {
    source,
    user: request.userId,
    team: request.teamId,
    channel: request.channelId,
    queryKind: entry.queryKind,
    ...auditFacts(result),
    latencyMs: Math.round(performance.now() - entry.started),
    ...extra,
  });
}
