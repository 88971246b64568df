import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Accountability, CloseItem, IssueNotice, RecordSummons, ReportFollowUp, SupervisionInput, SupervisionReason, SupervisionStatus } from '../domain/supervision';

/**
 * The messages of a supervision item (督办事项), defined once for the workflow, the campaign that
 * starts it and the API: one query, four updates. A refused update carries an ApplicationFailure
 * whose `type` is the code and whose first detail is {code, message, messageZh, field}.
 */

export type { SupervisionInput, SupervisionReason };

interface By {
  id: string;
  name: string;
  role: string;
  jurisdiction?: string;
}

/** 通报. */
export interface NoticeState {
  noticeId: string;
  issuedOn: string;
  text: string;
  publish: boolean;
  issuedBy: By;
}

/** 约谈, and the watch on its follow-up deadline. */
export interface SummonsState {
  summonsId: string;
  heldOn: string;
  summoned: { name: string; title: string }[];
  minutesRef: string;
  /** The follow-up deadline (整改报告期限), rolled forward off rest days. */
  followUpBy: string;
  /** The date as set, when it fell on a rest day and `followUpBy` rolled off it. */
  rolledFrom?: string;
  recordedBy: By;
  /** Days-before offsets whose reminder went out. */
  remindersSent: number[];
  /** The deadline lapsed without a follow-up report (escalated). */
  lapsedOn: string | null;
  /** A follow-up report answered it. */
  answeredOn: string | null;
}

export interface FollowUpState {
  reportedOn: string;
  text: string;
  reportedBy: By;
  /** Reported after the follow-up deadline had lapsed. */
  late: boolean;
}

export interface ClosureState {
  closedOn: string;
  conclusion: string;
  accountability: Accountability | null;
  closedBy: By;
}

export interface SupervisionState {
  itemId: string;
  supervisor: string;
  region: string;
  campaignId: string;
  year: number;
  policy: { id: string; version: string };
  reason: SupervisionReason;
  /** False until the item's first record is stored. */
  ready: boolean;
  status: SupervisionStatus;
  /** A follow-up deadline lapsed and is still unanswered (a late follow-up or the closure clears it). */
  overdue: boolean;
  /** The follow-up deadline being watched, if any. */
  followUpBy: string | null;
  notices: NoticeState[];
  summons: SummonsState[];
  followUps: FollowUpState[];
  closure: ClosureState | null;
  /** Internal: answers by caller-scoped idempotency key, and the event counter. */
  results: Record<string, SupervisionResult>;
  events: number;
}

/** The answer to every accepted update: where the item stands after it. */
export interface SupervisionResult {
  action: string;
  idempotencyKey: string;
  itemId: string;
  status: SupervisionStatus;
  overdue: boolean;
  followUpBy: string | null;
  /** issueNotice: the notice's id. */
  noticeId?: string;
  /** recordSummons: the summons' id. */
  summonsId?: string;
  /** reportFollowUp: reported after the deadline lapsed. */
  late?: boolean;
}

export const supervisionStateQuery = defineQuery<SupervisionState>('supervisionState');
export const issueNotice = defineUpdate<SupervisionResult, [IssueNotice]>('issueNotice');
export const recordSummons = defineUpdate<SupervisionResult, [RecordSummons]>('recordSummons');
export const reportFollowUp = defineUpdate<SupervisionResult, [ReportFollowUp]>('reportFollowUp');
export const closeItem = defineUpdate<SupervisionResult, [CloseItem]>('closeItem');

export const SUPERVISION_UPDATES = { issueNotice, recordSummons, reportFollowUp, closeItem } as const;
