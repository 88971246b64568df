import request from 'supertest';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// 不得转移 (Henan 2021 二(一), 二(二)6; Fuzhou 2021 三(二)): once a facility's capacity has exited
// (sealed 封存, or dismantled and accepted), it never comes back: not registered again, not the subject
// of a new case, not registered in another region. Driven through the HTTP API against the real stack.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const by = officials.zhengzhouIndustry as Principal;
const measures = ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'];
const today = () => openCaseBody('x').noticeServedOn;

const { post, act, reach, photos, decide } = caseApi(() => stack);

type FacilityView = { id: string; status: string; statusCaseId: string | null };
async function facilities(creditCode: string): Promise<Record<string, FacilityView>> {
  const res = await request(stack.app).get(`/api/v1/enterprises/${creditCode}`).set('Authorization', await bearer(by));
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.facilities as FacilityView[]).map((f) => [f.id, f]));
}

const statusOf = (creditCode: string, id: string, status: string) =>
  eventually(async () => ((await facilities(creditCode))[id]?.status === status ? true : undefined), 30_000, `${id} ${status}`);

/** A registered enterprise (blast furnace BF-2 and converter CV-1) with a technology case on BF-2, in exit. */
async function technologyCaseOnBlastFurnace() {
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  expect((await post(by, '/api/v1/enterprises', e)).status).toBe(201);
  const opened = await post(by, '/api/v1/cases', openCaseBody(e.creditCode, { dimension: 'technology', department: 'industry_it', facilityIds: ['BF-2'] }));
  expect(opened.status).toBe(201);
  await reach(opened.body.caseId, 'exit_in_progress');
  return { e, caseId: opened.body.caseId as string };
}

describe('a sealed facility', () => {
  let c: Awaited<ReturnType<typeof technologyCaseOnBlastFurnace>>;
  beforeAll(async () => {
    c = await technologyCaseOnBlastFurnace();
  });

  it('shows its status on the enterprise: active, in_case while its case runs, sealed once sealed', async () => {
    const before = await facilities(c.e.creditCode);
    expect(before['BF-2']).toMatchObject({ status: 'in_case', statusCaseId: c.caseId });
    expect(before['CV-1']).toMatchObject({ status: 'active', statusCaseId: null });
    await act(by, c.caseId, 'sealings', { sealedOn: today(), measures, commitmentRef: 'https://www.zhengzhou.gov.cn/commitment/fs', announcementUrl: 'https://www.zhengzhou.gov.cn/announcement/fs' });
    await reach(c.caseId, 'sealed');
    await statusOf(c.e.creditCode, 'BF-2', 'sealed');
    const after = await facilities(c.e.creditCode);
    expect(after['BF-2']).toMatchObject({ status: 'sealed', statusCaseId: c.caseId, statusChangedAt: expect.any(String) });
    expect(after['CV-1']).toMatchObject({ status: 'active' });
  });

  it('is not the subject of a new case: 422 naming facilityIds.N and facility_retired', async () => {
    await statusOf(c.e.creditCode, 'BF-2', 'sealed');
    const res = await post(by, '/api/v1/cases', openCaseBody(c.e.creditCode, { dimension: 'energy', department: 'industry_it', facilityIds: ['CV-1', 'BF-2'] }));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'facilityIds.1', rule: 'facility_retired', message: expect.stringContaining('BF-2'), messageZh: expect.stringContaining('不得恢复') }]);
    // The active facility alone may still be the subject of a case.
    expect((await post(by, '/api/v1/cases', openCaseBody(c.e.creditCode, { dimension: 'energy', department: 'industry_it', facilityIds: ['CV-1'] }))).status).toBe(201);
  });

  it('is not registered again: 422 naming facilities.N.id and facility_retired, and it stays sealed', async () => {
    await statusOf(c.e.creditCode, 'BF-2', 'sealed');
    const res = await post(by, '/api/v1/enterprises', c.e);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'facilities.0.id', rule: 'facility_retired', message: expect.stringContaining('sealed'), messageZh: expect.stringContaining('已封存') }]);
    expect((await facilities(c.e.creditCode))['BF-2']).toMatchObject({ status: 'sealed' });
  });

  it('is not moved to another region (不得转移): registering it elsewhere is refused as facility_transfer', async () => {
    await statusOf(c.e.creditCode, 'BF-2', 'sealed');
    const moved = { ...c.e, regionCode: '350102', address: '福建省福州市鼓楼区' };
    const res = await post(officials.fuzhouIndustry as Principal, '/api/v1/enterprises', moved);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'facilities.0.id', rule: 'facility_transfer', message: expect.stringContaining('another region'), messageZh: expect.stringContaining('不得向其他地区转移') }]);
    const stored = await stack.db.query(`SELECT region_code FROM enterprises WHERE credit_code = $1`, [c.e.creditCode]);
    expect(stored.rows).toEqual([{ region_code: '410102' }]);
  });
});

it('a facility dismantled and accepted is retired: shown so, and no new case opens on it', async () => {
  const c = await technologyCaseOnBlastFurnace();
  const evidence = await photos(c.caseId, by);
  await act(by, c.caseId, 'dismantlings', { dismantledOn: today(), evidence });
  await reach(c.caseId, 'acceptance');
  // Whoever the policy names to accept, from the decisions inbox.
  expect((await decide(c.caseId, 'acceptance', 'acceptances', { opinion: '主体设备已拆除，同意验收', evidence })).stage).toBe('exited');

  await statusOf(c.e.creditCode, 'BF-2', 'retired');
  expect((await facilities(c.e.creditCode))['BF-2']).toMatchObject({ status: 'retired', statusCaseId: c.caseId });
  const res = await post(by, '/api/v1/cases', openCaseBody(c.e.creditCode, { dimension: 'technology', department: 'industry_it', facilityIds: ['BF-2'] }));
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual([{ field: 'facilityIds.0', rule: 'facility_retired', message: expect.stringContaining('retired'), messageZh: expect.stringContaining('已拆除退出') }]);
});
