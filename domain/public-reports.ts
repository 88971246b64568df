import { z } from 'zod';
import { lazy, once } from './lazy';
import { LegalDateSchema } from './calendar';
import { CREDIT_CODE_MESSAGES, creditCodeProblem } from './credit-code';
import { Actor } from './inputs';
import { covers, DIVISION_CODE_PATTERN } from './jurisdiction';
import { Department, Dimension, DIMENSION_NAMES_ZH, Industry } from './model';
import type { Policy } from './policy/schema';
import { locality, type Assignee } from './authority';
import { addDays, legalDeadline, type LegalDeadline } from './deadlines';
import type { HolidayCalendarData } from './calendar';
import type { Decision, Principal } from './roles';
import { text } from './text';

/**
 * Public reports (举报): LN 四(三) 「设立统一淘汰落后产能举报平台 … 按职责限期核查。实名举报做到有报必查。
 * 对漏报、瞒报落后产能并经举报或媒体反映核实的 … 追究各级政府及其部门的责任」; GD 三(五) 「12345平台 …
 * 举报热线 … 集中受理举报，按职责分工强化举报核查，依法依规处置」. Anyone reports; the department that
 * enforces the standard in the reported division verifies within the policy's time
 * (`officialDeadlines.reportVerification`); a confirmed report becomes a case. Pure and workflow-safe.
 */

const DivisionCode = lazy(() => z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code'));

/**
 * Free text from the public, stored as typed and shown only as text: besides the character rules of
 * domain/text.ts, nothing a browser would read as markup or a script (a tag, a comment, a
 * `javascript:` link) is accepted, so no page that one day shows a report can be made to run it.
 */
export function plain(rule: { min?: number; max: number; multiline?: boolean }) {
  return text(rule).superRefine((s, ctx) => {
    if (/<\s*[A-Za-z!/?]|javascript\s*:|&#|&[a-z]+;/i.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'must be plain text (no markup, scripts or HTML entities)', params: { rule: 'plain_text', zh: '只能填写纯文本，不得包含网页标记或脚本' } });
    }
  });
}

const CreditCode = lazy(() =>
  z.string().superRefine((code, ctx) => {
    const problem = creditCodeProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: `unified social credit code ${CREDIT_CODE_MESSAGES[problem].en}`, params: { rule: `gb32100_${problem}`, zh: CREDIT_CODE_MESSAGES[problem].zh } });
  }),
);

/** How a report came in: the online platform (this API), or a channel an official records it from (GD 三(五)). */
export const REPORT_CHANNELS = [
  'online', // 举报平台 (this API, no account)
  'hotline_12345', // 12345 政务服务便民热线
  'hotline_ditiaogang', // "地条钢"举报热线 (国家部际联席会议)
  'provincial_platform', // 省级淘汰落后产能和产能置换举报平台
  'petition', // 信访
  'letter', // 来信
  'media', // 媒体反映 (LN 四(三))
  'other',
] as const;
export const ReportChannel = lazy(() => z.enum(REPORT_CHANNELS));
export type ReportChannel = z.infer<typeof ReportChannel>;

/** Who reports, if they say: a real-name report (实名举报) names the person; a contact alone only gets the reply. */
export const Reporter = lazy(() =>
  z
    .object({
      name: plain({ max: 100 }).optional(),
      phone: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'must be a phone number').optional(),
      email: z.email().max(200).optional(),
    })
    .strict()
    .refine((r) => r.name || r.phone || r.email, { message: 'give a name or a contact, or leave the reporter out (anonymous)', params: { rule: 'reporter_not_empty', zh: '请填写姓名或联系方式，匿名举报可不填' } })
    .refine((r) => !r.name || r.phone || r.email, { message: 'a real-name report needs a phone or e-mail for the reply', path: ['phone'], params: { rule: 'real_name_contact', zh: '实名举报须留联系方式以便答复' } }),
);
export type Reporter = z.infer<typeof Reporter>;

/** What a report says: where, which enterprise, what, and optionally who reports. */
const ReportFields = once(() => ({
    region: DivisionCode.meta({ description: 'The division (county or district where known) where the capacity is', example: '410122' }),
    address: plain({ max: 300 }),
    enterpriseName: plain({ max: 200 }),
    creditCode: CreditCode.optional(),
    industry: Industry.optional(),
    /** The standard it breaks, if the reporter knows (能耗、环保、质量、安全、技术). */
    dimension: Dimension.optional(),
    equipment: plain({ max: 500 }).optional(),
    capacity: z.number().positive().max(1e9).optional(),
    unit: plain({ max: 40 }).optional(),
    description: plain({ max: 5000, multiline: true }),
    reporter: Reporter.optional(),
}));
const capacityUnit: [(r: { capacity?: number; unit?: string }) => boolean, { message: string; path: string[]; params: Record<string, string> }] = [
  (r) => r.capacity === undefined || r.unit !== undefined,
  { message: 'a capacity needs its unit', path: ['unit'], params: { rule: 'capacity_unit', zh: '填写产能时须注明单位' } },
];
export const ReportSubmission = lazy(() => z.object(ReportFields()).strict().refine(...capacityUnit));
export type ReportSubmission = z.infer<typeof ReportSubmission>;

/** A report an official records from another channel: the channel, its own number and the day it arrived. */
export const RecordedReport = lazy(() =>
  z
    .object({
      ...ReportFields(),
      channel: ReportChannel.exclude(['online']),
      externalRef: plain({ max: 100 }).optional(),
      receivedOn: LegalDateSchema,
    })
    .strict()
    .refine(...capacityUnit),
);
export type RecordedReport = z.infer<typeof RecordedReport>;

// ---- identifiers ------------------------------------------------------------------------------

/** 举报受理编号 JB-<division>-<YYYYMMDD>-<n, 4+ digits>: readable on the phone; it opens nothing without the secret. */
export const TRACKING_NUMBER_PATTERN = /^JB-\d{6}-\d{8}-\d{4,6}$/;
export function trackingNumber(region: string, receivedOn: string, n: number): string {
  return `JB-${region}-${receivedOn.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}
export const reportWorkflowId = (reportId: string): string => `public-report-${reportId}`;

/** The secret: 128 random bits, base64url (22 characters). Only its SHA-256 is stored. */
export const REPORT_SECRET_PATTERN = /^[A-Za-z0-9_-]{22}$/;

// ---- routing and deadlines --------------------------------------------------------------------

/**
 * 按职责分工 … 核查 (LN 四(三), GD 三(五)): the department that enforces the reported standard, in the
 * reported locality. The policy's first enforcing department for the dimension (30号文 names the
 * lead first: 工信 for energy and technology); a report that names no standard goes to the lead of
 * the technology dimension (工业和信息化), which leads the campaign and 淘汰类 capacity.
 */
export function verifierOf(policy: Policy, region: string, dimension: Dimension | undefined): Assignee & { role: 'enforcement_official'; department: Department } {
  const department = policy.dimensions[dimension ?? 'technology'].departments[0]!;
  return { role: 'enforcement_official', department, jurisdiction: locality(region) };
}

/** 限期核查: the verification deadline, counted from the day the report was received (the policy's working days). */
export function verificationDeadline(policy: Policy, receivedOn: string, cal: HolidayCalendarData): LegalDeadline {
  return legalDeadline({ from: receivedOn, ...policy.officialDeadlines.reportVerification }, cal);
}

/** The years whose calendars the verification deadline can touch (a period of working days spans at most a few months). */
export function verificationYears(receivedOn: string): number[] {
  const y = Number(receivedOn.slice(0, 4));
  return Number(addDays(receivedOn, 120).slice(0, 4)) > y ? [y, y + 1] : [y];
}

/**
 * Reminder offsets before the verification deadline. The seeds name none; a verification is the
 * department's own check of facts, as a re-inspection is, so it is reminded as one (`reminders.reinspection`).
 */
export const verificationReminders = (policy: Policy): readonly number[] => policy.reminders.reinspection;

// ---- outcomes -----------------------------------------------------------------------------------

export const REPORT_OUTCOMES = ['unfounded', 'already_known', 'confirmed', 'not_pursued'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];
export const REPORT_STATUSES = ['received', 'verifying', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const OUTCOME_ZH: Record<ReportOutcome, string> = {
  unfounded: '经核查，举报反映的问题不属实',
  already_known: '举报反映的问题已在依法查处中',
  confirmed: '经核查，举报反映的问题属实，已依法立案查处',
  not_pursued: '经审查，举报不予受理核查',
};

const base = once(() => ({ actor: Actor, idempotencyKey: z.string().min(1).max(200) }));
const CASE_ID = /^case-\d{6}-[0-9A-Z]{18}-[A-Za-z0-9-]{1,40}$/;

/** 核查: how and when the department checked, and what it found (kept with the report; not shown to the reporter). */
export const RecordVerification = lazy(() =>
  z.object({
    ...base(),
    verifiedOn: LegalDateSchema,
    method: z.enum(['on_site', 'documents', 'remote_monitoring', 'interview']),
    findings: plain({ max: 5000, multiline: true }),
  }),
);
export type RecordVerification = z.infer<typeof RecordVerification>;

/** Capacity the confirmed case is about, as registered with the enterprise (for the concealed-capacity check). */
export const ConfirmedFacility = lazy(() => z.object({ id: z.string().min(1).max(40), name: z.string().min(1).max(200), capacity: z.number().positive(), unit: z.string().min(1).max(40) }));

/** The report's conclusion (办结), with the note the reporter reads (the reply, 答复). */
export const ConcludeReport = lazy(() =>
  z.discriminatedUnion('outcome', [
    z.object({ ...base(), outcome: z.literal('unfounded'), reasons: plain({ max: 5000, multiline: true }), replyNote: plain({ max: 2000, multiline: true }).optional() }),
    z.object({ ...base(), outcome: z.literal('not_pursued'), reasons: plain({ max: 5000, multiline: true }), replyNote: plain({ max: 2000, multiline: true }).optional() }),
    z.object({ ...base(), outcome: z.literal('already_known'), caseId: z.string().regex(CASE_ID, 'must be a case id'), replyNote: plain({ max: 2000, multiline: true }).optional() }),
    z.object({
      ...base(),
      outcome: z.literal('confirmed'),
      caseId: z.string().regex(CASE_ID, 'must be a case id'),
      /** The enterprise of the case: its division, credit code, name and industry, and the facilities the case is about. */
      enterprise: z.object({ regionCode: DivisionCode, creditCode: z.string().regex(/^[0-9A-Z]{18}$/), name: z.string().min(1).max(200), industry: Industry }),
      facilities: z.array(ConfirmedFacility).min(1).max(100),
      replyNote: plain({ max: 2000, multiline: true }).optional(),
    }),
  ]),
);
export type ConcludeReport = z.infer<typeof ConcludeReport>;

/**
 * 转办: the verifying department finds the report is another department's (it names the wrong standard,
 * or none), and hands it to the department that enforces the right one in the same locality. The
 * verification deadline stays: it runs from the day the report was received, not from the handover.
 */
export const TransferReport = lazy(() => z.object({ ...base(), dimension: Dimension, reason: plain({ max: 2000, multiline: true }) }));
export type TransferReport = z.infer<typeof TransferReport>;

export const REPORT_UPDATE_SCHEMAS = { recordVerification: RecordVerification, concludeReport: ConcludeReport, transferReport: TransferReport } as const;
export type ReportAction = keyof typeof REPORT_UPDATE_SCHEMAS;

export interface ReportRefusal {
  code: string;
  message: string;
  messageZh: string;
  field?: string;
}

/**
 * Whether a report may be concluded so (LN 四(三) 「实名举报做到有报必查」; 「对实名举报的要限期核查、逐一回复」):
 * a real-name report is never closed as not pursued, and is concluded only after a verification is
 * recorded; an anonymous one may be closed with reasons.
 */
export function conclusionRefusal(r: { realName: boolean; verified: boolean }, c: Pick<ConcludeReport, 'outcome'>): ReportRefusal | undefined {
  if (r.realName && c.outcome === 'not_pursued') {
    return { code: 'real_name_must_be_verified', message: 'a real-name report must be verified and answered; it cannot be closed as not pursued', messageZh: '实名举报必须核查并答复，不得不予核查办结', field: 'outcome' };
  }
  if (r.realName && !r.verified) {
    return { code: 'verification_required', message: 'record the verification (POST …/verifications) before concluding a real-name report', messageZh: '实名举报须先登记核查情况再办结', field: 'outcome' };
  }
  return undefined;
}

/**
 * The reply the reporter reads (status lookup and mail): the outcome in set words and the official's
 * note, nothing else: no name of the enterprise's people, no case record (what the public lists show
 * is on the lists).
 */
export function replyText(outcome: ReportOutcome, reportId: string, note?: string): string {
  return [`您的举报（受理编号 ${reportId}）已办结：${OUTCOME_ZH[outcome]}。`, ...(note ? [note] : []), '感谢您对淘汰落后产能工作的支持。'].join('\n');
}

export const outcomeZh = (o: ReportOutcome): string => OUTCOME_ZH[o];
export const dimensionZh = (d: Dimension | null | undefined): string => (d ? DIMENSION_NAMES_ZH[d] : '未注明');

// ---- who may act and read -----------------------------------------------------------------------

type Who = { role: Principal['role'] | string; department?: string; jurisdiction?: string };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** Reports from other channels are recorded by enforcement officials or the coordination office within jurisdiction. */
export function mayRecordReport(p: Who, region: string): Decision {
  if (p.role !== 'enforcement_official' && p.role !== 'coordination_office') return deny(`role ${p.role} may not record reports`);
  if (!p.jurisdiction || !covers(p.jurisdiction, region)) return deny(`region ${region} is outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  return { allowed: true };
}

/** The verifying department: its officials at the assigned locality or above (a city may act where its county may). */
export function mayHandleReport(p: Who, assignee: { role: string; department?: string | null; jurisdiction: string }): Decision {
  if (p.role !== assignee.role) return deny(`the report is verified by ${assignee.role} of ${assignee.department} for ${assignee.jurisdiction}, not by ${p.role}`);
  if (assignee.department && p.department !== assignee.department) return deny(`the report is verified by ${assignee.department}, not by ${p.department ?? '(no department)'}`);
  if (!p.jurisdiction || !covers(p.jurisdiction, assignee.jurisdiction)) return deny(`the report is verified in ${assignee.jurisdiction}, outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  return { allowed: true };
}

/** The report and its history: operators, and officials whose jurisdiction covers its region (the office above included). */
export function mayReadReport(p: Who, region: string): Decision {
  if (p.role === 'operator') return { allowed: true };
  if (p.role === 'enterprise') return deny('an enterprise does not see reports');
  if (!p.jurisdiction || !covers(p.jurisdiction, region)) return deny(`region ${region} is outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  return { allowed: true };
}
