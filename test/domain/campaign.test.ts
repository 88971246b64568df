import { buildHolidayCalendar } from '../../domain/holidays-source';
import { WEEKENDS_ONLY } from '../../domain/calendar';
import { campaignEscalationDivision, campaignMilestones, campaignRefusal, campaignStage, mayCompleteMilestone, mayReadCampaign, mayStartCampaign } from '../../domain/campaign';
import { policyFor } from '../../domain/policy';
import { HENAN } from '../../domain/policy/regions/henan';
import { definePolicy } from '../../domain/policy/regions/derive';

const cal = buildHolidayCalendar([2021, 2022, 2023, 2024]);

/** [id, due, the plan's own date when it rolled] */
const dates = (division: string, year: number) => campaignMilestones(policyFor(division), division, year, cal).map((m) => [m.id, m.due, m.rolledFrom ?? null]);

describe('a division’s campaign milestones come from its policy, in date order, rolled to working days', () => {
  it('Zhengzhou (410100) 2021: Henan’s dates, Zhengzhou’s two own reports, and the national reports', () => {
    expect(dates('410100', 2021)).toEqual([
      // 郑淘汰落后办〔2021〕2号: 6月27日前 — a Sunday, so the Monday after (民法典 第203条).
      ['report:zhengzhou_survey_to_city', '2021-06-28', '2021-06-27'],
      ['plans_filed', '2021-06-30', null],
      ['survey', '2021-06-30', null],
      ['report:target_plan_to_province', '2021-06-30', null],
      ['report:zhengzhou_summary_to_city', '2021-10-27', null],
      // 10月31日 (Sunday) and 10月30日 (Saturday) both fall on Monday Nov 1.
      ['exit_by', '2021-11-01', '2021-10-31'],
      ['acceptance', '2021-11-01', '2021-10-30'],
      ['report:summary_to_province', '2021-11-01', '2021-10-31'],
      ['report:closures_to_industry_it', '2021-12-31', null],
      // 次年1月底前: in the next year; 2022-01-31 is the 春节 holiday, so the first working day after it.
      ['report:province_to_miit', '2022-02-07', '2022-01-31'],
    ]);
  });

  it('a Henan division outside Zhengzhou (Luoyang 410300) and the province itself have no Zhengzhou reports', () => {
    for (const d of ['410300', '410000']) expect(dates(d, 2021).map(([id]) => id)).not.toContain('report:zhengzhou_survey_to_city');
    expect(dates('410102', 2021).map(([id]) => id)).toContain('report:zhengzhou_summary_to_city');
  });

  it('Shenyang (210100) 2021: plans by 4月15日, the exit window Jun 1 – Sep 30, acceptance by Nov 30', () => {
    expect(dates('210100', 2021)).toEqual([
      ['plans_filed', '2021-04-15', null],
      ['survey', '2021-05-31', null],
      ['report:survey_to_province', '2021-05-31', null],
      ['exit_from', '2021-06-01', null],
      ['exit_by', '2021-09-30', null],
      ['acceptance', '2021-11-30', null],
      ['report:members_summary_to_province', '2021-11-30', null],
      ['report:cities_summary_to_province', '2021-11-30', null],
      ['report:province_to_miit', '2022-02-07', '2022-01-31'],
    ]);
    const [plans] = campaignMilestones(policyFor('210100'), '210100', 2021, cal);
    expect(plans).toMatchObject({ kind: 'plans_filed', nameZh: '工作方案和联系人报送' });
  });

  it('Guangdong (440000) 2023: half-yearly department reports, to the province by Jan 10, to MIIT by Jan 31', () => {
    expect(dates('440000', 2023)).toEqual([
      // 4月30日 is a Sunday inside the 劳动节 holiday: the first working day is May 4.
      ['plans_filed', '2023-05-04', '2023-04-30'],
      ['survey', '2023-05-04', '2023-04-30'],
      ['report:departments_half_year', '2023-06-30', null],
      ['exit_by', '2024-01-02', '2023-12-31'],
      ['acceptance', '2024-01-02', '2023-12-31'],
      ['report:departments_year_end', '2024-01-02', '2023-12-31'],
      ['report:local_summary_to_province', '2024-01-10', null],
      ['report:province_to_miit', '2024-01-31', null],
    ]);
    const miit = campaignMilestones(policyFor('440000'), '440000', 2023, cal).find((m) => m.id === 'report:province_to_miit')!;
    // Guangdong's own report to MIIT replaces the national one; it names no copies.
    expect(miit.report).toEqual({ from: '省工业和信息化厅', to: '工业和信息化部等部委' });
    // Henan keeps the national report, with the 14 bodies 30号文 (十九) copies.
    const national = campaignMilestones(HENAN, '410100', 2021, cal).find((m) => m.id === 'report:province_to_miit')!;
    expect(national.report).toMatchObject({ from: '省级工业和信息化、能源、煤炭主管部门', to: '工业和信息化部、国家能源局' });
    expect(national.report!.copyTo).toHaveLength(14);
  });

  it('Fuzhou (350100) 2021: no plans date, survey by mid-May, county → city → province summaries', () => {
    expect(dates('350100', 2021)).toEqual([
      ['survey', '2021-05-17', '2021-05-15'],
      ['report:county_summary_to_city', '2021-12-15', null],
      ['exit_by', '2021-12-31', null],
      ['acceptance', '2021-12-31', null],
      ['report:city_to_province', '2021-12-31', null],
    ]);
    const summary = campaignMilestones(policyFor('350100'), '350100', 2021, cal).find((m) => m.kind === 'report')!;
    expect(summary.report).toEqual({ from: '各县（市）、区人民政府', to: '市淘汰落后产能工作领导小组办公室' });
  });

  it('without an official calendar only weekends roll: the same Sunday 6月27日 still moves to Monday', () => {
    expect(campaignMilestones(HENAN, '410100', 2021, WEEKENDS_ONLY)[0]).toMatchObject({ due: '2021-06-28', rolledFrom: '2021-06-27' });
  });

  it('a changed plan date changes the milestone (the policy is read, not copied)', () => {
    const { basedOn: _b, ...rest } = HENAN;
    const moved = definePolicy({ ...rest, basedOn: HENAN.basedOn, version: 'henan-2021.99', campaign: { ...HENAN.campaign, surveyBy: { monthDay: '07-15', nextYear: false } } });
    expect(campaignMilestones(moved, '410100', 2021, cal).find((m) => m.id === 'survey')!.due).toBe('2021-07-15');
  });
});

describe('which divisions run a campaign, and who hears of a lapse', () => {
  it('a province, city or county inside the policy’s region; not a division the policy does not cover', () => {
    expect(campaignRefusal(HENAN, '410000')).toBeUndefined();
    expect(campaignRefusal(HENAN, '410100')).toBeUndefined();
    expect(campaignRefusal(HENAN, '410102')).toBeUndefined();
    // Fuzhou's plan runs Fuzhou and its counties, not Fujian province.
    expect(campaignRefusal(policyFor('350100'), '350000')?.code).toBe('division_not_covered');
    expect(campaignRefusal(HENAN, '210100')?.code).toBe('division_not_covered');
    expect(campaignRefusal(HENAN, '4101')?.code).toBe('division_code');
    expect(() => campaignMilestones(HENAN, '210100', 2021, cal)).toThrow(RangeError);
  });

  it('escalation goes one level up: county → city, city → province; Henan’s directly administered 巩义 → province', () => {
    expect(campaignEscalationDivision(HENAN, '410102')).toBe('410100');
    expect(campaignEscalationDivision(HENAN, '410100')).toBe('410000');
    expect(campaignEscalationDivision(HENAN, '410181')).toBe('410000');
    expect(campaignEscalationDivision(HENAN, '419001')).toBe('410000');
    expect(campaignEscalationDivision(HENAN, '410000')).toBe('410000');
  });

  it('the office of the division or above starts it; only the division’s own office completes milestones', () => {
    const office = (jurisdiction: string) => ({ role: 'coordination_office' as const, jurisdiction });
    expect(mayStartCampaign(office('410100'), '410100').allowed).toBe(true);
    expect(mayStartCampaign(office('410000'), '410100').allowed).toBe(true);
    expect(mayStartCampaign(office('410300'), '410100').allowed).toBe(false);
    expect(mayStartCampaign({ role: 'enforcement_official', jurisdiction: '410100' }, '410100').allowed).toBe(false);
    expect(mayCompleteMilestone(office('410100'), '410100').allowed).toBe(true);
    expect(mayCompleteMilestone(office('410000'), '410100').allowed).toBe(false);
    expect(mayReadCampaign(office('410000'), '410100').allowed).toBe(true);
    expect(mayReadCampaign({ role: 'enterprise' }, '410100').allowed).toBe(false);
  });

  it('the stage follows the earliest open milestone; reports alone left is reporting', () => {
    const ms = dates('210100', 2021).map(([id]) => ({ kind: campaignMilestones(policyFor('210100'), '210100', 2021, cal).find((m) => m.id === id)!.kind, status: 'pending' as const }));
    expect(campaignStage(ms)).toBe('planning');
    const done = (n: number) => ms.map((m, i) => ({ ...m, status: i < n ? ('completed' as const) : m.status }));
    expect(campaignStage(done(1))).toBe('survey');
    expect(campaignStage(done(3))).toBe('exit');
    expect(campaignStage(done(5))).toBe('acceptance');
    expect(campaignStage(done(6))).toBe('reporting');
    expect(campaignStage(done(ms.length))).toBe('completed');
  });
});
