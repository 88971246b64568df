import { z } from 'zod';
import { lazy, once } from './lazy';
import { LegalDateSchema } from './calendar';
import { label, noControlOrBidi, text } from './text';
import { CoalPowerOption, SealMeasure } from './policy/schema';

/**
 * The payloads of officials' and enterprises' inputs to a case (one Temporal update each, see
 * domain/stages.ts). Pure zod: the workflow validates with them, the API documents them.
 * Self-contained on purpose (no division tables), so workflow code can import it.
 */

/** Who acted (id, role, department, jurisdiction): carried into the workflow history and the audit log. */
export const Actor = lazy(() =>
  z
    .object({
      id: label(200),
      name: label(200),
      role: label(40),
      department: label(40).optional(),
      jurisdiction: label(6).optional(),
      creditCode: label(18).optional(),
    })
    .meta({ id: 'Actor' }),
);
export type Actor = z.infer<typeof Actor>;

/**
 * One caller, as idempotency keys are scoped to it: the same key sent by two callers is two
 * commands. Every claim that makes a caller distinct (two officials may share a name or even a
 * subject across departments) is part of it.
 */
export function callerKey(a: Pick<Actor, 'id' | 'role' | 'department' | 'jurisdiction' | 'creditCode'>): string {
  return [a.role, a.id, a.department ?? '', a.jurisdiction ?? '', a.creditCode ?? ''].join('|');
}

/** Every input says who acted, why, and carries an idempotency key: the same key twice has one effect. */
const base = once(() => ({
  actor: Actor,
  reason: text({ max: 2000, multiline: true }).optional(),
  idempotencyKey: z.string().min(1).max(200),
}));

/** `/api/v1/cases/{caseId}/evidence/{evidenceId}`: where the API serves a stored file. */
export const EVIDENCE_URI = /^\/api\/v1\/cases\/case-[0-9]{6}-[0-9A-Z]{18}-[A-Za-z0-9-]{1,40}\/evidence\/ev-[0-9a-f]{24,64}(-[A-Za-z0-9-]{1,12})?$/;

/** The URI of a stored file, as the upload answers it (Location) and as a step cites it. */
export const evidenceUri = (caseId: string, evidenceId: string): string => `/api/v1/cases/${caseId}/evidence/${evidenceId}`;

/** A photo or document kept for later inspection (拆除前、中、后影像资料), with its content hash. */
export const EvidenceRef = lazy(() =>
  z.object({
    phase: z.enum(['before', 'during', 'after']),
    /** The API's own URI of the stored file (POST …/evidence answers it in Location); never free text. */
    uri: z.string().refine((s) => EVIDENCE_URI.test(s), { message: 'must be the API’s evidence URI, /api/v1/cases/{caseId}/evidence/{evidenceId}', params: { rule: 'evidence_uri', zh: '证据地址应为上传证据时返回的地址' } }),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  }),
);
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/**
 * Evidence cited for a step: each file once. One photo cannot stand for two phases (before, during
 * and after dismantling are three moments, 拆除前、中、后), nor be counted twice in one.
 */
function evidenceList(max: number) {
  return z
    .array(EvidenceRef)
    .max(max)
    .superRefine((refs, ctx) => {
      const seen = new Map<string, number>();
      refs.forEach((r, i) => {
        const first = seen.get(r.sha256);
        if (first === undefined) seen.set(r.sha256, i);
        else ctx.addIssue({ code: 'custom', path: [i, 'sha256'], message: `the same file is already cited as evidence ${first} (${refs[first]!.phase})`, params: { rule: 'evidence_distinct', zh: '同一文件不得重复作为证据（拆除前、中、后须为不同照片）' } });
      });
    });
}

export const RequestExtension = lazy(() => z.object({ ...base(), months: z.number().int().min(1).max(24) }));
export const DecideExtension = lazy(() =>
  z.object({
    ...base(),
    approve: z.boolean(),
    /** An approval may grant less than was asked for. */
    months: z.number().int().min(1).max(24).optional(),
  }),
);
export const ReportRectificationDone = lazy(() => z.object({ ...base(), evidence: evidenceList(100).default([]) }));
export const RecordReinspection = lazy(() => z.object({ ...base(), passed: z.boolean(), findings: text({ min: 0, max: 5000, multiline: true }).optional() }));
export const ProposeClosure = lazy(() => z.object({ ...base(), reason: text({ max: 2000, multiline: true }) }));
export const DecideClosure = lazy(() =>
  z.object({
    ...base(),
    /** approve → 责令关闭; rectify_again → a new rectification period; close_with_reasons → 不予关闭并说明理由. */
    outcome: z.enum(['approve', 'rectify_again', 'close_with_reasons']),
    months: z.number().int().min(1).max(24).optional(),
  }),
);
export const RecordPunishmentAcknowledgement = lazy(() => z.object({ ...base(), platform: label(100), acknowledgement: text({ max: 500, multiline: true }) }));
/** 职工安置方案: required before a closed case can be accepted as exited. */
export const SubmitResettlementPlan = lazy(() =>
  z.object({
    ...base(),
    workers: z.number().int().min(0),
    planRef: text({ max: 2000 }),
    approvedBy: text({ min: 0, max: 200 }).optional(),
  }),
);
export const RecordDismantling = lazy(() => z.object({ ...base(), dismantledOn: LegalDateSchema, evidence: evidenceList(100).default([]) }));
export const RecordSealing = lazy(() =>
  z.object({
    ...base(),
    sealedOn: LegalDateSchema,
    measures: z.array(SealMeasure).min(1),
    /** 企业向社会公开承诺不再恢复生产: required where the policy requires the commitment (domain/exit.ts sealingRefusal). */
    commitmentRef: text({ max: 2000 }).optional(),
    /** The announcement on the government website the policy names. */
    announcementUrl: z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2000).superRefine(noControlOrBidi),
    /**
     * Guangdong coal power (二(五)1): `emergency_backup` keeps the sealed unit as an emergency backup
     * (关而不拆), so no dismantling deadline runs; re-inspections continue.
     */
    coalPowerOption: CoalPowerOption.exclude(['extended_operation', 'dismantle']).optional(),
  }),
);
/** A failed periodic re-inspection means the sealed capacity revived (死灰复燃). */
export const RecordSealedReinspection = lazy(() => z.object({ ...base(), intact: z.boolean(), findings: text({ min: 0, max: 5000, multiline: true }).optional() }));
/**
 * 验收. What the region's policy requires of it (a written opinion per enterprise, the region's
 * form, photos of which phases) is checked by the case (domain/authority.ts acceptanceRefusal):
 * Liaoning requires no photos, Fuzhou its 《验收意见表》.
 */
export const RecordAcceptance = lazy(() =>
  z.object({
    ...base(),
    /** 书面验收意见. */
    opinion: text({ max: 10000, multiline: true }).optional(),
    /** The reference of the written opinion, or of the region's form it is given on (Fuzhou 《验收意见表》). */
    opinionRef: text({ min: 0, max: 2000 }).optional(),
    evidence: evidenceList(200).default([]),
  }),
);
/**
 * 延寿运行 (Guangdong 2023, 一(1)): a coal-power unit classed for extended operation keeps running
 * until an approved date, then exits (dismantled, sealed, or kept as emergency backup).
 */
export const ApproveExtendedOperation = lazy(() =>
  z.object({
    ...base(),
    until: LegalDateSchema,
    /** The classified-disposal opinion (分类处置意见) that approves it. */
    approvalRef: text({ max: 2000 }),
  }),
);
export const SuspendClock = lazy(() => z.object({ ...base(), ground: z.enum(['administrative_review', 'litigation']) }));
export const ResumeClock = lazy(() => z.object({ ...base() }));
export const DeclareVoluntaryExit = lazy(() => z.object({ ...base() }));

export const INPUT_SCHEMAS = {
  requestExtension: RequestExtension,
  decideExtension: DecideExtension,
  reportRectificationDone: ReportRectificationDone,
  recordReinspection: RecordReinspection,
  proposeClosure: ProposeClosure,
  decideClosure: DecideClosure,
  recordPunishmentAcknowledgement: RecordPunishmentAcknowledgement,
  submitResettlementPlan: SubmitResettlementPlan,
  recordDismantling: RecordDismantling,
  recordSealing: RecordSealing,
  recordSealedReinspection: RecordSealedReinspection,
  recordAcceptance: RecordAcceptance,
  approveExtendedOperation: ApproveExtendedOperation,
  suspendClock: SuspendClock,
  resumeClock: ResumeClock,
  declareVoluntaryExit: DeclareVoluntaryExit,
} as const;

export type InputSchemas = typeof INPUT_SCHEMAS;
/** What a caller sends (defaults may be omitted). */
export type InputOf<A extends keyof InputSchemas> = z.input<InputSchemas[A]>;
/** What the workflow works with after parsing. */
export type ParsedInput<A extends keyof InputSchemas> = z.output<InputSchemas[A]>;

/** The answer to every accepted input: where the case stands after it. */
export interface InputResult {
  action: string;
  idempotencyKey: string;
  stage: string;
  deadline: string | null;
  overdue: boolean;
  clockSuspended: boolean;
}

/** Why an input is refused: a stable code, English and Chinese, and what the stage accepts. */
export interface InputRejection {
  code: string;
  message: string;
  messageZh: string;
  field?: string;
  stage?: string;
  accepts?: string[];
}
