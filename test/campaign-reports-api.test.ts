import ExcelJS from 'exceljs';
import request from 'supertest';
import { createCampaignReportActivities } from '../activities/campaign-reports';
import { REPORT_SHEETS } from '../activities/report-workbook';
import type { ReportState } from '../domain/campaign-reports';
import type { Principal } from '../domain/roles';
import { caseApi } from './support/api';
import { bearer, office, officials } from './support/fixtures';
import { JIAOZUO, seedCampaign, seedCase, seedReportYear, T } from './support/report-seeds';
import { startStack, type Stack } from './support/stack';

/**
 * A campaign's reports upward through the HTTP API, for Jiaozuo (焦作市) and Hebi (鹤壁市) reporting
 * to Henan in 2018 (cities and a year of this file's own). The rows are written by the report activities, as
 * the campaign workflow would have them written; no workflow runs, so the commands are tested up to
 * the point where they would ask it: who may send them, and what their bodies must say.
 */
const YEAR = 2018;
const city = `campaign-410800-${YEAR}`;
const hebi = `campaign-410600-${YEAR}`;
const province = `campaign-410000-${YEAR}`;
const JIAOZUO_OFFICE = office('410800');
const HENAN = office('410000');
const HEBI = office('410600');
const government = (jurisdiction: string): Principal => ({ sub: `gov-${jurisdiction}`, name: `${jurisdiction} 人民政府`, role: 'approving_government', jurisdiction });
const enterprise: Principal = { sub: 'ent-1', name: '企业', role: 'enterprise', creditCode: '914107000000000000' };

let stack: Stack;
const api = caseApi(() => stack);

const state = (over: Partial<ReportState>): ReportState => ({
  reportId: 'summary_to_province',
  milestoneId: 'report:summary_to_province',
  nameZh: '淘汰落后产能工作总结报省',
  due: `${YEAR}-10-31`,
  draftOn: `${YEAR}-10-24`,
  status: 'pending',
  recipient: 'office_above',
  recipientDivision: '410000',
  approval: null,
  draft: null,
  submitted: null,
  returned: null,
  approved: null,
  sent: null,
  received: null,
  ...over,
});

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  const activities = createCampaignReportActivities({ db: stack.db, mailer: stack.mailer, publicBaseUrl: 'http://localhost:3000' });
  await seedReportYear(stack.db, YEAR, JIAOZUO);
  await seedCampaign(stack.db, '410600', YEAR);
  await seedCase(stack.db, YEAR, { region: '410611', name: '鹤壁市淇滨区某水泥有限公司', facilities: [{ id: 'KL-1', name: '1号线', kind: 'production_line', capacity: 20, unit: T }], stages: [['opened', `${YEAR}-01-05`], ['exited', `${YEAR}-04-02`]], exit: { how: 'dismantled', exitedOn: `${YEAR}-04-01`, dismantledOn: `${YEAR}-04-01` } });

  const draft = (campaignId: string, reportId: string, n: number, cutOff: string) =>
    activities.draftCampaignReport({ campaignId, reportId, draft: n, cutOff, draftedOn: cutOff, idempotencyKey: `${campaignId}/report/${reportId}/draft/${n}` });
  // Jiaozuo: its summary drafted twice (Jun 30, Sep 30) and sent; its target plan drafted only.
  await draft(city, 'summary_to_province', 1, `${YEAR}-06-30`);
  const second = await draft(city, 'summary_to_province', 2, `${YEAR}-09-30`);
  const sent = { on: `${YEAR}-10-08`, recipients: ['ttbgs@henan.example.gov.cn'], messageId: '<x@exitflow.local>' };
  await activities.recordCampaignReport({ campaignId: city, division: '410800', year: YEAR, seq: 9, report: state({ status: 'sent', draft: second, sent }) });
  const plan = await draft(city, 'target_plan_to_province', 1, `${YEAR}-06-30`);
  await activities.recordCampaignReport({ campaignId: city, division: '410800', year: YEAR, seq: 10, report: state({ reportId: 'target_plan_to_province', milestoneId: 'report:target_plan_to_province', nameZh: '目标计划报省', due: `${YEAR}-06-30`, status: 'drafted', draft: plan }) });
  // Hebi: its summary sent and signed for by the province.
  const ly = await draft(hebi, 'summary_to_province', 1, `${YEAR}-09-30`);
  await activities.recordCampaignReport({ campaignId: hebi, division: '410600', year: YEAR, seq: 4, report: state({ status: 'received', draft: ly, sent, received: { by: { id: 'office-410000', name: '河南省办', role: 'coordination_office' }, on: `${YEAR}-10-09` } }) });
  // Henan's own report to the ministries, pending.
  await activities.recordCampaignReport({ campaignId: province, division: '410000', year: YEAR, seq: 2, report: state({ reportId: 'province_to_miit', milestoneId: 'report:province_to_miit', nameZh: '报工业和信息化部', due: `${YEAR + 1}-01-31`, recipient: 'ministries', recipientDivision: null, approval: { seal: false } }) });
});
afterAll(async () => {
  await stack?.close();
});

const binary = (path: string, who: Principal, query: Record<string, string> = {}, accept?: string) =>
  bearer(who).then((auth) => {
    let r = request(stack.app).get(path).query(query).set('Authorization', auth);
    if (accept) r = r.set('Accept', accept);
    return r.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  });

async function totalsSheet(content: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(REPORT_SHEETS));
  return wb.getWorksheet(REPORT_SHEETS.totals)!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
}

describe('reading a campaign’s reports', () => {
  it('lists them with their status, in due order, for the office and the offices above', async () => {
    const res = await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaignId: city, division: '410800', year: YEAR });
    expect(res.body.reports.map((r: ReportState) => [r.reportId, r.status, r.draft?.draft])).toEqual([
      ['target_plan_to_province', 'drafted', 1],
      ['summary_to_province', 'sent', 2],
    ]);
    expect((await api.get(HENAN, `/api/v1/campaigns/${city}/reports`)).status).toBe(200);
    expect((await api.get(officials.operator, `/api/v1/campaigns/${city}/reports`)).status).toBe(200);
  });

  it('is refused to another city’s office and to an enterprise (403), and 404 for a campaign never started', async () => {
    expect((await api.get(HEBI, `/api/v1/campaigns/${city}/reports`)).status).toBe(403);
    expect((await api.get(enterprise, `/api/v1/campaigns/${city}/reports`)).status).toBe(403);
    const missing = await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/campaign-410800-2017/reports`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('shows one report with its current draft’s stored figures, every draft, and an earlier draft on request', async () => {
    const res = await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports/summary_to_province`);
    expect(res.status).toBe(200);
    expect(res.body.report).toMatchObject({ reportId: 'summary_to_province', status: 'sent', draft: { draft: 2, cutOff: `${YEAR}-09-30` } });
    expect(res.body.drafts).toEqual([
      { draft: 1, cutOff: `${YEAR}-06-30`, draftedOn: `${YEAR}-06-30` },
      { draft: 2, cutOff: `${YEAR}-09-30`, draftedOn: `${YEAR}-09-30` },
    ]);
    expect(res.body.figures).toMatchObject({ draft: 2, cutOff: `${YEAR}-09-30`, divisionName: '焦作市' });
    // By Sep 30 沁阳市's line was dismantled (Aug 1); on Jun 30 it stood sealed, and its case was open.
    expect(res.body.figures.exits.map((e: { region: string; how: string }) => [e.region, e.how])).toEqual([['410821', 'dismantled'], ['410882', 'dismantled']]);
    const first = await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports/summary_to_province`, { draft: '1' });
    expect(first.body.figures.exits.map((e: { region: string; how: string }) => [e.region, e.how])).toEqual([['410821', 'dismantled'], ['410882', 'sealed']]);
    expect(first.body.figures.openCases).toHaveLength(3);
    expect((await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports/summary_to_province`, { draft: '7' })).status).toBe(404);
    expect((await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports/no_such_report`)).status).toBe(404);
    const bad = await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/reports/summary_to_province`, { draft: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.draft' })]);
  });

  it('gives the workbook the mail attached, by .xlsx, ?format=xlsx or Accept, the same figures each way', async () => {
    const path = `/api/v1/campaigns/${city}/reports/summary_to_province`;
    const answers = [await binary(`${path}.xlsx`, JIAOZUO_OFFICE), await binary(path, JIAOZUO_OFFICE, { format: 'xlsx' }), await binary(path, HENAN, {}, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="report-${city}-summary_to_province-draft2.xlsx"`);
      expect((await totalsSheet(res.body as Buffer)).slice(1)).toEqual([
        ['水泥', T, 300, 150, 150, 0, 0, 150, 2, 3, 0.5],
        ['钢铁', T, 100, 0, 0, 0, 0, 100, 0, 0, 0],
      ]);
    }
    const early = await binary(`${path}.xlsx`, JIAOZUO_OFFICE, { draft: '1' });
    expect(early.headers['content-disposition']).toContain('draft1.xlsx');
    expect((await totalsSheet(early.body as Buffer))[1]).toEqual(['水泥', T, 300, 150, 100, 50, 0, 150, 2, 3, 0.5]);
    expect((await binary(`/api/v1/campaigns/${province}/reports/province_to_miit.xlsx`, HENAN)).status).toBe(404); // not drafted yet
    expect((await binary(`${path}.xlsx`, HEBI)).status).toBe(403);
  });
});

describe('reports received by the province', () => {
  it('lists what its cities sent, per report, with the status of each and their figures added up per industry and unit', async () => {
    const res = await api.get(HENAN, `/api/v1/campaigns/${province}/received-reports`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaignId: province, division: '410000', year: YEAR });
    // Jiaozuo's target plan is drafted, not sent: not received by anyone yet.
    expect(res.body.reports.map((r: { reportId: string }) => r.reportId)).toEqual(['summary_to_province']);
    const [summary] = res.body.reports;
    expect(summary.from.map((f: { division: string; name: string; status: string; draft: number }) => [f.division, f.name, f.status, f.draft])).toEqual([
      ['410600', '鹤壁市', 'received', 1],
      ['410800', '焦作市', 'sent', 2],
    ]);
    expect(summary.aggregate).toEqual({
      senders: 2,
      received: 1,
      totals: [
        { industry: 'cement', unit: T, capacity: 170, enterprises: 3, facilities: 4 },
        { industry: 'steel', unit: T, capacity: 0, enterprises: 0, facilities: 0 },
      ],
      openCases: 2,
      overdueCases: 1,
    });
  });

  it('is the province’s to read, not a city’s', async () => {
    expect((await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${province}/received-reports`)).status).toBe(403);
    expect((await api.get(JIAOZUO_OFFICE, `/api/v1/campaigns/${city}/received-reports`)).body.reports).toEqual([]);
  });
});

describe('report commands are authorised before the workflow is asked', () => {
  const post = (who: Principal, campaignId: string, reportId: string, path: string, body: object) => api.post(who, `/api/v1/campaigns/${campaignId}/reports/${reportId}/${path}`, body);

  it.each([
    ['drafts', 'an enforcement official', officials.zhengzhouIndustry],
    ['drafts', 'the province’s office (above, not its own)', HENAN],
    ['drafts', 'the city’s government', government('410800')],
    ['submissions', 'another city’s office', HEBI],
    ['approvals', 'the city’s office', JIAOZUO_OFFICE],
    ['approvals', 'the province’s government', government('410000')],
    ['receipts', 'the sending city’s own office', JIAOZUO_OFFICE],
    ['receipts', 'another city’s office', HEBI],
    ['receipts', 'the province’s government', government('410000')],
  ] as const)('%s by %s: 403', async (path, _who, who) => {
    const body = path === 'approvals' ? { decision: 'approve' } : {};
    const res = await post(who, city, 'summary_to_province', path, body);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('a report to the ministries is signed for outside exitflow: 403 even for the province’s own office', async () => {
    const res = await post(HENAN, province, 'province_to_miit', 'receipts', {});
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/ministries/);
  });

  it('404 for a campaign never started, and for receipt of a report the campaign does not have', async () => {
    expect((await post(JIAOZUO_OFFICE, 'campaign-410800-2017', 'summary_to_province', 'drafts', {})).status).toBe(404);
    expect((await post(government('410800'), 'campaign-410800-2017', 'summary_to_province', 'approvals', { decision: 'approve' })).status).toBe(404);
    expect((await post(HENAN, city, 'no_such_report', 'receipts', {})).status).toBe(404);
  });

  it('a body that breaks a rule is 422 naming the field, in English and Chinese, before the workflow is asked', async () => {
    const returned = await post(government('410800'), city, 'summary_to_province', 'approvals', { decision: 'return' });
    expect(returned.status).toBe(422);
    expect(returned.body.errors).toEqual([expect.objectContaining({ field: 'reason', message: 'a returned report says why' })]);
    const future = await post(JIAOZUO_OFFICE, city, 'summary_to_province', 'drafts', { cutOff: '2099-01-01' });
    expect(future.status).toBe(422);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'cutOff', rule: 'not_in_future', messageZh: '统计截止日期不能晚于今天' })]);
    const unknown = await post(JIAOZUO_OFFICE, city, 'summary_to_province', 'submissions', { note: 'x', extra: 1 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'extra', rule: 'unknown_field' })]);
  });

  it('the right office gets through to the workflow (here none runs: 409 campaign_ended), and nothing is audited', async () => {
    const res = await post(JIAOZUO_OFFICE, city, 'summary_to_province', 'submissions', { note: '请审定' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('campaign_ended');
    const { rows } = await stack.db.query(`SELECT 1 FROM audit_log WHERE target = $1`, [city]);
    expect(rows).toEqual([]);
  });
});
