import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, enterpriseBody, openCaseBody, randomCreditCode, office } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// Who decides, accepts and closes, exactly as each region's plan says, through the HTTP API
// (issue "One home for every rule", section 2 items 1–4).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const today = () => toLegalDate(new Date().toISOString());
const official = (department: string, jurisdiction: string): Principal => ({ sub: `off-${department}-${jurisdiction}`, name: `${jurisdiction} ${department} 执法`, role: 'enforcement_official', department: department as Principal['department'], jurisdiction });
const government = (jurisdiction: string): Principal => ({ sub: `gov-${jurisdiction}`, name: `${jurisdiction} 人民政府`, role: 'approving_government', jurisdiction });

const { post, reach, photos } = caseApi(() => stack);

async function openDecision(caseId: string, kind: string) {
  return eventually(async () => (await stack.db.query(`SELECT assignee_role, assignee_department, jurisdiction FROM decisions WHERE case_id = $1 AND kind = $2 AND status = 'open'`, [caseId, kind])).rows[0], 30_000, `an open ${kind} decision`);
}

/** An enterprise registered in `region` and a case opened on it by `by`. */
async function openCase(by: Principal, region: string, dimension: string) {
  const e = enterpriseBody({ creditCode: randomCreditCode(`${region.slice(0, 4)}00`), regionCode: region });
  expect((await post(by, '/api/v1/enterprises', e)).status).toBe(201);
  const opened = await post(by, '/api/v1/cases', openCaseBody(e.creditCode, { dimension: dimension as never, department: by.department as never }));
  expect(opened.status).toBe(201);
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  return { caseId: opened.body.caseId as string, enterprise };
}

/** A technology case dismantled today with a photo for each phase, waiting for its acceptance. */
async function dismantled(by: Principal, region: string) {
  const c = await openCase(by, region, 'technology');
  await reach(c.caseId, 'exit_in_progress');
  const evidence = await photos(c.caseId, by);
  expect((await post(by, `/api/v1/cases/${c.caseId}/dismantlings`, { dismantledOn: today(), evidence })).status).toBe(200);
  await reach(c.caseId, 'acceptance');
  return { ...c, evidence };
}

it('safety: a government decides the closure, not the emergency-management department (LN 二(二)5, GD 二(四)3, FZ 二(四); national default)', async () => {
  const safety = official('emergency_management', '410100');
  const c = await openCase(safety, '410102', 'safety');
  await reach(c.caseId, 'suspended_production');
  expect((await post(c.enterprise, `/api/v1/cases/${c.caseId}/rectification-reports`, {})).status).toBe(200);
  expect((await post(safety, `/api/v1/cases/${c.caseId}/reinspections`, { passed: false, findings: '仍不具备安全生产条件' })).status).toBe(200);
  expect(await openDecision(c.caseId, 'closure')).toEqual({ assignee_role: 'approving_government', assignee_department: null, jurisdiction: '410102' });
  const bySelf = await post(safety, `/api/v1/cases/${c.caseId}/closure-decisions`, { outcome: 'approve', reason: '依法关闭' });
  expect(bySelf.status).toBe(403);
  expect(bySelf.body.detail).toContain('approving_government');
  expect((await post(government('410100'), `/api/v1/cases/${c.caseId}/closure-decisions`, { outcome: 'approve', reason: '依法关闭' })).status).toBe(200);
});

it('当地/属地 is the enterprise’s district: a Fuzhou closure goes to the district government, not the city official’s (FZ 二(一))', async () => {
  const c = await openCase(official('industry_it', '350100'), '350102', 'energy');
  await reach(c.caseId, 'rectification');
  expect((await post(official('industry_it', '350100'), `/api/v1/cases/${c.caseId}/closure-proposals`, { reason: '企业明确表示无法整改' })).status).toBe(200);
  expect(await openDecision(c.caseId, 'closure')).toMatchObject({ assignee_role: 'approving_government', jurisdiction: '350102' });
  const neighbour = await post(government('350103'), `/api/v1/cases/${c.caseId}/closure-decisions`, { outcome: 'approve', reason: '关闭' });
  expect(neighbour.status).toBe(403);
  const inbox = await request(stack.app).get('/api/v1/decisions').set('Authorization', await bearer(government('350102')));
  expect(inbox.body.items.map((d: { caseId: string }) => d.caseId)).toContain(c.caseId);
  expect((await post(government('350102'), `/api/v1/cases/${c.caseId}/closure-decisions`, { outcome: 'approve', reason: '关闭' })).status).toBe(200);
});

it('Henan: an extension in 邓州 (省直管) or 济源 goes to their own government, elsewhere to the prefecture city (HN 二(二)1)', async () => {
  for (const [region, decider] of [['411381', '411381'], ['419001', '419001'], ['410102', '410100']] as const) {
    const c = await openCase(official('industry_it', region === '410102' ? '410100' : region), region, 'energy');
    await reach(c.caseId, 'rectification');
    expect((await post(c.enterprise, `/api/v1/cases/${c.caseId}/extension-requests`, { months: 3, reason: '改造工期' })).status).toBe(200);
    expect(await openDecision(c.caseId, 'extension')).toMatchObject({ assignee_role: 'approving_government', jurisdiction: decider });
    expect((await post(government(decider), `/api/v1/cases/${c.caseId}/extension-decisions`, { approve: true })).status).toBe(200);
  }
});

it('Henan: the city government accepts (HN 二(二)6); the coordination office may not', async () => {
  const c = await dismantled(official('industry_it', '410100'), '410102');
  expect(await openDecision(c.caseId, 'acceptance')).toMatchObject({ assignee_role: 'approving_government', jurisdiction: '410100' });
  const byOffice = await post(office('410100'), `/api/v1/cases/${c.caseId}/acceptances`, { opinion: '同意验收', evidence: c.evidence });
  expect(byOffice.status).toBe(403);
  const withoutOpinion = await post(government('410100'), `/api/v1/cases/${c.caseId}/acceptances`, { evidence: c.evidence });
  expect(withoutOpinion.status).toBe(422);
  expect(withoutOpinion.body.code).toBe('written_opinion_required');
  const accepted = await post(government('410100'), `/api/v1/cases/${c.caseId}/acceptances`, { opinion: '经现场核查，主体设备已拆除，同意验收。', evidence: c.evidence });
  expect(accepted.status).toBe(200);
  expect(accepted.body.stage).toBe('exited');
});

it('Liaoning: the provincial department accepts, without photos or a written opinion the plan does not ask for (LN 二(三))', async () => {
  const c = await openCase(official('industry_it', '210100'), '210102', 'technology');
  await reach(c.caseId, 'exit_in_progress');
  expect((await post(official('industry_it', '210100'), `/api/v1/cases/${c.caseId}/dismantlings`, { dismantledOn: today() })).status).toBe(200);
  await reach(c.caseId, 'acceptance');
  expect(await openDecision(c.caseId, 'acceptance')).toEqual({ assignee_role: 'enforcement_official', assignee_department: 'industry_it', jurisdiction: '210000' });
  expect((await post(office('210100'), `/api/v1/cases/${c.caseId}/acceptances`, {})).status).toBe(403);
  const accepted = await post(official('industry_it', '210000'), `/api/v1/cases/${c.caseId}/acceptances`, {});
  expect(accepted.status).toBe(200);
  expect(accepted.body.stage).toBe('exited');
});

it('Fuzhou: the city office accepts on its 《验收意见表》, which the opinion must cite (FZ 三(二))', async () => {
  const c = await dismantled(official('industry_it', '350100'), '350102');
  expect(await openDecision(c.caseId, 'acceptance')).toMatchObject({ assignee_role: 'coordination_office', jurisdiction: '350100' });
  const noForm = await post(office('350100'), `/api/v1/cases/${c.caseId}/acceptances`, { opinion: '同意验收', evidence: c.evidence });
  expect(noForm.status).toBe(422);
  expect(noForm.body.errors[0]).toMatchObject({ field: 'opinionRef', rule: 'acceptance_form_required' });
  const accepted = await post(office('350100'), `/api/v1/cases/${c.caseId}/acceptances`, { opinion: '同意验收', opinionRef: '榕淘汰办验收意见表〔2026〕3号', evidence: c.evidence });
  expect(accepted.status).toBe(200);
});

it('environment: the department chooses 限制生产 or 停产整治 at opening, and only where the policy leaves it to it (30号文 (五))', async () => {
  const ecology = official('ecology_environment', '410100');
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  expect((await post(ecology, '/api/v1/enterprises', e)).status).toBe(201);
  const unchosen = await post(ecology, '/api/v1/cases', openCaseBody(e.creditCode, { dimension: 'environment', department: 'ecology_environment' }));
  expect(unchosen.status).toBe(422);
  expect(unchosen.body.errors[0]).toMatchObject({ field: 'measure', rule: 'measure_required' });
  const energy = await post(official('industry_it', '410100'), '/api/v1/cases', openCaseBody(e.creditCode, { measure: 'suspend_production' }));
  expect(energy.status).toBe(422);
  expect(energy.body.errors[0]).toMatchObject({ field: 'measure', rule: 'measure_not_applicable' });
  const opened = await post(ecology, '/api/v1/cases', openCaseBody(e.creditCode, { dimension: 'environment', department: 'ecology_environment', measure: 'suspend_production', rectificationMonths: 2 }));
  expect(opened.status).toBe(201);
  expect(opened.body.stage).toBe('suspended_production');
});

it('a closure is pushed to the platforms the dimension and region call for, and only those (30号文 (十六)(十七); LN 三(八))', async () => {
  const zhengzhou = await openCase(official('industry_it', '410100'), '410102', 'energy');
  const liaoning = await openCase(official('industry_it', '210100'), '210102', 'energy');
  for (const [c, by, gov] of [[zhengzhou, official('industry_it', '410100'), government('410102')], [liaoning, official('industry_it', '210100'), government('210102')]] as const) {
    await reach(c.caseId, 'rectification');
    expect((await post(by, `/api/v1/cases/${c.caseId}/closure-proposals`, { reason: '企业明确表示无法整改' })).status).toBe(200);
    await openDecision(c.caseId, 'closure');
    expect((await post(gov, `/api/v1/cases/${c.caseId}/closure-decisions`, { outcome: 'approve', reason: '依法关闭' })).status).toBe(200);
  }
  const platformsOf = async (caseId: string, n: number) =>
    eventually(async () => {
      const got = stack.platforms.calls.filter((x) => (x.body as { caseId?: string })?.caseId === caseId).map((x) => x.platform).sort();
      return got.length >= n ? got : undefined;
    }, 30_000, `${n} pushes`);
  // 能耗不达标被依法关停: 注销生产许可证 (十六); the national credit platform (十七). Not the banks, the
  // power supplier or the discharge permit: nothing calls for them here.
  expect(await platformsOf(zhengzhou.caseId, 2)).toEqual(['credit_platform', 'production_licence']);
  // Liaoning adds 信用辽宁, the discharge permit (吊销排污许可证) and the power supplier (停止供电).
  expect(await platformsOf(liaoning.caseId, 5)).toEqual(['credit_liaoning', 'credit_platform', 'discharge_permit', 'power_supply', 'production_licence']);
});

it('flags a case of one of its region’s focus industries (重点行业): coking in Henan, not coal in Guangdong', async () => {
  const henan = official('industry_it', '410100');
  const coking = enterpriseBody({ creditCode: randomCreditCode('410100'), industry: 'coking', name: `郑州焦化厂${randomUUID().slice(0, 4)}` });
  expect((await post(henan, '/api/v1/enterprises', coking)).status).toBe(201);
  expect((await post(henan, '/api/v1/cases', openCaseBody(coking.creditCode))).status).toBe(201);
  const guangdong = official('industry_it', '440100');
  const coal = enterpriseBody({ creditCode: randomCreditCode('440100'), regionCode: '440103', industry: 'coal', name: `广州煤矿${randomUUID().slice(0, 4)}` });
  expect((await post(guangdong, '/api/v1/enterprises', coal)).status).toBe(201);
  expect((await post(guangdong, '/api/v1/cases', openCaseBody(coal.creditCode))).status).toBe(201);
  const listed = async (who: Principal, name: string) => (await request(stack.app).get('/api/v1/cases').query({ q: name }).set('Authorization', await bearer(who))).body.items[0];
  expect(await listed(henan, coking.name)).toMatchObject({ industry: 'coking', focusIndustry: true });
  expect(await listed(guangdong, coal.name)).toMatchObject({ industry: 'coal', focusIndustry: false });
});

it('地条钢: an induction furnace producing building steel is dismantled, never merely sealed (30号文 (八); FZ 二(五))', async () => {
  const by = official('industry_it', '410100');
  const e = enterpriseBody({ creditCode: randomCreditCode('410100'), facilities: [{ id: 'IF-1', name: '1号中频感应炉 5t', kind: 'equipment', capacity: 3, unit: '万吨/年', category: 'induction_furnace_steel' }] });
  expect((await post(by, '/api/v1/enterprises', e)).status).toBe(201);
  const opened = await post(by, '/api/v1/cases', openCaseBody(e.creditCode, { dimension: 'technology', facilityIds: ['IF-1'] }));
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  await reach(caseId, 'exit_in_progress');
  const sealed = await post(by, `/api/v1/cases/${caseId}/sealings`, { sealedOn: today(), measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'], commitmentRef: '承诺书', announcementUrl: 'https://www.zhengzhou.gov.cn/announcement/if-1' });
  expect(sealed.status).toBe(422);
  expect(sealed.body.errors[0]).toMatchObject({ field: 'measures', rule: 'must_dismantle' });
  expect(sealed.body.errors[0].messageZh).toContain('1号中频感应炉');
  expect((await post(by, `/api/v1/cases/${caseId}/dismantlings`, { dismantledOn: today(), evidence: await photos(caseId, by) })).status).toBe(200);
});
