import { getDayDetail } from 'chinese-days';
import { HolidayCalendarDataSchema, isCalendarKnown, isWeekend, isWorkingDay } from '../../domain/calendar';
import { buildHolidayCalendar, knownCalendarYears } from '../../domain/holidays-source';
import { addDays } from '../../domain/deadlines';

/**
 * The official calendar against the State Council notices (国务院办公厅关于…部分节假日安排的通知).
 * `holidays` lists only weekdays off; `workdays` only weekend days worked (调休).
 */
const OFFICIAL: Record<number, { notice: string; holidays: string[]; workdays: string[] }> = {
  2024: {
    notice: '国办发明电〔2023〕7号',
    holidays: [
      '01-01', // 元旦
      '02-12', '02-13', '02-14', '02-15', '02-16', // 春节 2月10日至17日
      '04-04', '04-05', // 清明 4月4日至6日
      '05-01', '05-02', '05-03', // 劳动节 5月1日至5日
      '06-10', // 端午
      '09-16', '09-17', // 中秋 9月15日至17日
      '10-01', '10-02', '10-03', '10-04', '10-07', // 国庆 10月1日至7日
    ],
    workdays: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  },
  2025: {
    notice: '国办发明电〔2024〕12号',
    holidays: [
      '01-01',
      '01-28', '01-29', '01-30', '01-31', '02-03', '02-04', // 春节 1月28日至2月4日
      '04-04',
      '05-01', '05-02', '05-05',
      '06-02', // 端午 5月31日至6月2日
      '10-01', '10-02', '10-03', '10-06', '10-07', '10-08', // 国庆、中秋 10月1日至8日
    ],
    workdays: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  2026: {
    notice: '国办发明电〔2025〕7号',
    holidays: [
      '01-01', '01-02', // 元旦 1月1日至3日
      '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', // 春节 2月15日至23日
      '04-06',
      '05-01', '05-04', '05-05',
      '06-19',
      '09-25',
      '10-01', '10-02', '10-05', '10-06', '10-07', // 国庆 10月1日至7日
    ],
    workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
};

describe('the official calendar from chinese-days matches the State Council notices', () => {
  const cal = buildHolidayCalendar([2024, 2025, 2026]);

  const years = Object.entries(OFFICIAL).map(([year, o]) => [Number(year), o.notice, o] as const);
  test.each(years)('%i as in %s', (year, _notice, official) => {
    const inYear = (d: string) => d.startsWith(`${year}-`);
    expect(cal.holidays.filter(inYear)).toEqual(official.holidays.map((md) => `${year}-${md}`));
    expect(cal.workdays.filter(inYear)).toEqual(official.workdays.map((md) => `${year}-${md}`));
  });

  test('National Day 2025: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked', () => {
    expect(isWorkingDay('2025-09-28', cal)).toBe(true);
    for (let d = '2025-10-01'; d <= '2025-10-08'; d = addDays(d, 1)) expect(isWorkingDay(d, cal)).toBe(false);
    expect(isWorkingDay('2025-10-09', cal)).toBe(true);
    expect(isWorkingDay('2025-10-11', cal)).toBe(true);
  });

  test('Spring Festival 2025: Jan 28 – Feb 4 off, Jan 26 and Feb 8 worked', () => {
    expect(isWorkingDay('2025-01-26', cal)).toBe(true);
    for (let d = '2025-01-28'; d <= '2025-02-04'; d = addDays(d, 1)) expect(isWorkingDay(d, cal)).toBe(false);
    expect(isWorkingDay('2025-02-08', cal)).toBe(true);
  });

  // The package's functions shift dates by a day on hosts west of UTC (why holidays-source reads its
  // data file instead), so this cross-check only runs where they are right.
  const hostWestOfUtc = new Date(2025, 0, 1).getTimezoneOffset() > 0;
  (hostWestOfUtc ? test.skip : test)("every day of 2024–2026 agrees with the package's own day lookup", () => {
    for (let d = '2024-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      expect([d, isWorkingDay(d, cal)]).toEqual([d, getDayDetail(d).work]);
    }
  });

  test('the data is well formed: holidays are weekdays, make-up days are weekends', () => {
    expect(HolidayCalendarDataSchema.parse(cal)).toEqual(cal);
    expect(cal.holidays.filter(isWeekend)).toEqual([]);
    expect(cal.workdays.filter((d) => !isWeekend(d))).toEqual([]);
  });
});

describe('which years are known', () => {
  test('chinese-days 1.5.7 covers 2004 to 2026', () => {
    const years = knownCalendarYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toHaveLength(2026 - 2004 + 1);
  });

  test('a year the package does not cover is left unknown, with no entries', () => {
    const cal = buildHolidayCalendar([2026, 2027]);
    expect(cal.years).toEqual([2026]);
    expect(isCalendarKnown(2026, cal)).toBe(true);
    expect(isCalendarKnown(2027, cal)).toBe(false);
    expect([...cal.holidays, ...cal.workdays].some((d) => d.startsWith('2027'))).toBe(false);
  });

  test('only the years asked for are included', () => {
    const cal = buildHolidayCalendar([2025]);
    expect(cal.years).toEqual([2025]);
    expect([...cal.holidays, ...cal.workdays].every((d) => d.startsWith('2025-'))).toBe(true);
  });
});
