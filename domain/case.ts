import { z } from 'zod';
import { CreditCode, FacilityId, matching, type RuleParams } from './enterprise';
import { Department, Dimension, Industry } from './model';
import { text } from './text';

/** Legal dates have one definition (domain/calendar.ts), shared with the workflow's inputs. */
export { LegalDateSchema as LegalDate } from './calendar';
import { LegalDateSchema as LegalDate } from './calendar';

/**
 * The department's notice number (文书编号): part of the case id, so the same notice cannot open two
 * cases. Kept in upper case, so `zzgx-2026-001` and `ZZGX-2026-001` are the same notice.
 */
export const CaseNumber = matching(/^[A-Za-z0-9-]{1,40}$/, 'case_number_format', 'must be 1-40 letters, digits or -', '案件编号只能包含字母、数字或连字符')
  .toUpperCase()
  .meta({ example: 'ZZGX-2026-001', description: '文书编号; letters are kept in upper case' });

/** Who acted: defined with the inputs (domain/inputs.ts), which workflow code imports. */
export { Actor } from './inputs';
import type { Actor } from './inputs';

/** A finding of backward capacity at one enterprise, as an official opens it. */
export const OpenCase = z
  .object({
    creditCode: CreditCode,
    caseNumber: CaseNumber,
    dimension: Dimension,
    department: Department,
    /** e.g. "《节约能源法》第七十二条; 工信部联产业〔2017〕30号". */
    legalBasis: text({ min: 2, max: 500, multiline: true }),
    noticeServedOn: LegalDate,
    /** 情节严重 (environment only): goes straight to the closure proposal. */
    serious: z.boolean().default(false),
    facilityIds: z.array(FacilityId).min(1).max(200),
    /**
     * Where the policy lets the department choose per case (`suspension: 'department_decides'`:
     * environment 限制生产 / 停产整治, 30号文 (五); Fuzhou safety 限期整改 / 停产停业整顿, 二(四)):
     * production restricted and continuing, or suspended while rectifying.
     */
    measure: z.enum(['restrict_production', 'suspend_production']).optional(),
    /** The department's own period for environment and safety cases, in months (policy default otherwise). */
    rectificationMonths: z.number().int().min(1).max(24).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Which departments enforce the dimension is the region's policy (domain/authority.ts): checked
    // where the enterprise's region is known (api/services/cases.ts openCase).
    if (c.serious && c.dimension !== 'environment') {
      ctx.addIssue({
        code: 'custom',
        path: ['serious'],
        message: 'only environment cases can be serious (情节严重)',
        params: { rule: 'serious_only_environment', zh: '仅环保类案件可认定情节严重' } satisfies RuleParams,
      });
    }
  })
  .meta({ id: 'OpenCase', description: 'Open a case: a finding of backward capacity (落后产能) at one enterprise' });
export type OpenCase = z.infer<typeof OpenCase>;

/** Everything the case workflow needs, snapshotted at opening so history replays the same. */
export interface CaseInput extends Omit<OpenCase, 'facilityIds'> {
  caseId: string;
  enterprise: { name: string; regionCode: string; industry: Industry; contactEmail: string; contactName: string };
  facilities: { id: string; name: string; kind: string; capacity: number; unit: string; category?: string }[];
  policy: { id: string; version: string };
  openedBy: Actor;
  openedAt: string;
}

/** The workflow id of a case: readable and deterministic, so a second open is refused, not duplicated. */
export function caseWorkflowId(regionCode: string, creditCode: string, caseNumber: string): string {
  return `case-${regionCode}-${creditCode}-${caseNumber}`;
}
