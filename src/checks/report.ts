import { APP_NAME, APP_VERSION } from '../version.js';
import type { DoctorReport } from './doctor.js';
import type { Verdict, VerdictStatus } from './verdict.js';

/** The doctor's report for a terminal (one line per check, then a summary) and as JSON (the same, for a pipeline). */

const MARK: Record<VerdictStatus, string> = { ok: '✓', fail: '✗', unknown: '?' };

export interface Summary {
  checks: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Failed checks the app cannot do without (they make the exit code 1). */
  requiredFailed: number;
}

export function summarise(report: DoctorReport): Summary {
  const verdicts = report.sections.flatMap((section) => section.verdicts);
  const count = (status: VerdictStatus) => verdicts.filter((verdict) => verdict.status === status).length;
  return {
    checks: verdicts.length,
    ok: count('ok'),
    fail: count('fail'),
    unknown: count('unknown'),
    requiredFailed: verdicts.filter((verdict) => verdict.status === 'fail' && verdict.required).length,
  };
}

export function formatText(report: DoctorReport): string {
  const lines = [
    `Customer Lookup doctor · ${report.mode === 'socket' ? 'Socket Mode' : 'HTTP mode'} · store ${report.storeId}` +
      (report.email ? ` · customer ${report.email}` : ''),
  ];
  for (const section of report.sections) {
    lines.push('', section.name);
    for (const verdict of section.verdicts) lines.push(`  ${line(verdict)}`);
  }
  if (report.komerzaStopped) {
    lines.push('  (the other Komerza checks were skipped: they need Komerza to answer for this key and store)');
  }
  const summary = summarise(report);
  const outcome =
    summary.requiredFailed > 0
      ? `${summary.requiredFailed} required check(s) failed (exit 1)`
      : 'nothing required failed (exit 0)';
  lines.push(
    '',
    `Summary: ${summary.checks} checks: ${summary.ok} ✓, ${summary.fail} ✗, ${summary.unknown} ?; ${outcome}. ` +
      `Komerza calls: ${report.komerzaCalls}.`,
  );
  return `${lines.join('\n')}\n`;
}

function line(verdict: Verdict): string {
  const required = verdict.status === 'fail' && verdict.required ? ' (required)' : '';
  const advice = verdict.advice ? ` → ${verdict.advice}` : '';
  return `${MARK[verdict.status]} ${verdict.title}${required}: ${verdict.meaning}${advice}`;
}

/** The same report as one JSON document. */
export function formatJson(report: DoctorReport): string {
  return `${JSON.stringify(
    {
      tool: `${APP_NAME} doctor`,
      version: APP_VERSION,
      mode: report.mode,
      storeId: report.storeId,
      email: report.email ?? null,
      checks: report.sections.flatMap((section) =>
        section.verdicts.map((verdict) => ({
          id: verdict.id,
          section: section.name,
          status: verdict.status,
          required: verdict.required,
          title: verdict.title,
          meaning: verdict.meaning,
          advice: verdict.advice ?? null,
        })),
      ),
      summary: { ...summarise(report), komerzaCalls: report.komerzaCalls, komerzaStopped: report.komerzaStopped },
      exitCode: report.exitCode,
    },
    null,
    2,
  )}\n`;
}
