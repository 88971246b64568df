import type { HolidayCalendarData } from '../domain/calendar';
import {
  addDays,
  compareLegalDates,
  deadlineInstant,
  legalDeadline,
  reminderDates,
  type LegalDeadlineRequest,
  type Reminder,
} from '../domain/deadlines';
import type { ClockKind, ClockState } from './messages';

/**
 * A legal deadline as workflow state: computed from the pinned policy's period, the dates and the
 * holiday calendar (never from the host clock), with its reminders, and stoppable while
 * administrative review or litigation runs (the remaining days are kept). Pure functions; the
 * waiting itself is in runtime.ts.
 */

const DAY_MS = 86_400_000;

/** Reminders go out at 09:00 China Standard Time on their day, when officials are at work. */
export function reminderInstantMs(date: string): number {
  return Date.parse(`${date}T09:00:00+08:00`);
}

export function newClock(kind: ClockKind, basis: LegalDeadlineRequest, reminderOffsets: readonly number[], cal: HolidayCalendarData): ClockState {
  return {
    kind,
    basis,
    deadline: legalDeadline(basis, cal),
    reminderOffsets: [...reminderOffsets],
    remindersSent: [],
    suspendedOn: null,
    remainingDays: null,
    lapsed: false,
  };
}

/** The next reminder not yet sent whose day is `today` or later. */
export function nextReminder(clock: ClockState, today: string, cal: HolidayCalendarData): Reminder | undefined {
  return reminderDates(clock.deadline.date, clock.reminderOffsets, { notBefore: today, cal }).find(
    (r) => !clock.remindersSent.includes(`${clock.deadline.date}/${r.daysBefore}`),
  );
}

export function reminderKey(clock: ClockState, r: Reminder): string {
  return `${clock.deadline.date}/${r.daysBefore}`;
}

export function dueMs(clock: ClockState): number {
  return Date.parse(deadlineInstant(clock.deadline.date));
}

/** Calendar days from `today` to the deadline (0 on the last day itself). */
export function daysLeft(clock: ClockState, today: string): number {
  const diff = (Date.parse(`${clock.deadline.date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS;
  return Math.max(0, Math.round(diff));
}

/** Stop the clock (中止): keep the days that were left. */
export function suspend(clock: ClockState, today: string): void {
  clock.remainingDays = daysLeft(clock, today);
  clock.suspendedOn = today;
}

/** Restart the clock (恢复): the days that were left count again from `today`, then roll off rest days. */
export function resume(clock: ClockState, today: string, cal: HolidayCalendarData): void {
  const days = clock.remainingDays ?? 0;
  clock.basis = { from: today, days };
  clock.deadline = legalDeadline(clock.basis, cal);
  clock.suspendedOn = null;
  clock.remainingDays = null;
}

/**
 * Recompute a provisional deadline with a newer calendar (the State Council publishes next year's
 * holidays late in the year). Returns whether the date moved.
 */
export function settle(clock: ClockState, cal: HolidayCalendarData): boolean {
  const recomputed = legalDeadline(clock.basis, cal);
  const moved = compareLegalDates(recomputed.date, clock.deadline.date) !== 0;
  clock.deadline = recomputed;
  return moved;
}

/** Years a clock's deadline may touch, to ask the calendar activity for. */
export function yearsOf(clock: ClockState): number[] {
  const from = Number(clock.basis.from.slice(0, 4));
  const to = Number(addDays(clock.deadline.date, 60).slice(0, 4));
  const out: number[] = [];
  for (let y = from; y <= to; y++) out.push(y);
  return out;
}
