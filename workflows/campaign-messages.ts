import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignStage, CompleteMilestone, Milestone, MilestoneStatus } from '../domain/campaign';
import type { ApproveReport, DraftReport, ReceiveReport, ReportState, SubmitReport } from '../domain/campaign-reports';
import type { Actor } from '../domain/inputs';

/**
 * The messages of a campaign, defined once and shared by the workflow and the API: one query for its
 * state, one update to complete a milestone. A refused update carries an ApplicationFailure whose
 * `type` is the rejection code and whose first detail names it in English and Chinese.
 */

/** What starts a campaign: the division and year, the policy pinned, who started it. */
export interface CampaignInput {
  campaignId: string;
  division: string;
  year: number;
  policy: { id: string; version: string };
  startedBy: Actor | null;
  startedAt: string;
}

export interface MilestoneState extends Milestone {
  status: MilestoneStatus;
  completedOn: string | null;
  completedBy: { id: string; name: string; role: string } | null;
  note: string | null;
  /** The due date it lapsed on (escalated one level up), if it did. */
  lapsedOn: string | null;
  /** Days-before offsets whose reminder went out. */
  remindersSent: number[];
  /** Its date was rolled without its year's official calendar (settled before it fires). */
  provisional?: boolean;
  /** The day the calendar was last read to settle it. */
  settleReadOn?: string;
}

export interface MilestoneCompletion {
  milestoneId: string;
  idempotencyKey: string;
  completedOn: string;
  /** Completed after its due date had lapsed. */
  late: boolean;
  stage: CampaignStage;
  next: string | null;
}

export interface CampaignState {
  campaignId: string;
  division: string;
  year: number;
  policy: { id: string; version: string };
  /** False until the milestones are computed (the calendar read). */
  ready: boolean;
  stage: CampaignStage;
  /** The earliest milestone still open. */
  next: { id: string; nameZh: string; due: string } | null;
  /** Some open milestone has lapsed. */
  overdue: boolean;
  milestones: MilestoneState[];
  /** Internal: completions by caller-scoped idempotency key, and the event counter. */
  results: Record<string, MilestoneCompletion>;
  events: number;
  /**
   * What this run does, decided once at its start (patches, workflows/PATCHES.md); absent in runs
   * started before them. `byLevel`: the plan's reports that are this division's to send;
   * `reports`: they are drafted, approved and sent by the campaign; `supervision`: lagging
   * sub-divisions get supervision items; `settle`: dates rolled without their year's calendar are
   * rolled again before they fire.
   */
  features?: { byLevel: boolean; reports: boolean; supervision: boolean; settle?: boolean };
  /** The reports upward, by report id (with `features.reports`). */
  reports?: Record<string, ReportState>;
  /** Report commands answered, by caller-scoped idempotency key. */
  reportResults?: Record<string, ReportState>;
  /** Supervision items this campaign opened, by workflow id (with `features.supervision`). */
  supervision?: Record<string, { region: string; reason: string; openedOn: string }>;
  /** Milestones at whose due date the sub-divisions' pace was assessed. */
  paceChecked?: string[];
}

export interface CampaignRejection {
  code: string;
  message: string;
  messageZh: string;
  field?: string;
}

export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
export const completeMilestone = defineUpdate<MilestoneCompletion, [CompleteMilestone]>('completeMilestone');

/** Reports upward (domain/campaign-reports.ts): a new draft, submit, approve or return, receive. Each answers with the report. */
export const draftReport = defineUpdate<ReportState, [DraftReport]>('draftReport');
export const submitReport = defineUpdate<ReportState, [SubmitReport]>('submitReport');
export const approveReport = defineUpdate<ReportState, [ApproveReport]>('approveReport');
export const receiveReport = defineUpdate<ReportState, [ReceiveReport]>('receiveReport');
