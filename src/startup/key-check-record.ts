import type { SelfCheckReport } from './self-check.js';

/**
 * What the start-up check of the Komerza key found (self-check.ts), kept for the Home tab's "the app right now":
 * service.ts records it once; an app started without that check (tests, the bench) has nothing to show.
 */
export interface KeyCheckRecord {
  record(report: SelfCheckReport, at: Date): void;
  latest(): { report: SelfCheckReport; at: Date } | undefined;
}

export function createKeyCheckRecord(): KeyCheckRecord {
  let latest: { report: SelfCheckReport; at: Date } | undefined;
  return {
    record(report, at) {
      latest = { report, at };
    },
    latest: () => latest,
  };
}
