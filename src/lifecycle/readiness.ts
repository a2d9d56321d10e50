/**
 * Whether the app should be sent requests now (GET /readyz), as opposed to whether it runs at all (GET /healthz):
 * docs/operations.md §1.
 * The app's own phase decides first (starting, serving, stopping); while serving, named checks of what requests need
 * (the Socket Mode connection) can hold it unready. A check marked informational is reported but never does: a
 * dependency the app can do without, like a shared cache whose reads fall back to Komerza.
 */

export type ReadinessPhase = 'starting' | 'serving' | 'stopping';

export interface CheckResult {
  ok: boolean;
  /** Why not, as a short snake_case word (it is shown in /readyz); never data. */
  reason?: string;
}

export interface ReadinessCheck {
  /** Its key in the /readyz body (snake_case). */
  name: string;
  /** Reported in /readyz without ever making the app unready (a dependency with a fallback). Default false. */
  informational?: boolean;
  /**
   * The dependency's state as its component already tracks it (a connection's up/down). Synchronous on purpose: a
   * check does no I/O of its own, so /readyz answers at once and a slow dependency cannot time the probe out.
   */
  check(): CheckResult;
}

export interface ReadinessReport {
  ready: boolean;
  /** Why not ready: the phase (`starting`, `stopping`) or the first failing check's reason. */
  reason?: string;
  checks: Record<string, CheckResult & { informational?: true }>;
}

export interface Readiness {
  add(check: ReadinessCheck): void;
  /** Start-up has finished: requests are being served. */
  serving(): void;
  /** Shutdown has begun; final (a stopping app never becomes ready again). */
  stopping(): void;
  phase(): ReadinessPhase;
  report(): ReadinessReport;
}

export function createReadiness(): Readiness {
  const checks: ReadinessCheck[] = [];
  let phase: ReadinessPhase = 'starting';
  return {
    add(check) {
      if (checks.some((existing) => existing.name === check.name)) {
        throw new Error(`a readiness check named ${check.name} already exists`);
      }
      checks.push(check);
    },
    serving() {
      if (phase === 'starting') phase = 'serving';
    },
    stopping() {
      phase = 'stopping';
    },
    phase: () => phase,
    report() {
      const results: ReadinessReport['checks'] = {};
      let failing: string | undefined;
      for (const check of checks) {
        const result = runCheck(check);
        results[check.name] = check.informational ? { ...result, informational: true } : result;
        if (!result.ok && !check.informational) failing ??= result.reason;
      }
      const reason = phase === 'serving' ? failing : phase;
      return reason === undefined ? { ready: true, checks: results } : { ready: false, reason, checks: results };
    },
  };
}

/** A check that throws is a failing check, not a broken probe. */
function runCheck(check: ReadinessCheck): CheckResult {
  try {
    const { ok, reason } = check.check();
    return ok ? { ok } : { ok, reason: reason ?? 'failing' };
  } catch {
    return { ok: false, reason: 'check_failed' };
  }
}
