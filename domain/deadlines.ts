import { z } from 'zod';
import { lazy } from './lazy';
import { type HolidayCalendarData, isCalendarKnown, isWorkingDay } from './calendar';

/**
 * Legal date arithmetic (期间计算) on YYYY-MM-DD strings, in China Standard Time.
 * Pure: no clock, no host time zone (all Date use is UTC arithmetic on explicit values).
 *
 * The rules, from 民法典 (Civil Code) 第二百零一条–第二百零三条, which administrative practice follows:
 * - the starting day is not counted (第201条): 6 months from 03-15 ends 09-15; 10 days from 03-15 ends 03-25;
 * - a period in months ends on the corresponding day of the last month, or on that month's last day
 *   when it has no such day (第202条): 08-31 + 6 months = 02-28 (02-29 in a leap year);
 * - when the last day is a rest day (法定休假日, weekends included), the period ends on the first working
 *   day after it (第203条; also 民事诉讼法 第八十五条);
 * - the last day ends at 24:00 (第203条): see deadlineInstant.
 */

/** A period as policies write it: exactly one of calendar months, calendar days or working days. */
export const PeriodSchema = lazy(() =>
  z.union([
    z.strictObject({ months: z.number().int().min(0) }),
    z.strictObject({ days: z.number().int().min(0) }),
    z.strictObject({ workingDays: z.number().int().min(0) }), // 工作日, 不含法定节假日
  ]),
);
export type Period = z.infer<typeof PeriodSchema>;

export interface LegalDeadline {
  /** The last day of the period, after rolling off rest days. */
  date: string;
  /** True when a year between the start and the deadline has no known official calendar. */
  provisional: boolean;
  /** The calendar date before it rolled off a rest day, when it did. */
  rolledFrom?: string;
}

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000; // China Standard Time is UTC+8 all year (no DST since 1991).
const MAX_ROLL_DAYS = 60; // longer than any run of official rest days; guards against bad calendar data

function parse(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const back = new Date(Date.UTC(y, mo - 1, d));
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return [y, mo, d];
  }
  throw new RangeError(`not a legal date (YYYY-MM-DD): ${date}`);
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcMs(date: string): number {
  const [y, m, d] = parse(date);
  return Date.UTC(y, m - 1, d);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function yearOf(date: string): number {
  return parse(date)[0];
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function compareLegalDates(a: string, b: string): number {
  return Math.sign(utcMs(a) - utcMs(b));
}

export function addDays(date: string, days: number): string {
  return format(utcMs(date) + days * DAY_MS);
}

/** Calendar months with month-end clamping (民法典 第202条): 2026-01-31 + 1 = 2026-02-28. */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return format(Date.UTC(year, month - 1, Math.min(d, daysInMonth(year, month))));
}

/** The date itself when it is a working day, else the first working day after it. */
export function rollToWorkingDay(date: string, cal: HolidayCalendarData): string {
  parse(date);
  let day = date;
  for (let i = 0; i <= MAX_ROLL_DAYS; i++, day = addDays(day, 1)) {
    if (isWorkingDay(day, cal)) return day;
  }
  throw new RangeError(`no working day within ${MAX_ROLL_DAYS} days after ${date}: calendar data is wrong`);
}

/**
 * The n-th working day after `date` (the starting day is not counted); n < 0 counts backwards,
 * n = 0 returns `date` unchanged.
 */
export function addWorkingDays(date: string, n: number, cal: HolidayCalendarData): string {
  parse(date);
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of working days: ${n}`);
  const step = n < 0 ? -1 : 1;
  let day = date;
  for (let left = Math.abs(n); left > 0; ) {
    day = addDays(day, step);
    if (isWorkingDay(day, cal)) left--;
  }
  return day;
}

function touchesUnknownYear(from: string, to: string, cal: HolidayCalendarData): boolean {
  const [a, b] = [yearOf(from), yearOf(to)].sort((x, y) => x - y) as [number, number];
  for (let year = a; year <= b; year++) if (!isCalendarKnown(year, cal)) return true;
  return false;
}

export type LegalDeadlineRequest = { from: string; months?: number; days?: number; workingDays?: number };

/**
 * The last day of a period that starts the day after `from`. Month and day periods roll off rest
 * days (第203条); a working-day period always ends on a working day.
 */
export function legalDeadline(request: LegalDeadlineRequest, cal: HolidayCalendarData): LegalDeadline {
  const { from, ...rest } = request;
  const period = PeriodSchema.parse(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  let end: string;
  if ('workingDays' in period) end = addWorkingDays(from, period.workingDays, cal);
  else end = 'months' in period ? addCalendarMonths(from, period.months) : addDays(from, period.days);
  const date = rollToWorkingDay(end, cal);
  const provisional = touchesUnknownYear(from, date, cal);
  return date === end ? { date, provisional } : { date, provisional, rolledFrom: end };
}

/**
 * The instant a legal day is over: 24:00 China Standard Time, i.e. 00:00+08:00 of the next day,
 * i.e. 16:00Z of the day itself. A deadline is missed at this instant, not before (第203条:
 * the last day ends at 24:00). Timers and the Datetime search attribute use this instant.
 */
export function deadlineInstant(date: string): string {
  return new Date(utcMs(date) + DAY_MS - CST_OFFSET_MS).toISOString();
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The China Standard Time calendar date of an ISO instant (which must carry Z or an offset). */
export function toLegalDate(instantIso: string): string {
  const ms = INSTANT.test(instantIso) ? Date.parse(instantIso) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant with offset: ${instantIso}`);
  return format(ms + CST_OFFSET_MS);
}

/** Whether the legal day `deadline` is over at `instantIso`. */
export function isOverdue(deadline: string, instantIso: string): boolean {
  return compareLegalDates(toLegalDate(instantIso), deadline) > 0;
}

type DeadlineLike = string | LegalDeadline;
const calendarDate = (d: DeadlineLike): string => (typeof d === 'string' ? d : (d.rolledFrom ?? d.date));

/**
 * The deadline after an extension of `months` (at most the policy's cap, domain/authority.ts
 * extensionRefusal), counted from the original deadline as the calendar put it, before any rolling
 * off rest days. Rolling (第203条) only moves the last day for the party's benefit; it does not
 * lengthen the period, so a deadline that rolled from 10-01 to 10-09 extends by 3 months to 01-01
 * (which itself then rolls), not to 01-09. 30号文 (四): 不超过3个月的延期.
 */
export function extendedDeadline(original: DeadlineLike, months: number, cal: HolidayCalendarData): LegalDeadline {
  return legalDeadline({ from: calendarDate(original), months }, cal);
}

export interface Reminder {
  daysBefore: number;
  date: string;
}

/**
 * Reminder dates before a deadline, earliest first. With a calendar, a reminder that falls on a rest
 * day moves back to the working day before it, so an official sees it at work; reminders that end up
 * on the same day are merged (the longer notice wins). `notBefore` drops reminders already past.
 */
export function reminderDates(
  deadline: string,
  offsetsDays: readonly number[],
  options: { notBefore?: string; cal?: HolidayCalendarData } = {},
): Reminder[] {
  const byDate = new Map<string, Reminder>();
  for (const daysBefore of [...new Set(offsetsDays)].sort((a, b) => b - a)) {
    if (!Number.isInteger(daysBefore) || daysBefore < 0) throw new RangeError(`bad reminder offset: ${daysBefore}`);
    let date = addDays(deadline, -daysBefore);
    if (options.cal) while (!isWorkingDay(date, options.cal)) date = addDays(date, -1);
    if (options.notBefore !== undefined && date < options.notBefore) continue;
    if (!byDate.has(date)) byDate.set(date, { daysBefore, date });
  }
  return [...byDate.values()].sort((a, b) => compareLegalDates(a.date, b.date));
}
