/**
 * Komerza's date-times, read one way everywhere. The documented examples end in `Z`, but a .NET `DateTime` of
 * unspecified kind is serialised without an offset (`2023-11-07T05:31:56`), and JavaScript would read that as the
 * server's local time. Komerza's clock is UTC, so a date-time without an offset is read as UTC
 * (docs/komerza-api.md §5).
 */

/** A date-time with a time part and no `Z` or `±hh:mm` offset (ISO 8601 extended form, optional fraction). */
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** Longer than any ISO date-time (`2023-11-07T05:31:56.1234567+00:00` is 33): not a date, and not worth parsing. */
const MAX_DATE_LENGTH = 64;

export function parseKomerzaDate(value: string | null | undefined): Date | undefined {
  if (typeof value !== 'string' || value.length > MAX_DATE_LENGTH * 4) return undefined;
  const text = value.trim();
  if (text === '' || text.length > MAX_DATE_LENGTH) return undefined;
  const time = Date.parse(NO_OFFSET.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Milliseconds since the epoch, or -Infinity for a missing or unreadable date (sorts it first ascending). */
export function timeOf(value: string | null | undefined): number {
  return parseKomerzaDate(value)?.getTime() ?? Number.NEGATIVE_INFINITY;
}
