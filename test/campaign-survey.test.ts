import ExcelJS from 'exceljs';
import request from 'supertest';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { SURVEY_COLUMNS } from '../domain/survey';
import { caseApi } from './support/api';
import { bearer, office, officials, randomCreditCode } from './support/fixtures';
import { surveyRow, surveySheet, XLSX_TYPE as XLSX, type SurveyRow } from './support/survey';
import { eventually, startStack, type Stack } from './support/stack';

let stack: Stack;
const LUOYANG = office('410300');
const year = new Date().getUTCFullYear() + 1;
const campaignId = `campaign-410300-${year}`;

beforeAll(async () => {
  stack = await startStack();
  const started = await api.post(LUOYANG, '/api/v1/campaigns', { division: '410300', year });
  expect(started.status).toBe(201);
  // The campaign's read model is written by its workflow; the survey is uploaded to a recorded campaign.
  await eventually(async () => (await stack.db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId])).rowCount || undefined, 30_000, 'campaign recorded');
});
afterAll(async () => {
  await stack?.close();
});
const api = caseApi(() => stack);

type Row = SurveyRow;

/** A good row: one facility of a Luoyang steel enterprise, an energy finding, exit this year. */
const row = (over: Row = {}): Row => surveyRow({ city: '410300', regionCode: '410305', name: '洛阳市某某钢铁有限公司', caseNumberPrefix: 'LYGX' }, over);
const sheet = surveySheet;

async function upload(who: Principal, content: Buffer, format: 'xlsx' | 'csv', mode: 'dry-run' | 'commit') {
  return request(stack.app)
    .post(`/api/v1/campaigns/${campaignId}/surveys`)
    .query({ mode })
    .set('Authorization', await bearer(who))
    .set('Content-Type', format === 'xlsx' ? XLSX : 'text/csv')
    .send(content);
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

const surveyed = async () => Number((await stack.db.query(`SELECT count(*) FROM campaign_survey_rows WHERE campaign_id = $1`, [campaignId])).rows[0].count);
const registered = async (code: string) => (await stack.db.query(`SELECT 1 FROM enterprises WHERE credit_code = $1`, [code])).rowCount;

describe('the survey template', () => {
  it.each(['xlsx', 'csv'] as const)('downloads as %s with Chinese headers, a key row and an example, and re-uploads as a valid dry run', async (format) => {
    const res = await request(stack.app).get(`/api/v1/campaigns/${campaignId}/survey-template`).query({ format }).set('Authorization', await bearer(LUOYANG)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(format === 'xlsx' ? XLSX : 'text/csv');
    const file = res.body as Buffer;
    if (format === 'csv') {
      expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const [headers, keys] = file.subarray(3).toString('utf8').split('\n');
      expect(headers).toContain('统一社会信用代码');
      expect(keys).toContain('creditCode');
    } else {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(1).getCell(1).value).toBe('统一社会信用代码');
      expect(ws.getRow(2).getCell(1).value).toBe('creditCode');
      expect(ws.getRow(3).getCell(3).value).toBe('410300');
    }
    const dry = await upload(LUOYANG, file, format, 'dry-run');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ mode: 'dry-run', rows: 1, enterprises: 1, cases: 1, exits: 1, targets: [{ industry: 'steel', unit: '万吨/年', capacity: 40, enterprises: 1, facilities: 1 }] });
  });
});

describe('a survey committed by the campaign’s office (Luoyang 410300)', () => {
  const a = row({ facilityId: 'BF-1', capacity: 30 });
  const good: Row[] = [
    a,
    // The same enterprise and notice, a second facility: one registration, one case.
    { ...a, facilityId: 'BF-2', facilityName: '2号高炉 450m³', capacity: 40 },
    // Codes written as Chinese names; a rectification is no target.
    row({ name: '洛阳市某某水泥有限公司', regionCode: '410302', industry: '水泥', facilityId: 'KL-1', facilityName: '1号熟料线', facilityKind: '生产线', capacity: 60, dimension: '能耗', department: '工业和信息化部门', treatment: '整改' }),
  ];

  it('a dry run counts the rows and stores nothing; the commit registers the enterprises, opens the cases and writes the targets (audited)', async () => {
    const file = await sheet(good, 'xlsx');
    const dry = await upload(LUOYANG, file, 'xlsx', 'dry-run');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ mode: 'dry-run', rows: 3, enterprises: 2, cases: 2, exits: 2 });
    expect(await registered(String(a.creditCode))).toBe(0);
    expect(await surveyed()).toBe(0);

    const commit = await upload(LUOYANG, file, 'xlsx', 'commit');
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ mode: 'commit', rows: 3, done: 3, failed: 0, casesOpened: 2, alreadyPresent: 0, enterprisesRegistered: 2, failures: [] });

    const enterprise = await api.get(officials.operator, `/api/v1/enterprises/${a.creditCode}`);
    expect(enterprise.status).toBe(200);
    expect(enterprise.body.facilities.map((f: { id: string }) => f.id)).toEqual(['BF-1', 'BF-2']);
    const cement = await api.get(officials.operator, `/api/v1/enterprises/${good[2]!.creditCode}`);
    expect(cement.body).toMatchObject({ industry: 'cement', facilities: [{ id: 'KL-1', kind: 'production_line' }] });

    const caseId = `case-410305-${a.creditCode}-${a.caseNumber}`;
    const opened = await eventually(async () => (await stack.db.query(`SELECT facilities, opened_by FROM cases WHERE case_id = $1`, [caseId])).rows[0], 30_000, 'case recorded');
    expect(opened.facilities.map((f: { id: string }) => f.id)).toEqual(['BF-1', 'BF-2']);
    expect(opened.opened_by).toMatchObject({ id: LUOYANG.sub, role: 'coordination_office' });
    const rows = (await stack.db.query(`SELECT facility_id, case_id, treatment, row_number FROM campaign_survey_rows WHERE campaign_id = $1 ORDER BY row_number`, [campaignId])).rows;
    expect(rows).toEqual([
      { facility_id: 'BF-1', case_id: caseId, treatment: 'exit', row_number: 2 },
      { facility_id: 'BF-2', case_id: caseId, treatment: 'exit', row_number: 3 },
      { facility_id: 'KL-1', case_id: `case-410302-${good[2]!.creditCode}-${good[2]!.caseNumber}`, treatment: 'rectify', row_number: 4 },
    ]);

    const targets = await api.get(LUOYANG, `/api/v1/campaigns/${campaignId}/targets`);
    expect(targets.status).toBe(200);
    expect(targets.body.items).toEqual([expect.objectContaining({ industry: 'steel', industryZh: '钢铁', unit: '万吨/年', capacity: 70, enterprises: 1, facilities: 2, source: 'survey' })]);

    const audit = (await stack.db.query(`SELECT detail FROM audit_log WHERE action = 'campaign.survey.commit' AND target = $1`, [campaignId])).rows;
    expect(audit).toEqual([{ detail: expect.objectContaining({ rows: 3, done: 3, casesOpened: 2, enterprisesRegistered: 2, fileSha256: commit.body.fileSha256 }) }]);
  });

  it('the same survey committed again (as XLSX, then as CSV) opens nothing new', async () => {
    const cases = async () => Number((await stack.db.query(`SELECT count(*) FROM audit_log WHERE action = 'case.open' AND detail->>'command' LIKE $1`, [`survey:${campaignId}:%`])).rows[0].count);
    const before = await cases();
    for (const format of ['xlsx', 'csv'] as const) {
      const again = await upload(LUOYANG, await sheet(good, format), format, 'commit');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ rows: 3, done: 0, failed: 0, casesOpened: 0, alreadyPresent: 3, enterprisesRegistered: 0 });
    }
    expect(await cases()).toBe(before);
    expect(await surveyed()).toBe(3);
  });

  it('only the office of the campaign’s division or above may upload (403 for another city’s office and for an enterprise)', async () => {
    const file = await sheet([row()], 'csv');
    const kaifeng = await upload(office('410200'), file, 'csv', 'dry-run');
    expect(kaifeng.status).toBe(403);
    expect(kaifeng.body).toMatchObject({ code: 'forbidden', titleZh: '无权执行此操作' });
    expect((await upload({ sub: 'e', name: '企业', role: 'enterprise', creditCode: randomCreditCode('410300') }, file, 'csv', 'commit')).status).toBe(403);
    expect((await upload(officials.zhengzhouIndustry, file, 'csv', 'dry-run')).status).toBe(403);
    expect((await upload(office('410000'), file, 'csv', 'dry-run')).status).toBe(200);
  });
});

describe('bad rows are each named with row, column and rule, and nothing is stored', () => {
  type Bad = { status: number; body: { code: string; errors: { field: string; row: number; column: string; rule: string; message: string; messageZh?: string }[] } };
  const errorAt = (res: Bad, rowNumber: number, field: string) => res.body.errors.find((e) => e.row === rowNumber && e.field === `rows.${rowNumber}.${field}`);

  it.each(['dry-run', 'commit'] as const)('in an XLSX (%s)', async (mode) => {
    const fine = row();
    const badCheck = String(row().creditCode);
    const rows = [
      fine,
      row({ creditCode: badCheck.slice(0, 17) + (badCheck.endsWith('0') ? '1' : '0') }),
      row({ regionCode: '419999' }),
      row({ regionCode: '410102' }),
      row({ industry: '钢材' }),
      row({ noticeServedOn: '1999-12-31' }),
    ];
    const res = (await upload(LUOYANG, await sheet(rows, 'xlsx'), 'xlsx', mode)) as unknown as Bad;
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('survey_rows_invalid');
    expect(errorAt(res, 3, 'creditCode')).toMatchObject({ column: '统一社会信用代码', rule: 'gb32100_check_character', messageZh: '校验码错误' });
    expect(errorAt(res, 4, 'regionCode')).toMatchObject({ column: '行政区划代码', rule: 'gbt2260_known', messageZh: '行政区划代码不存在' });
    expect(errorAt(res, 5, 'regionCode')).toMatchObject({ rule: 'within_campaign_division', message: expect.stringContaining('410300') });
    expect(errorAt(res, 6, 'industry')).toMatchObject({ column: '行业', rule: 'invalid_value' });
    expect(errorAt(res, 7, 'noticeServedOn')).toMatchObject({ column: '送达日期', rule: 'date_in_range', messageZh: expect.stringContaining('2000-01-01') });
    expect(res.body.errors.filter((e) => e.row === 2)).toEqual([]);
    expect(await registered(String(fine.creditCode))).toBe(0);
    expect(await surveyed()).toBe(3);
  });

  it('in a CSV: a NUL in a name, a notice served tomorrow', async () => {
    const tomorrow = toLegalDate(new Date(Date.now() + 86_400_000).toISOString());
    // exceljs writes no NUL (nor can XLSX hold one), but a CSV from another tool can: ␀ becomes the byte 0x00.
    const csv = await sheet([row({ name: '洛阳\u2400钢铁有限公司' }), row({ noticeServedOn: tomorrow })], 'csv');
    const withNul = Buffer.from(csv.toString('latin1').replace('\xe2\x90\x80', '\x00'), 'latin1');
    expect(withNul.includes(0)).toBe(true);
    const res = (await upload(LUOYANG, withNul, 'csv', 'commit')) as unknown as Bad;
    expect(res.status).toBe(422);
    expect(errorAt(res, 2, 'name')).toMatchObject({ column: '企业名称', rule: 'no_control_characters' });
    expect(errorAt(res, 3, 'noticeServedOn')).toMatchObject({ rule: 'date_not_in_future' });
  });

  it('a file without a required column names the column once', async () => {
    const keys = SURVEY_COLUMNS.map((c) => c.key).filter((k) => k !== 'legalBasis');
    const res = (await upload(LUOYANG, await sheet([row(), row()], 'xlsx', keys), 'xlsx', 'dry-run')) as unknown as Bad;
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 1, field: 'rows.1.legalBasis', column: '法律依据', rule: 'column_required', messageZh: '缺少必填列「法律依据」' })]);
  });

  it('rows that disagree: one facility twice, one notice with two findings', async () => {
    const a = row();
    const res = (await upload(LUOYANG, await sheet([a, { ...a }, { ...a, facilityId: 'BF-9', treatment: 'rectify' }], 'csv'), 'csv', 'dry-run')) as unknown as Bad;
    expect(res.status).toBe(422);
    expect(errorAt(res, 3, 'facilityId')).toMatchObject({ rule: 'facility_surveyed_once' });
    expect(errorAt(res, 4, 'caseNumber')).toMatchObject({ rule: 'case_rows_agree' });
  });
});

describe('the target list set or corrected by the office', () => {
  const path = `/api/v1/campaigns/${campaignId}/targets/steel`;
  const put = async (who: Principal, body: object) => request(stack.app).put(path).set('Authorization', await bearer(who)).send(body);

  it('needs a reason (422), the office (403 otherwise), and is audited with the line as it was', async () => {
    const line = { unit: '万吨/年', capacity: 100, enterprises: 2, facilities: 3 };
    const noReason = await put(LUOYANG, line);
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'required' })]);
    expect((await put(office('410200'), { ...line, reason: '复核' })).status).toBe(403);

    const set = await put(LUOYANG, { ...line, reason: '复核后补录一家企业' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ industry: 'steel', unit: '万吨/年', capacity: 100, enterprises: 2, facilities: 3, source: 'office', reason: '复核后补录一家企业', setBy: { sub: LUOYANG.sub } });
    const audit = (await stack.db.query(`SELECT reason, detail FROM audit_log WHERE action = 'campaign.target.set' AND target = $1`, [campaignId])).rows;
    expect(audit).toEqual([{ reason: '复核后补录一家企业', detail: expect.objectContaining({ industry: 'steel', before: expect.objectContaining({ capacity: 70, source: 'survey' }), after: { capacity: 100, enterprises: 2, facilities: 3 } }) }]);

    const csv = await request(stack.app).get(`/api/v1/campaigns/${campaignId}/targets`).query({ format: 'csv' }).set('Authorization', await bearer(LUOYANG));
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('钢铁,steel,万吨/年,100,2,3,office,复核后补录一家企业');
    expect((await api.get({ sub: 'e', name: '企业', role: 'enterprise', creditCode: randomCreditCode('410300') }, `/api/v1/campaigns/${campaignId}/targets`)).status).toBe(403);
  });
});
