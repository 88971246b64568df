import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Department, Dimension, Industry } from '../domain/model';
import type { ConcludeReport, RecordVerification, ReportChannel, ReportOutcome, ReportStatus, TransferReport } from '../domain/public-reports';

/**
 * The messages of a public report (举报), defined once for the workflow and the API: one query, two
 * updates. A refused update carries an ApplicationFailure whose `type` is the code and whose first
 * detail is {code, message, messageZh, field}.
 */

/**
 * What starts a report's workflow: routing facts only. Who reported, how to reach them and what they
 * wrote stay in PostgreSQL (public_reports, public_report_reporters); the history, the memo and
 * Temporal UI never see them (a description may name its writer, so it stays out too).
 */
export interface ReportInput {
  /** The tracking number (JB-…); the workflow id is `public-report-<reportId>`. */
  reportId: string;
  region: string;
  channel: ReportChannel;
  receivedOn: string;
  receivedAt: string;
  dimension: Dimension | null;
  industry: Industry | null;
  /** 实名举报: must be verified and answered. */
  realName: boolean;
  /** A contact was given: the reply is also mailed (to an e-mail address, when one is on file). */
  contactGiven: boolean;
  policy: { id: string; version: string };
}

interface By {
  id: string;
  name: string;
  role: string;
  department?: string;
  jurisdiction?: string;
}

export interface VerificationState {
  verifiedOn: string;
  method: RecordVerification['method'];
  findings: string;
  recordedBy: By;
}

export interface ConclusionState {
  outcome: ReportOutcome;
  concludedOn: string;
  caseId: string | null;
  reasons: string | null;
  concludedBy: By;
}

/** Confirmed capacity the region's campaign survey did not list (隐瞒不报), and where it was counted. */
export interface ConcealedState {
  /** The supervision item of the campaign (workflows/supervision.ts), or null when no campaign of the year covers the region. */
  itemId: string | null;
  campaignId: string | null;
  facilities: string[];
}

export interface ReportState {
  reportId: string;
  region: string;
  channel: ReportChannel;
  realName: boolean;
  receivedOn: string;
  policy: { id: string; version: string };
  /** False until the routing is stored and the verification is on the inbox. */
  ready: boolean;
  status: ReportStatus;
  assignee: { role: 'enforcement_official'; department: Department; jurisdiction: string } | null;
  /** 核查期限 (legal date), and the date before it rolled off a rest day. */
  dueDate: string | null;
  decisionId: string | null;
  overdue: boolean;
  remindersSent: number[];
  /** Levels told after the deadline lapsed ('responsible', then the ladder's levels). */
  escalations: string[];
  verifications: VerificationState[];
  /** 转办: each handover to another department, oldest first. */
  transfers?: { from: string; to: string; dimension: Dimension; reason: string; transferredOn: string; transferredBy: By }[];
  conclusion: ConclusionState | null;
  /** The answer the reporter reads. */
  reply: string | null;
  replyMailed: boolean;
  /** Only for confirmed reports, once checked against the campaign's survey. */
  concealed: ConcealedState | null;
  /** Internal: answers by caller-scoped idempotency key, and the event counter. */
  results: Record<string, ReportResult>;
  events: number;
}

/** The answer to every accepted update: where the report stands after it. */
export interface ReportResult {
  action: string;
  idempotencyKey: string;
  reportId: string;
  status: ReportStatus;
  outcome: ReportOutcome | null;
  dueDate: string | null;
  overdue: boolean;
  caseId: string | null;
}

export const reportStateQuery = defineQuery<ReportState>('reportState');
export const recordVerification = defineUpdate<ReportResult, [RecordVerification]>('recordVerification');
export const concludeReport = defineUpdate<ReportResult, [ConcludeReport]>('concludeReport');

export const transferReport = defineUpdate<ReportResult, [TransferReport]>('transferReport');

export const REPORT_UPDATES = { recordVerification, concludeReport, transferReport } as const;
