import ExcelJS from 'exceljs';
import { createCampaignReportActivities, storedFigures } from '../../activities/campaign-reports';
import { createMailer, type Mailer } from '../../activities/mailer';
import { REPORT_SHEETS } from '../../activities/report-workbook';
import { stoodLapsed } from '../../db/ledger';
import { createPool, type Db } from '../../db/pool';
import type { ReportState } from '../../domain/campaign-reports';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { seedCase, seedReportYear, T, type ReportYear } from '../support/report-seeds';

/**
 * The campaign's report activities against real PostgreSQL and a real SMTP sink, for Xinxiang (新乡市)
 * in 2019: a year of this file's own, with exits and cases written as the case workflows would.
 */
const YEAR = 2019;
const city = `campaign-410700-${YEAR}`;
const province = `campaign-410000-${YEAR}`;
const key = (campaignId: string, reportId: string, draft: number) => `${campaignId}/report/${reportId}/draft/${draft}`;

let db: Db;
let sink: SmtpSink;
let mailer: Mailer;
let seeded: ReportYear;
let activities: ReturnType<typeof createCampaignReportActivities>;

beforeAll(async () => {
  db = createPool(process.env.TEST_DATABASE_URL as string, 4);
  sink = await startSmtpSink();
  mailer = createMailer(`${sink.smtpUrl}?tls=off`, 'exitflow <noreply@exitflow.local>');
  activities = createCampaignReportActivities({ db, mailer, publicBaseUrl: 'http://localhost:3000' });
  seeded = await seedReportYear(db, YEAR);
});
afterAll(async () => {
  mailer.close();
  await sink.stop();
  await db.end();
});

const draft = (reportId: string, n: number, cutOff: string, campaignId = city) => activities.draftCampaignReport({ campaignId, reportId, draft: n, cutOff, draftedOn: '2019-07-01', idempotencyKey: key(campaignId, reportId, n) });

describe('drafting a report: the ledger as of the cut-off and the tables behind it, stored once', () => {
  it('totals per industry and unit, open and overdue cases, as they stood at the end of the cut-off day', async () => {
    const summary = await draft('target_plan_to_province', 1, `${YEAR}-06-30`);
    expect(summary).toEqual({
      draft: 1,
      cutOff: `${YEAR}-06-30`,
      draftedOn: '2019-07-01',
      totals: [
        { industry: 'cement', unit: T, capacity: 150, enterprises: 2, facilities: 3 },
        { industry: 'steel', unit: T, capacity: 0, enterprises: 0, facilities: 0 },
      ],
      openCases: 3,
      overdueCases: 1,
    });
  });

  it('stores the enterprises with every line that exited, and the open cases with their stage then, deadline and overdue mark', async () => {
    const f = (await storedFigures(db, city, 'target_plan_to_province', 1))!;
    expect(f).toMatchObject({ campaignId: city, reportId: 'target_plan_to_province', division: '410700', divisionName: '新乡市', year: YEAR, cutOff: `${YEAR}-06-30`, policy: { id: 'henan', version: 'henan-2021.1' } });
    expect(f.nameZh).toEqual(expect.any(String));
    expect(f.exits).toEqual([
      expect.objectContaining({ caseId: seeded.exits.a.caseId, enterprise: '新乡县甲水泥有限公司', creditCode: seeded.exits.a.creditCode, region: '410721', regionName: '新乡县', capacity: 100, unit: T, how: 'dismantled', exitedOn: `${YEAR}-03-01`,
        facilities: [{ id: 'KL-1', name: 'KL-1熟料生产线', kind: 'production_line', capacity: 60, unit: T }, { id: 'KL-2', name: 'KL-2熟料生产线', kind: 'production_line', capacity: 40, unit: T }] }),
      // Dismantled on Aug 1: on Jun 30 it stood sealed.
      expect.objectContaining({ caseId: seeded.exits.b.caseId, region: '410782', regionName: '辉县市', capacity: 50, how: 'sealed' }),
    ]);
    expect(f.openCases.map((c) => [c.caseId, c.stage, c.deadline, c.overdue])).toEqual([
      [seeded.open.c, 'rectification', `${YEAR}-04-30`, true],
      [seeded.open.d, 'rectification', `${YEAR}-12-31`, false],
      [seeded.open.b, 'sealed', null, false],
    ]);
    // The tables add up to the ledger's figures.
    expect(f.openCases).toHaveLength(f.ledger.cases.open);
    expect(f.exits.reduce((a, e) => a + e.capacity, 0)).toBe(f.ledger.totals.find((l) => l.industry === 'cement')!.retired.capacity);
  });

  it('a draft is reproducible: an exit recorded later changes a new draft, never the stored one (nor its retry)', async () => {
    const first = await draft('summary_to_province', 1, `${YEAR}-06-30`);
    // Recorded after the first draft, dated before its cut-off (a late entry).
    await seedCase(db, YEAR, { region: '410726', name: '延津县戊水泥有限公司', facilities: [{ id: 'KL-9', name: '9号线', kind: 'production_line', capacity: 25, unit: T }], stages: [['opened', `${YEAR}-01-05`], ['exited', `${YEAR}-06-21`]], exit: { how: 'dismantled', exitedOn: `${YEAR}-06-20`, dismantledOn: `${YEAR}-06-20` } });
    const second = await draft('summary_to_province', 2, `${YEAR}-06-30`);
    expect(second.totals[0]).toMatchObject({ industry: 'cement', capacity: 175, enterprises: 3 });
    expect(await draft('summary_to_province', 1, `${YEAR}-06-30`)).toEqual(first);
    expect(first.totals[0]).toMatchObject({ capacity: 150 });
    expect((await storedFigures(db, city, 'summary_to_province', 1))!.exits).toHaveLength(2);
    expect((await storedFigures(db, city, 'summary_to_province', 2))!.exits).toHaveLength(3);
    const { rows } = await db.query(`SELECT draft FROM campaign_report_drafts WHERE campaign_id = $1 AND report_id = 'summary_to_province' ORDER BY draft`, [city]);
    expect(rows).toEqual([{ draft: 1 }, { draft: 2 }]);
  });

  it('a report the pinned policy does not have fails for good (no retry mends it)', async () => {
    await expect(draft('no_such_report', 1, `${YEAR}-06-30`)).rejects.toMatchObject({ type: 'unknown_report', nonRetryable: true });
  });
});

describe('sending a report: once, to the recipient office, with the XLSX of the stored draft', () => {
  const send = (over: Partial<Parameters<typeof activities.sendCampaignReport>[0]> = {}) =>
    activities.sendCampaignReport({ campaignId: city, reportId: 'target_plan_to_province', draft: 1, idempotencyKey: `${city}/report/target_plan_to_province/send`, recipientDivision: '410000', subject: `新乡市${YEAR}年淘汰落后产能目标计划`, text: '现将我市目标计划报上。', ...over });
  const mails = (reportId: string, campaignId = city) => sink.messages.filter((m) => m.headers['x-exitflow-campaign'] === campaignId && m.headers['x-exitflow-report'] === reportId);

  it('mails the province’s coordination office once, however often it is retried', async () => {
    const first = await send();
    expect(first).toEqual({ recipients: ['ttbgs@henan.example.gov.cn'], messageId: expect.stringMatching(/^<[0-9a-f]{32}@exitflow\.local>$/) });
    expect(await send()).toEqual(first);
    await sink.waitFor((m) => m.headers['x-exitflow-report'] === 'target_plan_to_province');
    expect(mails('target_plan_to_province')).toHaveLength(1);
    const { rows } = await db.query(`SELECT status, attempts, kind, campaign_id FROM notifications WHERE idempotency_key = $1`, [`${city}/report/target_plan_to_province/send`]);
    expect(rows).toEqual([{ status: 'sent', attempts: 2, kind: 'campaign_report', campaign_id: city }]);
  });

  it('the attached XLSX parses back to the stored figures: totals, sub-divisions, every line that exited, the open cases', async () => {
    const [mail] = mails('target_plan_to_province');
    expect(mail!.text).toContain(`统计截止日期：${YEAR}-06-30（第1稿）`);
    expect(mail!.attachments).toHaveLength(1);
    const file = mail!.attachments[0]!;
    expect(file).toMatchObject({ filename: `report-${city}-target_plan_to_province-draft1.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(REPORT_SHEETS));
    const rows = (name: string) => wb.getWorksheet(name)!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const totals = rows(REPORT_SHEETS.totals);
    expect(totals[0]).toEqual(['行业', '计量单位', '目标产能', '已退出产能', '其中拆除', '其中封存', '其中关而不拆转应急备用', '剩余产能', '已退出企业数', '已退出设备数', '完成比例']);
    expect(totals.slice(1)).toEqual([
      ['水泥', T, 300, 150, 100, 50, 0, 150, 2, 3, 0.5],
      ['钢铁', T, 100, 0, 0, 0, 0, 100, 0, 0, 0],
    ]);
    const regions = rows(REPORT_SHEETS.subdivisions);
    expect(regions.find((r) => r[0] === '410724')).toEqual(['410724', '获嘉县', undefined, undefined, undefined, undefined, undefined, undefined, 1, 1, '是', '逾期未办结案件1件']);
    expect(regions.find((r) => r[0] === '410721')!.slice(-2)).toEqual(['是', '本级工作逾期未完成：摸底排查完成、目标计划公示']);
    const exits = rows(REPORT_SHEETS.exits);
    expect(exits[0]).toEqual(['企业名称', '统一社会信用代码', '行政区划代码', '地区', '行业', '设备/生产线编号', '设备/生产线名称', '类型', '产能', '计量单位', '退出方式', '退出日期', '案件编号']);
    expect(exits.slice(1).map((r) => [r[0], r[1], r[5], r[8], r[10]])).toEqual([
      ['新乡县甲水泥有限公司', seeded.exits.a.creditCode, 'KL-1', 60, '拆除'],
      ['新乡县甲水泥有限公司', seeded.exits.a.creditCode, 'KL-2', 40, '拆除'],
      ['辉县市乙水泥有限公司', seeded.exits.b.creditCode, 'KL-3', 50, '封存'],
    ]);
    const open = rows(REPORT_SHEETS.openCases);
    expect(open[0]).toEqual(['案件编号', '企业名称', '统一社会信用代码', '行政区划代码', '地区', '行业', '所处阶段', '办理期限', '是否逾期']);
    expect(open.slice(1).map((r) => [r[1], r[6], r[8]])).toEqual([
      ['获嘉县丙钢铁有限公司', '限期整改', '是'],
      ['原阳县丁水泥有限公司', '限期整改', '否'],
      ['辉县市乙水泥有限公司', '已封存', '否'],
    ]);
  });

  it('a province’s report goes to the ministries’ addresses (directory division 000000)', async () => {
    await draft('province_to_miit', 1, `${YEAR}-12-31`, province);
    const sent = await activities.sendCampaignReport({ campaignId: province, reportId: 'province_to_miit', draft: 1, idempotencyKey: `${province}/report/province_to_miit/send`, recipientDivision: null, subject: `河南省${YEAR}年淘汰落后产能工作总结`, text: '报工业和信息化部、国家能源局。' });
    expect(sent.recipients).toEqual(['cyzcs@miit.example.gov.cn', 'dlsgs@nea.example.gov.cn']);
    const mail = await sink.waitFor((m) => m.headers['x-exitflow-campaign'] === province);
    expect(mail.to.sort()).toEqual(sent.recipients);
    expect(mail.attachments[0]!.filename).toBe(`report-${province}-province_to_miit-draft1.xlsx`);
  });

  it('a draft that was never stored fails for good, and nothing is mailed', async () => {
    await expect(send({ reportId: 'summary_to_province', draft: 9, idempotencyKey: `${city}/report/summary_to_province/send` })).rejects.toMatchObject({ type: 'report_not_drafted', nonRetryable: true });
    expect(mails('summary_to_province')).toHaveLength(0);
  });
});

describe('the read model of a report and the lagging sub-divisions', () => {
  const state = (over: Partial<ReportState>): ReportState => ({
    reportId: 'summary_to_province',
    milestoneId: 'report:summary_to_province',
    nameZh: '工作总结报省',
    due: `${YEAR}-10-31`,
    draftOn: `${YEAR}-10-24`,
    status: 'drafted',
    recipient: 'office_above',
    recipientDivision: '410000',
    approval: null,
    draft: { draft: 1, cutOff: `${YEAR}-06-30`, draftedOn: `${YEAR}-07-01`, totals: [], openCases: 3, overdueCases: 1 },
    submitted: null,
    returned: null,
    approved: null,
    sent: null,
    received: null,
    ...over,
  });
  const row = async () => (await db.query(`SELECT status, draft, cut_off, sent_on, message_id, recipient, recipient_division, seq, state FROM campaign_reports WHERE campaign_id = $1 AND report_id = 'summary_to_province'`, [city])).rows[0];

  it('keeps the newest state: an older record arriving late changes nothing', async () => {
    await activities.recordCampaignReport({ campaignId: city, division: '410700', year: YEAR, seq: 5, report: state({}) });
    const sent = state({ status: 'sent', sent: { on: `${YEAR}-10-30T02:00:00.000Z`, recipients: ['ttbgs@henan.example.gov.cn'], messageId: '<m@exitflow.local>' } });
    await activities.recordCampaignReport({ campaignId: city, division: '410700', year: YEAR, seq: 7, report: sent });
    await activities.recordCampaignReport({ campaignId: city, division: '410700', year: YEAR, seq: 6, report: state({ status: 'awaiting_approval' }) });
    await activities.recordCampaignReport({ campaignId: city, division: '410700', year: YEAR, seq: 7, report: state({ status: 'awaiting_approval' }) });
    expect(await row()).toEqual({ status: 'sent', draft: 1, cut_off: `${YEAR}-06-30`, sent_on: `${YEAR}-10-30`, message_id: '<m@exitflow.local>', recipient: 'office_above', recipient_division: '410000', seq: 7, state: sent });
  });

  it('lags: 获嘉县 with a case past its deadline, 新乡县 whose own campaign let its survey lapse (from the day after)', async () => {
    expect(await activities.laggingSubdivisions({ campaignId: city, asOf: `${YEAR}-06-30` })).toEqual([
      { division: '410721', name: '新乡县', reasons: [{ kind: 'milestones', milestones: ['摸底排查完成、目标计划公示'] }] },
      { division: '410724', name: '获嘉县', reasons: [{ kind: 'overdue', cases: 1 }] },
    ]);
    expect(await activities.laggingSubdivisions({ campaignId: city, asOf: `${YEAR}-05-31` })).toEqual([{ division: '410724', name: '获嘉县', reasons: [{ kind: 'overdue', cases: 1 }] }]);
  });
});

describe('a sub-division’s milestone as it stood on a past date', () => {
  const m = { due: '2019-05-31', status: 'completed', lapsedOn: '2019-05-31', completedOn: '2019-07-15' };
  test.each([
    ['2019-05-31', false], // lapses at the end of its due date
    ['2019-06-01', true],
    ['2019-07-14', true],
    ['2019-07-15', false], // completed (late) that day
  ])('as of %s lapsed: %s', (asOf, lapsed) => {
    expect(stoodLapsed(m, asOf)).toBe(lapsed);
  });

  test('an overdue mark without its date (older records) counts from the due date', () => {
    expect(stoodLapsed({ due: '2019-05-31', status: 'overdue', lapsedOn: null, completedOn: null }, '2019-06-01')).toBe(true);
    expect(stoodLapsed({ due: '2019-05-31', status: 'pending', lapsedOn: null, completedOn: null }, '2019-06-01')).toBe(false);
  });
});
