import type { HolidayCalendarData } from '../domain/calendar';
import { buildHolidayCalendar } from '../domain/holidays-source';

/**
 * The official working-day calendar as an activity: workflow code cannot read the package, so it
 * asks for the calendar (again before a provisional deadline fires, in case the State Council's
 * notice for that year has been published since the deadline was computed).
 */
export function createCalendarActivities() {
  return {
    async holidayCalendar(years: number[]): Promise<HolidayCalendarData> {
      return buildHolidayCalendar(years);
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
