import ExcelJS from 'exceljs';
import type { Db } from '../../db/pool';
import { campaignWorkflowId } from '../../domain/campaign';
import type { ReceivedMail } from '../../scripts/lib/smtp-sink';
import { campaignStateQuery, type CampaignState } from '../../workflows/campaign-messages';
import { campaignWorkflow } from '../../workflows/campaign';
import { randomCreditCode } from '../support/fixtures';
import { saveHistory, type Lifecycle } from './harness';

/** What the campaign lifecycle tests share: the clock in China time, starting and watching a campaign, seeding its ledger. */

/** The instant `isoLocal` (YYYY-MM-DDTHH:mm) in China Standard Time. */
export const cst = (isoLocal: string) => Date.parse(`${isoLocal}:00+08:00`);

/** Skip the test server's clock forward to `ms` (never back). */
export async function sleepUntil(lc: Lifecycle, ms: number): Promise<void> {
  const now = await lc.env.currentTimeMs();
  if (ms > now) await lc.env.sleep(ms - now);
}

type CampaignHandle = { query: (q: typeof campaignStateQuery) => Promise<CampaignState> };

/** Poll a campaign's state until `pred` holds (activities run in real time). */
export async function until(handle: CampaignHandle, pred: (s: CampaignState) => boolean, what: string, timeoutMs = 30_000): Promise<CampaignState> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(campaignStateQuery);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ stage: s.stage, next: s.next, reports: s.reports })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start the campaign of `division` and `year` under `policy`, and wait until its milestones are computed. */
export async function startCampaign(lc: Lifecycle, division: string, year: number, policy: { id: string; version: string }, startedBy: object | null) {
  const campaignId = campaignWorkflowId(division, year);
  const handle = await lc.env.client.workflow.start(campaignWorkflow, {
    workflowId: campaignId,
    taskQueue: lc.taskQueue,
    args: [{ campaignId, division, year, policy, startedBy: startedBy as never, startedAt: new Date(await lc.env.currentTimeMs()).toISOString() }],
  });
  await until(handle, (s) => s.ready, `${campaignId} ready`);
  return handle;
}

/** A running campaign's history joins the replay test (test/replay.test.ts), like the cases'. */
export function saveCampaignHistory(lc: Lifecycle, handle: { workflowId: string }, name: string): Promise<void> {
  return saveHistory(lc, { handle, caseId: handle.workflowId } as unknown as Parameters<typeof saveHistory>[1], name);
}

export const officeActor = (jurisdiction: string, name: string) => ({ id: `tt-${jurisdiction}`, name, role: 'coordination_office', jurisdiction });
export const governmentActor = (jurisdiction: string, name: string) => ({ id: `gov-${jurisdiction}`, name, role: 'approving_government', jurisdiction });

/** An enterprise of `region` whose cement line exited (dismantled) on `exitedOn`: a terminal case and its retired capacity. */
export async function seedExit(db: Db, o: { region: string; year: number; capacity: number; exitedOn: string; policy: { id: string; version: string }; name: string }): Promise<string> {
  const creditCode = randomCreditCode(`${o.region.slice(0, 4)}00`);
  const caseId = `case-${o.region}-${creditCode}-Y`;
  const facilities = [{ id: 'L1', name: '1号水泥熟料生产线', kind: 'production_line', capacity: o.capacity, unit: '万吨/年' }];
  await db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,'cement','王','a@b.cn','{}')`, [creditCode, o.name, o.region]);
  await db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,'cement','technology','industry_it','30号文',$5,$6,$7,$8,'exited','{}',$9)`,
    [caseId, `Y-${o.region}-${o.capacity}`, creditCode, o.region, `${o.year}-01-05`, JSON.stringify(facilities), o.policy.id, o.policy.version, `${o.year}-01-05T02:00:00Z`],
  );
  await db.query(`INSERT INTO case_events (case_id, idempotency_key, kind, stage, occurred_at) VALUES ($1,$2,'stage','exited',$3)`, [caseId, `${caseId}/exited`, `${o.exitedOn}T04:00:00Z`]);
  await db.query(
    `INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, dismantled_on) VALUES ($1,$2,'cement',$3,$4,'万吨/年',$5,$6,'dismantled',$6)`,
    [caseId, o.region, o.year, o.capacity, JSON.stringify(facilities), o.exitedOn],
  );
  return creditCode;
}

/** A surveyed line of `region` a campaign's target list says must exit this year (campaign_survey_rows, as a committed survey writes it). */
export async function seedTarget(db: Db, campaignId: string, region: string, capacity: number): Promise<void> {
  await db.query(
    `INSERT INTO campaign_survey_rows (campaign_id, credit_code, facility_id, region_code, industry, capacity, unit, treatment, row_number, file_sha256) VALUES ($1,$2,'L1',$3,'cement',$4,'万吨/年','exit',1,'test')`,
    [campaignId, randomCreditCode(`${region.slice(0, 4)}00`), region, capacity],
  );
}

/** The sheet of a workbook mailed with a report, as rows of cell texts. */
export async function sheetRows(mail: ReceivedMail, name: RegExp): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(mail.attachments[0]!.content as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => name.test(w.name));
  if (!ws) throw new Error(`no sheet ${name} in ${wb.worksheets.map((w) => w.name).join(', ')}`);
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}
