import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
const tag = randomUUID().slice(0, 8); // this file's enterprises share a name fragment, to search by
const cases: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const zz = await bearer(officials.zhengzhouIndustry);
  const fz = await bearer(officials.fuzhouIndustry);
  const seed = async (key: string, auth: string, region: string, industry: 'steel' | 'cement', number: string) => {
    const e = enterpriseBody({ creditCode: randomCreditCode(region.slice(0, 4) + '00'), regionCode: region, industry, name: `${key}测试企业${tag}` });
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(e.creditCode, { caseNumber: number }));
    expect(opened.status).toBe(201);
    cases[key] = opened.body.caseId;
    return e.creditCode;
  };
  await seed('中原', zz, '410102', 'steel', 'A-1');
  await seed('金水', zz, '410105', 'cement', 'A-2');
  await seed('鼓楼', fz, '350102', 'steel', 'B-1');
  // The list is served from the read model the workflows write.
  await eventually(async () => {
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1) AND stage = 'rectification'`, [Object.values(cases)]);
    return rows[0].n === 3 ? true : undefined;
  });
});
afterAll(async () => {
  await stack?.close();
});

async function list(principal: Parameters<typeof bearer>[0], query: Record<string, string>) {
  const res = await request(stack.app).get('/api/v1/cases').query({ q: tag, ...query }).set('Authorization', await bearer(principal));
  expect(res.status).toBe(200);
  return res.body as { items: { caseId: string; enterpriseName: string }[]; total: number };
}

describe('listing cases', () => {
  it('shows an official only the cases in their jurisdiction', async () => {
    const page = await list(officials.zhengzhouIndustry, { sort: 'openedAt' });
    expect(page.items.map((c) => c.caseId)).toEqual([cases['中原'], cases['金水']]);
    expect(page.total).toBe(2);
  });

  it('shows an operator every region, and filters by region including sub-regions', async () => {
    expect((await list(officials.operator, {})).total).toBe(3);
    expect((await list(officials.operator, { region: '350000' })).items.map((c) => c.caseId)).toEqual([cases['鼓楼']]);
    expect((await list(officials.operator, { region: '410105' })).items.map((c) => c.caseId)).toEqual([cases['金水']]);
  });

  it('filters by industry, dimension and stage, and pages', async () => {
    expect((await list(officials.operator, { industry: 'steel', sort: 'openedAt' })).items.map((c) => c.caseId)).toEqual([cases['中原'], cases['鼓楼']]);
    expect((await list(officials.operator, { dimension: 'quality' })).total).toBe(0);
    expect((await list(officials.operator, { stage: 'rectification' })).total).toBe(3);
    const page2 = await list(officials.operator, { sort: 'openedAt', pageSize: '2', page: '2' });
    expect(page2.items.map((c) => c.caseId)).toEqual([cases['鼓楼']]);
    expect(page2.total).toBe(3);
  });

  it('shows an enterprise only its own cases', async () => {
    const own = cases['金水']!.split('-')[2]!;
    const page = await list({ sub: 'ent-1', name: '企业用户', role: 'enterprise', creditCode: own }, {});
    expect(page.items.map((c) => c.caseId)).toEqual([cases['金水']]);
  });

  it('names a bad filter and its rule', async () => {
    const res = await request(stack.app).get('/api/v1/cases').query({ region: '41', sort: 'size' }).set('Authorization', await bearer(officials.operator));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.region', 'query.sort']);
  });
});

describe('listing enterprises', () => {
  it('lists by region and industry within the jurisdiction', async () => {
    const res = await request(stack.app).get('/api/v1/enterprises').query({ region: '410100', industry: 'cement', pageSize: '200' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
    expect(res.status).toBe(200);
    const names = res.body.items.map((e: { name: string }) => e.name);
    expect(names).toContain(`金水测试企业${tag}`);
    expect(names).not.toContain(`中原测试企业${tag}`);
    const outside = await request(stack.app).get('/api/v1/enterprises').query({ region: '350000' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
    expect(outside.body.items).toEqual([]);
  });
});
