import type { Assignee } from '../domain/authority';
import type { Department } from '../domain/model';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Action, Stage } from '../domain/stages';
import type { InputOf, InputResult } from '../domain/inputs';
import type { LegalDeadline, LegalDeadlineRequest } from '../domain/deadlines';
import type { HolidayCalendarData } from '../domain/calendar';

/**
 * The messages of a case, defined once and shared by the workflow and the API: one query for the
 * full state, one update per input (domain/stages.ts lists which stage accepts which).
 * A validator refuses an input with an ApplicationFailure whose `type` is the rejection code and
 * whose first detail is an InputRejection (domain/inputs.ts); a refused update leaves no history.
 */

/** What each deadline is for; a case can hold several (its own period and an official's decision). */
export type ClockKind = 'rectification' | 'decision' | 'dismantling';

/** A deadline the workflow sleeps towards, with its reminders; it can be stopped and resumed. */
export interface ClockState {
  kind: ClockKind;
  /** How the deadline was computed, so a provisional one can be recomputed with a newer calendar. */
  basis: LegalDeadlineRequest;
  deadline: LegalDeadline;
  reminderOffsets: number[];
  remindersSent: string[];
  /** Set while administrative review or litigation stops the clock. */
  suspendedOn: string | null;
  remainingDays: number | null;
  lapsed: boolean;
}

/** A decision an official owes the case (mirrors the `decisions` to-do list). */
export interface PendingDecision {
  decisionId: string;
  kind: string;
  assigneeRole: Assignee['role'];
  assigneeDepartment?: Department;
  jurisdiction: string;
  dueDate: string;
  overdue: boolean;
}

export interface ActionRecord {
  at: string;
  action: Action;
  idempotencyKey: string;
  actor: { id: string; name: string; role: string };
  reason?: string;
  /** Months asked for or granted (extensions, new periods). */
  months?: number;
}

/** What a case looks like from outside: the query the API serves a case's state from. */
export interface CaseState {
  caseId: string;
  stage: Stage;
  /** Legal date (YYYY-MM-DD, Asia/Shanghai) of the deadline the case is now waiting for, if any. */
  deadline: string | null;
  deadlineProvisional: boolean;
  overdue: boolean;
  clockSuspended: boolean;
  /** 整改期限: the rectification deadline, after any extension. */
  rectificationDeadline: string | null;
  /** The date the rectification period ended unmet, if it did (an extension can then no longer be asked). */
  rectificationLapsedOn: string | null;
  extensionsRequested: number;
  extensionsGranted: number;
  productionSuspended: boolean;
  closureOrdered: boolean;
  voluntaryExit: boolean;
  resettlementPlan: { workers: number; planRef: string } | null;
  sealing: { sealedOn: string; measures: string[]; announcementUrl: string; coalPowerOption?: string } | null;
  dismantledOn: string | null;
  /** 延寿运行 approved until this date (Guangdong): once, after which the unit exits. */
  extendedOperationUntil?: string | null;
  sealedReinspections: { on: string; intact: boolean }[];
  /** Acknowledgements of the joint-punishment pushes (联合惩戒), per platform. */
  acknowledgements: Record<string, string>;
  pendingDecisions: PendingDecision[];
  noticeMessageId: string | null;
  history: { at: string; stage: string; deadline?: string | null }[];
  actions: ActionRecord[];
  /** Internal bookkeeping, carried over continue-as-new. */
  clocks: Partial<Record<ClockKind, ClockState>>;
  /** Which clock `deadline` shows. */
  activeClock: ClockKind | null;
  calendar: HolidayCalendarData;
  counters: Record<string, number>;
  results: Record<string, InputResult>;
  /**
   * Whether repeated inputs are recognised by caller as well as key (set once, when the case
   * starts; a case started before the 'input-keys-per-caller' patch keeps the older scoping).
   */
  keysPerCaller?: boolean;
  /**
   * Whether the case's read-model writes, calendar reads and mails run as local activities (patch
   * 'local-steps', workflows/activities.ts caseActivities): set once, when the case starts; a case
   * started before keeps remote activities. Carried over continue-as-new.
   */
  localSteps?: boolean;
}

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** The stage and deadline a case reached once its notice was served (or once it left `opened`). */
export interface FirstStage {
  stage: Stage;
  deadline: string | null;
}

/**
 * Sent with the start (update-with-start) by the API that opens a case: answered by the workflow
 * itself once the case has left `opened` (its notice served), so the official's answer carries the
 * first stage and deadline without polling. Not an input: no validator, nothing recorded.
 */
export const firstStageUpdate = defineUpdate<FirstStage, []>('firstStage');

type Update<A extends Action> = ReturnType<typeof defineUpdate<InputResult, [InputOf<A>], A>>;
const update = <A extends Action>(name: A): Update<A> => defineUpdate<InputResult, [InputOf<A>], A>(name);

export const requestExtension = update('requestExtension');
export const decideExtension = update('decideExtension');
export const reportRectificationDone = update('reportRectificationDone');
export const recordReinspection = update('recordReinspection');
export const proposeClosure = update('proposeClosure');
export const decideClosure = update('decideClosure');
export const recordPunishmentAcknowledgement = update('recordPunishmentAcknowledgement');
export const submitResettlementPlan = update('submitResettlementPlan');
export const recordDismantling = update('recordDismantling');
export const recordSealing = update('recordSealing');
export const recordSealedReinspection = update('recordSealedReinspection');
export const recordAcceptance = update('recordAcceptance');
export const approveExtendedOperation = update('approveExtendedOperation');
export const suspendClock = update('suspendClock');
export const resumeClock = update('resumeClock');
export const declareVoluntaryExit = update('declareVoluntaryExit');

/** Every input update by action name, for the API to dispatch on. */
export const CASE_UPDATES = {
  requestExtension,
  decideExtension,
  reportRectificationDone,
  recordReinspection,
  proposeClosure,
  decideClosure,
  recordPunishmentAcknowledgement,
  submitResettlementPlan,
  recordDismantling,
  recordSealing,
  recordSealedReinspection,
  recordAcceptance,
  approveExtendedOperation,
  suspendClock,
  resumeClock,
  declareVoluntaryExit,
} as const satisfies { [A in Action]: Update<A> };
