import { DIMENSIONS } from '../../domain/model';
import { buildHolidayCalendar } from '../../domain/holidays-source';
import { extendedDeadline, legalDeadline } from '../../domain/deadlines';
import {
  campaignDate,
  divisionAtLevel,
  escalationLadder,
  type Policy,
  POLICIES,
  PolicySchema,
  policyById,
  policyFor,
} from '../../domain/policy';
import { deriveRegionalPolicy } from '../../domain/policy/regions/derive';

const SEEDS = [
  'miit-2017-30-guidance-changji.txt',
  'liaoning-2021-draft.txt',
  'henan-zhengzhou-2021.txt',
  'guangdong-2023.txt',
  'fuzhou-2021.txt',
];

const at = (policy: Policy, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], policy);

describe('every shipped policy', () => {
  test('there is one per region: national, Liaoning, Henan, Guangdong, Fuzhou, Changji', () => {
    expect(POLICIES.map((p) => p.version)).toEqual([
      'national-2017.1',
      'liaoning-2021.1',
      'henan-2021.1',
      'guangdong-2023.1',
      'fuzhou-2021.1',
      'changji-2017.1',
    ]);
  });

  test.each(POLICIES.map((p) => [p.version, p] as const))('%s validates against PolicySchema', (_v, policy) => {
    expect(PolicySchema.parse(policy)).toEqual(policy);
  });

  test.each(POLICIES.map((p) => [p.version, p] as const))('%s cites only the seed documents', (_v, policy) => {
    for (const s of policy.sources) expect(SEEDS).toContain(s.seed);
  });

  test.each(POLICIES.map((p) => [p.version, p] as const))('%s marks defaults only on settings it has', (_v, policy) => {
    for (const d of policy.defaults) expect([d.path, at(policy, d.path)]).not.toEqual([d.path, undefined]);
  });

  test('regional policies are based on the national one', () => {
    for (const p of POLICIES.filter((q) => q.id !== 'national')) expect(p.basedOn).toBe('national-2017.1');
  });

  test('policies are frozen, so no workflow can change a rule for another', () => {
    const henan = policyFor('410100');
    expect(Object.isFrozen(henan.dimensions.energy.extension)).toBe(true);
    expect(() => {
      (henan.dimensions.energy as { suspension: string }).suspension = 'immediate';
    }).toThrow(TypeError);
  });

  test('a malformed policy is refused at load', () => {
    const national = policyById('national', 'national-2017.1')!;
    expect(() =>
      deriveRegionalPolicy(national, {
        id: 'broken',
        version: 'broken-2025.1',
        region: '99',
        name: 'x',
        nameZh: 'x',
        sources: [{ seed: 'x.txt', clause: 'x' }],
        dimensions: { energy: { rectification: { setBy: 'policy', months: 0 } } },
      }),
    ).toThrow(/broken-2025.1 is invalid: dimensions.energy.rectification.months/);
  });
});

describe('national rules (30号文)', () => {
  const national = policyFor('110105');

  test('energy: 6 months to rectify, one extension of at most 3 months, applied for before the deadline', () => {
    expect(national.dimensions.energy.rectification).toEqual({ setBy: 'policy', months: 6 });
    expect(national.dimensions.energy.extension).toMatchObject({ capMonths: 3, maxCount: 1, mustApplyBeforeDeadline: true });
  });

  test('quality: 6 months and no extension', () => {
    expect(national.dimensions.quality.rectification).toEqual({ setBy: 'policy', months: 6 });
    expect(national.dimensions.quality.extension).toBeNull();
  });

  test('only energy can be extended, in every region', () => {
    for (const p of POLICIES) {
      expect(DIMENSIONS.filter((d) => p.dimensions[d].extension !== null)).toEqual(['energy']);
    }
  });

  test('safety stops production at once; environment sends serious cases to closure', () => {
    expect(national.dimensions.safety.suspension).toBe('immediate');
    expect(national.dimensions.safety.revokeLicences).toBe(true);
    expect(national.dimensions.environment.seriousGoesToClosure).toBe(true);
    expect(national.dimensions.energy.seriousGoesToClosure).toBe(false);
  });

  test('environment and safety periods are set by the department, with a marked default', () => {
    for (const d of ['environment', 'safety'] as const) {
      expect(national.dimensions[d].rectification?.setBy).toBe('department');
      expect(national.defaults.map((x) => x.path)).toContain(`dimensions.${d}.rectification`);
    }
  });

  test('technology: dismantle, or seal with all four measures, commit publicly, announce, dismantle in time', () => {
    expect(national.dimensions.technology.rectification).toBeNull();
    expect(national.technology).toMatchObject({
      dismantleImmediatelyWhenPossible: true,
      sealMeasures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
      publicCommitment: true,
      announcementOn: 'provincial',
      coalPowerOptions: null,
    });
  });

  test('the national campaign: plans by Mar 31, closures reported by Dec 31, MIIT by Jan 31 next year', () => {
    expect(campaignDate(national.campaign.plansFiledBy!, 2025)).toBe('2025-03-31');
    expect(national.campaign.reports.map((r) => campaignDate(r.by, 2025))).toEqual(['2025-12-31', '2026-01-31']);
  });
});

describe('finding the policy for a division code', () => {
  test.each([
    ['410000', 'henan'],
    ['410100', 'henan'], // Zhengzhou
    ['410102', 'henan'], // Zhongyuan district, Zhengzhou
    ['419001', 'henan'], // Jiyuan, directly administered
    ['210000', 'liaoning'],
    ['210102', 'liaoning'], // Heping district, Shenyang
    ['440000', 'guangdong'],
    ['440305', 'guangdong'], // Nanshan, Shenzhen
    ['350100', 'fuzhou'],
    ['350102', 'fuzhou'], // Gulou district, Fuzhou
    ['350200', 'national'], // Xiamen: Fujian has no provincial policy here
    ['652300', 'changji'],
    ['652301', 'changji'], // Changji city
    ['652327', 'changji'], // Jimsar county
    ['650100', 'national'], // Urumqi
    ['110105', 'national'], // Beijing
  ])('%s → %s', (code, id) => {
    expect(policyFor(code).id).toBe(id);
  });

  test.each(['41', '4101000', 'abcdef', ''])('%p is not a division code', (code) => {
    expect(() => policyFor(code)).toThrow(RangeError);
  });

  test('a pinned version is found by id and version, and only then', () => {
    expect(policyById('henan', 'henan-2021.1')).toBe(policyFor('410102'));
    expect(policyById('henan', 'henan-2022.1')).toBeUndefined();
    expect(policyById('fuzhou', 'henan-2021.1')).toBeUndefined();
  });
});

describe('Henan, as applied by Zhengzhou', () => {
  const henan = policyFor('410102');

  test('the energy extension is decided by the city government and filed with the two provincial departments', () => {
    expect(henan.dimensions.energy.extension).toMatchObject({
      decider: 'city_government',
      filings: ['provincial_development_reform', 'provincial_industry_it'],
      capMonths: 3,
      maxCount: 1,
    });
    expect(policyFor('210100').dimensions.energy.extension?.decider).toBe('department');
    expect(henan.defaults.map((d) => d.path)).not.toContain('dimensions.energy.extension.decider');
  });

  test('coking and petrochemicals are focus industries', () => {
    expect(henan.focusIndustries).toEqual(expect.arrayContaining(['coking', 'petrochemical', 'chemical']));
  });

  test('exit by Oct 31, acceptance by Oct 30; Zhengzhou districts report on Jun 27 and Oct 27', () => {
    expect(campaignDate(henan.campaign.exitBy, 2021)).toBe('2021-10-31');
    expect(campaignDate(henan.campaign.acceptanceBy, 2021)).toBe('2021-10-30');
    const zhengzhou = henan.campaign.reports.filter((r) => r.withinDivision === '4101');
    expect(zhengzhou.map((r) => r.by.monthDay)).toEqual(['06-27', '10-27']);
  });

  test('a Zhengzhou energy case: 6 months from 2025-08-31 ends on the make-up Saturday 2026-02-28; extension up to 2026-05-28', () => {
    const cal = buildHolidayCalendar([2025, 2026]);
    const rule = henan.dimensions.energy;
    const deadline = legalDeadline({ from: '2025-08-31', months: rule.rectification!.months }, cal);
    expect(deadline).toEqual({ date: '2026-02-28', provisional: false });
    expect(extendedDeadline(deadline, rule.extension!.capMonths, cal).date).toBe('2026-05-28');
  });
});

describe('Guangdong', () => {
  const guangdong = policyFor('440305');

  test('coal power: extended operation, closed-not-dismantled as emergency backup, or dismantling', () => {
    expect(guangdong.technology.coalPowerOptions).toEqual(['extended_operation', 'emergency_backup', 'dismantle']);
    expect(policyFor('410100').technology.coalPowerOptions).toBeNull();
  });

  test('coal is no longer a focus industry', () => {
    expect(guangdong.focusIndustries).not.toContain('coal');
    expect(policyFor('110105').focusIndustries).toContain('coal');
  });

  test('enforcement all year; half-year reports, local summary by Jan 10 next year', () => {
    expect(guangdong.campaign.enforcementAllYear).toBe(true);
    expect(guangdong.campaign.reports.map((r) => campaignDate(r.by, 2023))).toEqual([
      '2023-06-30',
      '2023-12-31',
      '2024-01-10',
      '2024-01-31',
    ]);
  });

  test('environment publishes penalty information rather than the serious-emitters list', () => {
    const kinds = guangdong.publicLists.map((l) => l.kind);
    expect(kinds).toContain('environment_penalties');
    expect(kinds).not.toContain('serious_over_standard');
  });
});

describe('closure goes through the local government where the region says so', () => {
  test.each([
    ['110105', 'approving_government'], // 30号文 (七): 予以关闭, by a government (a marked default)
    ['410102', 'approving_government'], // Henan keeps 予以关闭
    ['210102', 'local_government'], // Liaoning: 提请当地人民政府予以关闭
    ['440305', 'local_government'], // Guangdong: 提请属地政府
    ['350102', 'approving_government'], // Fuzhou: 提请有批准权限的政府
  ])('safety closure in %s is decided by %s', (code, by) => {
    expect(policyFor(code).dimensions.safety.closureBy).toBe(by);
  });

  test('Fuzhou: energy closure via the local government; the department may order rectification without stopping', () => {
    const fuzhou = policyFor('350102');
    expect(fuzhou.dimensions.energy.closureBy).toBe('local_government');
    expect(fuzhou.dimensions.safety.suspension).toBe('department_decides');
  });

  test('Henan: environment closure approved by the local government, quality by a county-or-above government', () => {
    const henan = policyFor('410102');
    expect(henan.dimensions.environment.closureBy).toBe('local_government');
    expect(henan.dimensions.quality.closureBy).toBe('county_or_above_government');
  });
});

describe('Liaoning, Fuzhou and Changji calendars', () => {
  test('Liaoning: survey by May 31, exit Jun 1 – Sep 30, acceptance by Nov 30; announcement on city websites', () => {
    const liaoning = policyFor('210102');
    const c = liaoning.campaign;
    expect([c.surveyBy, c.exitFrom, c.exitBy, c.acceptanceBy].map((d) => campaignDate(d!, 2021))).toEqual([
      '2021-05-31',
      '2021-06-01',
      '2021-09-30',
      '2021-11-30',
    ]);
    expect(liaoning.technology.announcementOn).toBe('city');
  });

  test('Fuzhou: survey by mid-May, exit by Dec 31, a written acceptance form per enterprise', () => {
    const fuzhou = policyFor('350102');
    expect(fuzhou.campaign.surveyBy.monthDay).toBe('05-15');
    expect(fuzhou.acceptance).toEqual({
      by: 'city_office',
      writtenOpinionPerEnterprise: true,
      form: '验收意见表',
      evidence: ['before', 'during', 'after'],
    });
    expect(fuzhou.focusIndustries).toEqual(expect.arrayContaining(['coal_power', 'paper', 'dyeing', 'foundry', 'lead_acid_battery', 'food']));
  });

  test('Changji: counties report by Nov 30, on top of the national reports', () => {
    const changji = policyFor('652301');
    expect(changji.campaign.reports.map((r) => r.id)).toEqual(['counties_to_prefecture', 'closures_to_industry_it', 'province_to_miit']);
    expect(changji.dimensions).toEqual(policyFor('650100').dimensions);
  });
});

describe('escalation climbs county → city → province', () => {
  test.each([
    ['410102', ['410102', '410100', '410000']],
    ['419001', ['419001', '410000', '410000']], // Jiyuan: no city level
    ['110105', ['110105', '110000', '110000']], // Beijing: a municipality
    ['410100', ['410100', '410100', '410000']], // a case held by the city
  ])('%s escalates to %j', (code, divisions) => {
    expect(escalationLadder(policyFor(code), code).map((s) => s.division)).toEqual(divisions);
  });

  test('a province-level case stays at the province', () => {
    expect(divisionAtLevel('440000', 'city')).toBe('440000');
  });
});

describe('values corrected against the seeds (issue 11)', () => {
  const N = '110105'; // national
  const CJ = '652301'; // Changji
  const LN = '210102';
  const HN = '410102';
  const GD = '440305';
  const FZ = '350102';
  const paths = (code: string) => policyFor(code).defaults.map((d) => d.path);
  const list = (code: string, kind: string) => policyFor(code).publicLists.find((l) => l.kind === kind);

  // 30号文 (七) 予以关闭 names no body: a government closes, marked as a default where the region is silent too.
  test.each([
    [N, 'approving_government', true],
    [CJ, 'approving_government', true],
    [HN, 'approving_government', true], // 二(二)4 予以关闭 names no body either
    [LN, 'local_government', false], // 二(二)5 提请当地人民政府予以关闭
    [GD, 'local_government', false], // 二(四)3 依法提请属地政府予以关闭
    [FZ, 'approving_government', false], // 二(四) 提请有批准权限的政府
  ])('safety closure in %s is decided by %s, never by the department (a marked default: %s)', (code, by, marked) => {
    expect(policyFor(code).dimensions.safety.closureBy).toBe(by);
    expect(paths(code).includes('dimensions.safety.closureBy')).toBe(marked);
  });

  test('no policy lets a department close capacity itself', () => {
    for (const p of POLICIES) for (const d of DIMENSIONS) expect(p.dimensions[d].closureBy).not.toBe('department');
  });

  // 30号文 (十六) 注销生产许可证 for 工艺装备落后、环保和能耗不达标 closures; LN 三(八) 吊销其排污许可证.
  test.each(POLICIES.map((p) => [p.version, p] as const))('%s revokes licences on energy, environment, technology and safety closures', (_v, p) => {
    for (const d of ['energy', 'environment', 'technology', 'safety'] as const) expect([d, p.dimensions[d].revokeLicences]).toEqual([d, true]);
  });

  test.each([
    [N, ['industry_it', 'development_reform', 'energy_bureau', 'coal_industry', 'market_regulation']], // 30号文 (八)
    [CJ, ['industry_it', 'development_reform', 'energy_bureau', 'coal_industry', 'market_regulation']],
    [GD, ['industry_it', 'development_reform', 'market_regulation', 'ecology_environment', 'natural_resources', 'emergency_management', 'energy_bureau']], // 二(五)
    [FZ, ['industry_it', 'development_reform']], // 二(五) 责任单位
    [LN, ['industry_it', 'development_reform']], // 二(二)1
  ])('technology findings in %s are for %j', (code, departments) => {
    expect(policyFor(code).dimensions.technology.departments).toEqual(departments);
  });

  test('Guangdong: a serious quality case is a penalty (吊销营业执照), not a closure (二(三)3)', () => {
    expect(policyFor(GD).dimensions.quality.seriousGoesToClosure).toBe(false);
  });

  test('Henan files its plan by Jun 30 (四(三)) and keeps the national reports beside its own', () => {
    const henan = policyFor(HN);
    expect(campaignDate(henan.campaign.plansFiledBy!, 2021)).toBe('2021-06-30');
    expect(henan.campaign.reports.map((r) => r.id)).toEqual(expect.arrayContaining(['target_plan_to_province', 'summary_to_province', 'closures_to_industry_it', 'province_to_miit']));
    const national = henan.campaign.reports.filter((r) => ['closures_to_industry_it', 'province_to_miit'].includes(r.id));
    expect(national.map((r) => campaignDate(r.by, 2021))).toEqual(['2021-12-31', '2022-01-31']);
  });

  test.each([
    [N, 'campaign.exitBy'], // (十九) 12月底前 is the departments' report, not an exit date
    [CJ, 'campaign.exitBy'],
    [GD, 'campaign.exitBy'], // 四(二) all-year enforcement
    [FZ, 'campaign.surveyBy'], // 三(一) 5月中旬前 → May 15
    [FZ, 'campaign.reports.0.by'], // 三(三) 12月中旬前 → Dec 15
    [LN, 'campaign.reports.2.by'], // 四(七): the cities' summary has no date of its own
  ])('%s marks %s as exitflow\'s reading, not the seed\'s', (code, path) => {
    expect(paths(code)).toContain(path);
  });

  test.each([
    [HN, 'campaign.exitBy'], // 二(一) 10月底前
    [LN, 'campaign.exitBy'], // 二(二) 9月30日
    [FZ, 'campaign.exitBy'], // 三(二) 12月底前
  ])('%s has %s from its own seed, unmarked', (code, path) => {
    expect(paths(code)).not.toContain(path);
  });

  test('Liaoning: the cities\' summary is dated Nov 30 and copied to the provincial departments (四(七))', () => {
    const r = policyFor(LN).campaign.reports[2]!;
    expect(r).toMatchObject({ id: 'cities_summary_to_province', by: { monthDay: '11-30' } });
    expect(r.copyTo).toEqual(expect.arrayContaining(['省财政厅', '国家能源局东北监管局', '省电力公司']));
    expect(r.copyTo).toHaveLength(14);
    expect(policyFor(N).campaign.reports.find((x) => x.id === 'province_to_miit')!.copyTo).toHaveLength(14); // (十九) 抄报
  });

  test.each([
    [N, 'exit_announcement', ['industry_it', 'energy_bureau', 'coal_industry']], // (二十一) 工业和信息化、能源、煤炭主管部门
    [HN, 'exit_announcement', ['industry_it', 'energy_bureau', 'coal_industry']], // 四(二) adds none
    [LN, 'exit_announcement', ['industry_it', 'energy_bureau', 'coal_industry', 'development_reform', 'ecology_environment', 'emergency_management', 'market_regulation']], // 二(三)
    [LN, 'yellow', ['industry_it', 'development_reform', 'market_regulation', 'emergency_management', 'coal_mine_safety']], // 二(一)5 辽宁煤监局
    [N, 'yellow', ['industry_it', 'development_reform', 'market_regulation', 'emergency_management']],
    [FZ, 'yellow', ['industry_it', 'development_reform', 'market_regulation', 'emergency_management']], // (二十一) still binds Fuzhou
    [FZ, 'red', ['industry_it', 'development_reform', 'market_regulation', 'emergency_management']],
    [FZ, 'exit_announcement', ['industry_it', 'energy_bureau', 'coal_industry']],
  ])('%s: the %s list is published by %j', (code, kind, departments) => {
    expect(list(code, kind)?.publishedBy).toEqual(departments);
  });

  test('Fuzhou keeps every national list and adds its own', () => {
    const kinds = policyFor(FZ).publicLists.map((l) => l.kind);
    expect(kinds).toEqual(expect.arrayContaining(policyFor(N).publicLists.map((l) => l.kind)));
    expect(kinds).toContain('over_standard');
  });
});
