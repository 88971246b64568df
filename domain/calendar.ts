import { z } from 'zod';
import { lazy } from './lazy';

/**
 * The official working-day calendar (国务院办公厅 部分节假日安排) as plain data, so workflow code can
 * count working days without importing a calendar library: an activity builds it
 * (domain/holidays-source.ts) and the workflow receives it as an argument.
 */

/** A calendar day written YYYY-MM-DD (the holiday calendar's own data; any real date). */
export const CalendarDateSchema = lazy(() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .refine(isRealDate, 'not a calendar date'),
);

/**
 * The years a legal date of a case may fall in. The 30号文 dates from 2017 and cases run for a few
 * years; a date outside these bounds is a typing error (0000, 9999), and one far off would put a
 * case on a timer that never fires or a PostgreSQL date that does not exist.
 */
export const LEGAL_DATE_RANGE = { from: '2000-01-01', to: '2099-12-31' } as const;

/**
 * A legal date (法定日期): a calendar day in China Standard Time, written YYYY-MM-DD, within
 * LEGAL_DATE_RANGE. Every date an official or enterprise sends is one of these; each failure names
 * its rule in English and Chinese.
 */
export const LegalDateSchema = lazy(() =>
  z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s), { message: 'must be a date YYYY-MM-DD', abort: true, params: { rule: 'date_format', zh: '日期格式应为YYYY-MM-DD' } })
    .refine((s) => s >= LEGAL_DATE_RANGE.from && s <= LEGAL_DATE_RANGE.to, {
      message: `must be between ${LEGAL_DATE_RANGE.from} and ${LEGAL_DATE_RANGE.to}`,
      abort: true,
      params: { rule: 'date_in_range', zh: `日期应在${LEGAL_DATE_RANGE.from}至${LEGAL_DATE_RANGE.to}之间` },
    })
    .refine(isRealDate, { message: 'is not a calendar date', params: { rule: 'date_exists', zh: '日期不存在' } })
    .meta({ example: '2026-03-02' }),
);
export type LegalDate = z.infer<typeof LegalDateSchema>;

/**
 * A date of a fact that must already have happened (a notice served, equipment dismantled or
 * sealed) cannot be after today in China Standard Time. `today` comes from the caller: the API's
 * clock, or the workflow's deterministic one.
 */
export function futureFact(field: string, date: string, today: string): { field: string; rule: string; message: string; messageZh: string } | undefined {
  if (date <= today) return undefined;
  return { field, rule: 'date_not_in_future', message: `${date} is after today (${today}); the fact must already have happened`, messageZh: `日期${date}晚于今日（${today}），该事实须已发生` };
}

export const HolidayCalendarDataSchema = lazy(() =>
  z.object({
    /** Years whose official calendar is known; other years count weekends only. */
    years: z.array(z.number().int().min(1949).max(9999)),
    /** Days off (法定节假日 and their bridging days) that would otherwise be working days. */
    holidays: z.array(CalendarDateSchema),
    /** Make-up working days on a weekend (调休上班). */
    workdays: z.array(CalendarDateSchema),
  }),
);
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
