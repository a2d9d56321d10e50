/**
 * What one check concludes. The app's start-up check (src/service.ts) and `npm run doctor` (src/doctor.ts) run the
 * same check functions (src/checks/*) and read the same verdicts: start-up logs them and exits on a fatal one; the
 * doctor prints them all.
 */

export type VerdictStatus = 'ok' | 'fail' | 'unknown';

export interface Verdict {
  /** Stable name, `<area>.<what>` (e.g. `komerza.store`): for --json readers and tests. */
  id: string;
  /** ok: works as the app expects; fail: does not work, or works worse than it should; unknown: not settled here. */
  status: VerdictStatus;
  /** A few words naming what was checked. */
  title: string;
  /** What was found and what it means for the app, in a sentence or two. Never a secret or a customer's data. */
  meaning: string;
  /** What to do about it; absent when nothing is to be done. */
  advice?: string;
  /** The app cannot do its job without it: a failure makes the doctor exit 1. */
  required: boolean;
  /**
   * The app must not start: the answer will not change by waiting, so a restart loop would only repeat it (a
   * rejected key, an unknown store). Checks after it in the same group are not run.
   */
  fatal?: boolean;
}

/** A check: one module each, run by the start-up check and/or the doctor. Nothing to say → undefined. */
export type Check<C> = (context: C) => Promise<Verdict | undefined>;

/** Runs `checks` in order (their reads are shared and spaced, so one at a time); stops after a fatal verdict. */
export async function runChecks<C>(checks: ReadonlyArray<Check<C>>, context: C): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const check of checks) {
    const verdict = await check(context);
    if (!verdict) continue;
    verdicts.push(verdict);
    if (verdict.fatal && verdict.status === 'fail') break;
  }
  return verdicts;
}

/** The verdict as one log line: what it means, then what to do. */
export function sentence(verdict: Verdict): string {
  return verdict.advice ? `${verdict.meaning} ${verdict.advice}` : verdict.meaning;
}

export function fatalVerdict(verdicts: readonly Verdict[]): Verdict | undefined {
  return verdicts.find((verdict) => verdict.fatal && verdict.status === 'fail');
}
