import request from 'supertest';
import { createApp } from '../api/app';
import { toLegalDate } from '../domain/deadlines';
import type { RegisterEnterprise } from '../domain/enterprise';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, enterpriseBody, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// 30号文 (九): capacity exits when it is dismantled or sealed. The exit announcement (年度落后产能退出
// 企业名单、设备和产能) and the capacity figures count it in the year it first exited, every facility
// in its own unit. Driven through the HTTP API against the real stack.
let stack: Stack;
/** The same API with the public lists uncached (a read shows the read model as it is) and not rate-limited (the tests poll). */
let uncached: ReturnType<typeof createApp>;
beforeAll(async () => {
  stack = await startStack();
  uncached = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_LIST_CACHE_SECONDS: 0, PUBLIC_RATE_LIMIT_PER_MINUTE: 100_000 } });
});
afterAll(async () => {
  await stack?.close();
});

const thisYear = Number(toLegalDate(new Date().toISOString()).slice(0, 4));
const lastYear = thisYear - 1;
const measures = ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'];
const official = (jurisdiction: string): Principal => ({ sub: `rc-gx-${jurisdiction}`, name: '工信 执法', role: 'enforcement_official', department: 'industry_it', jurisdiction });

/** A blast furnace in 万吨/年 and a power unit in MW: two units that never add up. */
const twoUnits: RegisterEnterprise['facilities'] = [
  { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' },
  { id: 'PU-1', name: '1号自备发电机组', kind: 'equipment', capacity: 12, unit: 'MW' },
];

const { act, reach, photos, decide } = caseApi(() => stack);

/** A technology case (eliminated equipment, 30号文 (八)) on every facility of a new enterprise, in exit. */
async function technologyCase(o: { region?: string; jurisdiction?: string; industry?: RegisterEnterprise['industry']; facilities?: RegisterEnterprise['facilities'] } = {}) {
  const region = o.region ?? '410102';
  const by = official(o.jurisdiction ?? '410100');
  const facilities = o.facilities ?? twoUnits;
  const e = enterpriseBody({ creditCode: randomCreditCode(`${region.slice(0, 4)}00`), regionCode: region, industry: o.industry ?? 'steel', facilities });
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(by)).send(e)).status).toBe(201);
  const body = openCaseBody(e.creditCode, { dimension: 'technology', department: 'industry_it', noticeServedOn: `${lastYear}-10-09`, facilityIds: facilities.map((f) => f.id) });
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(by)).send(body);
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  await reach(caseId, 'exit_in_progress');
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  return { caseId, creditCode: e.creditCode, by, enterprise };
}

const seal = (c: { caseId: string; by: Principal }, sealedOn: string, extra: object = {}) =>
  act(c.by, c.caseId, 'sealings', { sealedOn, measures, commitmentRef: 'https://www.zhengzhou.gov.cn/commitment/rc', announcementUrl: 'https://www.zhengzhou.gov.cn/announcement/rc', ...extra });

/** Dismantled on `dismantledOn`, then accepted today. */
async function dismantleAndAccept(c: { caseId: string; enterprise: Principal }, dismantledOn: string) {
  const evidence = await photos(c.caseId, c.enterprise);
  await act(c.enterprise, c.caseId, 'dismantlings', { dismantledOn, evidence });
  await reach(c.caseId, 'acceptance');
  expect((await decide(c.caseId, 'acceptance', 'acceptances', { opinion: '主体设备已拆除，同意验收', evidence })).stage).toBe('exited');
}

type Row = { creditCode: string; equipment: string; capacity: string; exitMethod?: string };

/** The case's row on a region's exit announcement of a year, if it is there. */
async function announced(region: string, year: number, creditCode: string): Promise<Row | undefined> {
  const res = await request(uncached).get('/api/v1/public/lists/exit_announcement').query({ region, year: String(year), pageSize: '200' });
  expect(res.status).toBe(200);
  return (res.body.rows as Row[]).find((r) => r.creditCode === creditCode);
}

const figures = async (caseId: string) =>
  (await stack.db.query(`SELECT unit, capacity::float AS capacity, year, how, exited_on::text FROM retired_capacity WHERE case_id = $1 ORDER BY capacity DESC`, [caseId])).rows;

const cells = (s: string) => s.split('；').sort();

it('a sealed technology case is on the exit announcement of the year it was sealed, marked 封存, every facility with its capacity in its own unit', async () => {
  const c = await technologyCase();
  const sealedOn = `${lastYear}-12-20`;
  await seal(c, sealedOn);
  await reach(c.caseId, 'sealed');

  const row = await eventually(() => announced('410100', lastYear, c.creditCode), 30_000, 'sealed case announced');
  expect(row.exitMethod).toBe('封存');
  expect(cells(row.equipment)).toEqual(['1号自备发电机组', '2号高炉 450m³'].sort());
  expect(cells(row.capacity)).toEqual(['12 MW', '40 万吨/年'].sort());
  expect(await announced('410100', thisYear, c.creditCode)).toBeUndefined();
  // The figures: one total per unit, counted in the year of sealing.
  expect(await figures(c.caseId)).toEqual([
    { unit: '万吨/年', capacity: 40, year: lastYear, how: 'sealed', exited_on: sealedOn },
    { unit: 'MW', capacity: 12, year: lastYear, how: 'sealed', exited_on: sealedOn },
  ]);

  // The CSV download carries the same mark under its Chinese header.
  const csv = await request(uncached).get('/api/v1/public/lists/exit_announcement').query({ region: '410100', year: String(lastYear), format: 'csv' }).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (b: Buffer) => chunks.push(b));
    r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
  });
  const lines = (csv.body as string).replace(/^\uFEFF/, '').split('\r\n');
  expect(lines[0]).toBe('企业名称,统一社会信用代码,行政区划代码,所在地区,行业,设备（生产线）,产能,退出方式');
  expect(lines.find((l) => l.includes(c.creditCode))).toMatch(/,封存$/);
});

it('a dismantled and accepted case counts in the year it was dismantled, not the year of acceptance', async () => {
  const c = await technologyCase();
  const dismantledOn = `${lastYear}-11-15`;
  await dismantleAndAccept(c, dismantledOn);

  const row = await eventually(() => announced('410100', lastYear, c.creditCode), 30_000, 'dismantled case announced');
  expect(row.exitMethod).toBe('拆除');
  expect(cells(row.capacity)).toEqual(['12 MW', '40 万吨/年'].sort());
  expect(await announced('410100', thisYear, c.creditCode)).toBeUndefined();
  expect(await figures(c.caseId)).toEqual([
    { unit: '万吨/年', capacity: 40, year: lastYear, how: 'dismantled', exited_on: dismantledOn },
    { unit: 'MW', capacity: 12, year: lastYear, how: 'dismantled', exited_on: dismantledOn },
  ]);
});

it('capacity sealed one year and dismantled the next counts once, in the year of sealing, and says both', async () => {
  const c = await technologyCase({ facilities: [twoUnits[0]!] });
  const sealedOn = `${lastYear}-12-01`;
  await seal(c, sealedOn);
  await reach(c.caseId, 'sealed');
  await dismantleAndAccept(c, `${thisYear}-01-01`);

  const row = await eventually(async () => {
    const r = await announced('410100', lastYear, c.creditCode);
    return r?.exitMethod === '封存后拆除' ? r : undefined;
  }, 30_000, 'sealed, then dismantled');
  expect(row.capacity).toBe('40 万吨/年');
  expect(await announced('410100', thisYear, c.creditCode)).toBeUndefined();
  expect(await figures(c.caseId)).toEqual([{ unit: '万吨/年', capacity: 40, year: lastYear, how: 'dismantled', exited_on: sealedOn }]);
});

it('a Guangdong coal-power unit kept as emergency backup (关而不拆) has exited, marked as such', async () => {
  const c = await technologyCase({ region: '440103', jurisdiction: '440100', industry: 'coal_power', facilities: [{ id: 'U3', name: '3号燃煤机组', kind: 'equipment', capacity: 300, unit: 'MW' }] });
  const sealedOn = `${lastYear}-12-10`;
  await seal(c, sealedOn, { coalPowerOption: 'emergency_backup' });
  await reach(c.caseId, 'sealed');

  const row = await eventually(() => announced('440000', lastYear, c.creditCode), 30_000, 'emergency backup announced');
  expect(row.capacity).toBe('300 MW');
  expect(await figures(c.caseId)).toEqual([{ unit: 'MW', capacity: 300, year: lastYear, how: 'emergency_backup', exited_on: sealedOn }]);
});
