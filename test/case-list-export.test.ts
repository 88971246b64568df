import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { CASE_EXPORT_HEADINGS, CASES_SHEET } from '../api/services/case-list-export';
import { bearer, officials, randomCreditCode } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * The officials' case list as a download (GET /api/v1/cases?format=csv|xlsx): the cases of the
 * filtered list, all of them, in its order, with Chinese headings, and only those the caller may list.
 */
let stack: Stack;
const tag = randomUUID().slice(0, 6);
const name = (n: number) => `导出测试${tag}钢铁${n}有限公司`;

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  // Three cases of one name pattern in 中原区: two overdue (one of them energy), one not; a fourth in 中牟县 (also Zhengzhou).
  const rows: [number, string, string, boolean, string][] = [
    [1, '410102', 'energy', true, '2026-05-06'],
    [2, '410102', 'quality', true, '2026-05-04'],
    [3, '410102', 'energy', false, '2026-12-01'],
    [4, '410122', 'energy', true, '2026-05-05'],
  ];
  for (const [n, region, dimension, overdue, deadline] of rows) {
    const creditCode = randomCreditCode(region.slice(0, 4) + '00');
    await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1, $2, $3, 'steel', '王', 'a@b.cn', '{}')`, [creditCode, name(n), region]);
    await stack.db.query(
      `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at, overdue, deadline_date, deadline)
       VALUES ($1, $2, $3, $4, 'steel', $5, 'industry_it', '30号文', '2026-03-02', '[]', 'henan', 'henan-2021.1', 'rectification', '{}', now(), $6, $7, ($7::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
      [`case-${region}-${creditCode}-EX${tag}-${n}`, `EX${tag}-${n}`, creditCode, region, dimension, overdue, deadline],
    );
  }
});
afterAll(async () => {
  await stack?.close();
});

const exported = async (who: typeof officials.zhengzhouIndustry, query: Record<string, string>) =>
  request(stack.app)
    .get('/api/v1/cases')
    .query(query)
    .set('Authorization', await bearer(who))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

const csvRows = (body: Buffer) =>
  body
    .subarray(3)
    .toString('utf8')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));

it('the CSV holds the filtered list in its order, every page of it, with Chinese headings and a BOM for Excel', async () => {
  const filters = { q: `导出测试${tag}`, overdue: 'true', sort: 'deadline' };
  const list = await request(stack.app).get('/api/v1/cases').query({ ...filters, pageSize: '1' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
  expect(list.body.total).toBe(3);

  const res = await exported(officials.zhengzhouIndustry, { ...filters, format: 'csv', pageSize: '1' });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
  const body = res.body as Buffer;
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [head, ...rows] = csvRows(body);
  expect(head).toEqual(CASE_EXPORT_HEADINGS);
  const col = (h: string) => head!.indexOf(h);
  // Overdue ones only, soonest deadline first: 2 (05-04), 4 (05-05, 中牟), 1 (05-06).
  expect(rows.map((r) => r[col('企业名称')])).toEqual([name(2), name(4), name(1)]);
  expect(rows.map((r) => r[col('期限')])).toEqual(['2026-05-04', '2026-05-05', '2026-05-06']);
  expect(rows.map((r) => r[col('是否逾期')])).toEqual(['是', '是', '是']);
  expect(rows[0]![col('维度')]).toBe('质量');
  expect(rows[0]![col('阶段')]).toBe('限期整改');
});

it('the XLSX holds the same cases as the list with the same filters', async () => {
  const filters = { q: `导出测试${tag}`, region: '410102', dimension: 'energy' };
  const list = await request(stack.app).get('/api/v1/cases').query(filters).set('Authorization', await bearer(officials.zhengzhouIndustry));
  const res = await exported(officials.zhengzhouIndustry, { ...filters, format: 'xlsx' });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(CASES_SHEET)!;
  const values = ws.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
  expect(values[0]).toEqual(CASE_EXPORT_HEADINGS);
  const caseIds = values.slice(1).map((r) => r[CASE_EXPORT_HEADINGS.indexOf('案件编号')]);
  expect(caseIds).toEqual(list.body.items.map((c: { caseId: string }) => c.caseId));
  expect(caseIds).toHaveLength(2);
});

it('exports only what the caller may list: another province’s official gets a file with the headings alone', async () => {
  const res = await exported(officials.fuzhouIndustry, { q: `导出测试${tag}`, format: 'csv' });
  expect(res.status).toBe(200);
  expect(csvRows(res.body as Buffer)).toEqual([CASE_EXPORT_HEADINGS]);
  const enterprise = await exported({ sub: 'ent-x', name: '企业', role: 'enterprise', creditCode: randomCreditCode() } as never, { q: `导出测试${tag}`, format: 'csv' });
  expect(csvRows(enterprise.body as Buffer)).toEqual([CASE_EXPORT_HEADINGS]);
});

it('an unknown format is refused as problem+json naming the field', async () => {
  const res = await request(stack.app).get('/api/v1/cases').query({ format: 'pdf' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.format', rule: 'invalid_value' })]);
  const anonymous = await request(stack.app).get('/api/v1/cases').query({ format: 'csv' });
  expect(anonymous.status).toBe(401);
});
