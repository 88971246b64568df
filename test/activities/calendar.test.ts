import { createCalendarActivities } from '../../activities/calendar';
import { isWorkingDay } from '../../domain/calendar';

describe('the holiday calendar activity', () => {
  const { holidayCalendar } = createCalendarActivities();

  it("knows 2026's National Day and its make-up working days", async () => {
    const cal = await holidayCalendar([2026]);
    expect(cal.years).toEqual([2026]);
    // 国务院办公厅关于2026年部分节假日安排的通知: 10月1日至7日放假; 9月20日（周日）、10月10日（周六）上班.
    for (const day of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']) expect(isWorkingDay(day, cal)).toBe(false);
    expect(isWorkingDay('2026-10-08', cal)).toBe(true);
    expect(isWorkingDay('2026-09-20', cal)).toBe(true);
    expect(isWorkingDay('2026-10-10', cal)).toBe(true);
  });

  it('counts weekends only in a year whose holidays are not yet published', async () => {
    const cal = await holidayCalendar([2026, 2099]);
    expect(cal.years).toEqual([2026]);
    expect(isWorkingDay('2099-10-01', cal)).toBe(true); // a Thursday, no notice yet
    expect(isWorkingDay('2099-10-03', cal)).toBe(false); // a Saturday
  });
});
