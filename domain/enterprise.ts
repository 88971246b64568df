import { z } from 'zod';
import { FacilityStatus } from './capacity-exit';
import { CREDIT_CODE_MESSAGES, creditCodeProblem } from './credit-code';
import { isKnownDivision } from './divisions';
import { DIVISION_CODE_PATTERN } from './jurisdiction';
import { FacilityCategory, Industry } from './model';
import { text } from './text';

/**
 * Rules carry a stable code and a Chinese message in `params`, so the API can name the field,
 * the rule and say it in both languages (api/problem.ts).
 */
export interface RuleParams {
  rule: string;
  zh: string;
}

/** A string that must match `pattern`; a failure names `rule` and says it in English and Chinese. */
export function matching(pattern: RegExp, rule: string, en: string, zh: string) {
  return z.string().refine((s) => pattern.test(s), { message: en, abort: true, params: { rule, zh } satisfies RuleParams });
}

export const CreditCode = z
  .string()
  .superRefine((code, ctx) => {
    const problem = creditCodeProblem(code);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `unified social credit code ${CREDIT_CODE_MESSAGES[problem].en}`,
        params: { rule: `gb32100_${problem}`, zh: CREDIT_CODE_MESSAGES[problem].zh } satisfies RuleParams,
      });
    }
  })
  .meta({ description: '统一社会信用代码 (GB 32100-2015), 18 characters with check character', example: '91410100MA4000X7QR' });

export const DivisionCode = matching(DIVISION_CODE_PATTERN, 'gbt2260_format', 'must be a 6-digit division code (GB/T 2260)', '行政区划代码应为6位数字')
  .refine(isKnownDivision, {
    message: 'is not a division code in GB/T 2260',
    params: { rule: 'gbt2260_known', zh: '行政区划代码不存在' } satisfies RuleParams,
  })
  .meta({ description: '行政区划代码 (GB/T 2260), 6 digits', example: '410102' });

export const FacilityId = matching(/^[A-Za-z0-9_-]{1,32}$/, 'facility_id_format', 'must be 1-32 letters, digits, _ or -', '设施编号只能包含字母、数字、下划线或连字符');

/** Equipment or a production line (设备/生产线) and its capacity (产能). */
export const Facility = z
  .object({
    id: FacilityId,
    name: text({ max: 200 }),
    kind: z.enum(['equipment', 'production_line']),
    capacity: z.number().positive().finite(),
    /** e.g. "万吨/年", "t/a", "MW", "万重量箱/年". */
    unit: text({ max: 32 }),
    /** Equipment a plan treats apart (工频炉/中频炉 producing building steel, 地条钢). */
    category: FacilityCategory.optional(),
  })
  .meta({ id: 'Facility', example: { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' } });
export type Facility = z.infer<typeof Facility>;

export const RegisterEnterprise = z
  .object({
    creditCode: CreditCode,
    name: text({ min: 2, max: 200 }),
    regionCode: DivisionCode,
    industry: Industry,
    address: text({ min: 0, max: 500 }).optional(),
    legalRepresentative: text({ min: 0, max: 100 }).optional(),
    contact: z.object({
      name: text({ max: 100 }),
      email: z.email(),
      phone: matching(/^[0-9+\- ]{5,20}$/, 'phone_format', 'must be a phone number', '电话号码格式错误').optional(),
    }),
    facilities: z
      .array(Facility)
      .min(1)
      .max(200)
      .refine((fs) => new Set(fs.map((f) => f.id)).size === fs.length, {
        message: 'facility ids must be unique',
        params: { rule: 'facility_id_unique', zh: '设施编号不能重复' } satisfies RuleParams,
      }),
  })
  .strict()
  .meta({ id: 'RegisterEnterprise', description: 'Register an enterprise (企业) with its facilities' });
export type RegisterEnterprise = z.infer<typeof RegisterEnterprise>;

/** An enterprise as registered: what a case is opened on. */
export const RegisteredEnterprise = RegisterEnterprise.extend({ registeredAt: z.iso.datetime() });
export type RegisteredEnterprise = z.infer<typeof RegisteredEnterprise>;

/** A facility as registered, and where it stands (domain/capacity-exit.ts FacilityStatus). */
export const FacilityWithStatus = Facility.extend({
  status: FacilityStatus,
  /** The case that sealed or retired it, or the running case it is subject of (in_case); null when active. */
  statusCaseId: z.string().nullable(),
  statusChangedAt: z.iso.datetime().nullable(),
}).meta({ id: 'FacilityWithStatus' });
export type FacilityWithStatus = z.infer<typeof FacilityWithStatus>;

/** An enterprise as the API shows it: as registered, each facility with its status. */
export const Enterprise = RegisteredEnterprise.extend({ facilities: z.array(FacilityWithStatus) }).meta({ id: 'Enterprise' });
export type Enterprise = z.infer<typeof Enterprise>;
