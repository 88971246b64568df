import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { campaignWorkflowId } from '../../domain/campaign';
import { approveReport, campaignStateQuery, receiveReport, submitReport, type CampaignState } from '../../workflows/campaign-messages';
import { campaignWorkflow } from '../../workflows/campaign';
import { randomCreditCode } from '../support/fixtures';
import type { ReceivedMail } from '../../scripts/lib/smtp-sink';
import { rejection, saveHistory, type Lifecycle, useLifecycle } from './harness';

/**
 * A whole campaign year of Liaoning (liaoning-2021.1) under time skipping: Shenyang (210100) runs its
 * year beside the province (210000). Its exit window (6月1日–9月30日) ends with 和平区 (210102) far
 * below its surveyed target and 沈河区 (210103) on target: only 和平区 gets a supervision item of the
 * city office. The city's summary (11月30日前) goes to the province after the city government approved
 * it, with the exits of both districts. Two years ahead, like the Henan year.
 */
let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cst = (isoLocal: string) => Date.parse(`${isoLocal}:00+08:00`);
async function sleepUntil(ms: number): Promise<void> {
  const now = await lc.env.currentTimeMs();
  if (ms > now) await lc.env.sleep(ms - now);
}

type Handle = { query: (q: typeof campaignStateQuery) => Promise<CampaignState> };
async function until(handle: Handle, pred: (s: CampaignState) => boolean, what: string): Promise<CampaignState> {
  const end = Date.now() + 30_000;
  for (;;) {
    const s = await handle.query(campaignStateQuery);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ stage: s.stage, reports: s.reports })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SHENYANG_OFFICE = 'ttbgs@shenyang.example.gov.cn';
const SHENYANG_GOVERNMENT = 'zfb@shenyang.example.gov.cn';
const LIAONING_OFFICE = 'ttbgs@liaoning.example.gov.cn';

const office = (jurisdiction: string, name: string) => ({ id: `tt-${jurisdiction}`, name, role: 'coordination_office', jurisdiction });
const government = (jurisdiction: string, name: string) => ({ id: `gov-${jurisdiction}`, name, role: 'approving_government', jurisdiction });
const CITY = office('210100', '沈阳市淘汰落后产能工作协调小组办公室');
const CITY_GOVERNMENT = government('210100', '沈阳市人民政府');
const PROVINCE = office('210000', '辽宁省淘汰落后产能工作协调小组办公室');

/** An enterprise of `region` whose cement line exited (dismantled) on `exitedOn`: a terminal case and its retired capacity. */
async function seedExit(region: string, year: number, capacity: number, exitedOn: string): Promise<string> {
  const creditCode = randomCreditCode(`${region.slice(0, 4)}00`);
  const caseId = `case-${region}-${creditCode}-Y`;
  const facilities = [{ id: 'L1', name: '1号水泥熟料生产线', kind: 'production_line', capacity, unit: '万吨/年' }];
  await lc.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,'cement','王','a@b.cn','{}')`, [creditCode, `沈阳水泥${region}-${capacity}`, region]);
  await lc.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,'cement','technology','industry_it','30号文',$5,$6,'liaoning','liaoning-2021.1','exited','{}',$7)`,
    [caseId, `Y-${capacity}`, creditCode, region, `${year}-01-05`, JSON.stringify(facilities), `${year}-01-05T02:00:00Z`],
  );
  await lc.db.query(`INSERT INTO case_events (case_id, idempotency_key, kind, stage, occurred_at) VALUES ($1,$2,'stage','exited',$3)`, [caseId, `${caseId}/exited`, `${exitedOn}T04:00:00Z`]);
  await lc.db.query(
    `INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, dismantled_on) VALUES ($1,$2,'cement',$3,$4,'万吨/年',$5,$6,'dismantled',$6)`,
    [caseId, region, year, capacity, JSON.stringify(facilities), exitedOn],
  );
  return creditCode;
}

/** A surveyed line of `region` the city's target list says must exit this year (campaign_survey_rows, as a committed survey writes it). */
async function seedTarget(campaignId: string, region: string, capacity: number): Promise<void> {
  const creditCode = randomCreditCode(`${region.slice(0, 4)}00`);
  await lc.db.query(
    `INSERT INTO campaign_survey_rows (campaign_id, credit_code, facility_id, region_code, industry, capacity, unit, treatment, row_number, file_sha256) VALUES ($1,$2,'L1',$3,'cement',$4,'万吨/年','exit',1,'test')`,
    [campaignId, creditCode, region, capacity],
  );
}

/** The sheet of a workbook mailed with a report, as rows of cell texts. */
async function sheetRows(mail: ReceivedMail, name: RegExp): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(mail.attachments[0]!.content as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => name.test(w.name));
  if (!ws) throw new Error(`no sheet ${name} in ${wb.worksheets.map((w) => w.name).join(', ')}`);
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('a Liaoning city’s campaign year (Shenyang 210100)', () => {
  it('opens a supervision item for the district that lags at the end of the exit window, and sends the city’s summary to the province after the city government approved it', async () => {
    const year = new Date(await lc.env.currentTimeMs()).getUTCFullYear() + 2;
    const startedAt = new Date(await lc.env.currentTimeMs()).toISOString();
    // Shenyang's own addresses (the seed directory has Liaoning's only).
    await lc.db.query(
      `INSERT INTO authority_contacts (region_code, role, department, email, name) VALUES ('210100','coordination_office',NULL,$1,'沈阳市淘汰落后产能工作协调小组办公室'), ('210100','approving_government',NULL,$2,'沈阳市人民政府') ON CONFLICT DO NOTHING`,
      [SHENYANG_OFFICE, SHENYANG_GOVERNMENT],
    );
    const start = async (division: string, startedBy: object) => {
      const campaignId = campaignWorkflowId(division, year);
      const handle = await lc.env.client.workflow.start(campaignWorkflow, {
        workflowId: campaignId,
        taskQueue: lc.taskQueue,
        args: [{ campaignId, division, year, policy: { id: 'liaoning', version: 'liaoning-2021.1' }, startedBy: startedBy as never, startedAt }],
      });
      await until(handle, (s) => s.ready, `${campaignId} ready`);
      return handle;
    };
    const province = await start('210000', PROVINCE);
    const city = await start('210100', CITY);
    const cityId = campaignWorkflowId('210100', year);
    let s = await city.query(campaignStateQuery);
    expect(Object.keys(s.reports ?? {}).sort()).toEqual(['cities_summary_to_province', 'survey_to_province']);
    expect(s.reports!.cities_summary_to_province).toMatchObject({ recipientDivision: '210000', approval: { seal: false } });
    expect(Object.keys((await province.query(campaignStateQuery)).reports ?? {}).sort()).toEqual(['members_summary_to_province', 'province_to_miit']);

    // The target list: 100 in 和平区, 50 in 沈河区; by the end of the window 和平区 dismantled 30, 沈河区 50.
    await seedTarget(cityId, '210102', 100);
    await seedTarget(cityId, '210103', 50);
    await seedExit('210102', year, 30, `${year}-07-15`);
    await seedExit('210103', year, 50, `${year}-08-20`);

    // The city completes its own milestones up to the exit, so only the districts' pace is in question.
    const complete = (milestoneId: string) => city.executeUpdate('completeMilestone', { args: [{ milestoneId, actor: CITY, idempotencyKey: randomUUID() }] });
    for (const id of ['plans_filed', 'survey', 'exit_from']) await complete(id);
    const exitBy = s.milestones.find((m) => m.id === 'exit_by')!;
    await sleepUntil(cst(`${exitBy.due}T12:00`) + 86_400_000);
    s = await until(city, (x) => (x.paceChecked ?? []).includes('exit_by'), 'the pace assessed at the end of the window');
    const itemId = `supervision-210102-${year}-pace-${exitBy.due}`;
    const items = Object.entries(s.supervision ?? {});
    expect(items.filter(([, v]) => v.region !== '210100').map(([id]) => id)).toEqual([itemId]);
    // The city's own lapsed exit date (it did not complete it) is the province office's item.
    expect(Object.fromEntries(items)[`supervision-210100-${year}-milestone-exit_by`]).toMatchObject({ region: '210100', reason: 'milestone_lapsed' });
    const item = lc.env.client.workflow.getHandle(itemId);
    expect((await item.describe()).status.name).toBe('RUNNING');
    expect(await item.query('supervisionState')).toMatchObject({ supervisor: '210100', region: '210102', reason: { kind: 'pace', asOf: exitBy.due } });
    // 沈河区 is on target: no item.
    await expect(lc.env.client.workflow.getHandle(`supervision-210103-${year}-pace-${exitBy.due}`).describe()).rejects.toThrow();

    // The city's summary, drafted a week before November 30, approved by the city government, then sent.
    const summary = s.milestones.find((m) => m.id === 'report:cities_summary_to_province')!;
    await sleepUntil(cst(`${summary.due}T09:00`) - 7 * 86_400_000);
    s = await until(city, (x) => x.reports?.cities_summary_to_province?.status === 'drafted', 'the summary drafted');
    expect(s.reports!.cities_summary_to_province!.draft!.totals).toEqual([{ industry: 'cement', unit: '万吨/年', capacity: 80, enterprises: 2, facilities: 2 }]);
    const act = (update: typeof submitReport, actor: object, extra: object = {}) => city.executeUpdate(update, { args: [{ reportId: 'cities_summary_to_province', actor: actor as never, idempotencyKey: randomUUID(), ...extra }] });
    expect(await act(submitReport, CITY)).toMatchObject({ status: 'awaiting_approval' });
    expect((await lc.sink.waitFor((m) => m.subject.startsWith('【报告待审】') && m.subject.includes('210100'))).to).toEqual([SHENYANG_GOVERNMENT]);
    expect((await rejection(act(approveReport, government('210000', '辽宁省人民政府'), { decision: 'approve' }))).code).toBe('not_the_government');
    expect(await act(approveReport, CITY_GOVERNMENT, { decision: 'approve', documentNumber: `沈政函〔${year}〕88号` })).toMatchObject({ status: 'sent', approved: { documentNumber: `沈政函〔${year}〕88号` } });
    const mail = await lc.sink.waitFor((m) => m.subject.startsWith('【报送】') && m.subject.includes('210100'));
    expect(mail.to).toEqual([LIAONING_OFFICE]);
    const regions = await sheetRows(mail, /分地区/);
    expect(regions.some((r) => r.some((c) => c.includes('和平区')) && r.includes('30'))).toBe(true);
    expect(regions.some((r) => r.some((c) => c.includes('沈河区')) && r.includes('50'))).toBe(true);
    expect(await act(receiveReport, PROVINCE)).toMatchObject({ status: 'received' });
    s = await city.query(campaignStateQuery);
    expect(s.milestones.find((m) => m.id === summary.id)).toMatchObject({ status: 'completed', completedBy: { id: CITY_GOVERNMENT.id } });

    await saveHistory(lc, { handle: city, caseId: cityId } as unknown as Parameters<typeof saveHistory>[1], 'campaign-shenyang-city-year');
  });
});
