import type { Deps } from '../deps.js';
import { auditFacts, type LookupResult } from '../lookup/result.js';
import type { TicketWriteAction, TicketWriteOutcome } from '../metrics.js';
import type { RequestFacts } from './context.js';

/**
 * One audit line per lookup or card action, once its answer has been delivered, the same shape from every entry
 * point (command, shortcut, picker, card buttons, the Home tab's search, the workflow step): who (Slack ids), where, what kind of query, what was found, the
 * outcome and the latency from the ack to the delivered answer. Never the query text, an email, a name or an IP: ids
 * and enums only. The same call counts the lookup and times it in the metrics (src/metrics.ts), by kind and outcome.
 */
export interface AuditEntry {
  source: 'command' | 'shortcut' | 'picker' | 'picker_page' | 'share' | 'refresh' | 'home' | 'workflow_step';
  request: RequestFacts;
  /** email | id | search (what the person gave), or for a shortcut: one candidate's kind, `several` or `none`. */
  queryKind: string;
  /** `performance.now()` right after the ack. */
  started: number;
}

export function audit(
  deps: Pick<Deps, 'logger' | 'metrics'>,
  entry: AuditEntry,
  result: LookupResult,
  extra: Record<string, unknown> = {},
): void {
  const { source, request } = entry;
  const elapsedMs = performance.now() - entry.started;
  deps.metrics.lookupAnswered(source, result.kind, elapsedMs / 1000);
  deps.logger.event(source === 'share' || source === 'refresh' ? 'card_action' : 'lookup', {
    source,
    user: request.userId,
    team: request.teamId,
    channel: request.channelId,
    queryKind: entry.queryKind,
    ...auditFacts(result),
    latencyMs: Math.round(elapsedMs),
    ...extra,
  });
}

/**
 * One audit line per ticket reply or close (`ticket_write`): who, where, which customer and ticket (Komerza ids),
 * what became of it and how long it took. Never the message text.
 */
export function auditWrite(
  deps: Pick<Deps, 'logger' | 'metrics'>,
  entry: {
    action: TicketWriteAction;
    request: RequestFacts;
    customerId: string;
    ticketId: string;
    outcome: TicketWriteOutcome;
    started: number;
    /** For a failure: the Komerza error's kind (an enum), never its message. */
    errorKind?: string | undefined;
  },
): void {
  const elapsedMs = performance.now() - entry.started;
  deps.metrics.ticketWrite(entry.action, entry.outcome, elapsedMs / 1000);
  deps.logger.event('ticket_write', {
    action: entry.action,
    user: entry.request.userId,
    team: entry.request.teamId,
    channel: entry.request.channelId,
    customerId: entry.customerId,
    ticketId: entry.ticketId,
    outcome: entry.outcome,
    ...(entry.errorKind ? { errorKind: entry.errorKind } : {}),
    latencyMs: Math.round(elapsedMs),
  });
}
