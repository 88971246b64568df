import ExcelJS from 'exceljs';
import request from 'supertest';
import { toLegalDate } from '../domain/deadlines';
import { caseApi } from './support/api';
import { bearer, randomCreditCode, office } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

/**
 * The progress ledger of Xuchang's (411000, Henan) campaign of this year, through the HTTP API. The
 * campaign is started through the API; its targets, survey rows, cases and exits are inserted as the
 * survey upload and the case workflows would write them, in a city only this file uses.
 */
let stack: Stack;
const api = caseApi(() => stack);

const XUCHANG = office('411000');
const today = toLegalDate(new Date().toISOString());
const year = Number(today.slice(0, 4));
const newYear = `${year}-01-01`;
const campaignId = `campaign-411000-${year}`;
const path = `/api/v1/campaigns/${campaignId}/progress`;
const T = '万吨/年';
let seq = 0;

interface Seed {
  region: string;
  industry?: string;
  stage: string;
  /** A terminal stage reached now, or at this instant (its stage event). */
  closedNow?: boolean;
  closedAt?: string;
  openedAt?: string;
  deadline?: string;
  facilities: { id: string; capacity: number; unit: string }[];
  exit?: { how: 'dismantled' | 'sealed' | 'emergency_backup'; exitedOn: string; sealedOn?: string; dismantledOn?: string; year?: number };
}

/** An enterprise and its case, opened on New Year's Day unless said, and the capacity it retired (one unit). */
async function seedCase(o: Seed): Promise<string> {
  const industry = o.industry ?? 'cement';
  const creditCode = randomCreditCode(`${o.region.slice(0, 4)}00`);
  const caseId = `case-${o.region}-${creditCode}-G${seq++}`;
  const facilities = o.facilities.map((f) => ({ ...f, name: `${f.id}号线`, kind: 'production_line' }));
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,$4,'王','a@b.cn','{}')`, [creditCode, `许昌进度企业${seq}`, o.region, industry]);
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, deadline_date, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,$5,'technology','industry_it','30号文',$6,$7,'henan','henan-2021.1',$8,$9,'{}',$10)`,
    [caseId, `G${seq}`, creditCode, o.region, industry, newYear, JSON.stringify(facilities), o.stage, o.deadline ?? null, o.openedAt ?? `${newYear}T02:00:00Z`],
  );
  if (o.closedNow || o.closedAt) {
    await stack.db.query(`INSERT INTO case_events (case_id, idempotency_key, kind, stage, occurred_at) VALUES ($1,$2,'stage',$3,COALESCE($4::timestamptz, now()))`, [caseId, `${caseId}/closed`, o.stage, o.closedAt ?? null]);
  }
  if (o.exit) {
    const e = o.exit;
    await stack.db.query(
      `INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, sealed_on, dismantled_on) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [caseId, o.region, industry, e.year ?? year, o.facilities.reduce((a, f) => a + f.capacity, 0), o.facilities[0]!.unit, JSON.stringify(facilities), e.exitedOn, e.how, e.sealedOn ?? null, e.dismantledOn ?? null],
    );
  }
  return creditCode;
}

async function surveyRow(creditCode: string, facilityId: string, region: string, industry: string, capacity: number, treatment: 'exit' | 'rectify') {
  await stack.db.query(
    `INSERT INTO campaign_survey_rows (campaign_id, credit_code, facility_id, region_code, industry, capacity, unit, treatment, row_number, file_sha256) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'test')`,
    [campaignId, creditCode, facilityId, region, industry, capacity, T, treatment, seq++],
  );
}

beforeAll(async () => {
  stack = await startStack();
  const started = await api.post(XUCHANG, '/api/v1/campaigns', { division: '411000', year });
  expect(started.status).toBe(201);
  await eventually(async () => (await stack.db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId])).rows[0], 30_000, 'campaign recorded');

  // The year's target list (what the survey upload commits).
  await stack.db.query(
    `INSERT INTO campaign_targets (campaign_id, industry, unit, capacity, enterprises, facilities, source) VALUES ($1,'cement',$2,300,4,5,'survey'), ($1,'steel',$2,100,1,1,'survey')`,
    [campaignId, T],
  );
  // 禹州市: sealed on New Year's Day and dismantled today; and sealed today. Its whole target, so never behind.
  const y1 = await seedCase({ region: '411081', stage: 'exited', closedNow: true, facilities: [{ id: 'Y1', capacity: 60, unit: T }], exit: { how: 'dismantled', exitedOn: newYear, sealedOn: newYear, dismantledOn: today } });
  const y2 = await seedCase({ region: '411081', stage: 'sealed', facilities: [{ id: 'Y2', capacity: 40, unit: T }], exit: { how: 'sealed', exitedOn: today, sealedOn: today } });
  await surveyRow(y1, 'Y1', '411081', 'cement', 60, 'exit');
  await surveyRow(y2, 'Y2', '411081', 'cement', 40, 'exit');
  await surveyRow(y2, 'Y9', '411081', 'cement', 999, 'rectify'); // to rectify, not a target
  // 长葛市: nothing exited of its cement and steel; a case past its deadline; a coal-power unit kept as emergency backup.
  const c1 = await seedCase({ region: '411082', stage: 'rectification', deadline: newYear, facilities: [{ id: 'C1', capacity: 150, unit: T }] });
  await surveyRow(c1, 'C1', '411082', 'cement', 150, 'exit');
  await surveyRow(c1, 'C2', '411082', 'cement', 50, 'exit');
  await surveyRow(c1, 'C3', '411082', 'steel', 100, 'exit');
  await seedCase({ region: '411082', industry: 'coal_power', stage: 'sealed', facilities: [{ id: 'U1', capacity: 300, unit: 'MW' }], exit: { how: 'emergency_backup', exitedOn: today, sealedOn: today } });
  // 鄢陵县: a case within its deadline, no target.
  await seedCase({ region: '411024', stage: 'rectification', deadline: `${year + 1}-06-30`, facilities: [{ id: 'L1', capacity: 10, unit: T }] });
  // Not this ledger's: last year's exit in 禹州市, and an exit in 漯河市.
  await seedCase({ region: '411081', stage: 'exited', openedAt: `${year - 1}-03-02T02:00:00Z`, closedAt: `${year - 1}-10-15T02:00:00Z`, facilities: [{ id: 'Y0', capacity: 500, unit: T }], exit: { how: 'dismantled', exitedOn: `${year - 1}-09-30`, dismantledOn: `${year - 1}-09-30`, year: year - 1 } });
  await seedCase({ region: '411102', stage: 'sealed', facilities: [{ id: 'L9', capacity: 1000, unit: T }], exit: { how: 'sealed', exitedOn: today, sealedOn: today } });
});
afterAll(async () => {
  await stack?.close();
});

const line = (lines: { industry: string; unit: string }[], industry: string, unit = T) => lines.find((l) => l.industry === industry && l.unit === unit);

describe('a campaign’s progress ledger through the HTTP API (Xuchang 411000, this year)', () => {
  it('totals against the target per industry and unit: sealed and emergency backup count as exited, each marked', async () => {
    const res = await api.get(XUCHANG, path);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaignId, division: '411000', name: '许昌市', year, asOf: today, policy: { version: 'henan-2021.1' }, pace: { from: newYear, by: `${year}-10-31`, factor: 0.8, isDefault: true } });
    expect(line(res.body.totals, 'cement')).toEqual({
      industry: 'cement',
      unit: T,
      target: { capacity: 300, enterprises: 4, facilities: 5 },
      retired: { capacity: 100, enterprises: 2, facilities: 2, byHow: { dismantled: 60, sealed: 40, emergency_backup: 0 } },
      remaining: { capacity: 200, enterprises: 2, facilities: 3 },
      share: 100 / 300,
    });
    expect(line(res.body.totals, 'steel')).toMatchObject({ retired: { capacity: 0 }, remaining: { capacity: 100 }, share: 0 });
    expect(line(res.body.totals, 'coal_power', 'MW')).toMatchObject({ target: null, retired: { capacity: 300, byHow: { emergency_backup: 300 } }, share: null });
    expect(res.body.totals).toHaveLength(3); // nothing from last year, nothing from 漯河市
    expect(res.body.cases).toEqual({ open: 4, overdue: 1 });
  });

  it('names the lagging county with its reasons (behind the pace on each line, a case overdue); the one on target does not lag', async () => {
    const { body } = await api.get(XUCHANG, path);
    expect(body.lagging).toEqual([
      {
        division: '411082',
        name: '长葛市',
        reasons: [
          { kind: 'pace', industry: 'cement', unit: T, share: 0, laggingBelow: body.pace.laggingBelow },
          { kind: 'pace', industry: 'steel', unit: T, share: 0, laggingBelow: body.pace.laggingBelow },
          { kind: 'overdue', cases: 1 },
        ],
      },
    ]);
    const yuzhou = body.subdivisions.find((s: { division: string }) => s.division === '411081');
    expect(yuzhou).toMatchObject({ name: '禹州市', lagging: false, cases: { open: 1, overdue: 0 } });
    expect(yuzhou.lines).toEqual([expect.objectContaining({ industry: 'cement', target: { capacity: 100, enterprises: 2, facilities: 2 }, share: 1 })]);
    expect(body.subdivisions.find((s: { division: string }) => s.division === '411024')).toMatchObject({ name: '鄢陵县', lagging: false, cases: { open: 1, overdue: 0 }, lines: [] });
  });

  // Needs today to be after New Year's Day (exits dated today are the later ones).
  it('as of an earlier date, later exits are left out and capacity dismantled since stands as sealed', async () => {
    const res = await api.get(XUCHANG, path, { asOf: newYear });
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe(newYear);
    expect(line(res.body.totals, 'cement')).toMatchObject({ retired: { capacity: 60, enterprises: 1, byHow: { dismantled: 0, sealed: 60, emergency_backup: 0 } }, remaining: { capacity: 240 } });
    expect(line(res.body.totals, 'coal_power', 'MW')).toBeUndefined();
    // On New Year's Day the case now closed was open, and the deadline falling that day had not passed.
    expect(res.body.cases).toEqual({ open: 5, overdue: 0 });
    expect(res.body.pace.expectedShare).toBeCloseTo(1 / 304, 10);
  });

  it('refuses a date after today (a report of the future is not reproducible) and a malformed one', async () => {
    const future = await api.get(XUCHANG, path, { asOf: `${year + 1}-12-31` });
    expect(future.status).toBe(422);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'not_in_future' })]);
    expect((await api.get(XUCHANG, path, { asOf: `${year}-02-30` })).status).toBe(422);
  });

  it('CSV: UTF-8 with a BOM, a header and every row of the totals and of every sub-division', async () => {
    const json = (await api.get(XUCHANG, path)).body;
    const res = await request(stack.app).get(path).query({ format: 'csv' }).set('Authorization', await bearer(XUCHANG)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="progress-${campaignId}-${today}.csv"`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('统计截止日期,范围,行政区划代码,地区,行业,计量单位,目标产能,目标企业数,目标设备数,已退出产能,其中拆除,其中封存,其中关而不拆转应急备用,已退出企业数,已退出设备数,剩余产能,剩余企业数,剩余设备数,完成比例,地区未结案件数,地区逾期案件数,进展较慢,原因');
    const expected = json.totals.length + json.subdivisions.reduce((n: number, s: { lines: unknown[] }) => n + Math.max(s.lines.length, 1), 0);
    expect(lines).toHaveLength(1 + expected);
    expect(lines.filter((l) => l.includes(',合计,411000,许昌市,'))).toHaveLength(3);
    for (const s of json.subdivisions) expect(lines.some((l) => l.includes(`,分地区,${s.division},${s.name},`))).toBe(true);
    expect(lines).toContain(`${today},合计,411000,许昌市,水泥,${T},300,4,5,100,60,40,0,2,2,200,2,3,33.3%,4,1,,`);
    expect(lines.find((l) => l.includes(',411082,长葛市,水泥,'))).toMatch(/,是,水泥（万吨\/年）退出0\.0%，低于进度要求[\d.]+%；钢铁（万吨\/年）退出0\.0%，低于进度要求[\d.]+%；逾期未办结案件1件$/);
  });

  it('XLSX opens with exceljs: the totals, every sub-division, the lagging ones and the basis of the figures', async () => {
    const res = await request(stack.app).get(path).query({ format: 'xlsx' }).set('Authorization', await bearer(XUCHANG)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['目标完成情况', '分地区进度', '进展较慢地区', '统计口径']);
    const values = (name: string) => wb.getWorksheet(name)!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const totals = values('目标完成情况');
    expect(totals[0]!.slice(0, 3)).toEqual(['行业', '计量单位', '目标产能']);
    expect(totals.find((r) => r[0] === '水泥')).toEqual(['水泥', T, 300, 4, 5, 100, 60, 40, 0, 2, 2, 200, 2, 3, 100 / 300]);
    expect(totals.find((r) => r[0] === '煤电')!.slice(0, 9)).toEqual(['煤电', 'MW', undefined, undefined, undefined, 300, 0, 0, 300]);
    const regions = values('分地区进度');
    expect(new Set(regions.slice(1).map((r) => r[1]))).toEqual(new Set(['魏都区', '建安区', '鄢陵县', '襄城县', '许昌经济技术开发区', '禹州市', '长葛市']));
    expect(values('进展较慢地区').slice(1)).toEqual([['411082', '长葛市', expect.stringContaining('逾期未办结案件1件')]]);
    expect(values('统计口径')).toContainEqual(['统计截止日期', today]);
  });

  it('is read by the offices whose jurisdiction covers the city (its own, the province’s), not by another city’s or an enterprise (403)', async () => {
    expect((await api.get(office('410000'), path)).status).toBe(200);
    const zhengzhou = await api.get(office('410100'), path);
    expect(zhengzhou.status).toBe(403);
    expect(zhengzhou.body).toMatchObject({ code: 'forbidden' });
    expect((await api.get(office('411081'), path)).status).toBe(403); // a county does not read its city's ledger
    expect((await api.get({ sub: 'e', name: 'e', role: 'enterprise', creditCode: randomCreditCode('411000') }, path)).status).toBe(403);
    expect((await api.get(office('410100'), path, { format: 'csv' })).status).toBe(403);
    // An unknown campaign is 404 only to someone who could read it.
    expect((await api.get(office('410000'), `/api/v1/campaigns/campaign-411000-${year + 1}/progress`)).status).toBe(404);
    expect((await api.get(office('410100'), `/api/v1/campaigns/campaign-411000-${year + 1}/progress`)).status).toBe(403);
  });

  it('takes a sub-division’s target from its own campaign once the city office sets it there (目标任务分解下达), audited with the reason', async () => {
    const sub = `campaign-411081-${year}`;
    expect((await api.post(XUCHANG, '/api/v1/campaigns', { division: '411081', year })).status).toBe(201);
    const set = await request(stack.app)
      .put(`/api/v1/campaigns/${sub}/targets/cement`)
      .set('Authorization', await bearer(XUCHANG))
      .send({ unit: T, capacity: 200, enterprises: 3, facilities: 4, reason: '市办分解下达：禹州市增列两条生产线' });
    expect(set.status).toBe(200);
    const res = await api.get(XUCHANG, path);
    const yuzhou = res.body.subdivisions.find((s: { division: string }) => s.division === '411081');
    expect(yuzhou.lines).toEqual([expect.objectContaining({ industry: 'cement', target: { capacity: 200, enterprises: 3, facilities: 4 }, share: 0.5 })]);
    // The city's own target list is unchanged.
    expect(line(res.body.totals, 'cement')).toMatchObject({ target: { capacity: 300, enterprises: 4, facilities: 5 } });
    const audit = await stack.db.query(`SELECT reason FROM audit_log WHERE action = 'campaign.target.set' AND target = $1`, [sub]);
    expect(audit.rows).toEqual([{ reason: '市办分解下达：禹州市增列两条生产线' }]);
  });
});
