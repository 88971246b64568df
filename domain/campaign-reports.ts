import { z } from 'zod';
import { lazy, once } from './lazy';
import { LegalDateSchema } from './calendar';
import { addDays } from './deadlines';
import { Actor } from './inputs';
import { divisionLevelOf, parentCodes } from './jurisdiction';
import type { Policy } from './policy';
import type { Decision, Principal } from './roles';
import { label, text } from './text';

/**
 * Reports upward (报送) of an annual campaign: which of the plan's reports a division's campaign sends
 * (by its level), to whom, who approves them first, when they are drafted, and who may act on them.
 * Pure and workflow-safe.
 *
 * A report's life: drafted from the ledger as of a cut-off (the figures stored with it, so it can be
 * drawn again as it was) → submitted by the division's coordination office → approved by the
 * division's people's government where the plan requires it (returned for a new draft otherwise) →
 * sent to the recipient (mail with the XLSX attached, through the outbox), which completes its
 * milestone → received (签收) by the recipient office.
 */

export type ReportLevel = 'province' | 'city' | 'county';
export type PlanReport = Policy['campaign']['reports'][number];

/**
 * The level a division reports as: a province, a city, or a county; a county the province administers
 * directly (省直管县（市）, the policy's `directlyAdministered`, or a 省直辖县级 xx90xx code) reports as a
 * city does (Henan: 各省辖市、济源示范区、省直管县（市）).
 */
export function reportingLevel(policy: Pick<Policy, 'directlyAdministered'>, division: string): ReportLevel {
  const level = divisionLevelOf(division);
  if (level === 'county' && (policy.directlyAdministered.includes(division) || division.slice(2, 4) === '90')) return 'city';
  return level;
}

/** Whether a report of the plan is this division's to send: within its prefix, and from its level. */
export function reportIsSentBy(policy: Pick<Policy, 'directlyAdministered'>, report: Pick<PlanReport, 'levels' | 'withinDivision'>, division: string): boolean {
  if (report.withinDivision && !division.startsWith(report.withinDivision)) return false;
  return report.levels.includes(reportingLevel(policy, division));
}

/**
 * The division whose coordination office receives the report: one level up (a county the province
 * administers directly goes straight to the province); the division itself; or null for the
 * ministries, outside exitflow (their addresses are the directory's division `MINISTRIES_DIVISION`).
 */
export function reportRecipientDivision(policy: Pick<Policy, 'directlyAdministered'>, report: Pick<PlanReport, 'recipient'>, division: string): string | null {
  if (report.recipient === 'own_office') return division;
  if (report.recipient === 'ministries') return null;
  if (reportingLevel(policy, division) === 'city' && divisionLevelOf(division) === 'county') return `${division.slice(0, 2)}0000`;
  return parentCodes(division)[0] ?? null;
}

/** The directory's division for the ministries (工业和信息化部、国家能源局): no GB/T 2260 division, all zeros. */
export const MINISTRIES_DIVISION = '000000';

/**
 * When the campaign drafts a report by itself: `daysBefore` (the earliest reminder, policy
 * `reminders.campaign`) before it falls due, with the figures as of the day before. The office may
 * ask for a new draft at any time before it is sent.
 */
export function draftDate(due: string, reminderOffsets: readonly number[]): string {
  const lead = reminderOffsets.length ? Math.max(...reminderOffsets) : 0;
  return addDays(due, -lead);
}

/** The cut-off of a draft made on `day`: the end of the day before (a full day's figures, reproducible). */
export const cutOffFor = (day: string): string => addDays(day, -1);

export const REPORT_STATUSES = ['pending', 'drafted', 'awaiting_approval', 'sent', 'received'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface ReportPerson {
  id: string;
  name: string;
  role: string;
}

/** The figures a draft stored, as the workflow keeps them (the full tables stay in PostgreSQL). */
export interface DraftSummary {
  draft: number;
  cutOff: string;
  draftedOn: string;
  /** Capacity exited per industry and unit as of the cut-off. */
  totals: { industry: string; unit: string; capacity: number; enterprises: number; facilities: number }[];
  openCases: number;
  overdueCases: number;
}

/** One report of a campaign, as its workflow keeps it (`state.reports`, keyed by report id). */
export interface ReportState {
  reportId: string;
  milestoneId: string;
  nameZh: string;
  due: string;
  /** Where the campaign drafts it by itself. */
  draftOn: string;
  status: ReportStatus;
  recipient: PlanReport['recipient'];
  /** The division whose office receives it; null: the ministries. */
  recipientDivision: string | null;
  approval: { seal: boolean } | null;
  draft: DraftSummary | null;
  submitted: { by: ReportPerson; on: string; note: string | null } | null;
  /** The last return by the approving government, with its reason (cleared by a new draft). */
  returned: { by: ReportPerson; on: string; reason: string } | null;
  approved: { by: ReportPerson; on: string; sealed: boolean; documentNumber: string | null } | null;
  sent: { on: string; recipients: string[]; messageId: string } | null;
  received: { by: ReportPerson; on: string } | null;
}

// ---- who may act ---------------------------------------------------------------------------------

/** Drafting and submitting: the coordination office of the campaign's own division. */
export function mayPrepareReport(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role !== 'coordination_office') return { allowed: false, reason: `role ${p.role} may not prepare reports (the coordination office of ${division} does)` };
  if (p.jurisdiction !== division) return { allowed: false, reason: `reports of ${division} are prepared by its own coordination office, not by ${p.jurisdiction ?? '(no jurisdiction)'}` };
  return { allowed: true };
}

/** Approving (同意, 盖章) or returning: the people's government of the campaign's own division. */
export function mayApproveReport(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role !== 'approving_government') return { allowed: false, reason: `role ${p.role} may not approve reports (the people's government of ${division} does)` };
  if (p.jurisdiction !== division) return { allowed: false, reason: `reports of ${division} are approved by its own people's government, not by ${p.jurisdiction ?? '(no jurisdiction)'}` };
  return { allowed: true };
}

/** Receiving (签收): the coordination office of the recipient division. */
export function mayReceiveReport(p: Pick<Principal, 'role' | 'jurisdiction'>, recipientDivision: string | null): Decision {
  if (recipientDivision === null) return { allowed: false, reason: 'a report to the ministries is received outside exitflow; its sending is its record' };
  if (p.role !== 'coordination_office') return { allowed: false, reason: `role ${p.role} may not receive reports (the coordination office of ${recipientDivision} does)` };
  if (p.jurisdiction !== recipientDivision) return { allowed: false, reason: `this report goes to the office of ${recipientDivision}, not ${p.jurisdiction ?? '(no jurisdiction)'}` };
  return { allowed: true };
}

// ---- the updates ---------------------------------------------------------------------------------

const ReportId = lazy(() => z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a report id of the plan').max(80));
const common = once(() => ({ reportId: ReportId, actor: Actor, idempotencyKey: z.string().min(1).max(200) }));

/** `draftReport`: a new draft now, with figures as of `cutOff` (default: yesterday). */
export const DraftReport = lazy(() => z.object({ ...common(), cutOff: LegalDateSchema.optional() }));
export type DraftReport = z.infer<typeof DraftReport>;

/** `submitReport`: the office submits the current draft (to its government where the plan says so, else it is sent). */
export const SubmitReport = lazy(() => z.object({ ...common(), note: text({ max: 2000, multiline: true }).optional() }));
export type SubmitReport = z.infer<typeof SubmitReport>;

/** `approveReport`: the government approves (and seals, where the plan asks) or returns it with a reason. */
export const ApproveReport = lazy(() =>
  z
    .object({
      ...common(),
      decision: z.enum(['approve', 'return']),
      reason: text({ max: 2000, multiline: true }).optional(),
      sealed: z.boolean().optional(),
      documentNumber: label(100).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.decision === 'return' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a returned report says why', params: { rule: 'reason_required', zh: '退回报告应说明理由' } });
    }),
);
export type ApproveReport = z.infer<typeof ApproveReport>;

/** `receiveReport`: the recipient office signs for it (签收). */
export const ReceiveReport = lazy(() => z.object({ ...common(), note: text({ max: 2000, multiline: true }).optional() }));
export type ReceiveReport = z.infer<typeof ReceiveReport>;
