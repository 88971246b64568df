import { buildHolidayCalendar } from '../../domain/holidays-source';
import { isWorkingDay, WEEKENDS_ONLY } from '../../domain/calendar';
import {
  addCalendarMonths,
  addDays,
  addWorkingDays,
  deadlineInstant,
  extendedDeadline,
  isOverdue,
  legalDeadline,
  reminderDates,
  rollToWorkingDay,
  toLegalDate,
} from '../../domain/deadlines';

const cal = buildHolidayCalendar([2024, 2025, 2026]);

describe('a rectification period in months ends on the corresponding day, or the month end (民法典 第202条)', () => {
  test.each([
    ['2025-03-15', 6, '2025-09-15'],
    ['2025-08-31', 6, '2026-02-28'], // no Feb 31: last day of February
    ['2027-08-31', 6, '2028-02-29'], // leap year
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2099-12-31', 2, '2100-02-28'], // 2100 is not a leap year
    ['1999-12-31', 2, '2000-02-29'], // 2000 is
    ['2025-10-31', 3, '2026-01-31'], // across the year boundary
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-05-31', -3, '2025-02-28'],
    ['2025-06-30', 0, '2025-06-30'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addCalendarMonths(from, months)).toBe(expected);
  });
});

describe('calendar days', () => {
  test.each([
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-09-25', 10, '2025-10-05'],
  ])('%s + %i days = %s', (from, days, expected) => {
    expect(addDays(from, days)).toBe(expected);
  });

  test.each(['2025-02-29', '2025-13-01', '2025-1-01', '20250101', ''])('%p is refused as a legal date', (bad) => {
    expect(() => addDays(bad, 1)).toThrow(RangeError);
    expect(() => addCalendarMonths(bad, 1)).toThrow(RangeError);
  });
});

describe('working days follow the State Council calendar, make-up weekend days included', () => {
  test.each([
    ['2025-09-28', true], // Sunday worked (调休) before National Day
    ['2025-10-01', false],
    ['2025-10-08', false], // Wednesday, last day of the 2025 National Day + Mid-autumn break
    ['2025-10-09', true],
    ['2025-10-11', true], // Saturday worked
    ['2025-10-12', false], // plain Sunday
    ['2025-01-26', true], // Sunday worked before Spring Festival
    ['2025-02-04', false],
    ['2025-02-08', true], // Saturday worked after Spring Festival
    ['2026-01-04', true], // Sunday worked after New Year 2026
    ['2026-02-28', true], // Saturday worked after Spring Festival 2026
    ['2027-10-01', true], // 2027 unknown: a Friday counts as working
    ['2027-10-02', false], // unknown year: Saturdays still rest
  ])('%s working: %p', (date, working) => {
    expect(isWorkingDay(date, cal)).toBe(working);
  });
});

describe('a deadline on a rest day rolls to the next working day (民法典 第203条)', () => {
  test.each([
    ['2025-10-01', '2025-10-09'], // National Day
    ['2025-10-04', '2025-10-09'],
    ['2025-10-10', '2025-10-10'], // working Friday stays
    ['2025-10-11', '2025-10-11'], // 调休 Saturday is a working day: no roll
    ['2025-10-12', '2025-10-13'], // Sunday
    ['2025-01-28', '2025-02-05'], // Spring Festival 2025
    ['2026-02-15', '2026-02-24'], // Spring Festival 2026
    ['2025-12-31', '2025-12-31'],
    ['2026-01-01', '2026-01-04'], // year boundary: New Year off, Sunday Jan 4 worked
    ['2027-01-02', '2027-01-04'], // unknown year: weekend only
  ])('%s → %s', (date, expected) => {
    expect(rollToWorkingDay(date, cal)).toBe(expected);
  });
});

describe('working-day periods skip holidays and count make-up days', () => {
  test.each([
    ['2025-09-26', 1, '2025-09-28'], // Friday + 1 = the make-up Sunday
    ['2025-09-30', 1, '2025-10-09'], // over National Day
    ['2025-09-30', 3, '2025-10-11'], // Thu, Fri, make-up Sat
    ['2025-12-31', 1, '2026-01-04'], // year boundary
    ['2025-01-24', 5, '2025-02-07'], // Spring Festival: Sun Jan 26, Mon Jan 27, then Feb 5, 6, 7
    ['2025-10-09', -1, '2025-09-30'],
    ['2025-10-01', 0, '2025-10-01'],
  ])('%s + %i working days = %s', (from, n, expected) => {
    expect(addWorkingDays(from, n, cal)).toBe(expected);
  });
});

describe('legal deadlines', () => {
  test.each([
    // from, period, date, rolledFrom
    ['2025-03-15', { months: 6 }, '2025-09-15', undefined],
    ['2025-04-01', { months: 6 }, '2025-10-09', '2025-10-01'], // lands on National Day
    ['2025-08-31', { months: 6 }, '2026-02-28', undefined], // clamped, and a 调休 Saturday: stays
    ['2025-08-15', { months: 6 }, '2026-02-24', '2026-02-15'], // Spring Festival 2026
    ['2025-09-20', { days: 10 }, '2025-09-30', undefined],
    ['2025-09-25', { days: 10 }, '2025-10-09', '2025-10-05'],
    ['2025-09-26', { workingDays: 10 }, '2025-10-16', undefined],
    ['2025-12-31', { workingDays: 1 }, '2026-01-04', undefined],
  ] as const)('from %s + %o ends %s', (from, period, date, rolledFrom) => {
    const d = legalDeadline({ from, ...period }, cal);
    expect(d.date).toBe(date);
    expect(d.rolledFrom).toBe(rolledFrom);
    expect(d.provisional).toBe(false);
  });

  test.each([
    ['2026-09-01', { months: 6 }, true], // ends 2027-03-01: 2027 unknown
    ['2026-12-20', { days: 15 }, true], // crosses into 2027
    ['2027-01-15', { months: 6 }, true],
    ['2025-12-20', { days: 10 }, false],
    ['2024-03-01', { months: 24 }, false],
  ] as const)('from %s + %o is provisional: %p', (from, period, provisional) => {
    expect(legalDeadline({ from, ...period }, cal).provisional).toBe(provisional);
  });

  test('a year between start and end that the calendar does not know makes it provisional', () => {
    const without2025 = { ...cal, years: [2024, 2026] };
    expect(legalDeadline({ from: '2024-03-01', months: 24 }, without2025).provisional).toBe(true);
  });

  test('in an unknown year only weekends rest', () => {
    const d = legalDeadline({ from: '2027-04-03', months: 6 }, cal); // 2027-10-03 is a Sunday
    expect(d).toEqual({ date: '2027-10-04', provisional: true, rolledFrom: '2027-10-03' });
    expect(legalDeadline({ from: '2025-04-01', months: 6 }, WEEKENDS_ONLY)).toEqual({
      date: '2025-10-01',
      provisional: true,
    });
  });

  test.each([
    [{ from: '2025-01-01' }],
    [{ from: '2025-01-01', months: 6, days: 3 }],
    [{ from: '2025-01-01', months: -1 }],
    [{ from: '2025-01-01', days: 1.5 }],
    [{ from: '2025-02-30', months: 1 }],
  ])('a malformed request %o is refused', (request) => {
    expect(() => legalDeadline(request, cal)).toThrow();
  });
});

describe('a legal day ends at 24:00 China Standard Time', () => {
  test.each([
    ['2025-10-09', '2025-10-09T16:00:00.000Z'],
    ['2025-12-31', '2025-12-31T16:00:00.000Z'],
    ['2028-02-29', '2028-02-29T16:00:00.000Z'],
  ])('%s ends at %s', (date, instant) => {
    expect(deadlineInstant(date)).toBe(instant);
  });

  test.each([
    ['2025-10-09T15:59:59.999Z', '2025-10-09'],
    ['2025-10-09T16:00:00.000Z', '2025-10-10'],
    ['2025-10-10T00:00:00+08:00', '2025-10-10'],
    ['2025-10-09T23:59:59+08:00', '2025-10-09'],
    ['2025-12-31T16:30:00Z', '2026-01-01'],
    ['2025-10-09T23:00:00-05:00', '2025-10-10'],
  ])('the instant %s is on the legal date %s', (instant, date) => {
    expect(toLegalDate(instant)).toBe(date);
  });

  test('an instant without a zone is refused (it would depend on the host)', () => {
    expect(() => toLegalDate('2025-10-09T10:00:00')).toThrow(RangeError);
    expect(() => toLegalDate('yesterday')).toThrow(RangeError);
  });

  test('the deadline day is usable to its last millisecond, overdue from the next', () => {
    expect(isOverdue('2025-10-09', '2025-10-09T15:59:59.999Z')).toBe(false);
    expect(isOverdue('2025-10-09', '2025-10-09T16:00:00.000Z')).toBe(true);
    expect(toLegalDate(deadlineInstant('2025-10-09'))).toBe(addDays('2025-10-09', 1));
  });
});

describe('an extension is at most 3 months, counted from the original calendar deadline (30号文 (四))', () => {
  const original = legalDeadline({ from: '2025-04-01', months: 6 }, cal); // 10-01 rolled to 10-09

  test('rolling does not lengthen the cap: 3 months count from 10-01, not 10-09', () => {
    expect(extendedDeadline(original, 3, cal).rolledFrom).toBe('2026-01-01');
  });

  test('the extended deadline rolls itself: 2026-01-01 becomes the make-up Sunday 2026-01-04', () => {
    expect(extendedDeadline(original, 3, cal)).toEqual({
      date: '2026-01-04',
      provisional: false,
      rolledFrom: '2026-01-01',
    });
  });

  test('month ends: 3 months after 2026-02-28 is 2026-05-28', () => {
    expect(extendedDeadline('2026-02-28', 3, cal).date).toBe('2026-05-28');
  });
});

describe('reminders before a deadline', () => {
  test('30, 7 and 1 days before, earliest first', () => {
    expect(reminderDates('2025-10-09', [1, 30, 7])).toEqual([
      { daysBefore: 30, date: '2025-09-09' },
      { daysBefore: 7, date: '2025-10-02' },
      { daysBefore: 1, date: '2025-10-08' },
    ]);
  });

  test('with a calendar, a reminder on a holiday moves to the working day before; same-day reminders merge', () => {
    expect(reminderDates('2025-10-09', [30, 7, 1], { cal })).toEqual([
      { daysBefore: 30, date: '2025-09-09' },
      { daysBefore: 7, date: '2025-09-30' },
    ]);
  });

  test('reminders already past are dropped', () => {
    expect(reminderDates('2025-10-09', [30, 7, 1], { notBefore: '2025-10-03' })).toEqual([
      { daysBefore: 1, date: '2025-10-08' },
    ]);
  });

  test('a negative offset is refused', () => {
    expect(() => reminderDates('2025-10-09', [-1])).toThrow(RangeError);
  });
});
