import { z } from 'zod';

/**
 * The official working-day calendar (国务院办公厅 部分节假日安排) as plain data, so workflow code can
 * count working days without importing a calendar library: an activity builds it
 * (domain/holidays-source.ts) and the workflow receives it as an argument.
 */

/** A legal date: a calendar day in China Standard Time, written YYYY-MM-DD. */
export const LegalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isRealDate, 'not a calendar date');
export type LegalDate = z.infer<typeof LegalDateSchema>;

export const HolidayCalendarDataSchema = z.object({
  /** Years whose official calendar is known; other years count weekends only. */
  years: z.array(z.number().int().min(1949).max(9999)),
  /** Days off (法定节假日 and their bridging days) that would otherwise be working days. */
  holidays: z.array(LegalDateSchema),
  /** Make-up working days on a weekend (调休上班). */
  workdays: z.array(LegalDateSchema),
});
export type HolidayCalendarData = z.infer<typeof HolidayCalendarDataSchema>;

/** A calendar that knows no year: every weekday works, every weekend rests. */
export const WEEKENDS_ONLY: HolidayCalendarData = Object.freeze({
  years: [],
  holidays: [],
  workdays: [],
}) as HolidayCalendarData;

function isRealDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}

/** 0 = Sunday … 6 = Saturday, computed without the host time zone. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

export function isCalendarKnown(year: number, cal: HolidayCalendarData): boolean {
  return cal.years.includes(year);
}

/**
 * Whether `date` is a working day: weekdays work unless listed as holidays; weekends rest unless
 * listed as make-up working days (调休). In a year the calendar does not know, only weekends rest.
 */
export function isWorkingDay(date: string, cal: HolidayCalendarData): boolean {
  if (cal.holidays.includes(date)) return false;
  if (cal.workdays.includes(date)) return true;
  return !isWeekend(date);
}
