import { storedFigures } from '../../activities/campaign-reports';
import type { ReportFigures } from '../../activities/report-workbook';
import type { CampaignRow } from '../../db/ledger';
import type { Db } from '../../db/pool';
import type { DraftSummary, ReportState } from '../../domain/campaign-reports';
import { division as divisionOf } from '../../domain/divisions';
import type { Principal } from '../../domain/roles';
import { problems } from '../problem';
import { readableCampaign } from './campaign-progress';

/**
 * A campaign's reports upward as the API shows them: the read model the campaign workflow keeps
 * (campaign_reports, one row per report, newest state) and the drafts it stored with their figures
 * (campaign_report_drafts). The figures are never recomputed: a report reads as it was drafted.
 */

export interface DraftRef {
  draft: number;
  cutOff: string;
  draftedOn: string;
}

const nameOf = (code: string) => divisionOf(code)?.name ?? code;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The campaign's reports, in due order, as its workflow last recorded them. */
export async function reportsOf(db: Db, campaignId: string, principal: Principal): Promise<{ campaign: CampaignRow; reports: ReportState[] }> {
  const campaign = await readableCampaign(db, campaignId, principal);
  const { rows } = await db.query<{ state: ReportState }>(`SELECT state FROM campaign_reports WHERE campaign_id = $1 ORDER BY due, report_id`, [campaignId]);
  return { campaign, reports: rows.map((r) => r.state) };
}

/** The report's recorded state, or 404 (`unknown_report`) when the campaign has recorded no such report. */
export async function recordedReport(db: Pick<Db, 'query'>, campaignId: string, reportId: string): Promise<ReportState> {
  const { rows } = await db.query<{ state: ReportState }>(`SELECT state FROM campaign_reports WHERE campaign_id = $1 AND report_id = $2`, [campaignId, reportId]);
  if (!rows[0]) throw problems.notFound('report', `${reportId} of ${campaignId}`);
  return rows[0].state;
}

/**
 * One report with the figures of its current draft, or of an earlier one (`draft`), and every draft
 * made of it. 404 for a draft never stored.
 */
export async function reportOf(
  db: Db,
  campaignId: string,
  reportId: string,
  principal: Principal,
  draft?: number,
): Promise<{ campaign: CampaignRow; report: ReportState; drafts: DraftRef[]; figures: ReportFigures | null }> {
  const campaign = await readableCampaign(db, campaignId, principal);
  const report = await recordedReport(db, campaignId, reportId);
  const { rows } = await db.query<DraftRef>(
    `SELECT draft, to_char(cut_off, 'YYYY-MM-DD') AS "cutOff", to_char(drafted_on, 'YYYY-MM-DD') AS "draftedOn" FROM campaign_report_drafts WHERE campaign_id = $1 AND report_id = $2 ORDER BY draft`,
    [campaignId, reportId],
  );
  const wanted = draft ?? report.draft?.draft;
  const figures = wanted === undefined ? null : ((await storedFigures(db, campaignId, reportId, wanted)) ?? null);
  if (draft !== undefined && !figures) throw problems.notFound('draft', `${draft} of ${reportId}`);
  return { campaign, report, drafts: rows, figures };
}

export interface ReceivedFrom {
  campaignId: string;
  division: string;
  name: string;
  status: 'sent' | 'received';
  sentOn: string | null;
  receivedOn: string | null;
  draft: number | null;
  cutOff: string | null;
  totals: DraftSummary['totals'];
  openCases: number;
  overdueCases: number;
}

export interface ReceivedReport {
  reportId: string;
  nameZh: string;
  from: ReceivedFrom[];
  /** The senders' figures added up, per industry and unit (never across units). */
  aggregate: { senders: number; received: number; totals: DraftSummary['totals']; openCases: number; overdueCases: number };
}

/** Sum of the senders' figures per industry and unit, in the order they first appear. */
export function aggregateOf(from: readonly Pick<ReceivedFrom, 'status' | 'totals' | 'openCases' | 'overdueCases'>[]): ReceivedReport['aggregate'] {
  const lines = new Map<string, DraftSummary['totals'][number]>();
  for (const t of from.flatMap((f) => f.totals)) {
    const k = `${t.industry}\u0000${t.unit}`;
    const l = lines.get(k) ?? { industry: t.industry, unit: t.unit, capacity: 0, enterprises: 0, facilities: 0 };
    lines.set(k, { ...l, capacity: round(l.capacity + t.capacity), enterprises: l.enterprises + t.enterprises, facilities: l.facilities + t.facilities });
  }
  return {
    senders: from.length,
    received: from.filter((f) => f.status === 'received').length,
    totals: [...lines.values()],
    openCases: from.reduce((a, f) => a + f.openCases, 0),
    overdueCases: from.reduce((a, f) => a + f.overdueCases, 0),
  };
}

/**
 * The reports sent to this campaign's division (by its sub-divisions' campaigns, and by its own
 * departments' reports to its own office) in the campaign's year, per report id, with their status
 * and the aggregate of their figures: the figures of the draft each sent, as stored with it.
 */
export async function receivedReportsOf(db: Db, campaignId: string, principal: Principal): Promise<{ campaign: CampaignRow; reports: ReceivedReport[] }> {
  const campaign = await readableCampaign(db, campaignId, principal);
  const { rows } = await db.query<{ campaign_id: string; division: string; report_id: string; name_zh: string; status: 'sent' | 'received'; sent_on: string | null; received_on: string | null; draft: number | null; cut_off: string | null; summary: DraftSummary | null }>(
    `SELECT r.campaign_id, r.division, r.report_id, r.name_zh, r.status, to_char(r.sent_on, 'YYYY-MM-DD') AS sent_on, to_char(r.received_on, 'YYYY-MM-DD') AS received_on,
            r.draft, to_char(r.cut_off, 'YYYY-MM-DD') AS cut_off, COALESCE(d.summary, r.state->'draft') AS summary
       FROM campaign_reports r
       LEFT JOIN campaign_report_drafts d ON d.campaign_id = r.campaign_id AND d.report_id = r.report_id AND d.draft = r.draft
      WHERE r.recipient_division = $1 AND r.year = $2 AND r.status IN ('sent', 'received')
      ORDER BY r.report_id, r.division`,
    [campaign.division, campaign.year],
  );
  const byReport = new Map<string, { nameZh: string; from: ReceivedFrom[] }>();
  for (const r of rows) {
    const entry = byReport.get(r.report_id) ?? { nameZh: r.name_zh, from: [] };
    entry.from.push({
      campaignId: r.campaign_id,
      division: r.division,
      name: nameOf(r.division),
      status: r.status,
      sentOn: r.sent_on,
      receivedOn: r.received_on,
      draft: r.draft,
      cutOff: r.cut_off,
      totals: r.summary?.totals ?? [],
      openCases: r.summary?.openCases ?? 0,
      overdueCases: r.summary?.overdueCases ?? 0,
    });
    byReport.set(r.report_id, entry);
  }
  return { campaign, reports: [...byReport].map(([reportId, { nameZh, from }]) => ({ reportId, nameZh, from, aggregate: aggregateOf(from) })) };
}
