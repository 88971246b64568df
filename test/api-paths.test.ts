import request from 'supertest';
import type { Principal } from '../domain/roles';
import { evidenceUri } from '../domain/inputs';
import { caseApi } from './support/api';
import { bearer, enterpriseBody, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// One full path per dimension, driven only through the HTTP API against the real stack
// (Temporal dev server, PostgreSQL, SMTP sink, platform recording endpoint).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const official = (department: string, jurisdiction = '410100'): Principal => ({ sub: `api-${department}`, name: `执法 ${department}`, role: 'enforcement_official', department: department as Principal['department'], jurisdiction });
const office: Principal = { sub: 'api-office', name: '郑州市淘汰落后产能办公室', role: 'coordination_office', jurisdiction: '410100' };
const { act, reach, stageOf, decide, photos } = caseApi(() => stack);

async function open(dimension: string, department: string, extra: object = {}) {
  const by = official(department);
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(by)).send(e)).status).toBe(201);
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(by)).send(openCaseBody(e.creditCode, { dimension: dimension as never, department: department as never, ...extra }));
  expect(opened.status).toBe(201);
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  return { caseId: opened.body.caseId as string, enterprise, by };
}

it('energy: extension granted by the city government, rectified, re-inspected, compliant', async () => {
  const c = await open('energy', 'industry_it');
  await reach(c.caseId, 'rectification');
  expect((await act(c.enterprise, c.caseId, 'extension-requests', { months: 3, reason: '改造工期' })).stage).toBe('extension_requested');
  const granted = await decide(c.caseId, 'extension', 'extension-decisions', { approve: true });
  expect(granted.stage).toBe('rectification');
  await act(c.enterprise, c.caseId, 'rectification-reports', {});
  const done = await act(c.by, c.caseId, 'reinspections', { passed: true, findings: '能耗达标' });
  expect(done.stage).toBe('compliant');
});

it('quality: production stopped, rectified, re-inspected, compliant', async () => {
  const c = await open('quality', 'market_regulation');
  await reach(c.caseId, 'suspended_production');
  await act(c.enterprise, c.caseId, 'rectification-reports', {});
  expect((await act(c.by, c.caseId, 'reinspections', { passed: true })).stage).toBe('compliant');
});

it('safety: production suspended at once, re-inspected, resumed as compliant', async () => {
  const c = await open('safety', 'emergency_management', { rectificationMonths: 2 });
  await reach(c.caseId, 'suspended_production');
  await act(c.enterprise, c.caseId, 'rectification-reports', {});
  expect((await act(c.by, c.caseId, 'reinspections', { passed: true })).stage).toBe('compliant');
});

it('environment (serious): closure approved, joint punishment pushed, resettlement, dismantled, accepted, exited', async () => {
  const c = await open('environment', 'ecology_environment', { serious: true, rectificationMonths: 3 });
  await reach(c.caseId, 'closure_proposed');
  await decide(c.caseId, 'closure', 'closure-decisions', { outcome: 'approve', reason: '情节严重，依法关闭' });
  await reach(c.caseId, 'exit_in_progress');
  // 环保不达标被依法关停: the credit platform (30号文 (十七)) and 注销生产许可证 (十六).
  const pushed = await eventually(async () => {
    const platforms = stack.platforms.calls.filter((p) => (p.body as { caseId?: string })?.caseId === c.caseId).map((p) => p.platform).sort();
    return platforms.length >= 2 ? platforms : undefined;
  }, 30_000, 'joint-punishment pushes');
  expect(pushed).toEqual(['credit_platform', 'production_licence']);
  await act(office, c.caseId, 'resettlement-plans', { workers: 86, planRef: '新密市人社局备案〔2026〕12号' });
  const evidence = await photos(c.caseId, c.by);
  await act(c.by, c.caseId, 'dismantlings', { dismantledOn: openCaseBody('x').noticeServedOn, evidence });
  await reach(c.caseId, 'acceptance');
  // Henan 二(二)6: the city government accepts, from its to-do list.
  expect((await decide(c.caseId, 'acceptance', 'acceptances', { opinion: '主体设备已拆除，同意验收', evidence })).stage).toBe('exited');
  // Environment publishes its own lists (not the red list of the industry departments): the serious emitters.
  const serious = await request(stack.app).get('/api/v1/public/lists/serious_over_standard').query({ region: '410100' });
  expect(serious.body.rows.map((r: { creditCode: string }) => r.creditCode)).toContain(c.enterprise.creditCode);
  const red = await request(stack.app).get('/api/v1/public/lists/red').query({ region: '410100' });
  expect(red.body.rows.map((r: { creditCode: string }) => r.creditCode)).not.toContain(c.enterprise.creditCode);
});

it('technology: sealed with the four measures, dismantled, accepted, exited and announced', async () => {
  const c = await open('technology', 'industry_it');
  await reach(c.caseId, 'exit_in_progress');
  const today = openCaseBody('x').noticeServedOn;
  await act(c.by, c.caseId, 'sealings', {
    sealedOn: today, measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
    commitmentRef: 'https://www.zhengzhou.gov.cn/commitment/1', announcementUrl: 'https://www.zhengzhou.gov.cn/announcement/1',
  });
  await reach(c.caseId, 'sealed');
  const evidence = await photos(c.caseId, c.enterprise);
  await act(c.enterprise, c.caseId, 'dismantlings', { dismantledOn: today, evidence });
  await reach(c.caseId, 'acceptance');
  expect((await decide(c.caseId, 'acceptance', 'acceptances', { opinion: '已拆除，同意验收', evidence })).stage).toBe('exited');
  const announcement = await request(stack.app).get('/api/v1/public/lists/exit_announcement').query({ region: '410100', year: today.slice(0, 4) });
  expect(announcement.body.rows.map((r: { creditCode: string }) => r.creditCode)).toContain(c.enterprise.creditCode);
});

it('answers 409 with the stage and what it accepts, and 422 naming the rule', async () => {
  const c = await open('energy', 'industry_it');
  await reach(c.caseId, 'rectification');
  const cityGovernment: Principal = { sub: 'api-gov-410100', name: '郑州市人民政府', role: 'approving_government', jurisdiction: '410100' };
  const wrongStage = await request(stack.app).post(`/api/v1/cases/${c.caseId}/acceptances`).set('Authorization', await bearer(cityGovernment)).send({ opinion: 'x', evidence: [{ phase: 'before', uri: evidenceUri(c.caseId, `ev-${'a'.repeat(32)}`), sha256: 'a'.repeat(64) }] });
  // Evidence is checked against the store first: 422 names the unknown hash.
  expect(wrongStage.status).toBe(422);
  expect(wrongStage.body.errors[0]).toMatchObject({ field: 'evidence.0.sha256', rule: 'evidence_stored' });
  const notNow = await request(stack.app).post(`/api/v1/cases/${c.caseId}/reinspections`).set('Authorization', await bearer(c.by)).send({ passed: true });
  expect(notNow.status).toBe(409);
  expect(notNow.headers['content-type']).toContain('application/problem+json');
  expect(notNow.body).toMatchObject({ code: 'stage_does_not_accept', stage: 'rectification' });
  expect(notNow.body.accepts).toContain('reportRectificationDone');
  const over = await request(stack.app).post(`/api/v1/cases/${c.caseId}/extension-requests`).set('Authorization', await bearer(c.enterprise)).send({ months: 4 });
  expect(over.status).toBe(422);
  expect(over.body).toMatchObject({ code: 'extension_exceeds_cap', detail: 'extension exceeds 3 months', errors: [{ field: 'months', rule: 'extension_exceeds_cap' }] });
  expect(await stageOf(c.caseId)).toBe('rectification');
});
