import type { Db } from '../db/pool';
import type { DraftSummary, ReportState } from '../domain/campaign-reports';
import type { LagReason } from '../domain/progress';
import type { Mailer } from './mailer';

/**
 * Side effects of a campaign's reports upward (domain/campaign-reports.ts) and of its supervision of
 * lagging sub-divisions, each idempotent. CONTRACT (the campaign workflow calls these); bodies to do.
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

export function createCampaignReportActivities(_deps: CampaignReportDeps) {
  return {
    async draftCampaignReport(_r: DraftReportRequest): Promise<DraftSummary> {
      throw new Error('not implemented');
    },
    async recordCampaignReport(_r: ReportRecord): Promise<void> {
      throw new Error('not implemented');
    },
    async sendCampaignReport(_r: SendReportRequest): Promise<{ recipients: string[]; messageId: string }> {
      throw new Error('not implemented');
    },
    /** The sub-divisions of a campaign that lag on `asOf` (domain/progress.ts), for supervision. */
    async laggingSubdivisions(_r: { campaignId: string; asOf: string }): Promise<LaggingSubdivision[]> {
      throw new Error('not implemented');
    },
  };
}

export type CampaignReportActivities = ReturnType<typeof createCampaignReportActivities>;
