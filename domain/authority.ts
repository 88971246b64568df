import type { Department, Dimension } from './model';
import type { Platform } from './platforms';
import type { Authority, Policy } from './policy/schema';
import { campaignDate, divisionAtLevel, escalationLadder } from './policy';

/**
 * Who decides, who is told, who accepts and who enforces: every answer from the case's pinned
 * policy and the enterprise's division code (GB/T 2260), nowhere else. Workflows, the API and the
 * activities ask these functions; none of them re-derives an answer. Pure and workflow-safe.
 */

/** Whose move it is, or who is told: a role, optionally a department, in a division (行政区划). */
export interface Assignee {
  role: 'enforcement_official' | 'approving_government' | 'coordination_office';
  department?: Department;
  jurisdiction: string;
}

/** The steps a body other than the enterprise decides or records. */
export type Step = 'extension' | 'closure' | 'reinspection' | 'sealed_reinspection' | 'extended_operation' | 'acceptance';

/** The steps in Chinese, for to-do lists, reminders and escalations (one table for every text). */
export const STEP_NAMES_ZH: Record<Step, string> = {
  extension: '延期整改申请',
  reinspection: '整改复查',
  closure: '关闭（停业整顿）审批',
  acceptance: '退出验收',
  sealed_reinspection: '封存设备定期复查',
  extended_operation: '延寿运行审批',
};

/** A step's Chinese name; a kind that is not a step is shown as it is. */
export const stepNameZh = (kind: string): string => STEP_NAMES_ZH[kind as Step] ?? kind;

/** What a question about one case needs: its pinned policy, dimension, department and the enterprise's division. */
export interface CaseAuthorityContext {
  policy: Policy;
  dimension: Dimension;
  /** The department that opened the case and enforces its standard. */
  department: Department;
  /** The enterprise's division code (the case's region). */
  region: string;
}

/**
 * 当地 / 属地: the enterprise's locality, its county or district where one exists (410102 for a
 * Zhengzhou district), else the city or province it is registered in. Officials and governments of
 * the enclosing divisions cover it (domain/jurisdiction.ts covers), so a city may act where its
 * county may.
 */
export function locality(region: string): string {
  return divisionAtLevel(region, 'county');
}

/**
 * Henan 二(二)1 「省辖市人民政府、示范区管委会或省直管县（市）人民政府」: the directly administered
 * county-level cities and counties (省直管县（市）) and 济源示范区 answer for themselves; every other
 * enterprise answers to its prefecture-level city. The list is the policy's data
 * (`directlyAdministered`, with its source).
 */
export function cityLevelGovernment(policy: Policy, region: string): string {
  const own = locality(region);
  if (policy.directlyAdministered.includes(own)) return own;
  // 省直辖县级行政单位 (xx90xx, e.g. 济源 419001) have no prefecture city above them.
  if (own.slice(2, 4) === '90') return own;
  return divisionAtLevel(region, 'city');
}

/** The division of the government an Authority names, for an enterprise in `region`. */
export function governmentDivision(policy: Policy, authority: Exclude<Authority, 'department'>, region: string): string {
  switch (authority) {
    case 'city_government':
      return cityLevelGovernment(policy, region);
    // 有批准权的人民政府 (按照国务院规定的权限): the seeds name no level; the enterprise's locality, whose
    // superiors cover it (policy.defaults says so where a region is silent).
    case 'approving_government':
    // 当地 / 属地人民政府 (LN 二(二)5, GD 二(四)3, HN 二(二)2): the enterprise's county or district.
    case 'local_government':
    // 县级及以上人民政府 (HN 二(二)3): the county first; the city and province cover it.
    case 'county_or_above_government':
      return locality(region);
  }
}

/** The body an Authority names for one case. */
export function assigneeOf(c: CaseAuthorityContext, authority: Authority): Assignee {
  if (authority === 'department') return { role: 'enforcement_official', department: c.department, jurisdiction: locality(c.region) };
  return { role: 'approving_government', jurisdiction: governmentDivision(c.policy, authority, c.region) };
}

/** Who takes each step of a case, as its pinned policy says. */
export function deciderFor(c: CaseAuthorityContext, step: Step): Assignee {
  const rule = c.policy.dimensions[c.dimension];
  switch (step) {
    case 'extension':
      if (!rule.extension) throw new RangeError(`the ${c.dimension} policy of ${c.policy.version} allows no extension`);
      return assigneeOf(c, rule.extension.decider);
    case 'closure':
      // A dimension whose policy names no closing body (technology exits without closure) is closed,
      // when a case of it must be, by the approving government.
      return assigneeOf(c, rule.closureBy ?? 'approving_government');
    case 'reinspection':
    case 'sealed_reinspection':
      return assigneeOf(c, 'department');
    case 'extended_operation':
      return assigneeOf(c, c.policy.technology.extendedOperationBy);
    case 'acceptance':
      return acceptorOf(c);
  }
}

/** 验收: the body the region names (policy `acceptance.by`). */
function acceptorOf(c: CaseAuthorityContext): Assignee {
  switch (c.policy.acceptance.by) {
    case 'city_or_county_office':
      return { role: 'coordination_office', jurisdiction: locality(c.region) };
    // Fuzhou 三(二): 市淘汰落后产能工作协调小组办公室 组织验收.
    case 'city_office':
      return { role: 'coordination_office', jurisdiction: divisionAtLevel(c.region, 'city') };
    // Liaoning 二(三): 省工信厅、发改委、生态环境厅、应急厅、市场监管局等部门按职责分工 … 检查验收.
    case 'provincial_departments':
      return { role: 'enforcement_official', department: c.department, jurisdiction: divisionAtLevel(c.region, 'province') };
    // Henan 二(二)6: 各省辖市人民政府、济源示范区管委会、各省直管县（市）人民政府 … 考核验收.
    case 'city_government':
      return { role: 'approving_government', jurisdiction: cityLevelGovernment(c.policy, c.region) };
  }
}

/** 报备 / 抄送: who an approved extension is filed with (Henan 二(二)1: 省发展改革委、工业和信息化厅). */
export function extensionFilings(c: CaseAuthorityContext): Assignee[] {
  const filings = c.policy.dimensions[c.dimension].extension?.filings ?? [];
  const province = divisionAtLevel(c.region, 'province');
  return filings.map((f) => ({ role: 'enforcement_official', department: f === 'provincial_development_reform' ? 'development_reform' : 'industry_it', jurisdiction: province }));
}

/** Which departments enforce a dimension in the region (policy `dimensions.*.departments`). */
export function enforcingDepartments(policy: Policy, dimension: Dimension): readonly Department[] {
  return policy.dimensions[dimension].departments;
}

export function enforces(policy: Policy, dimension: Dimension, department: Department | undefined): boolean {
  return department !== undefined && enforcingDepartments(policy, dimension).includes(department);
}

/** An escalation step as the bodies it tells, for one case (the policy's ladder, 30号文 (二十) 督办). */
export interface EscalationRecipients {
  level: 'county' | 'city' | 'province';
  division: string;
  afterOverdue: Policy['escalation'][number]['afterOverdue'];
  roles: Assignee['role'][];
  /** Enforcement officials of this department only (the one that enforces the case). */
  department: Department;
}

/** The policy's escalation ladder for one case: each level's division and the roles told there. */
export function escalationSteps(c: CaseAuthorityContext): EscalationRecipients[] {
  const role = { official: 'enforcement_official', coordination_office: 'coordination_office', government: 'approving_government' } as const;
  return escalationLadder(c.policy, c.region).map((s) => ({
    level: s.level,
    division: s.division,
    afterOverdue: s.afterOverdue,
    roles: [...new Set(s.notify.map((n) => role[n]))],
    department: c.department,
  }));
}

/**
 * Whether the opening measure fits the policy: where the department chooses per case
 * (`suspension: 'department_decides'`) the choice is required (a serious case goes to closure and
 * needs none); elsewhere the policy decides and a choice is refused.
 */
export function measureRefusal(policy: Policy, c: { dimension: Dimension; serious: boolean; measure?: string }): { field: string; rule: string; message: string; messageZh: string } | undefined {
  const chooses = policy.dimensions[c.dimension].suspension === 'department_decides';
  if (chooses && !c.serious && !c.measure) {
    return { field: 'measure', rule: 'measure_required', message: `the department chooses per case: restrict_production (限制生产) or suspend_production (停产整治)`, messageZh: '须选择限制生产或停产整治（停产停业整顿）' };
  }
  if (!chooses && c.measure) {
    return { field: 'measure', rule: 'measure_not_applicable', message: `the ${c.dimension} policy fixes whether production stops (${policy.dimensions[c.dimension].suspension}); no measure is chosen`, messageZh: '该类案件的生产措施由政策规定，无需选择' };
  }
  return undefined;
}

/**
 * By when sealed equipment must be dismantled (限时拆除): the region's campaign exit date on or after
 * the sealing where its plan fixes one (`technology.dismantleByCampaignExit`), else the policy's
 * months from the sealing. As a period from the sealing, for the case's clock.
 */
export function sealedDismantlingPeriod(policy: Policy, sealedOn: string): { from: string; months: number } | { from: string; days: number } {
  if (!policy.technology.dismantleByCampaignExit) return { from: sealedOn, months: policy.technology.dismantleWithinMonths };
  const year = Number(sealedOn.slice(0, 4));
  const thisYear = campaignDate(policy.campaign.exitBy, year);
  const by = thisYear >= sealedOn ? thisYear : campaignDate(policy.campaign.exitBy, year + 1);
  return { from: sealedOn, days: Math.round((Date.parse(`${by}T00:00:00Z`) - Date.parse(`${sealedOn}T00:00:00Z`)) / 86_400_000) };
}

/**
 * Where an event of a case is pushed (联合惩戒 and the bodies told), from its pinned policy:
 * - `closure` (责令关闭): the credit platforms (30号文 (十七)), the licence its dimension revokes where
 *   the policy says so (30号文 (十六) 注销生产许可证 for 工艺装备落后、环保、能耗; (七) 吊销 the safety
 *   licence), and what the region adds (LN 三(八): discharge permit, power supply);
 * - `late_exit` (an exit deadline lapsed, 「对未按期完成落后产能退出的企业」): the credit platforms and
 *   the banks (30号文 (十三));
 * - `power_cut` (sealing cut the power, 断电): the power supplier.
 */
export function punishmentTargets(policy: Policy, dimension: Dimension, event: 'closure' | 'late_exit' | 'power_cut'): Platform[] {
  const jp = policy.jointPunishment;
  if (event === 'power_cut') return ['power_supply'];
  if (event === 'late_exit') return [...new Set([...jp.creditPlatforms, ...jp.onLateExit])];
  const licence: Platform[] = policy.dimensions[dimension].revokeLicences ? [dimension === 'safety' ? 'safety_licence' : 'production_licence'] : [];
  return [...new Set([...jp.creditPlatforms, ...licence, ...jp.onClosure])];
}

/** Why an acceptance does not meet what the region's policy asks of it (`acceptance`), or undefined. */
export function acceptanceRefusal(policy: Policy, a: { opinion?: string; opinionRef?: string; evidence: { phase: string }[] }): { code: string; message: string; messageZh: string; field: string } | undefined {
  const rule = policy.acceptance;
  // HN 二(二)6, FZ 三(二): 逐户出具书面验收意见.
  if (rule.writtenOpinionPerEnterprise && !a.opinion) {
    return { code: 'written_opinion_required', message: 'the acceptance needs a written opinion for the enterprise', messageZh: '验收须逐户出具书面验收意见', field: 'opinion' };
  }
  // FZ 三(二): 《验收意见表》 — the opinion is given on the region's form and cites it.
  if (rule.form && !a.opinionRef) {
    return { code: 'acceptance_form_required', message: `the opinion is given on the form 《${rule.form}》: give its reference in opinionRef`, messageZh: `验收意见须填写《${rule.form}》，请在opinionRef中注明`, field: 'opinionRef' };
  }
  const missing = rule.evidence.filter((phase) => !a.evidence.some((e) => e.phase === phase));
  if (missing.length) {
    return { code: 'evidence_incomplete', message: `evidence missing for: ${missing.join(', ')}`, messageZh: '须提供拆除前、中、后影像资料', field: 'evidence' };
  }
  return undefined;
}

/** Why an extension may not be requested now, or undefined when it may (30号文 (四)). */
export interface ExtensionRefusal {
  code: 'extension_not_allowed' | 'request_after_deadline' | 'extension_already_used' | 'extension_exceeds_cap';
  message: string;
  messageZh: string;
  field?: string;
}

export interface ExtensionRequestFacts {
  months: number;
  /** Extensions this case has requested so far. */
  requestedBefore: number;
  /** The rectification period is still running (not lapsed; today is not after its deadline, or its clock is stopped). */
  periodRunning: boolean;
  /** The rectification deadline, for the message. */
  deadline: string | null;
}

/** Whether an extension may be requested now: allowed at all, before the deadline, within the count and the cap. */
export function extensionRefusal(policy: Policy, dimension: Dimension, f: ExtensionRequestFacts): ExtensionRefusal | undefined {
  const rule = policy.dimensions[dimension].extension;
  if (!rule) return { code: 'extension_not_allowed', message: `the ${dimension} policy allows no extension`, messageZh: '该类案件不允许延期整改' };
  // 30号文 (四): 确需延长整改期限的 — read as: only a period still running can be extended.
  if (rule.mustApplyBeforeDeadline && !f.periodRunning) {
    return { code: 'request_after_deadline', message: `the rectification period ended on ${f.deadline}; an extension must be requested before it ends`, messageZh: `整改期限已于${f.deadline}届满，延期申请须在期满前提出`, field: 'months' };
  }
  if (f.requestedBefore >= rule.maxCount) {
    return { code: 'extension_already_used', message: `an extension may be requested ${rule.maxCount === 1 ? 'once' : `${rule.maxCount} times`}`, messageZh: `延期申请以${rule.maxCount}次为限`, field: 'months' };
  }
  if (f.months > rule.capMonths) {
    return { code: 'extension_exceeds_cap', message: `extension exceeds ${rule.capMonths} months`, messageZh: `延期不得超过${rule.capMonths}个月`, field: 'months' };
  }
  return undefined;
}
