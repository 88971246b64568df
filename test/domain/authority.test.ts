import { acceptanceRefusal, cityLevelGovernment, deciderFor, enforces, escalationSteps, extensionFilings, extensionRefusal, locality, type CaseAuthorityContext } from '../../domain/authority';
import type { Department, Dimension } from '../../domain/model';
import { exitInstructionsZh, sealingRefusal } from '../../domain/exit';
import { isFocusIndustry, policyFor, type Policy } from '../../domain/policy';

// Who decides, who is told, who accepts and who enforces, per region, from the pinned policy and
// the enterprise's division only (domain/authority.ts).
const at = (region: string, dimension: Dimension, department: Department, policy: Policy = policyFor(region)): CaseAuthorityContext => ({ policy, dimension, department, region });

describe('the locality (当地/属地) is the enterprise’s own county or district', () => {
  test.each([
    ['410102', '410102'], // 郑州市中原区
    ['410100', '410100'], // registered at city level
    ['419001', '419001'], // 济源
  ])('%s → %s', (region, expected) => expect(locality(region)).toBe(expected));
});

describe('Henan: 省辖市人民政府、示范区管委会或省直管县（市）人民政府 (二(二)1)', () => {
  const henan = policyFor('410102');
  test.each([
    ['410102', '410100', 'a Zhengzhou district answers to Zhengzhou'],
    ['410181', '410181', '巩义 (省直管) answers for itself'],
    ['411381', '411381', '邓州 (省直管) answers for itself'],
    ['419001', '419001', '济源示范区 answers for itself, not to the province'],
    ['411302', '411300', 'a Nanyang district answers to Nanyang'],
  ])('%s → %s: %s', (region, expected) => expect(cityLevelGovernment(henan, region)).toBe(expected));

  test('the extension goes to that government and is filed with the provincial DRC and IIT', () => {
    expect(deciderFor(at('410181', 'energy', 'industry_it'), 'extension')).toEqual({ role: 'approving_government', jurisdiction: '410181' });
    expect(deciderFor(at('419001', 'energy', 'industry_it'), 'extension')).toEqual({ role: 'approving_government', jurisdiction: '419001' });
    expect(extensionFilings(at('410102', 'energy', 'industry_it'))).toEqual([
      { role: 'enforcement_official', department: 'development_reform', jurisdiction: '410000' },
      { role: 'enforcement_official', department: 'industry_it', jurisdiction: '410000' },
    ]);
  });

  test('acceptance by the city government (二(二)6), not the coordination office', () => {
    expect(deciderFor(at('410102', 'technology', 'industry_it'), 'acceptance')).toEqual({ role: 'approving_government', jurisdiction: '410100' });
    expect(deciderFor(at('410181', 'technology', 'industry_it'), 'acceptance')).toEqual({ role: 'approving_government', jurisdiction: '410181' });
  });

  test('environment closure by the local government of the enterprise (二(二)2)', () => {
    expect(deciderFor(at('410102', 'environment', 'ecology_environment'), 'closure')).toEqual({ role: 'approving_government', jurisdiction: '410102' });
  });
});

describe('safety closure is decided by a government, never by the department itself', () => {
  test.each([
    ['410102', 'Henan (national default: the approving government)'],
    ['652301', 'Changji (national default)'],
    ['210102', 'Liaoning 二(二)5 提请当地人民政府'],
    ['440103', 'Guangdong 二(四)3 提请属地政府'],
    ['350102', 'Fuzhou 二(四) 有批准权限的政府'],
  ])('%s: %s', (region) => {
    const d = deciderFor(at(region, 'safety', 'emergency_management'), 'closure');
    expect(d.role).toBe('approving_government');
    expect(d.jurisdiction).toBe(region);
  });
});

describe('acceptance by the body the region names', () => {
  test('Fuzhou: the city office (三(二))', () => {
    expect(deciderFor(at('350102', 'technology', 'industry_it'), 'acceptance')).toEqual({ role: 'coordination_office', jurisdiction: '350100' });
  });
  test('Liaoning: the provincial departments (二(三)), the one that enforces the case', () => {
    expect(deciderFor(at('210102', 'technology', 'industry_it'), 'acceptance')).toEqual({ role: 'enforcement_official', department: 'industry_it', jurisdiction: '210000' });
  });
  test('elsewhere: the coordination office of the enterprise’s locality (national default)', () => {
    expect(deciderFor(at('652301', 'technology', 'industry_it'), 'acceptance')).toEqual({ role: 'coordination_office', jurisdiction: '652301' });
  });

  test('what the acceptance must carry follows the region: Liaoning neither photos nor a written opinion, Fuzhou its form', () => {
    expect(acceptanceRefusal(policyFor('210102'), { evidence: [] })).toBeUndefined();
    expect(acceptanceRefusal(policyFor('410102'), { evidence: [] })?.code).toBe('written_opinion_required');
    expect(acceptanceRefusal(policyFor('410102'), { opinion: '同意', evidence: [{ phase: 'before' }] })?.code).toBe('evidence_incomplete');
    const photos = ['before', 'during', 'after'].map((phase) => ({ phase }));
    expect(acceptanceRefusal(policyFor('350102'), { opinion: '同意', evidence: photos })?.code).toBe('acceptance_form_required');
    expect(acceptanceRefusal(policyFor('350102'), { opinion: '同意', opinionRef: '验收意见表 2026-01', evidence: photos })).toBeUndefined();
  });
});

describe('every answer follows the policy data: changing a field changes the answer', () => {
  const national = policyFor('652301');
  test('acceptance.by', () => {
    const changed: Policy = { ...national, acceptance: { ...national.acceptance, by: 'city_office' } };
    expect(deciderFor(at('652301', 'technology', 'industry_it', changed), 'acceptance')).toEqual({ role: 'coordination_office', jurisdiction: '652300' });
  });
  test('extension.mustApplyBeforeDeadline', () => {
    const late = { months: 2, requestedBefore: 0, periodRunning: false, deadline: '2026-05-31' };
    expect(extensionRefusal(national, 'energy', late)?.code).toBe('request_after_deadline');
    const lenient: Policy = { ...national, dimensions: { ...national.dimensions, energy: { ...national.dimensions.energy, extension: { ...national.dimensions.energy.extension!, mustApplyBeforeDeadline: false } } } };
    expect(extensionRefusal(lenient, 'energy', late)).toBeUndefined();
  });
  test('extension cap and count', () => {
    expect(extensionRefusal(national, 'energy', { months: 4, requestedBefore: 0, periodRunning: true, deadline: null })?.code).toBe('extension_exceeds_cap');
    expect(extensionRefusal(national, 'energy', { months: 1, requestedBefore: 1, periodRunning: true, deadline: null })?.code).toBe('extension_already_used');
    expect(extensionRefusal(national, 'quality', { months: 1, requestedBefore: 0, periodRunning: true, deadline: null })?.code).toBe('extension_not_allowed');
  });
  test('dimensions.*.departments decide who enforces', () => {
    expect(enforces(national, 'energy', 'industry_it')).toBe(true);
    expect(enforces(national, 'energy', 'ecology_environment')).toBe(false);
    const widened: Policy = { ...national, dimensions: { ...national.dimensions, energy: { ...national.dimensions.energy, departments: ['ecology_environment'] } } };
    expect(enforces(widened, 'energy', 'ecology_environment')).toBe(true);
  });
  test('escalation: each level with the roles its notify list names', () => {
    const steps = escalationSteps(at('410102', 'energy', 'industry_it'));
    expect(steps.map((s) => [s.level, s.division, s.roles])).toEqual([
      ['county', '410102', ['enforcement_official']],
      ['city', '410100', ['coordination_office']],
      ['province', '410000', ['coordination_office', 'approving_government']],
    ]);
  });
});

describe('the exit notice, the sealing and the focus industries follow the policy', () => {
  const national = policyFor('652301');
  test('the announcement site, the public commitment and "dismantle at once where possible" shape the notice (30号文 (八))', () => {
    expect(exitInstructionsZh(national, null)).toBe('具备拆除条件的应立即拆除；暂不具备拆除条件的，应立即断水、断电，拆除动力装置，封存主体设备（生产线），向社会公开承诺不再恢复生产，并在省级人民政府或省级主管部门网站公告，限时拆除。');
    expect(exitInstructionsZh(policyFor('410102'), '2027-01-04')).toContain('于2027-01-04前拆除');
    expect(exitInstructionsZh(policyFor('410102'), null)).toContain('市级人民政府门户网站');
    const noCommitment: Policy = { ...national, technology: { ...national.technology, publicCommitment: false, dismantleImmediatelyWhenPossible: false } };
    expect(exitInstructionsZh(noCommitment, null)).toBe('应立即拆除，或断水、断电，拆除动力装置，封存主体设备（生产线），并在省级人民政府或省级主管部门网站公告，限时拆除。');
    expect(sealingRefusal(national, {})?.code).toBe('commitment_required');
    expect(sealingRefusal(noCommitment, {})).toBeUndefined();
  });

  test('focus industries per region (30号文 (三)(十九); HN 一; GD 一)', () => {
    expect(isFocusIndustry(policyFor('410102'), 'coking')).toBe(true);
    expect(isFocusIndustry(national, 'coking')).toBe(false);
    expect(isFocusIndustry(national, 'coal')).toBe(true);
    expect(isFocusIndustry(policyFor('440103'), 'coal')).toBe(false);
    expect(isFocusIndustry({ ...national, focusIndustries: ['paper'] }, 'paper')).toBe(true);
  });
});

test('equipment the policy has dismantled is never merely sealed (30号文 (八) 地条钢), and the list is data', () => {
  const national = policyFor('652301');
  const furnace = [{ name: '1号中频炉', category: 'induction_furnace_steel' }];
  expect(sealingRefusal(national, { commitmentRef: 'x' }, furnace)?.code).toBe('must_dismantle');
  expect(sealingRefusal(national, { commitmentRef: 'x' }, [{ name: '2号高炉' }])).toBeUndefined();
  expect(sealingRefusal({ ...national, technology: { ...national.technology, mustDismantle: [] } }, { commitmentRef: 'x' }, furnace)).toBeUndefined();
});
