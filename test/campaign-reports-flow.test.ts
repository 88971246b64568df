import ExcelJS from 'exceljs';
import request from 'supertest';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, office } from './support/fixtures';
import { seedCase, T } from './support/report-seeds';
import { eventually, startStack, type Stack } from './support/stack';

/**
 * Reports upward through the HTTP API with the campaign workflows running (Fuzhou, this year): 仓山区
 * (350104) drafts its summary for the city, submits it and the city office signs for it; the city
 * drafts its own for the province, which goes out only after the city government approved it. Each
 * step is authorised and audited; the workbook the recipient got is the one the API gives back.
 */
let stack: Stack;
const api = caseApi(() => stack);

const today = toLegalDate(new Date().toISOString());
const year = Number(today.slice(0, 4));
const CITY = office('350100');
const DISTRICT = office('350104');
const FUJIAN = office('350000');
const CITY_GOVERNMENT: Principal = { sub: 'gov-350100', name: '福州市人民政府', role: 'approving_government', jurisdiction: '350100' };
const district = `campaign-350104-${year}`;
const city = `campaign-350100-${year}`;
const reportsOf = (campaignId: string) => `/api/v1/campaigns/${campaignId}/reports`;

beforeAll(async () => {
  stack = await startStack();
  for (const division of ['350100', '350104']) {
    const started = await api.post(CITY, '/api/v1/campaigns', { division, year });
    expect(started.status).toBe(201);
  }
  // 仓山区's exit of the year: 45 万吨/年 dismantled in spring (figures every report below must show).
  await seedCase(stack.db, year, {
    region: '350104',
    name: '福州仓山某水泥有限公司',
    facilities: [{ id: 'CS-1', name: '2号熟料线', kind: 'production_line', capacity: 45, unit: T }],
    stages: [['opened', `${year}-01-06`], ['exited', `${year}-04-10`]],
    exit: { how: 'dismantled', exitedOn: `${year}-04-09`, dismantledOn: `${year}-04-09` },
    policy: { id: 'fuzhou', version: 'fuzhou-2021.1' },
  });
  // Both campaigns have their reports, waiting for a draft (each falls due in December).
  for (const id of [district, city]) {
    await eventually(async () => ((await api.get(CITY, reportsOf(id))).body.reports?.length ? true : undefined), 30_000, `${id} reports`);
  }
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

async function workbook(path: string, who: Principal): Promise<ExcelJS.Workbook> {
  const res = await request(stack.app)
    .get(path)
    .query({ format: 'xlsx' })
    .set('Authorization', await bearer(who))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as ArrayBuffer);
  return wb;
}

const cementLine = expect.objectContaining({ industry: 'cement', unit: T, capacity: 45 });

describe('a district’s report to the city, and the city’s to the province, through the API', () => {
  it('drafts, submits and signs for the district’s summary; the city sees it among the reports it received', async () => {
    const path = `${reportsOf(district)}/county_summary_to_city`;
    // Nothing to submit before a draft; another district's office may not draft it.
    expect((await api.post(DISTRICT, `${path}/submissions`, {})).body).toMatchObject({ status: 409, code: 'report_not_drafted' });
    expect((await api.post(office('350102'), `${path}/drafts`, {})).status).toBe(403);

    const drafted = await api.post(DISTRICT, `${path}/drafts`, {});
    expect(drafted.status).toBe(200);
    expect(drafted.body).toMatchObject({ status: 'drafted', draft: { draft: 1, totals: [cementLine] } });
    const sent = await api.post(DISTRICT, `${path}/submissions`, { note: '请市办审阅' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'sent', recipientDivision: '350100' });

    // The city office got it by mail with the workbook; the API gives the same workbook back.
    const mail = await stack.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('350104'));
    expect(mail.to).toEqual(['ttbgs@fuzhou.example.gov.cn']);
    const attached = new ExcelJS.Workbook();
    await attached.xlsx.load(mail.attachments[0]!.content as unknown as ArrayBuffer);
    const served = await workbook(path, CITY);
    expect(served.worksheets.map((w) => w.name)).toEqual(attached.worksheets.map((w) => w.name));
    const cells = (wb: ExcelJS.Workbook) => wb.worksheets.map((w) => w.getSheetValues().map((r) => JSON.stringify(r)));
    expect(cells(served)).toEqual(cells(attached));

    // Sent: the district cannot submit it again; only the city office signs for it.
    expect((await api.post(DISTRICT, `${path}/submissions`, {})).body).toMatchObject({ code: 'report_already_sent' });
    expect((await api.post(FUJIAN, `${path}/receipts`, {})).status).toBe(403);
    const received = await api.post(CITY, `${path}/receipts`, { note: '已签收' });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'received', received: { by: { id: CITY.sub } } });

    const inbox = await api.get(CITY, `/api/v1/campaigns/${city}/received-reports`);
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain('350104');
    expect(JSON.stringify(inbox.body)).toContain('"capacity":45');

    const audit = await stack.db.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [district]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['campaign.draftReport', 'campaign.submitReport', 'campaign.receiveReport']));
  });

  it('sends the city’s summary to the province only after the city government approved it', async () => {
    const path = `${reportsOf(city)}/city_to_province`;
    expect((await api.post(CITY, `${path}/drafts`, {})).body).toMatchObject({ status: 'drafted', draft: { totals: [cementLine] } });
    expect((await api.post(CITY, `${path}/submissions`, {})).body).toMatchObject({ status: 'awaiting_approval' });
    const ask = await stack.sink.waitFor((m) => m.subject.startsWith('【报告待审】') && m.subject.includes('350100'));
    expect(ask.to).toEqual(['zfb@fuzhou.example.gov.cn']);
    // The office may not approve its own report; a return needs a reason.
    expect((await api.post(CITY, `${path}/approvals`, { decision: 'approve' })).status).toBe(403);
    const noReason = await api.post(CITY_GOVERNMENT, `${path}/approvals`, { decision: 'return' });
    expect(noReason.status).toBe(422);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const approved = await api.post(CITY_GOVERNMENT, `${path}/approvals`, { decision: 'approve', documentNumber: `榕政函〔${year}〕12号` });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'sent', recipientDivision: '350000', approved: { documentNumber: `榕政函〔${year}〕12号` } });
    const mail = await stack.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('350100'));
    expect(mail.to).toEqual(['ttbgs@fujian.example.gov.cn']);
    // The campaign shows the milestone completed by the report going out.
    const c = await api.get(CITY, `/api/v1/campaigns/${city}`);
    expect(c.body.milestones.find((m: { id: string }) => m.id === 'report:city_to_province')).toMatchObject({ status: 'completed' });
  });
});
