import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../api/app';
import { editionColumns, publishedRow, type PublishingRule } from '../api/services/public-lists';
import { FUZHOU } from '../domain/policy/regions/fuzhou';
import { NATIONAL } from '../domain/policy/regions/national';
import { randomCreditCode } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

// Lists are built from the read model; rows are inserted directly, in a county of Zhengzhou that only this file uses.
let stack: Stack;
const region = '410181'; // 巩义市 (county-level city of Zhengzhou, Henan policy)
const tag = randomUUID().slice(0, 6);
let seq = 0;

interface Seed { name: string; dimension: string; department: string; stage: string; serious?: boolean; deadline?: string; events?: string[]; retiredYear?: number }

async function seedCase(o: Seed, where: { region: string; policy: { id: string; version: string } } = { region, policy: { id: 'henan', version: 'henan-2021.1' } }) {
  const region = where.region;
  const creditCode = randomCreditCode(`${region.slice(0, 4)}00`);
  const caseId = `case-${region}-${creditCode}-P${tag}${seq++}`;
  const facilities = [{ id: 'L1', name: '1号熟料生产线', kind: 'production_line', capacity: 60, unit: '万吨/年' }];
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,'cement','王','a@b.cn','{}')`, [creditCode, o.name, region]);
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, serious, facilities, policy_id, policy_version, stage, deadline_date, rectification_deadline, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,'cement',$5,$6,'30号文','2026-03-02',$7,$8,$11,$12,$9,$10,$10,'{}','2026-03-02T02:00:00Z')`,
    [caseId, `P${seq}`, creditCode, region, o.dimension, o.department, o.serious ?? false, JSON.stringify(facilities), o.stage, o.deadline ?? null, where.policy.id, where.policy.version],
  );
  for (const [i, stage] of (o.events ?? []).entries()) {
    await stack.db.query(`INSERT INTO case_events (case_id, idempotency_key, kind, stage, occurred_at) VALUES ($1,$2,'stage',$3,now())`, [caseId, `${caseId}/t/${i}`, stage]);
  }
  if (o.retiredYear) {
    await stack.db.query(`INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on) VALUES ($1,$2,'cement',$3,60,'万吨/年',$4,$5)`, [caseId, region, o.retiredYear, JSON.stringify(facilities), `${o.retiredYear}-09-30`]);
  }
  return creditCode;
}

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  await seedCase({ name: '巩义甲水泥有限公司', dimension: 'energy', department: 'industry_it', stage: 'rectification', deadline: '2026-09-02' });
  await seedCase({ name: '巩义乙水泥有限公司', dimension: 'energy', department: 'industry_it', stage: 'compliant' });
  await seedCase({ name: '巩义丙水泥有限公司', dimension: 'environment', department: 'ecology_environment', stage: 'rectification', serious: false });
  await seedCase({ name: '巩义丁水泥有限公司', dimension: 'environment', department: 'ecology_environment', stage: 'closure_proposed', serious: true });
  await seedCase({ name: '巩义戊水泥有限公司', dimension: 'quality', department: 'market_regulation', stage: 'exited', events: ['closure_proposed', 'closure_ordered', 'exited'], retiredYear: 2026 });
  await seedCase({ name: '=HYPERLINK("x")巩义己', dimension: 'technology', department: 'industry_it', stage: 'exited', events: ['exited'], retiredYear: 2025 });
});
afterAll(async () => {
  await stack?.close();
});

const names = (body: { rows: { enterpriseName: string }[] }) => body.rows.map((r) => r.enterpriseName);

it('publishes the yellow list: enterprises still rectifying, with their deadline, to anyone without a token', async () => {
  const res = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region });
  expect(res.status).toBe(200);
  expect(names(res.body)).toEqual(['巩义甲水泥有限公司']);
  expect(res.body.rows[0]).toEqual({ enterpriseName: '巩义甲水泥有限公司', creditCode: expect.any(String), regionCode: region, regionName: '河南省 郑州市 巩义市', industry: '水泥', dimension: '能耗', deadline: '2026-09-02' });
});

it('publishes the red list, the over-standard emitters and the serious list', async () => {
  expect(names((await request(stack.app).get('/api/v1/public/lists/red').query({ region })).body)).toEqual(['巩义戊水泥有限公司']);
  expect(names((await request(stack.app).get('/api/v1/public/lists/over_standard').query({ region })).body).sort()).toEqual(['巩义丁水泥有限公司', '巩义丙水泥有限公司'].sort());
  expect(names((await request(stack.app).get('/api/v1/public/lists/serious_over_standard').query({ region })).body)).toEqual(['巩义丁水泥有限公司']);
});

it('shows only the fields the policy allows: the red list has no deadline, the exit announcement the equipment and capacity', async () => {
  const red = (await request(stack.app).get('/api/v1/public/lists/red').query({ region })).body;
  expect(red.columns.map((c: { key: string }) => c.key)).not.toContain('deadline');
  const exit = (await request(stack.app).get('/api/v1/public/lists/exit_announcement').query({ region, year: '2026' })).body;
  expect(exit.rows).toEqual([expect.objectContaining({ enterpriseName: '巩义戊水泥有限公司', equipment: '1号熟料生产线', capacity: '60 万吨/年' })]);
  expect(exit.rows[0]).not.toHaveProperty('dimension');
});

it('serves CSV in UTF-8 with a BOM for Excel, with Chinese headers, formulas neutralised', async () => {
  const res = await request(stack.app).get('/api/v1/public/lists/exit_announcement').query({ region, year: '2025', format: 'csv' }).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  const bytes = res.body as Buffer;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toBe('企业名称,统一社会信用代码,行政区划代码,所在地区,行业,设备（生产线）,产能,退出方式');
  expect(lines[1]).toMatch(/^"'=HYPERLINK\(""x""\)巩义己",/);
});

it('names a bad region and refuses a list the region does not publish', async () => {
  const bad = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: '419999' });
  expect(bad.status).toBe(422);
  expect(bad.body.errors[0].field).toBe('query.region');
  const missing = await request(stack.app).get('/api/v1/public/lists/environment_penalties').query({ region });
  expect(missing.status).toBe(404);
  expect(missing.body.code).toBe('list_not_published');
});

it('rate-limits the public endpoints per address', async () => {
  const app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_RATE_LIMIT_PER_MINUTE: 3 } });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await request(app).get('/api/v1/public/lists/yellow').query({ region })).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const limited = await request(app).get('/api/v1/public/lists/yellow').query({ region });
  expect(limited.headers['content-type']).toContain('application/problem+json');
});

describe('each case is published under its own pinned policy, not the policy of the region asked for', () => {
  // Fujian has no provincial policy (national applies to 350000 and Xiamen); Fuzhou (3501) has its own,
  // which keeps the national lists (30号文 (二十一)) and adds its own. A pin no shipped policy answers to
  // (here a Fuzhou version never shipped) stands for rules exitflow does not know: nothing is guessed.
  const fuzhou = { region: '350102', policy: { id: FUZHOU.id, version: FUZHOU.version } };
  const xiamen = { region: '350203', policy: { id: NATIONAL.id, version: NATIONAL.version } };
  const unknown = { region: '350102', policy: { id: FUZHOU.id, version: 'fuzhou-2020.1' } };
  const seeded: Record<string, string> = {};
  const csvOf = async (kind: string, query: Record<string, string>) =>
    (await request(stack.app).get(`/api/v1/public/lists/${kind}`).query({ ...query, format: 'csv' }).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    })).body as string;

  beforeAll(async () => {
    seeded.fuzhouEmitter = await seedCase({ name: `福州超标排放企业${tag}`, dimension: 'environment', department: 'ecology_environment', stage: 'rectification' }, fuzhou);
    seeded.xiamenEmitter = await seedCase({ name: `厦门超标排放企业${tag}`, dimension: 'environment', department: 'ecology_environment', stage: 'rectification' }, xiamen);
    seeded.fuzhouMarket = await seedCase({ name: `福州市场监管整改企业${tag}`, dimension: 'quality', department: 'market_regulation', stage: 'rectification', deadline: '2026-09-02' }, fuzhou);
    seeded.fuzhouIndustry = await seedCase({ name: `福州工信整改企业${tag}`, dimension: 'energy', department: 'industry_it', stage: 'rectification', deadline: '2026-09-03' }, fuzhou);
    seeded.xiamenMarket = await seedCase({ name: `厦门市场监管整改企业${tag}`, dimension: 'quality', department: 'market_regulation', stage: 'rectification', deadline: '2026-09-04' }, xiamen);
    seeded.xiamenCoalMine = await seedCase({ name: `厦门煤监整顿企业${tag}`, dimension: 'safety', department: 'coal_mine_safety', stage: 'suspended_production', deadline: '2026-06-02' }, xiamen);
    seeded.unknownEmitter = await seedCase({ name: `未知版本超标排放企业${tag}`, dimension: 'environment', department: 'ecology_environment', stage: 'rectification' }, unknown);
  });

  it('a province lists a city’s case on the lists the city’s policy publishes: Fuzhou’s emitter is on Fujian’s over-standard list (30号文 (二十一) binds Fuzhou); a case pinned to an unknown version is on none', async () => {
    expect(FUZHOU.publicLists.map((l) => l.kind)).toContain('over_standard');
    const res = await request(stack.app).get('/api/v1/public/lists/over_standard').query({ region: '350000' });
    expect(res.status).toBe(200);
    const codes = res.body.rows.map((r: { creditCode: string }) => r.creditCode);
    expect(codes).toEqual(expect.arrayContaining([seeded.xiamenEmitter, seeded.fuzhouEmitter]));
    expect(codes).not.toContain(seeded.unknownEmitter);
    expect(res.body.policies).toEqual(expect.arrayContaining([{ id: 'fuzhou', version: FUZHOU.version }, { id: 'national', version: NATIONAL.version }]));
    // Nothing of the enterprise under unknown rules leaves the building, in JSON or CSV.
    expect(JSON.stringify(res.body)).not.toContain(`未知版本超标排放企业${tag}`);
    const csv = await csvOf('over_standard', { region: '350000' });
    expect(csv).toContain(seeded.xiamenEmitter);
    expect(csv).toContain(seeded.fuzhouEmitter);
    expect(csv).not.toContain(seeded.unknownEmitter);
    expect(csv).not.toContain(`未知版本超标排放企业${tag}`);
  });

  it('a list none of the policies governing a region publishes is 404 there', async () => {
    // Neither the national policy nor Fuzhou's publishes a target list (Henan's and Liaoning's do).
    const res = await request(stack.app).get('/api/v1/public/lists/target_list').query({ region: '350100' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('list_not_published');
    expect((await request(stack.app).get('/api/v1/public/lists/over_standard').query({ region: '350100' })).status).toBe(200);
  });

  it('a case appears only for the departments its own policy lets publish the list', async () => {
    const res = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: '350000' });
    expect(res.status).toBe(200);
    const byCode = Object.fromEntries(res.body.rows.map((r: { creditCode: string }) => [r.creditCode, r]));
    expect(byCode[seeded.fuzhouEmitter!]).toBeUndefined(); // environment publishes its own lists, not the yellow one
    // Fuzhou: 二(一) industry and IT publish the yellow list, and market regulation still does (30号文 (二十一)).
    expect(byCode[seeded.fuzhouMarket!]).toMatchObject({ enterpriseName: `福州市场监管整改企业${tag}`, deadline: '2026-09-02' });
    expect(byCode[seeded.fuzhouIndustry!]).toMatchObject({ enterpriseName: `福州工信整改企业${tag}`, deadline: '2026-09-03', regionName: '福建省 福州市 鼓楼区' });
    expect(byCode[seeded.xiamenMarket!]).toMatchObject({ deadline: '2026-09-04' }); // national: market regulation publishes too
    expect(byCode[seeded.xiamenCoalMine!]).toBeUndefined(); // national (二十一) does not name coal-mine safety (Liaoning 二(一)5 does)
    expect(res.body.policies).toEqual(expect.arrayContaining([{ id: 'fuzhou', version: FUZHOU.version }, { id: 'national', version: NATIONAL.version }]));
    const csv = await csvOf('yellow', { region: '350000' });
    expect(csv).toContain(seeded.fuzhouIndustry);
    expect(csv).toContain(seeded.fuzhouMarket);
    expect(csv).not.toContain(seeded.fuzhouEmitter);
  });

  it('rows of one list from policies with different columns: each row fills only what its own policy shows', () => {
    const yellow = (p: typeof NATIONAL) => p.publicLists.find((l) => l.kind === 'yellow')!;
    const strict: PublishingRule = { policy: { id: 'fuzhou', version: FUZHOU.version }, rule: { ...yellow(FUZHOU), shows: ['enterprise', 'region'] } };
    const open: PublishingRule = { policy: { id: 'national', version: NATIONAL.version }, rule: yellow(NATIONAL) };
    const columns = editionColumns([strict, open]);
    expect(columns.map((c) => c.key)).toEqual(['enterpriseName', 'creditCode', 'regionCode', 'regionName', 'industry', 'dimension', 'deadline']);
    const cells = { enterpriseName: '甲', creditCode: 'X', regionCode: '350102', regionName: '福州', industry: '水泥', dimension: '能耗', deadline: '2026-09-02', equipment: '1号线' };
    expect(publishedRow(cells, columns, new Set(strict.rule.shows))).toEqual({ enterpriseName: '甲', creditCode: 'X', regionCode: '350102', regionName: '福州', industry: '', dimension: '', deadline: '' });
    expect(publishedRow(cells, columns, new Set(open.rule.shows))).toEqual({ enterpriseName: '甲', creditCode: 'X', regionCode: '350102', regionName: '福州', industry: '水泥', dimension: '能耗', deadline: '2026-09-02' });
    // A case pinned to no shipped policy shows nothing.
    expect(Object.values(publishedRow(cells, columns, new Set()))).toEqual(columns.map(() => ''));
  });
});
