import { z } from 'zod';

/**
 * How a case's capacity exited (产能退出方式). 30号文 (九): capacity exits by dismantling (拆除) or by
 * cutting water and power, removing the power units and sealing the main equipment (封存), so that
 * it never produces again: sealed capacity has exited, in the year it was sealed. Guangdong 2023
 * 二(五)1 adds a coal-power unit closed but not dismantled, kept as emergency backup (关而不拆转应急备用).
 */
export const ExitMethod = z.enum(['dismantled', 'sealed', 'emergency_backup']);
export type ExitMethod = z.infer<typeof ExitMethod>;

export const EXIT_METHOD_NAMES_ZH: Record<ExitMethod, string> = {
  dismantled: '拆除',
  sealed: '封存',
  emergency_backup: '关而不拆转应急备用',
};

/** The exit a sealing makes: a coal-power unit kept as emergency backup is marked as such. */
export function sealingExitMethod(coalPowerOption: unknown): Extract<ExitMethod, 'sealed' | 'emergency_backup'> {
  return coalPowerOption === 'emergency_backup' ? 'emergency_backup' : 'sealed';
}

/**
 * What the exit announcement says of a case's exit: capacity sealed and later dismantled still
 * counts in the year of sealing, and says both.
 */
export function exitMethodText(how: ExitMethod, sealedOn: string | null): string {
  if (how === 'dismantled' && sealedOn) return `${EXIT_METHOD_NAMES_ZH.sealed}后${EXIT_METHOD_NAMES_ZH.dismantled}`;
  return EXIT_METHOD_NAMES_ZH[how];
}

/**
 * Where a facility (设备/生产线) stands (设施状态). `active`: may be the subject of a case;
 * `in_case`: subject of a case still running; `sealed`, `retired` (拆除并验收): its capacity has
 * exited and the facility never comes back, neither here nor in another region (不得转移:
 * Henan 2021 二(一), 二(二)6; Fuzhou 2021 三(二)). A status only moves forward: active → sealed → retired.
 */
export const FacilityStatus = z.enum(['active', 'in_case', 'sealed', 'retired']);
export type FacilityStatus = z.infer<typeof FacilityStatus>;

/** The status a facility takes when its case's capacity exits this way. */
export function facilityStatusAfter(how: ExitMethod): Extract<FacilityStatus, 'sealed' | 'retired'> {
  return how === 'dismantled' ? 'retired' : 'sealed';
}

/** Whether a facility's capacity has exited: it may not be registered again, moved, or made the subject of a new case. */
export function hasExited(status: FacilityStatus): boolean {
  return status === 'sealed' || status === 'retired';
}

/** The stored status (active, sealed, retired) of one facility, with the case that set it. */
export interface StoredFacilityStatus {
  id: string;
  status: FacilityStatus;
  caseId: string | null;
  /** The division the facility's enterprise is registered in. */
  regionCode: string;
}

/** A facility that may not come back, and why, for the caller to name the field. */
export interface FacilityRefusal {
  index: number;
  rule: 'facility_retired' | 'facility_transfer';
  message: string;
  messageZh: string;
}

/**
 * Which of the facilities asked for (by id, in request order) have exited and may not come back:
 * registered again or made the subject of a new case (`facility_retired`), or registered in
 * another region (`facility_transfer`, 不得向其他地区转移). `regionCode` is the region asked for,
 * if the request places the facility somewhere.
 */
export function refusedFacilities(ids: readonly string[], stored: readonly StoredFacilityStatus[], regionCode?: string): FacilityRefusal[] {
  const byId = new Map(stored.map((s) => [s.id, s]));
  return ids.flatMap((id, index): FacilityRefusal[] => {
    const s = byId.get(id);
    if (!s || !hasExited(s.status)) return [];
    const how = s.status === 'sealed' ? { en: 'sealed', zh: '已封存' } : { en: 'retired', zh: '已拆除退出' };
    const by = s.caseId ? ` by case ${s.caseId}` : '';
    if (regionCode !== undefined && regionCode !== s.regionCode) {
      return [{
        index,
        rule: 'facility_transfer',
        message: `facility ${id} was ${how.en}${by} in region ${s.regionCode}; backward capacity that exited may not be moved to another region`,
        messageZh: `设施${id}${how.zh}（${s.regionCode}），落后产能不得向其他地区转移`,
      }];
    }
    return [{ index, rule: 'facility_retired', message: `facility ${id} was ${how.en}${by}; capacity that exited never comes back`, messageZh: `设施${id}${how.zh}，已退出的落后产能不得恢复` }];
  });
}
