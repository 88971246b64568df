import { z } from 'zod';
import { LegalDateSchema } from './calendar';
import { CoalPowerOption, SealMeasure } from './policy/schema';

/**
 * The payloads of officials' and enterprises' inputs to a case (one Temporal update each, see
 * domain/stages.ts). Pure zod: the workflow validates with them, the API documents them.
 * Self-contained on purpose (no division tables), so workflow code can import it.
 */

/** Who acted (id, role, department, jurisdiction): carried into the workflow history and the audit log. */
export const Actor = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    role: z.string().min(1),
    department: z.string().optional(),
    jurisdiction: z.string().optional(),
    creditCode: z.string().optional(),
  })
  .meta({ id: 'Actor' });
export type Actor = z.infer<typeof Actor>;

/** Every input says who acted, why, and carries an idempotency key: the same key twice has one effect. */
const base = {
  actor: Actor,
  reason: z.string().trim().min(1).max(2000).optional(),
  idempotencyKey: z.string().min(1).max(200),
};

/** A photo or document kept for later inspection (拆除前、中、后影像资料), with its content hash. */
export const EvidenceRef = z.object({
  phase: z.enum(['before', 'during', 'after']),
  uri: z.string().min(1).max(2000),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const RequestExtension = z.object({ ...base, months: z.number().int().min(1).max(24) });
export const DecideExtension = z.object({
  ...base,
  approve: z.boolean(),
  /** An approval may grant less than was asked for. */
  months: z.number().int().min(1).max(24).optional(),
});
export const ReportRectificationDone = z.object({ ...base, evidence: z.array(EvidenceRef).max(100).default([]) });
export const RecordReinspection = z.object({ ...base, passed: z.boolean(), findings: z.string().max(5000).optional() });
export const ProposeClosure = z.object({ ...base, reason: z.string().trim().min(1).max(2000) });
export const DecideClosure = z.object({
  ...base,
  /** approve → 责令关闭; rectify_again → a new rectification period; close_with_reasons → 不予关闭并说明理由. */
  outcome: z.enum(['approve', 'rectify_again', 'close_with_reasons']),
  months: z.number().int().min(1).max(24).optional(),
});
export const RecordPunishmentAcknowledgement = z.object({ ...base, platform: z.string().min(1).max(100), acknowledgement: z.string().min(1).max(500) });
/** 职工安置方案: required before a closed case can be accepted as exited. */
export const SubmitResettlementPlan = z.object({
  ...base,
  workers: z.number().int().min(0),
  planRef: z.string().min(1).max(2000),
  approvedBy: z.string().max(200).optional(),
});
export const RecordDismantling = z.object({ ...base, dismantledOn: LegalDateSchema, evidence: z.array(EvidenceRef).max(100).default([]) });
export const RecordSealing = z.object({
  ...base,
  sealedOn: LegalDateSchema,
  measures: z.array(SealMeasure).min(1),
  /** 企业向社会公开承诺不再恢复生产. */
  commitmentRef: z.string().min(1).max(2000),
  /** The announcement on the government website the policy names. */
  announcementUrl: z.string().url(),
  /**
   * Guangdong coal power (二(五)1): `emergency_backup` keeps the sealed unit as an emergency backup
   * (关而不拆), so no dismantling deadline runs; re-inspections continue.
   */
  coalPowerOption: CoalPowerOption.exclude(['extended_operation', 'dismantle']).optional(),
});
/** A failed periodic re-inspection means the sealed capacity revived (死灰复燃). */
export const RecordSealedReinspection = z.object({ ...base, intact: z.boolean(), findings: z.string().max(5000).optional() });
export const RecordAcceptance = z.object({
  ...base,
  /** 书面验收意见. */
  opinion: z.string().trim().min(1).max(10000),
  opinionRef: z.string().max(2000).optional(),
  evidence: z.array(EvidenceRef).min(1).max(200),
});
/**
 * 延寿运行 (Guangdong 2023, 一(1)): a coal-power unit classed for extended operation keeps running
 * until an approved date, then exits (dismantled, sealed, or kept as emergency backup).
 */
export const ApproveExtendedOperation = z.object({
  ...base,
  until: LegalDateSchema,
  /** The classified-disposal opinion (分类处置意见) that approves it. */
  approvalRef: z.string().trim().min(1).max(2000),
});
export const SuspendClock = z.object({ ...base, ground: z.enum(['administrative_review', 'litigation']) });
export const ResumeClock = z.object({ ...base });
export const DeclareVoluntaryExit = z.object({ ...base });

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
