import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { parseDate } from '../../src/blocks/format.js';
import { parseKomerzaDate, timeOf } from '../../src/komerza/dates.js';

const run = promisify(execFile);

describe('parseKomerzaDate', () => {
  it('reads a date-time without an offset as UTC, and one with an offset as given', () => {
    expect(parseKomerzaDate('2023-11-07T05:31:56')?.toISOString()).toBe('2023-11-07T05:31:56.000Z');
    expect(parseKomerzaDate('2023-11-07T05:31')?.toISOString()).toBe('2023-11-07T05:31:00.000Z');
    expect(parseKomerzaDate('2023-11-07 05:31:56')?.toISOString()).toBe('2023-11-07T05:31:56.000Z');
    expect(parseKomerzaDate('2023-11-07T05:31:56.1234567')?.toISOString()).toBe('2023-11-07T05:31:56.123Z');
    expect(parseKomerzaDate('2023-11-07T05:31:56Z')?.toISOString()).toBe('2023-11-07T05:31:56.000Z');
    expect(parseKomerzaDate('2023-11-07T05:31:56+02:00')?.toISOString()).toBe('2023-11-07T03:31:56.000Z');
    expect(parseKomerzaDate('2023-11-07')?.toISOString()).toBe('2023-11-07T00:00:00.000Z');
  });

  it('gives nothing for what is not a date, however long', () => {
    for (const junk of [undefined, null, '', '   ', 'soon', '<!channel>', '2023-13-45T99:99:99', 'x'.repeat(10_000)]) {
      expect(parseKomerzaDate(junk)).toBeUndefined();
    }
    expect(timeOf('nope')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('is the parser the cards use', () => {
    expect(parseDate).toBe(parseKomerzaDate);
  });
});

describe('dates without an offset, in a process whose time zone is not UTC', () => {
  const probe = fileURLToPath(new URL('../support/tz-probe.ts', import.meta.url));

  it.each(['America/Los_Angeles', 'Asia/Tokyo'])(
    '%s: read as UTC by the parser, the tickets and the card',
    async (zone) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', probe], {
        env: { PATH: process.env.PATH ?? '', TZ: zone },
        timeout: 60_000,
      });
      const result = JSON.parse(stdout) as Record<string, unknown>;
      // The child really runs in that zone: otherwise this test would prove nothing.
      expect(result.zone).toBe(zone);
      expect(result.offsetMinutes).not.toBe(0);
      expect(result.noOffset).toBe('2023-11-07T05:31:56.000Z');
      expect(result.fraction).toBe('2023-11-07T05:31:56.123Z');
      expect(result.viaFormat).toBe('2023-11-07T05:31:56.000Z');
      // 11:00 without an offset is 11:00 UTC, after 10:00Z; read as local time it would be 19:00Z or 02:00Z.
      expect(result.lastEntry).toBe('later, without offset');
      // The documented example's `dateCreated` (05:31:56 UTC on Nov 7, 2023) as a Slack date token: 1699335116 s.
      expect(result.customerSince).toContain('customer since <!date^1699335116^{date_short}|2023-11-07 UTC>');
    },
    60_000,
  );
});
