import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignStage, CompleteMilestone, Milestone, MilestoneStatus } from '../domain/campaign';
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
}

export interface CampaignRejection {
  code: string;
  message: string;
  messageZh: string;
  field?: string;
}

export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
export const completeMilestone = defineUpdate<MilestoneCompletion, [CompleteMilestone]>('completeMilestone');
