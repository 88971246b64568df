import { randomUUID } from 'node:crypto';
import { inTransaction } from '../../db/pool';
import { addWorkingDays } from '../../domain/deadlines';
import type { ReportSubmission } from '../../domain/public-reports';
import { reportWorkflowId } from '../../domain/public-reports';
import { insertReport, startReportWorkflow } from '../../api/services/public-reports';
import { reporterKey } from '../../db/reporter-identity';
import { concludeReport, recordVerification, reportStateQuery, transferReport, type ReportState } from '../../workflows/public-report-messages';
import type { publicReportWorkflow } from '../../workflows/public-report';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { legalToday, openCase, rejection, saveHistory, TEST_CALENDAR, useLifecycle, type Lifecycle, type OpenedCase } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

/**
 * 新密市 (410183) and 新郑市 (410184), county-level cities of Zhengzhou that no other test uses: each
 * gets its own industry & IT bureau address, so a notice to the verifying bureau is told apart from
 * one to Zhengzhou's office above it.
 */
const XINMI = '410183';
const XINZHENG = '410184';
const XINMI_GXJ = 'gxj@xinmi.example.gov.cn';
const XINZHENG_GXJ = 'gxj@xinzheng.example.gov.cn';
const ZHENGZHOU_OFFICE = 'ttbgs@zhengzhou.example.gov.cn';
const HENAN_OFFICE = 'ttbgs@henan.example.gov.cn';
const HENAN_GOVERNMENT = 'zfb@henan.example.gov.cn';

const xinmiOfficial = { id: 'xm-gx-01', name: '新密市工信局 周执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: XINMI };
const xinzhengOfficial = { id: 'xz-gx-01', name: '新郑市工信局 吴执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: XINZHENG };
const ecologyOfficial = { id: 'xm-st-01', name: '新密市生态环境局 郑执法', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: XINMI };

beforeAll(async () => {
  await lc.db.query(
    `INSERT INTO authority_contacts (region_code, role, department, email, name) VALUES
       ($1, 'enforcement_official', 'industry_it', $2, '新密市工业和信息化局'), ($3, 'enforcement_official', 'industry_it', $4, '新郑市工业和信息化局')
     ON CONFLICT DO NOTHING`,
    [XINMI, XINMI_GXJ, XINZHENG, XINZHENG_GXJ],
  );
});

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof publicReportWorkflow>;

const report = (region: string, reporter?: ReportSubmission['reporter']): ReportSubmission => ({
  region,
  address: `${region} 某镇工业园`,
  enterpriseName: '某钢铁有限公司',
  industry: 'steel',
  dimension: 'energy',
  equipment: '2号高炉，能耗超标',
  capacity: 40,
  unit: '万吨/年',
  description: '该企业高炉能耗长期超过限额标准，仍在生产。',
  ...(reporter ? { reporter } : {}),
});

/** File a report as the API does (its rows, then its workflow), and wait until it is on the inbox. */
async function file(r: ReportSubmission): Promise<{ handle: Handle; reportId: string; workflowId: string }> {
  const now = new Date(await lc.env.currentTimeMs());
  const receivedOn = await legalToday(lc.env);
  const { input } = await inTransaction(lc.db, (tx) => insertReport(tx, r, { channel: 'online', receivedOn, recordedBy: null }, now, reporterKey({})));
  const handle = await startReportWorkflow(lc.env.client, lc.taskQueue, input);
  const workflowId = reportWorkflowId(input.reportId);
  await until(handle, (s) => s.ready, 'routed');
  return { handle, reportId: input.reportId, workflowId };
}

async function until(handle: Handle, pred: (s: ReportState) => boolean, what: string): Promise<ReportState> {
  const end = Date.now() + 20_000;
  for (;;) {
    const s = await handle.query(reportStateQuery);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ status: s.status, overdue: s.overdue, escalations: s.escalations })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const key = () => ({ idempotencyKey: randomUUID() });
const mailsOf = (reportId: string) => lc.sink.messages.filter((m) => m.headers['x-exitflow-report'] === reportId);
const inbox = async (reportId: string) =>
  (await lc.db.query(`SELECT kind, assignee_role, assignee_department, jurisdiction, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, outcome FROM decisions WHERE report_id = $1 ORDER BY requested_at, decision_id`, [reportId])).rows;
const events = async (reportId: string) => (await lc.db.query(`SELECT kind, detail FROM public_report_events WHERE report_id = $1 ORDER BY id`, [reportId])).rows as { kind: string; detail: Record<string, any> }[];
const saved = (handle: Handle, workflowId: string, name: string) => saveHistory(lc, { handle, caseId: workflowId } as unknown as OpenedCase, name);

const confirmation = (c: OpenedCase, actor: typeof xinmiOfficial) => ({
  ...key(),
  actor,
  outcome: 'confirmed' as const,
  caseId: c.caseId,
  enterprise: { regionCode: c.input.enterprise.regionCode, creditCode: c.input.creditCode, name: c.input.enterprise.name, industry: c.input.enterprise.industry },
  facilities: c.input.facilities.map((f) => ({ id: f.id, name: f.name, capacity: f.capacity, unit: f.unit })),
});

describe('a public report (举报) of backward capacity in 新密市 (410183, Henan policy)', () => {
  it('a real-name report is routed to the energy standard’s department with 15 working days, refused closure until verified, confirmed into a case and answered by mail', async () => {
    const today = await legalToday(lc.env);
    const reporterEmail = `reporter-${randomUUID().slice(0, 8)}@example.com`;
    const { handle, reportId, workflowId } = await file(report(XINMI, { name: '张某', phone: '13800000000', email: reporterEmail }));
    expect(reportId).toMatch(new RegExp(`^JB-${XINMI}-${today.replaceAll('-', '')}-\\d{4}$`));

    // Routed by the pinned policy: energy → industry & IT, in the reported locality; officialDeadlines.reportVerification = 15 working days.
    const due = addWorkingDays(today, 15, TEST_CALENDAR);
    expect(await inbox(reportId)).toEqual([{ kind: 'report_verification', assignee_role: 'enforcement_official', assignee_department: 'industry_it', jurisdiction: XINMI, due_date: due, status: 'open', outcome: null }]);
    expect(mailsOf(reportId).some((m) => m.to.includes(XINMI_GXJ) && m.subject.includes('待核查'))).toBe(true);
    // Nothing about who reported in the workflow's input, memo or search attributes.
    const described = await handle.describe();
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain('张某');
    expect(history).not.toContain(reporterEmail);
    expect(history).not.toContain('13800000000');
    expect(JSON.stringify(described.memo ?? {})).not.toContain('张某');

    // 实名举报做到有报必查: never "not pursued", and not concluded before a verification is recorded.
    expect((await rejection(handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'not_pursued', reasons: '线索不清' }] }))).code).toBe('real_name_must_be_verified');
    expect((await rejection(handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'unfounded', reasons: '未核查' }] }))).code).toBe('verification_required');
    // Another department (ecology) is not the verifier.
    expect((await rejection(handle.executeUpdate(recordVerification, { args: [{ ...key(), actor: ecologyOfficial, verifiedOn: today, method: 'on_site', findings: '现场核查' }] }))).code).toBe('not_the_verifier');

    await handle.executeUpdate(recordVerification, { args: [{ ...key(), actor: xinmiOfficial, verifiedOn: today, method: 'on_site', findings: '现场核查：2号高炉在产，能耗超过限额标准。' }] });
    const c = await openCase(lc, { regionCode: XINMI, openedBy: xinmiOfficial });
    const result = await handle.executeUpdate(concludeReport, { args: [confirmation(c, xinmiOfficial)] });
    expect(result).toMatchObject({ status: 'closed', outcome: 'confirmed', caseId: c.caseId });

    const final = await handle.result();
    expect(final.reply).toContain('已依法立案查处');
    expect(final.reply).not.toContain(c.input.enterprise.contactName);
    const reply = mailsOf(reportId).filter((m) => m.headers['x-exitflow-kind'] === 'report_reply');
    expect(reply).toHaveLength(1);
    expect(reply[0]!.to).toEqual([reporterEmail]);
    // The outbox records the reply without the reporter's address.
    const outbox = (await lc.db.query(`SELECT recipients FROM notifications WHERE report_id = $1 AND kind = 'report_reply'`, [reportId])).rows[0];
    expect(outbox.recipients).toEqual([`r***@example.com`]);
    expect((await inbox(reportId))[0]).toMatchObject({ status: 'decided', outcome: 'confirmed' });
    const row = (await lc.db.query(`SELECT status, outcome, case_id, reply FROM public_reports WHERE report_id = $1`, [reportId])).rows[0];
    expect(row).toMatchObject({ status: 'closed', outcome: 'confirmed', case_id: c.caseId });
    expect((await events(reportId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['routed', 'verification', 'concluded', 'replied']));
    await saved(handle, workflowId, 'public-report-confirmed');
  });

  it('an anonymous report may be closed as unfounded with reasons, without a mail (no contact)', async () => {
    const { handle, reportId, workflowId } = await file(report(XINMI));
    const result = await handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'unfounded', reasons: '现场核查：该厂高炉已于2025年拆除。', replyNote: '如有新的线索，欢迎继续举报。' }] });
    expect(result).toMatchObject({ status: 'closed', outcome: 'unfounded', caseId: null });
    const final = await handle.result();
    expect(final.reply).toContain('不属实');
    expect(final.reply).toContain('欢迎继续举报');
    expect(final.replyMailed).toBe(false);
    expect(mailsOf(reportId).filter((m) => m.headers['x-exitflow-kind'] === 'report_reply')).toHaveLength(0);
    // A second conclusion is refused: the report is closed (the workflow has ended, so the update fails).
    await expect(handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'unfounded', reasons: '重复' }] })).rejects.toThrow();
    await saved(handle, workflowId, 'public-report-unfounded');
  });

  it('a report of the wrong standard is handed to the department that enforces the right one (转办), with the same deadline', async () => {
    const { handle, reportId, workflowId } = await file(report(XINMI));
    const due = (await inbox(reportId))[0]!.due_date;
    expect((await rejection(handle.executeUpdate(transferReport, { args: [{ ...key(), actor: xinmiOfficial, dimension: 'technology', reason: '同属工信' }] }))).code).toBe('same_department');
    const moved = await handle.executeUpdate(transferReport, { args: [{ ...key(), actor: xinmiOfficial, dimension: 'environment', reason: '经初步核实，反映的是超标排放问题。' }] });
    expect(moved).toMatchObject({ status: 'verifying', dueDate: due });
    expect((await inbox(reportId)).map((d) => [d.assignee_department, d.status, d.due_date])).toEqual([
      ['industry_it', 'withdrawn', due],
      ['ecology_environment', 'open', due],
    ]);
    // The handing department no longer acts; the new one concludes.
    expect((await rejection(handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'unfounded', reasons: '不属实' }] }))).code).toBe('not_the_verifier');
    await handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: ecologyOfficial, outcome: 'unfounded', reasons: '在线监测数据显示排放达标。' }] });
    const final = await handle.result();
    expect(final.transfers).toMatchObject([{ from: 'industry_it', to: 'ecology_environment', dimension: 'environment' }]);
    expect((await inbox(reportId)).map((d) => d.status)).toEqual(['withdrawn', 'decided']);
    await saved(handle, workflowId, 'public-report-transferred');
  });

  it('a report left unverified past its deadline is reminded, then escalated to Zhengzhou’s office and along the ladder to Henan', async () => {
    const today = await legalToday(lc.env);
    const { handle, reportId, workflowId } = await file(report(XINMI));
    const due = addWorkingDays(today, 15, TEST_CALENDAR);
    // Past the deadline and the ladder's province step (10 working days after it).
    const after = Date.parse(`${addWorkingDays(due, 12, TEST_CALENDAR)}T12:00:00+08:00`);
    await lc.env.sleep(after - (await lc.env.currentTimeMs()));
    const s = await until(handle, (x) => x.escalations.includes('province'), 'escalated to the province');
    expect(s.overdue).toBe(true);
    expect(s.remindersSent.length).toBeGreaterThan(0);
    expect(s.escalations).toEqual(['responsible', 'city', 'province']);
    const mails = mailsOf(reportId);
    expect(mails.some((m) => m.subject.includes('核查提醒') && m.to.includes(XINMI_GXJ))).toBe(true);
    expect(mails.some((m) => m.subject.includes('逾期未核查') && m.to.includes(XINMI_GXJ))).toBe(true);
    expect(mails.some((m) => m.subject.includes('逾期未核查') && m.to.includes(ZHENGZHOU_OFFICE))).toBe(true);
    expect(mails.some((m) => m.subject.includes('督办') && m.to.includes(HENAN_OFFICE) && m.to.includes(HENAN_GOVERNMENT))).toBe(true);
    expect((await lc.db.query(`SELECT overdue FROM public_reports WHERE report_id = $1`, [reportId])).rows[0].overdue).toBe(true);
    expect((await inbox(reportId))[0]).toMatchObject({ status: 'open', due_date: due });
    // Concluded late: recorded as late, the decision closed.
    await handle.executeUpdate(concludeReport, { args: [{ ...key(), actor: xinmiOfficial, outcome: 'not_pursued', reasons: '举报线索不具体，无法核查。' }] });
    await handle.result();
    expect((await events(reportId)).find((e) => e.kind === 'concluded')!.detail.late).toBe(true);
    await saved(handle, workflowId, 'public-report-escalated');
  });

  it('confirmed capacity that the region’s campaign survey did not list is recorded as concealed against the campaign (隐瞒不报)', async () => {
    const today = await legalToday(lc.env);
    const year = Number(today.slice(0, 4));
    const campaignId = `campaign-${XINZHENG}-${year}`;
    await lc.db.query(
      `INSERT INTO campaigns (campaign_id, division, year, policy_id, policy_version, stage, milestones, started_at) VALUES ($1, $2, $3, 'henan', 'henan-2021.1', 'running', '[]', now()) ON CONFLICT DO NOTHING`,
      [campaignId, XINZHENG, year],
    );
    const c = await openCase(lc, { regionCode: XINZHENG, openedBy: xinzhengOfficial });
    // The survey listed BF-2 but not CV-1.
    await lc.db.query(
      `INSERT INTO campaign_survey_rows (campaign_id, credit_code, facility_id, region_code, industry, capacity, unit, treatment, row_number, file_sha256) VALUES ($1, $2, 'BF-2', $3, 'steel', 40, '万吨/年', 'exit', 1, $4)`,
      [campaignId, c.input.creditCode, XINZHENG, 'a'.repeat(64)],
    );
    const { handle, reportId, workflowId } = await file(report(XINZHENG, { phone: '13900000000' }));
    await handle.executeUpdate(concludeReport, { args: [confirmation(c, xinzhengOfficial)] });
    const final = await handle.result();
    expect(final.concealed).toMatchObject({ campaignId, facilities: ['CV-1'] });
    const itemId = final.concealed!.itemId!;
    expect(itemId).toBe(`supervision-${XINZHENG}-${year}-concealed-${c.input.creditCode}-${today}`);
    const end = Date.now() + 20_000;
    let item: Record<string, any> | undefined;
    while (!item && Date.now() < end) {
      item = (await lc.db.query(`SELECT supervisor, region, campaign_id, reason FROM supervision_items WHERE item_id = $1`, [itemId])).rows[0];
      if (!item) await new Promise((r) => setTimeout(r, 100));
    }
    expect(item).toMatchObject({ supervisor: '410100', region: XINZHENG, campaign_id: campaignId });
    expect(item!.reason).toMatchObject({ kind: 'concealed_capacity', source: 'public_report', reference: `举报受理编号 ${reportId}`, facilities: [{ name: '1号转炉 30t', capacity: 35, unit: '万吨/年' }] });
    // A phone, no e-mail: the reply is read through the status lookup only.
    expect(final.replyMailed).toBe(false);
    await saved(handle, workflowId, 'public-report-concealed');
  });
});

