import chineseDays from 'chinese-days/dist/chinese-days.json';
import { type HolidayCalendarData, HolidayCalendarDataSchema, isWeekend } from './calendar';

/**
 * Builds the official calendar from the `chinese-days` package (its published data file, which
 * transcribes the State Council's yearly 部分节假日安排的通知). Activities only: workflows receive the
 * result as data (domain/calendar.ts).
 *
 * We read the package's JSON rather than its functions because the functions parse dates in the host
 * time zone: under TZ=America/Los_Angeles `getHolidaysInRange('2025-01-01', …)` answers 2024-12-31.
 *
 * The package marks nothing for a year it has no notice for (its `isWorkday` then answers weekdays),
 * so a year counts as known only when the package lists holidays in it.
 */

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const data: ChineseDaysData = chineseDays;

/** Years the package has an official calendar for, ascending. */
export function knownCalendarYears(): number[] {
  const years = new Set(Object.keys(data.holidays).map((day) => Number(day.slice(0, 4))));
  return [...years].sort((a, b) => a - b);
}

/** The calendar for `years`; years the package does not know are left out of `years` (weekends only). */
export function buildHolidayCalendar(years: readonly number[]): HolidayCalendarData {
  const known = new Set(knownCalendarYears().filter((year) => years.includes(year)));
  const inKnownYear = (day: string) => known.has(Number(day.slice(0, 4)));
  return HolidayCalendarDataSchema.parse({
    years: [...known].sort((a, b) => a - b),
    // Holidays falling on a weekend rest anyway; keep only the ones that remove a working day.
    holidays: Object.keys(data.holidays).filter((d) => inKnownYear(d) && !isWeekend(d)).sort(),
    workdays: Object.keys(data.workdays).filter((d) => inKnownYear(d) && isWeekend(d)).sort(),
  });
}
