import { ApplicationFailure } from '@temporalio/common';
import type { QueryResultRow } from 'pg';
import { campaignRowOf, type CampaignRow, type Ledger, ledgerOf, OPEN_CASES_SQL, pinnedPolicy } from '../db/ledger';
import type { Db } from '../db/pool';
import { ExitMethod } from '../domain/capacity-exit';
import { MINISTRIES_DIVISION, type DraftSummary, type ReportState } from '../domain/campaign-reports';
import { toLegalDate } from '../domain/deadlines';
import { division as divisionOf } from '../domain/divisions';
import { divisionPrefix } from '../domain/jurisdiction';
import { exitMethodAsOf, type LagReason } from '../domain/progress';
import { TERMINAL_STAGES } from '../domain/stages';
import { contactsFor } from './directory';
import type { Mailer } from './mailer';
import { sendThroughOutbox } from './outbox';
import { type ReportCase, type ReportExit, type ReportFigures, reportFileName, type ReportOpenCase, reportWorkbook, XLSX_TYPE } from './report-workbook';

/**
 * Side effects of a campaign's reports upward (domain/campaign-reports.ts) and of its supervision of
 * lagging sub-divisions, each idempotent: a draft is stored once per key with the figures it shows
 * for good, the read model keeps the newest state, a report is mailed once through the outbox.
 */

export interface CampaignReportDeps {
  db: Db;
  mailer: Mailer;
  publicBaseUrl: string;
}

/** Draft `draft` of a report: the ledger as of `cutOff` and the tables behind it, stored with it. */
export interface DraftReportRequest {
  campaignId: string;
  reportId: string;
  /** 1, 2, …: a new draft never overwrites an earlier one (each stays fetchable). */
  draft: number;
  cutOff: string;
  draftedOn: string;
  /** `${campaignId}/report/${reportId}/draft/${draft}` */
  idempotencyKey: string;
}

/** The report as the workflow now keeps it, mirrored for the API (a newer `seq` wins). */
export interface ReportRecord {
  campaignId: string;
  division: string;
  year: number;
  /** The campaign's event counter at this change: an older record never overwrites a newer one. */
  seq: number;
  report: ReportState;
}

/** Send the current draft to the recipient office (or the ministries), XLSX attached, once per key. */
export interface SendReportRequest {
  campaignId: string;
  reportId: string;
  draft: number;
  /** `${campaignId}/report/${reportId}/send` */
  idempotencyKey: string;
  /** The division whose coordination office receives it; null: the ministries (directory division 000000). */
  recipientDivision: string | null;
  subject: string;
  text: string;
}

export interface LaggingSubdivision {
  division: string;
  name: string;
  reasons: LagReason[];
}

const nameOf = (code: string) => divisionOf(code)?.name ?? code;

/** An ISO instant or a legal date, as the legal date (Asia/Shanghai) the read model's columns keep. */
const legalDay = (on: string | null | undefined) => (!on ? null : on.length === 10 ? on : toLegalDate(on));

/** What the workflow keeps of a draft: exited capacity per industry and unit, open and overdue cases. */
export function draftSummary(f: Pick<ReportFigures, 'draft' | 'cutOff' | 'draftedOn' | 'ledger'>): DraftSummary {
  return {
    draft: f.draft,
    cutOff: f.cutOff,
    draftedOn: f.draftedOn,
    totals: f.ledger.totals.map((l) => ({ industry: l.industry, unit: l.unit, capacity: l.retired.capacity, enterprises: l.retired.enterprises, facilities: l.retired.facilities })),
    openCases: f.ledger.cases.open,
    overdueCases: f.ledger.cases.overdue,
  };
}

/** The case columns both report tables select (case_id, case_number, enterprise, credit_code, region_code, industry), named as the report names them. */
const reportCase = (r: QueryResultRow): ReportCase => ({
  caseId: r.case_id,
  caseNumber: r.case_number,
  enterprise: r.enterprise,
  creditCode: r.credit_code,
  region: r.region_code,
  regionName: nameOf(r.region_code),
  industry: r.industry,
});

/** A failure no retry mends (the campaign or report is not what the workflow thinks): shown, not retried. */
const permanent = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * Capacity of the campaign's division that first exited in its year by the end of `cutOff`, per case
 * and unit, with the enterprise and every facility (the rows behind the ledger's totals).
 */
async function exitsOf(db: Db, c: CampaignRow, cutOff: string): Promise<ReportExit[]> {
  const { rows } = await db.query(
    `SELECT r.case_id, c.case_number, c.credit_code, e.name AS enterprise, r.region_code, r.industry, r.unit, r.capacity, r.how, r.facilities,
            to_char(r.sealed_on, 'YYYY-MM-DD') AS sealed_on, to_char(r.dismantled_on, 'YYYY-MM-DD') AS dismantled_on, to_char(r.exited_on, 'YYYY-MM-DD') AS exited_on
       FROM retired_capacity r JOIN cases c USING (case_id) JOIN enterprises e ON e.credit_code = c.credit_code
      WHERE r.region_code LIKE $1 AND r.year = $2 AND r.exited_on <= $3::date
      ORDER BY r.region_code, r.industry, e.name, r.case_id, r.unit`,
    [`${divisionPrefix(c.division)}%`, c.year, cutOff],
  );
  return rows.map((r) => ({
    ...reportCase(r),
    unit: r.unit,
    capacity: Number(r.capacity),
    how: exitMethodAsOf({ how: ExitMethod.parse(r.how), sealedOn: r.sealed_on, dismantledOn: r.dismantled_on }, cutOff),
    exitedOn: r.exited_on,
    facilities: (r.facilities as Record<string, unknown>[]).map((f) => ({ id: String(f.id ?? ''), name: String(f.name ?? f.id ?? ''), kind: String(f.kind ?? ''), capacity: Number(f.capacity), unit: String(f.unit ?? r.unit) })),
  }));
}

/**
 * The cases open at the end of `cutOff` (the ledger's own definition, db/ledger.ts), with the stage
 * each stood in that day (its last event by then) and whether its deadline had passed.
 */
async function openCasesOf(db: Db, c: CampaignRow, cutOff: string): Promise<ReportOpenCase[]> {
  const { rows } = await db.query(
    `SELECT o.case_id, o.case_number, o.credit_code, o.region_code, o.industry, o.deadline_date, o.overdue, e.name AS enterprise,
            COALESCE((SELECT ev.stage FROM case_events ev
                       WHERE ev.case_id = o.case_id AND ev.stage IS NOT NULL AND (ev.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
                       ORDER BY ev.occurred_at DESC, ev.id DESC LIMIT 1), o.stage) AS stage
       FROM (${OPEN_CASES_SQL}) o JOIN enterprises e ON e.credit_code = o.credit_code
      ORDER BY o.region_code, o.case_number, o.case_id`,
    [`${divisionPrefix(c.division)}%`, cutOff, TERMINAL_STAGES],
  );
  return rows.map((r) => ({
    ...reportCase(r),
    stage: r.stage,
    deadline: r.deadline_date,
    overdue: r.overdue,
  }));
}

/** A stored draft's figures (campaign_report_drafts), or undefined. */
export async function storedFigures(db: Pick<Db, 'query'>, campaignId: string, reportId: string, draft: number): Promise<ReportFigures | undefined> {
  const { rows } = await db.query<{ figures: ReportFigures }>(`SELECT figures FROM campaign_report_drafts WHERE campaign_id = $1 AND report_id = $2 AND draft = $3`, [campaignId, reportId, draft]);
  return rows[0]?.figures;
}

export function createCampaignReportActivities({ db, mailer, publicBaseUrl }: CampaignReportDeps) {
  const campaign = async (campaignId: string): Promise<CampaignRow> => {
    const c = await campaignRowOf(db, campaignId);
    if (!c) throw permanent('unknown_campaign', `campaign ${campaignId} has no record`);
    return c;
  };
  const storedSummary = async (r: DraftReportRequest) =>
    (await db.query<{ summary: DraftSummary }>(`SELECT summary FROM campaign_report_drafts WHERE campaign_id = $1 AND report_id = $2 AND draft = $3`, [r.campaignId, r.reportId, r.draft])).rows[0]?.summary;

  return {
    /**
     * Draw draft `draft` of a report as of `cutOff` and store it with every figure it shows. Stored
     * once: a retry, or a later call for the same draft, answers with what was stored first, even if
     * the cases have moved on since (a report shows its cut-off, not the day it is read).
     */
    async draftCampaignReport(r: DraftReportRequest): Promise<DraftSummary> {
      const stored = await storedSummary(r);
      if (stored) return stored;
      const c = await campaign(r.campaignId);
      const report = pinnedPolicy(c).campaign.reports.find((x) => x.id === r.reportId);
      if (!report) throw permanent('unknown_report', `${r.reportId} is not a report of ${c.policy_id}@${c.policy_version}`);
      const [ledger, exits, openCases]: [Ledger, ReportExit[], ReportOpenCase[]] = await Promise.all([ledgerOf(db, c, r.cutOff), exitsOf(db, c, r.cutOff), openCasesOf(db, c, r.cutOff)]);
      const figures: ReportFigures = {
        campaignId: c.campaign_id,
        reportId: r.reportId,
        nameZh: report.nameZh,
        division: c.division,
        divisionName: nameOf(c.division),
        year: c.year,
        draft: r.draft,
        cutOff: r.cutOff,
        draftedOn: r.draftedOn,
        policy: ledger.policy,
        ledger,
        exits,
        openCases,
      };
      const summary = draftSummary(figures);
      await db.query(
        `INSERT INTO campaign_report_drafts (campaign_id, report_id, draft, cut_off, drafted_on, idempotency_key, summary, figures)
         VALUES ($1,$2,$3,$4::date,$5::date,$6,$7,$8) ON CONFLICT DO NOTHING`,
        [r.campaignId, r.reportId, r.draft, r.cutOff, r.draftedOn, r.idempotencyKey, JSON.stringify(summary), JSON.stringify(figures)],
      );
      // Two attempts racing: the first stored wins, and both answer with it.
      return (await storedSummary(r)) ?? summary;
    },

    /** Mirror the report's state for the API (campaign_reports); a record older than the stored one changes nothing. */
    async recordCampaignReport(r: ReportRecord): Promise<void> {
      const s = r.report;
      await db.query(
        `INSERT INTO campaign_reports (campaign_id, report_id, division, year, recipient, recipient_division, status, name_zh, due, draft, cut_off,
                                       submitted_on, approved_on, sent_on, received_on, message_id, state, seq)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::date,$10,$11::date,$12::date,$13::date,$14::date,$15::date,$16,$17,$18)
         ON CONFLICT (campaign_id, report_id) DO UPDATE SET
           status = EXCLUDED.status, recipient = EXCLUDED.recipient, recipient_division = EXCLUDED.recipient_division, name_zh = EXCLUDED.name_zh,
           due = EXCLUDED.due, draft = EXCLUDED.draft, cut_off = EXCLUDED.cut_off, submitted_on = EXCLUDED.submitted_on,
           approved_on = EXCLUDED.approved_on, sent_on = EXCLUDED.sent_on, received_on = EXCLUDED.received_on,
           message_id = EXCLUDED.message_id, state = EXCLUDED.state, seq = EXCLUDED.seq, updated_at = now()
         WHERE campaign_reports.seq < EXCLUDED.seq`,
        [
          r.campaignId, s.reportId, r.division, r.year, s.recipient, s.recipientDivision, s.status, s.nameZh, s.due, s.draft?.draft ?? null, s.draft?.cutOff ?? null,
          legalDay(s.submitted?.on), legalDay(s.approved?.on), legalDay(s.sent?.on), legalDay(s.received?.on), s.sent?.messageId ?? null, JSON.stringify(s), r.seq,
        ],
      );
    },

    /**
     * Mail the stored draft to the recipient's coordination office (the nearest one on file up the
     * path), or to the ministries' addresses (directory division 000000), with its XLSX attached,
     * once per key: the outbox row is claimed first and marked sent after; a retry finds it sent.
     */
    async sendCampaignReport(r: SendReportRequest): Promise<{ recipients: string[]; messageId: string }> {
      const figures = await storedFigures(db, r.campaignId, r.reportId, r.draft);
      if (!figures) throw permanent('report_not_drafted', `${r.campaignId}: draft ${r.draft} of ${r.reportId} is not stored`);
      const contacts = await contactsFor(db, r.recipientDivision ?? MINISTRIES_DIVISION, 'coordination_office');
      const link = `${publicBaseUrl}/api/v1/campaigns/${encodeURIComponent(r.campaignId)}/reports/${encodeURIComponent(r.reportId)}?draft=${r.draft}`;
      return sendThroughOutbox(db, mailer, {
        idempotencyKey: r.idempotencyKey,
        about: { column: 'campaign_id', id: r.campaignId },
        kind: 'campaign_report',
        to: contacts.map((c) => c.email),
        subject: r.subject,
        text: `${r.text}\n\n统计截止日期：${figures.cutOff}（第${figures.draft}稿），明细见附件。\n报告：${link}`,
        headers: { 'X-Exitflow-Campaign': r.campaignId, 'X-Exitflow-Kind': 'campaign_report', 'X-Exitflow-Report': r.reportId },
        attachments: async () => [{ filename: reportFileName(figures), content: await reportWorkbook(figures), contentType: XLSX_TYPE }],
      });
    },

    /** The sub-divisions of a campaign that lag on `asOf` (domain/progress.ts), for supervision. */
    async laggingSubdivisions(r: { campaignId: string; asOf: string }): Promise<LaggingSubdivision[]> {
      return (await ledgerOf(db, await campaign(r.campaignId), r.asOf)).lagging;
    },
  };
}

export type CampaignReportActivities = ReturnType<typeof createCampaignReportActivities>;
