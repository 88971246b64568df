import type { HolidayCalendarData } from '../../domain/calendar';
import { deadlineInstant, legalDeadline } from '../../domain/deadlines';
import { buildHolidayCalendar } from '../../domain/holidays-source';
import { SA } from '../../workflows/search-attributes';
import { caseRow, DAY, events, legalToday, openCase, useLifecycle, state, until, type Lifecycle } from './harness';

const HOUR = DAY / 24;

/**
 * A deadline in a year whose official calendar is not yet published is provisional (weekends
 * only). The State Council then declares the deadline day a holiday: the workflow re-reads the
 * calendar before the deadline fires and moves it to the next working day.
 */
let lc: Lifecycle;
let lateHoliday: string | undefined;
let calls = 0;

useLifecycle(
  (l) => (lc = l),
  (real) => ({
    async holidayCalendar(years: number[]): Promise<HolidayCalendarData> {
      calls++;
      const cal = await real.holidayCalendar(years);
      if (!lateHoliday || calls === 1) return cal;
      const year = Number(lateHoliday.slice(0, 4));
      return { years: [...new Set([...cal.years, year])].sort(), holidays: [...cal.holidays, lateHoliday].sort(), workdays: cal.workdays };
    },
  }),
);

describe('a provisional deadline settles once the official calendar is published', () => {
  it('moves the deadline, its timer and its search attribute off the newly declared holiday', async () => {
    const served = await legalToday(lc.env);
    const weekendsOnly = legalDeadline({ from: served, months: 6 }, buildHolidayCalendar([Number(served.slice(0, 4))]));
    expect(weekendsOnly.provisional).toBe(true); // the next year's calendar is not in the package yet
    lateHoliday = weekendsOnly.date;
    const c = await openCase(lc);
    let s = await until(c, (x) => x.stage === 'rectification');
    expect(s).toMatchObject({ deadline: weekendsOnly.date, deadlineProvisional: true });

    // Just past the provisional deadline's end (24:00 China time): the calendar is read again, and
    // the day is now a holiday. (Measured from the test server's clock, whatever the time of day.)
    await lc.env.sleep(Date.parse(deadlineInstant(weekendsOnly.date)) + HOUR - (await lc.env.currentTimeMs()));
    s = await until(c, (x) => x.deadline !== weekendsOnly.date, 'settled deadline');
    const settledCal: HolidayCalendarData = { years: [Number(lateHoliday.slice(0, 4))], holidays: [lateHoliday], workdays: [] };
    const settled = legalDeadline({ from: served, months: 6 }, settledCal).date;
    expect(settled > weekendsOnly.date).toBe(true);
    expect(s).toMatchObject({ stage: 'rectification', deadline: settled, deadlineProvisional: false, overdue: false });
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'deadline_settled').map((e) => e.detail.deadline)).toEqual([settled]);
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.deadline)).toEqual(new Date(deadlineInstant(settled)));
    expect(await caseRow(lc, c.caseId)).toMatchObject({ deadline: settled });

    // It lapses at the end of the settled day.
    await lc.env.sleep(3 * DAY);
    s = await until(c, (x) => x.stage === 'closure_proposed', 'lapse on the settled day');
    expect(s.rectificationLapsedOn).toBe(settled);
    expect((await state(c)).overdue).toBe(true);
  });
});
