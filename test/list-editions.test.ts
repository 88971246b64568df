import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, office } from './support/fixtures';
import { surveySheet, surveyRow, XLSX_TYPE, type SurveyRow } from './support/survey';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
const PINGDINGSHAN = office('410400');
const LUOYANG = office('410300');
const year = new Date().getUTCFullYear() + 1;
const campaignId = `campaign-410400-${year}`;
const api = caseApi(() => stack);

beforeAll(async () => {
  stack = await startStack();
  const started = await api.post(PINGDINGSHAN, '/api/v1/campaigns', { division: '410400', year });
  expect(started.status).toBe(201);
  await eventually(async () => (await stack.db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId])).rowCount || undefined, 30_000, 'campaign recorded');
});
afterAll(async () => {
  await stack?.close();
});

type Row = SurveyRow;

const row = (over: Row = {}): Row => surveyRow({ city: '410400', regionCode: '410402', name: '平顶山市某某钢铁有限公司', caseNumberPrefix: 'PDS' }, over);

async function commitSurvey(rows: Row[]) {
  const res = await request(stack.app)
    .post(`/api/v1/campaigns/${campaignId}/surveys`)
    .query({ mode: 'commit' })
    .set('Authorization', await bearer(PINGDINGSHAN))
    .set('Content-Type', XLSX_TYPE)
    .send(await surveySheet(rows, 'xlsx'));
  expect(res.status).toBe(200);
  expect(res.body.failed).toBe(0);
}

const publish = (who: Principal, key = randomUUID()) => api.post(who, `/api/v1/campaigns/${campaignId}/publications`, { kind: 'target_list', note: '年度淘汰目标计划公示' }, { 'Idempotency-Key': key });
const edition = (id: string, query: Record<string, string> = {}) => request(stack.app).get(`/api/v1/public/lists/target_list/editions/${id}`).query(query);
const editions = () => request(stack.app).get('/api/v1/public/lists/target_list/editions').query({ region: '410400', year: String(year) });
const live = () => request(stack.app).get('/api/v1/public/lists/target_list').query({ region: '410400', year: String(year) });

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

// The Pingdingshan campaign's survey: a steel works with two furnaces to exit, a cement line to rectify (no target).
const steel = row({ name: '平顶山市甲钢铁有限公司', facilityId: 'BF-1', capacity: 30 });
const first: Row[] = [
  steel,
  { ...steel, facilityId: 'BF-2', facilityName: '2号高炉 450m³', capacity: 40 },
  row({ name: '平顶山市乙水泥有限公司', regionCode: '410403', industry: 'cement', facilityId: 'KL-1', facilityName: '1号熟料线', facilityKind: 'production_line', capacity: 60, treatment: 'rectify' }),
];
const later = row({ name: '平顶山市丙焦化有限公司', regionCode: '410403', industry: 'coking', facilityId: 'CO-1', facilityName: '1号焦炉', capacity: 50 });

let firstEdition: { editionId: string; sha256: string; publishedAt: string };

describe('publishing the target list (公示) of the Pingdingshan campaign', () => {
  it('only the campaign’s office publishes: 401 without a token, 403 for another city’s office', async () => {
    await commitSurvey(first);
    const anonymous = await request(stack.app).post(`/api/v1/campaigns/${campaignId}/publications`).send({ kind: 'target_list' });
    expect(anonymous.status).toBe(401);
    const luoyang = await publish(LUOYANG);
    expect(luoyang.status).toBe(403);
    expect((await editions()).body.items).toEqual([]);
  });

  it('freezes the survey’s exit rows into an edition (audited, idempotent), readable without a token exactly as published', async () => {
    const before = await live();
    expect(before.status).toBe(200);
    expect(before.body.publishedAt).toBeUndefined();

    const key = randomUUID();
    const res = await publish(PINGDINGSHAN, key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'target_list', region: '410400', year, campaignId, rowCount: 1, note: '年度淘汰目标计划公示' });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    firstEdition = res.body;
    const again = await publish(PINGDINGSHAN, key);
    expect(again.body.editionId).toBe(res.body.editionId);
    expect((await editions()).body.items).toEqual([expect.objectContaining({ editionId: res.body.editionId, rowCount: 1, sha256: res.body.sha256, publishedAt: res.body.publishedAt })]);
    const audit = await stack.db.query(`SELECT actor->>'sub' AS sub FROM audit_log WHERE action = 'public_list.publish' AND target = $1`, [res.body.editionId]);
    expect(audit.rows).toEqual([{ sub: 'office-410400' }]);

    const read = await edition(res.body.editionId);
    expect(read.status).toBe(200);
    expect(read.headers['last-modified']).toBe(new Date(res.body.publishedAt).toUTCString());
    expect(read.body).toMatchObject({ editionId: res.body.editionId, publishedAt: res.body.publishedAt, total: 1 });
    // Henan 四(三) shows enterprise, region, industry, equipment and capacity: no finding, no deadline.
    expect(read.body.columns.map((c: { key: string }) => c.key)).toEqual(['enterpriseName', 'creditCode', 'regionCode', 'regionName', 'industry', 'equipment', 'capacity']);
    expect(read.body.rows).toEqual([
      { enterpriseName: '平顶山市甲钢铁有限公司', creditCode: steel.creditCode, regionCode: '410402', regionName: '河南省 平顶山市 新华区', industry: '钢铁', equipment: '1号高炉 400m³；2号高炉 450m³', capacity: '30 万吨/年；40 万吨/年' },
    ]);

    // The live target list is now the published edition, with its publication date.
    const now = await live();
    expect(now.body).toMatchObject({ editionId: res.body.editionId, publishedAt: res.body.publishedAt, total: 1, rows: read.body.rows });
  });

  it('publishing again after the survey grows keeps the first edition as it was', async () => {
    await commitSurvey([later]);
    const res = await publish(PINGDINGSHAN);
    expect(res.status).toBe(201);
    expect(res.body.rowCount).toBe(2);
    expect(res.body.sha256).not.toBe(firstEdition.sha256);

    const listed = (await editions()).body.items as { editionId: string }[];
    expect(listed.map((e) => e.editionId)).toEqual([res.body.editionId, firstEdition.editionId]);

    const old = await edition(firstEdition.editionId);
    expect(old.body).toMatchObject({ total: 1, sha256: firstEdition.sha256, publishedAt: firstEdition.publishedAt });
    expect(old.body.rows.map((r: { enterpriseName: string }) => r.enterpriseName)).toEqual(['平顶山市甲钢铁有限公司']);
    const fresh = await edition(res.body.editionId, { page: '2', pageSize: '1' });
    expect(fresh.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(fresh.body.rows).toHaveLength(1);

    const now = await live();
    expect(now.body).toMatchObject({ editionId: res.body.editionId, total: 2 });
  });

  it('downloads an edition as CSV with the BOM and every row, the bytes hashing to its sha256', async () => {
    const latest = (await editions()).body.items[0] as { editionId: string; sha256: string; rowCount: number };
    const res = await edition(latest.editionId, { format: 'csv' }).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const file = res.body as Buffer;
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = file.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('企业名称,统一社会信用代码,行政区划代码,所在地区,行业,设备（生产线）,产能');
    expect(lines).toHaveLength(latest.rowCount + 1);
    expect(lines.join('\n')).toContain('平顶山市丙焦化有限公司');
    expect(createHash('sha256').update(file).digest('hex')).toBe(latest.sha256);
    const old = await edition(firstEdition.editionId, { format: 'csv' }).buffer(true).parse(binary);
    expect(createHash('sha256').update(old.body as Buffer).digest('hex')).toBe(firstEdition.sha256);
  });

  it('a list the campaign’s policy does not publish cannot be published (Henan has no environment_penalties list)', async () => {
    const res = await api.post(PINGDINGSHAN, `/api/v1/campaigns/${campaignId}/publications`, { kind: 'environment_penalties' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('list_not_published');
    expect((await request(stack.app).get('/api/v1/public/lists/environment_penalties/editions').query({ region: '410400' })).body.items).toEqual([]);
  });

  it('publishes the yellow list too: everyone on it now (the surveyed line to rectify, its case opened before the campaign year), with its deadline column', async () => {
    // Its case is rectifying (the public live list is cached for a while; a publication reads the list as it is).
    const rectifying = `SELECT 1 FROM cases c JOIN enterprises e USING (credit_code) WHERE e.name = '平顶山市乙水泥有限公司' AND c.stage = 'rectification'`;
    await eventually(async () => (await stack.db.query(rectifying)).rowCount || undefined, 60_000, 'the cement works rectifying');
    const res = await api.post(PINGDINGSHAN, `/api/v1/campaigns/${campaignId}/publications`, { kind: 'yellow', note: '黄牌企业名单公示' }, { 'Idempotency-Key': randomUUID() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'yellow', region: '410400', campaignId, note: '黄牌企业名单公示' });
    expect(res.body.rowCount).toBeGreaterThanOrEqual(1);
    const read = await request(stack.app).get(`/api/v1/public/lists/yellow/editions/${res.body.editionId}`);
    expect(read.status).toBe(200);
    expect(read.body.rows.map((r: { enterpriseName: string }) => r.enterpriseName)).toContain('平顶山市乙水泥有限公司');
    // The yellow list shows the rectification deadline (30号文 (二十一)); the target list did not.
    expect(read.body.columns.map((c: { key: string }) => c.key)).toContain('deadline');
    // Under the target list's kind it is not found.
    expect((await edition(res.body.editionId)).status).toBe(404);
  });

  it('an unknown edition, or an edition asked for under another kind, is 404', async () => {
    expect((await edition('edition-00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await request(stack.app).get(`/api/v1/public/lists/yellow/editions/${firstEdition.editionId}`)).status).toBe(404);
  });
});
