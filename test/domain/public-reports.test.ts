import { buildHolidayCalendar } from '../../domain/holidays-source';
import { policyFor, type Policy } from '../../domain/policy';
import {
  conclusionRefusal,
  mayHandleReport,
  mayReadReport,
  mayRecordReport,
  RecordedReport,
  replyText,
  ReportSubmission,
  TRACKING_NUMBER_PATTERN,
  trackingNumber,
  verificationDeadline,
  verificationReminders,
  verifierOf,
} from '../../domain/public-reports';

// Public reports (举报, LN 四(三), GD 三(五)): routing, the verification deadline, the conclusions the
// rules allow, who acts and who reads (domain/public-reports.ts).
const CAL = buildHolidayCalendar([2026, 2027]);

describe('a report goes to the department that enforces the reported standard, in the reported locality (按职责分工)', () => {
  test.each([
    ['410122', 'energy', 'industry_it', '410122'], // Henan, a county of Zhengzhou
    ['210102', 'environment', 'ecology_environment', '210102'], // Liaoning, 沈阳市和平区
    ['440232', 'quality', 'market_regulation', '440232'], // Guangdong, 乳源县
    ['350121', 'safety', 'emergency_management', '350121'], // Fuzhou, 闽侯县
    ['410100', 'technology', 'industry_it', '410100'], // a city-level report stays with the city
  ] as const)('%s %s → %s of %s', (region, dimension, department, jurisdiction) => {
    expect(verifierOf(policyFor(region), region, dimension)).toEqual({ role: 'enforcement_official', department, jurisdiction });
  });

  it('a report that names no standard goes to the lead of 淘汰类 capacity (the technology dimension’s first department)', () => {
    const policy = policyFor('410122');
    expect(verifierOf(policy, '410122', undefined).department).toBe(policy.dimensions.technology.departments[0]);
  });
});

describe('限期核查: the verification deadline is the pinned policy’s officialDeadlines.reportVerification', () => {
  const henan = policyFor('410122');

  it('counts 15 working days from the day after receipt, skipping the weekend (2026-11-30 → 2026-12-21)', () => {
    expect(henan.officialDeadlines.reportVerification).toEqual({ workingDays: 15 });
    expect(verificationDeadline(henan, '2026-11-30', CAL).date).toBe('2026-12-21');
  });

  it('changes when the policy changes: 5 working days end a week after receipt', () => {
    const tighter: Policy = { ...henan, officialDeadlines: { ...henan.officialDeadlines, reportVerification: { workingDays: 5 } } };
    expect(verificationDeadline(tighter, '2026-11-30', CAL).date).toBe('2026-12-07');
    const inMonths: Policy = { ...henan, officialDeadlines: { ...henan.officialDeadlines, reportVerification: { months: 1 } } };
    expect(verificationDeadline(inMonths, '2026-11-30', CAL).date).toBe('2026-12-30');
  });

  it('skips the official holidays: received before 国庆 2026, the period runs past the Golden Week', () => {
    // 2026-10-01 … 10-07 are rest days (国务院办公厅 2026 calendar); 09-30 + 15 working days lands after them.
    expect(verificationDeadline(henan, '2026-09-30', CAL).date > '2026-10-20').toBe(true);
  });

  it('is reminded as a re-inspection is (the seeds name no reminders for it)', () => {
    expect(verificationReminders(henan)).toEqual(henan.reminders.reinspection);
  });
});

describe('实名举报做到有报必查 (LN 四(三)): what a conclusion may be', () => {
  it('a real-name report is never closed as not pursued, and is concluded only once verified', () => {
    expect(conclusionRefusal({ realName: true, verified: true }, { outcome: 'not_pursued' })?.code).toBe('real_name_must_be_verified');
    expect(conclusionRefusal({ realName: true, verified: false }, { outcome: 'unfounded' })?.code).toBe('verification_required');
    expect(conclusionRefusal({ realName: true, verified: false }, { outcome: 'confirmed' })?.code).toBe('verification_required');
    expect(conclusionRefusal({ realName: true, verified: true }, { outcome: 'unfounded' })).toBeUndefined();
  });

  it('an anonymous report may be closed with reasons, verified or not', () => {
    for (const outcome of ['not_pursued', 'unfounded', 'already_known', 'confirmed'] as const) expect(conclusionRefusal({ realName: false, verified: false }, { outcome })).toBeUndefined();
  });

  it('the reply names the outcome and the tracking number, and nothing of the case record', () => {
    const reply = replyText('confirmed', 'JB-410122-20261130-0001', '感谢您的监督。');
    expect(reply).toContain('JB-410122-20261130-0001');
    expect(reply).toContain('已依法立案查处');
    expect(reply).toContain('感谢您的监督。');
    expect(reply).not.toMatch(/case-|9141/);
  });
});

describe('what a report may say', () => {
  const good = { region: '410122', address: '中牟县某镇', enterpriseName: '某铸造厂', description: '夜间生产。' };

  it('is plain text: a tag, a script link or an HTML entity is refused with the rule named', () => {
    for (const description of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '&#60;script&#62;', '&lt;b&gt;', '<!-- x -->']) {
      const r = ReportSubmission.safeParse({ ...good, description });
      expect([description, r.success]).toEqual([description, false]);
      expect((r.error!.issues[0] as { params?: { rule?: string } }).params?.rule).toBe('plain_text');
    }
    // Comparisons and ordinary punctuation in Chinese text are fine.
    expect(ReportSubmission.safeParse({ ...good, description: '能耗 > 限额，产能 < 10万吨；A&B公司' }).success).toBe(true);
  });

  it('a real-name report needs a contact for the reply; an empty reporter is refused; a capacity needs its unit', () => {
    expect(ReportSubmission.safeParse({ ...good, reporter: { name: '张某' } }).success).toBe(false);
    expect(ReportSubmission.safeParse({ ...good, reporter: {} }).success).toBe(false);
    expect(ReportSubmission.safeParse({ ...good, reporter: { name: '张某', phone: '13800000000' } }).success).toBe(true);
    expect(ReportSubmission.safeParse({ ...good, reporter: { email: 'a@example.com' } }).success).toBe(true);
    expect(ReportSubmission.safeParse({ ...good, capacity: 2 }).success).toBe(false);
    expect(ReportSubmission.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });

  it('an official names the channel (not the online platform) and the day it arrived', () => {
    expect(RecordedReport.safeParse({ ...good, channel: 'hotline_12345', receivedOn: '2026-11-30' }).success).toBe(true);
    expect(RecordedReport.safeParse({ ...good, channel: 'online', receivedOn: '2026-11-30' }).success).toBe(false);
    expect(RecordedReport.safeParse({ ...good, channel: 'petition' }).success).toBe(false);
  });

  it('tracking numbers are readable and their pattern is what the API accepts', () => {
    expect(trackingNumber('410122', '2026-11-30', 7)).toBe('JB-410122-20261130-0007');
    expect(TRACKING_NUMBER_PATTERN.test(trackingNumber('410122', '2026-11-30', 12345))).toBe(true);
  });
});

describe('who acts on a report and who reads it', () => {
  const assignee = { role: 'enforcement_official', department: 'industry_it', jurisdiction: '410122' };

  it('the verifying department at the assigned locality or above acts; another department, the office or another city does not', () => {
    expect(mayHandleReport({ role: 'enforcement_official', department: 'industry_it', jurisdiction: '410122' }, assignee).allowed).toBe(true);
    expect(mayHandleReport({ role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' }, assignee).allowed).toBe(true);
    expect(mayHandleReport({ role: 'enforcement_official', department: 'ecology_environment', jurisdiction: '410122' }, assignee).allowed).toBe(false);
    expect(mayHandleReport({ role: 'coordination_office', jurisdiction: '410100' }, assignee).allowed).toBe(false);
    expect(mayHandleReport({ role: 'enforcement_official', department: 'industry_it', jurisdiction: '410300' }, assignee).allowed).toBe(false);
  });

  it('officials covering the region (the office above too) read it; an enterprise does not; reports are recorded by officials and offices within jurisdiction', () => {
    expect(mayReadReport({ role: 'coordination_office', jurisdiction: '410000' }, '410122').allowed).toBe(true);
    expect(mayReadReport({ role: 'enterprise' }, '410122').allowed).toBe(false);
    expect(mayReadReport({ role: 'enforcement_official', department: 'industry_it', jurisdiction: '410300' }, '410122').allowed).toBe(false);
    expect(mayRecordReport({ role: 'coordination_office', jurisdiction: '410100' }, '410122').allowed).toBe(true);
    expect(mayRecordReport({ role: 'approving_government', jurisdiction: '410100' }, '410122').allowed).toBe(false);
  });
});
