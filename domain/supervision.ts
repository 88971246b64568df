import { z } from 'zod';
import { lazy, once } from './lazy';
import { LegalDateSchema, futureFact } from './calendar';
import { CREDIT_CODE_MESSAGES, creditCodeProblem } from './credit-code';
import { Actor } from './inputs';
import { covers, DIVISION_CODE_PATTERN } from './jurisdiction';
import { Industry } from './model';
import type { Decision, Principal } from './roles';
import { label, text } from './text';

/**
 * Supervision of a lagging region (督办): 30号文 (二十) 对工作进展缓慢的地区通报、约谈; Liaoning and
 * Henan 四(四), Guangdong 三(二). One supervision item per lag found: the coordination office one
 * level above the region (the supervisor) names it (通报), summons its officials (约谈) with a
 * follow-up deadline, hears its rectification and closes the item; concealed capacity (隐瞒产能)
 * found later closes with who was held accountable (问责). Pure and workflow-safe.
 */

const DivisionCode = lazy(() => z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code'));

/** Why an item was opened: a lapsed campaign milestone, exit below the policy's pace, or concealed capacity. */
export const ConcealedFacility = lazy(() =>
  z.object({
    name: text({ max: 200 }),
    capacity: z.number().positive().max(1e9),
    unit: label(40),
  }),
);

export const ConcealedCapacityFinding = lazy(() =>
  z.object({
    creditCode: z.string().superRefine((code, ctx) => {
      const problem = creditCodeProblem(code);
      if (problem) ctx.addIssue({ code: 'custom', message: `unified social credit code ${CREDIT_CODE_MESSAGES[problem].en}`, params: { rule: `gb32100_${problem}`, zh: CREDIT_CODE_MESSAGES[problem].zh } });
    }),
    enterpriseName: text({ max: 200 }),
    facilities: z.array(ConcealedFacility).min(1).max(100),
    industry: Industry,
    /** How it came to light: a public report (举报), an inspection, or otherwise. */
    source: z.enum(['public_report', 'inspection', 'other']),
    reference: text({ max: 500 }).optional(),
    foundOn: LegalDateSchema,
  }),
);
export type ConcealedCapacityFinding = z.infer<typeof ConcealedCapacityFinding>;

export const SupervisionReason = lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('milestone_lapsed'), milestoneId: z.string().min(1).max(80), nameZh: z.string().min(1).max(200), due: LegalDateSchema }),
    /** `reasons`: the LagReason list of domain/progress.ts at `asOf`. */
    z.object({ kind: z.literal('pace'), asOf: LegalDateSchema, reasons: z.array(z.unknown()) }),
    z.object({ kind: z.literal('concealed_capacity'), ...ConcealedCapacityFinding.shape }),
  ]),
);
export type SupervisionReason = z.infer<typeof SupervisionReason>;
export const SUPERVISION_REASON_KINDS = ['milestone_lapsed', 'pace', 'concealed_capacity'] as const;

/** What starts a supervision item (workflows/supervision.ts); `itemId` is its workflow id. */
export const SupervisionInput = lazy(() =>
  z.object({
    itemId: z.string().min(1).max(200),
    /** The division whose coordination office supervises (one level above `region`). */
    supervisor: DivisionCode,
    /** The lagging division. */
    region: DivisionCode,
    campaignId: z.string().regex(/^campaign-\d{6}-\d{4}$/),
    year: z.number().int().min(2000).max(2100),
    policy: z.object({ id: z.string().min(1), version: z.string().min(1) }),
    reason: SupervisionReason,
    openedBy: Actor.nullable(),
    openedAt: z.iso.datetime({ offset: true }),
  }),
);
export type SupervisionInput = z.infer<typeof SupervisionInput>;

/** Where an item stands (督办事项状态). */
export const SUPERVISION_STATUSES = ['open', 'summoned', 'follow_up_reported', 'closed'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 80);

/**
 * The item's workflow id, readable in Temporal UI and the same for the same lag, so a campaign that
 * finds it twice (or an office that reports a concealment twice) starts it once:
 * `supervision-410102-2027-milestone-exit_by`, `supervision-410102-2027-pace-2027-09-30`,
 * `supervision-410102-2027-concealed-91410100MA4000X7QR-2027-03-15`.
 */
export function supervisionWorkflowId(region: string, year: number, reason: Pick<SupervisionReason, 'kind'> & Partial<{ milestoneId: string; asOf: string; creditCode: string; foundOn: string }>): string {
  const base = `supervision-${region}-${year}`;
  switch (reason.kind) {
    case 'milestone_lapsed':
      return `${base}-milestone-${slug(reason.milestoneId ?? '')}`;
    case 'pace':
      return `${base}-pace-${reason.asOf}`;
    case 'concealed_capacity':
      return `${base}-concealed-${reason.creditCode}-${reason.foundOn}`;
  }
}

export const SUPERVISION_ID_PATTERN = /^supervision-\d{6}-\d{4}-[A-Za-z0-9_-]{1,120}$/;

// ---- who may act --------------------------------------------------------------------------------

type Who = Pick<Principal, 'role' | 'jurisdiction'>;
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** 通报, 约谈 and closing: the supervisor's coordination office, or an office above it. */
export function maySupervise(p: Who, supervisor: string): Decision {
  if (p.role !== 'coordination_office') return deny(`role ${p.role} may not act on a supervision item (the coordination office of ${supervisor} does)`);
  if (!p.jurisdiction || !covers(p.jurisdiction, supervisor)) return deny(`the item is supervised by ${supervisor}, outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  return { allowed: true };
}

/** The follow-up (整改情况) is reported by the region's own coordination office, which answers for it. */
export function mayReportFollowUp(p: Who, region: string): Decision {
  if (p.role !== 'coordination_office') return deny(`role ${p.role} may not report the follow-up (the coordination office of ${region} does)`);
  if (p.jurisdiction !== region) return deny(`the follow-up of ${region} is reported by its own coordination office, not by ${p.jurisdiction ?? '(no jurisdiction)'}`);
  return { allowed: true };
}

/** Operators, and officials whose jurisdiction covers the supervising office or the region. */
export function mayReadSupervision(p: Who, item: { supervisor: string; region: string }): Decision {
  if (p.role === 'operator') return { allowed: true };
  if (p.role === 'enterprise') return deny('an enterprise does not see supervision items');
  if (!p.jurisdiction || !(covers(p.jurisdiction, item.supervisor) || covers(p.jurisdiction, item.region))) {
    return deny(`supervision of ${item.region} by ${item.supervisor} is outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  }
  return { allowed: true };
}

/** Concealed capacity is reported by the coordination office of the campaign's division or above, for the division or a division inside it. */
export function mayReportConcealedCapacity(p: Who, campaignDivision: string, region: string): Decision {
  if (p.role !== 'coordination_office') return deny(`role ${p.role} may not report concealed capacity (the coordination office does)`);
  if (!p.jurisdiction || !covers(p.jurisdiction, campaignDivision)) return deny(`campaign division ${campaignDivision} is outside jurisdiction ${p.jurisdiction ?? '(none)'}`);
  if (!covers(campaignDivision, region)) return deny(`region ${region} is not inside the campaign's division ${campaignDivision}`);
  return { allowed: true };
}

// ---- the updates --------------------------------------------------------------------------------

const base = once(() => ({ actor: Actor, idempotencyKey: z.string().min(1).max(200) }));

/** 通报: the notice's text (Chinese), and whether it is published on the public site. */
export const IssueNotice = lazy(() => z.object({ ...base(), text: text({ max: 10_000, multiline: true }), publish: z.boolean() }));
export type IssueNotice = z.infer<typeof IssueNotice>;

/** One official summoned (被约谈人): name and title. */
export const Summoned = lazy(() => z.object({ name: text({ max: 100 }), title: text({ max: 200 }) }));

/** 约谈: held on (not in the future), who was summoned, the minutes (纪要), the follow-up deadline (in the future). */
export const RecordSummons = lazy(() =>
  z.object({
    ...base(),
    heldOn: LegalDateSchema,
    summoned: z.array(Summoned).min(1).max(50),
    minutesRef: text({ max: 500 }),
    followUpBy: LegalDateSchema,
  }),
);
export type RecordSummons = z.infer<typeof RecordSummons>;

/** 整改情况报告 by the region's office. */
export const ReportFollowUp = lazy(() => z.object({ ...base(), text: text({ max: 20_000, multiline: true }) }));
export type ReportFollowUp = z.infer<typeof ReportFollowUp>;

/** 问责 categories (中国共产党问责条例 第8条 and 公职人员政务处分法 第7条, in short). */
export const ACCOUNTABILITY_CATEGORIES = [
  'none', // 不予问责 (with reasons)
  'criticism', // 通报批评 / 批评教育
  'admonishment', // 诫勉
  'organisational', // 组织调整或组织处理 (停职检查、调离、免职…)
  'disciplinary', // 纪律处分 / 政务处分
  'referred', // 移送纪检监察机关
] as const;

export const Accountability = lazy(() =>
  z.object({
    category: z.enum(ACCOUNTABILITY_CATEGORIES),
    /** Who was held accountable and how. */
    text: text({ max: 5000, multiline: true }),
  }),
);
export type Accountability = z.infer<typeof Accountability>;

/** Closing by the supervisor: a conclusion; for concealed capacity, the accountability outcome (问责). */
export const CloseItem = lazy(() => z.object({ ...base(), conclusion: text({ max: 10_000, multiline: true }), accountability: Accountability.optional() }));
export type CloseItem = z.infer<typeof CloseItem>;

export const SUPERVISION_UPDATE_SCHEMAS = { issueNotice: IssueNotice, recordSummons: RecordSummons, reportFollowUp: ReportFollowUp, closeItem: CloseItem } as const;
export type SupervisionAction = keyof typeof SUPERVISION_UPDATE_SCHEMAS;

export interface SupervisionRefusal {
  code: string;
  message: string;
  messageZh: string;
  field?: string;
}

/** Why a summons cannot be recorded on `today`: held in the future, or a follow-up deadline not after today. */
export function summonsRefusal(s: Pick<RecordSummons, 'heldOn' | 'followUpBy'>, today: string): SupervisionRefusal | undefined {
  const held = futureFact('heldOn', s.heldOn, today);
  if (held) return { code: 'summons_in_future', message: held.message, messageZh: held.messageZh, field: 'heldOn' };
  if (s.followUpBy <= today) return { code: 'follow_up_deadline_not_future', message: `the follow-up deadline ${s.followUpBy} must be after today (${today})`, messageZh: `整改报告期限${s.followUpBy}应晚于今日（${today}）`, field: 'followUpBy' };
  return undefined;
}

/** Why an item cannot be closed so: concealed capacity closes only with its accountability outcome. */
export function closureRefusal(reason: Pick<SupervisionReason, 'kind'>, c: Pick<CloseItem, 'accountability'>): SupervisionRefusal | undefined {
  if (reason.kind === 'concealed_capacity' && !c.accountability) {
    return { code: 'accountability_required', message: 'concealed capacity is closed with its accountability outcome (who was held accountable and how)', messageZh: '隐瞒产能的督办事项须写明问责情况', field: 'accountability' };
  }
  return undefined;
}

/** The item's reason, in a phrase for notices and the public page. */
export function reasonZh(reason: SupervisionReason): string {
  switch (reason.kind) {
    case 'milestone_lapsed':
      return `「${reason.nameZh}」已于${reason.due}到期未完成`;
    case 'pace':
      return `截至${reason.asOf}落后产能退出进度低于工作方案要求`;
    case 'concealed_capacity':
      return `隐瞒落后产能（${reason.enterpriseName}，${reason.foundOn}发现）`;
  }
}
