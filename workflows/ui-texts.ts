import type { Assignee } from '../domain/authority';
import { stepNameZh } from '../domain/authority';
import { DEPARTMENT_NAMES_ZH, DIMENSION_NAMES_ZH, type Department, type Dimension } from '../domain/model';
import type { Policy } from '../domain/policy';
import { STAGE_NAMES_ZH, type Stage } from '../domain/stages';

/**
 * What Temporal UI shows of exitflow's workflows, in the case file's words (Chinese): the static
 * summary and details of a workflow (set by whoever starts it: the API, or a parent workflow), the
 * summary of each timer and activity, and the current details of a stage. Pure functions, used by
 * the workflows (workflows/ui-metadata.ts) and the API's start sites alike.
 *
 * Division names come from a lookup the caller passes (the API's GB/T 2260 table; in a workflow the
 * names its starter put in the memo, `divisionNames`), since the full table is too large for the
 * workflow bundle. A division whose name is unknown is shown by its code.
 */

export type NameOf = (code: string) => string | undefined;

/** Who a case (or campaign, report, supervision item) is waiting for: the `ExitflowAwaiting` values. */
export const AWAITING = ['enterprise', 'department', 'government', 'office', 'none'] as const;
export type Awaiting = (typeof AWAITING)[number];

export const AWAITING_ZH: Record<Awaiting, string> = { enterprise: '企业', department: '执法部门', government: '人民政府', office: '协调小组办公室', none: '—' };

/** The legal basis every case and campaign rests on, beside the regional plan (policy). */
export const NATIONAL_BASIS_ZH = '《关于利用综合标准依法依规推动落后产能退出的指导意见》（工信部联产业〔2017〕30号）';

/** The memo field a starter sets (`divisionNames`) so the workflow can name the divisions it deals with. */
export function divisionNamesMemo(codes: readonly (string | null | undefined)[], lookup: NameOf): { divisionNames: Record<string, string> } {
  const divisionNames: Record<string, string> = {};
  for (const c of codes) {
    const n = c ? lookup(c) : undefined;
    if (c && n) divisionNames[c] = n;
  }
  return { divisionNames };
}

const nameOr = (nameOf: NameOf, code: string): string => nameOf(code) ?? code;

/** An official body in words: 郑州市人民政府, 中原区工业和信息化部门, 河南省协调小组办公室. */
export function assigneeZh(who: Pick<Assignee, 'role' | 'department' | 'jurisdiction'>, nameOf: NameOf): string {
  const where = nameOr(nameOf, who.jurisdiction);
  if (who.role === 'approving_government') return `${where}人民政府`;
  if (who.role === 'coordination_office') return `${where}淘汰落后产能工作协调小组办公室`;
  return `${where}${who.department ? DEPARTMENT_NAMES_ZH[who.department] : '执法部门'}`;
}

export function awaitingOfRole(role: Assignee['role'] | string): Awaiting {
  if (role === 'approving_government') return 'government';
  if (role === 'coordination_office') return 'office';
  return 'department';
}

// ---- static summary and details --------------------------------------------------------------

export interface CaseSummaryFacts {
  enterpriseName: string;
  dimension: Dimension;
  caseNumber: string;
  regionCode: string;
  department: Department;
  legalBasis?: string;
  creditCode: string;
  policy: Pick<Policy, 'id' | 'version' | 'nameZh'> & { sources?: readonly { clause: string }[] };
}

/** 企业名 · 维度 · 案件编号: one line in the workflow list. */
export function caseStaticSummary(f: Pick<CaseSummaryFacts, 'enterpriseName' | 'dimension' | 'caseNumber'>): string {
  return `${f.enterpriseName} · ${DIMENSION_NAMES_ZH[f.dimension]} · ${f.caseNumber}`;
}

/** Region, policy version and legal basis (Temporal markdown, several lines). */
export function caseStaticDetails(f: CaseSummaryFacts, nameOf: NameOf): string {
  return [
    `**地区**：${regionPathZh(f.regionCode, nameOf)}（${f.regionCode}）`,
    `**统一社会信用代码**：${f.creditCode}`,
    `**执法部门**：${DEPARTMENT_NAMES_ZH[f.department]}`,
    `**政策版本**：${f.policy.nameZh}（${f.policy.id}@${f.policy.version}）`,
    `**法律依据**：${f.legalBasis ? `${f.legalBasis}；` : ''}${NATIONAL_BASIS_ZH}${clausesZh(f.policy)}`,
  ].join('\n');
}

/** 地区 年度 淘汰落后产能工作. */
export function campaignStaticSummary(division: string, year: number, nameOf: NameOf): string {
  return `${nameOr(nameOf, division)} ${year}年度淘汰落后产能工作`;
}

export function campaignStaticDetails(division: string, year: number, policy: CaseSummaryFacts['policy'], nameOf: NameOf): string {
  return [
    `**地区**：${regionPathZh(division, nameOf)}（${division}）`,
    `**年度**：${year}`,
    `**政策版本**：${policy.nameZh}（${policy.id}@${policy.version}）`,
    `**法律依据**：${NATIONAL_BASIS_ZH}${clausesZh(policy)}`,
  ].join('\n');
}

export function supervisionStaticSummary(region: string, year: number, reasonZh: string, nameOf: NameOf): string {
  return `督办：${nameOr(nameOf, region)} ${year}年度（${reasonZh}）`;
}

export function supervisionStaticDetails(region: string, supervisor: string, campaignId: string, policy: CaseSummaryFacts['policy'], nameOf: NameOf): string {
  return [
    `**被督办地区**：${regionPathZh(region, nameOf)}（${region}）`,
    `**督办单位**：${nameOr(nameOf, supervisor)}淘汰落后产能工作协调小组办公室（${supervisor}）`,
    `**年度工作**：${campaignId}`,
    `**政策版本**：${policy.nameZh}（${policy.id}@${policy.version}）`,
    `**法律依据**：${NATIONAL_BASIS_ZH}（二十）`,
  ].join('\n');
}

export function reportStaticDetails(region: string, dimension: Dimension | null | undefined, policy: CaseSummaryFacts['policy'], nameOf: NameOf): string {
  return [
    `**被举报地区**：${regionPathZh(region, nameOf)}（${region}）`,
    `**举报事项**：${dimension ? DIMENSION_NAMES_ZH[dimension] : '未注明'}`,
    `**政策版本**：${policy.nameZh}（${policy.id}@${policy.version}）`,
    `**法律依据**：${NATIONAL_BASIS_ZH}${clausesZh(policy)}`,
  ].join('\n');
}

function regionPathZh(code: string, nameOf: NameOf): string {
  const codes = [code.slice(0, 2) + '0000', code.slice(0, 4) + '00', code].filter((c, i, all) => all.indexOf(c) === i);
  return codes.map((c) => nameOf(c)).filter(Boolean).join(' ') || code;
}

function clausesZh(policy: CaseSummaryFacts['policy']): string {
  const clauses = (policy.sources ?? []).map((s) => s.clause).filter(Boolean);
  return clauses.length ? `；${policy.nameZh} ${clauses.slice(0, 3).join('、')}` : '';
}

// ---- activities --------------------------------------------------------------------------------

const MAIL_ZH: Record<string, string> = {
  rectification_notice: '送达整改通知书',
  exit_notice: '送达退出通知书',
  rectification_reminder: '整改期限提醒',
  extension_decision: '送达延期整改决定',
  reinspection_result: '送达复查结果',
  compliant: '送达整改达标通知',
  closure_proposed: '告知已提请关闭',
  closure_order: '送达责令关闭决定',
  rectification_renewed: '送达重新整改通知',
  closed_with_reasons: '送达不予关闭决定',
  dismantling_reminder: '拆除期限提醒',
  exit_accepted: '送达退出验收意见',
};

const PLATFORM_ZH: Record<string, string> = {
  credit_platform: '全国信用信息共享平台',
  credit_liaoning: '信用辽宁',
  credit_guangdong: '信用广东',
  credit_fuzhou: '信用中国（福州）',
  production_licence: '生产许可证注销',
  discharge_permit: '排污许可证吊销',
  safety_licence: '安全生产许可证吊销',
  power_supply: '电力供应企业',
  banks: '金融机构',
};

const EVENT_ZH: Record<string, string> = {
  // The inputs of a case (domain/stages.ts ACTIONS), recorded as events of their stage.
  requestExtension: '企业申请延期整改',
  decideExtension: '延期整改申请决定',
  reportRectificationDone: '企业报告整改完成',
  recordReinspection: '整改复查结果',
  proposeClosure: '提请关闭',
  decideClosure: '关闭审批决定',
  recordPunishmentAcknowledgement: '联合惩戒回执',
  submitResettlementPlan: '职工安置方案',
  recordDismantling: '拆除设备',
  recordSealing: '封存设备',
  recordSealedReinspection: '封存设备复查',
  recordAcceptance: '退出验收',
  approveExtendedOperation: '延寿运行审批',
  suspendClock: '期限中止（复议或诉讼）',
  resumeClock: '期限恢复',
  declareVoluntaryExit: '企业主动退出',
  sealed_reinspection_due: '封存设备定期复查到期',
  escalation: '逾期督办',
  deadline_settled: '期限按正式节假日安排重算',
  clock_suspended: '期限中止',
  clock_resumed: '期限恢复',
};

const ACTIVITY_ZH: Record<string, string> = {
  recordCaseOpened: '立案：写入案件台账',
  recordRetiredCapacity: '登记退出产能',
  recordCampaignStarted: '启动年度工作：写入台账',
  laggingSubdivisions: '评估下级地区工作进度',
  draftCampaignReport: '起草报告',
  recordCampaignReport: '记录报告状态',
  sendCampaignReport: '报送报告',
  recordSupervisionOpened: '督办立项：写入台账',
  requestReportVerification: '交办核查：列入执法部门待办',
  surveyedCapacity: '核对年度摸底排查产能',
  mailReportReply: '答复举报人',
  importSurvey: '导入摸底排查表',
  recordSurveyJobFailed: '记录导入失败',
};

const tag = (subject: unknown): string => (typeof subject === 'string' ? /^【(.+?)】/.exec(subject)?.[1] : undefined) ?? '通知';

function bodiesZh(to: { jurisdiction?: string; roles?: string[]; departments?: string[] }[], nameOf: NameOf): string {
  return to
    .flatMap((t) =>
      (t.roles ?? []).flatMap((role) =>
        role === 'enforcement_official' && t.departments?.length
          ? t.departments.map((d) => assigneeZh({ role: 'enforcement_official', department: d as Department, jurisdiction: t.jurisdiction ?? '' }, nameOf))
          : [assigneeZh({ role: role as Assignee['role'], jurisdiction: t.jurisdiction ?? '' }, nameOf)],
      ),
    )
    .join('、');
}

/** One line for an activity in the timeline: what it does and to whom ("送达整改通知书 → 企业"). */
export function activitySummary(name: string, args: readonly unknown[], nameOf: NameOf): string | undefined {
  const a = (args[0] ?? {}) as Record<string, any>;
  switch (name) {
    case 'sendCaseMail':
      return `${MAIL_ZH[a.kind] ?? a.kind} → 企业`;
    case 'holidayCalendar': {
      const years = Array.isArray(args[0]) ? (args[0] as number[]) : [];
      return `读取法定节假日安排${years.length ? `（${years[0]}${years.length > 1 ? `–${years.at(-1)}` : ''}）` : ''}`;
    }
    case 'recordStage':
      return a.kind ? `记录：${EVENT_ZH[a.kind] ?? a.kind}（${STAGE_NAMES_ZH[a.stage as Stage] ?? a.stage}）` : `进入阶段：${STAGE_NAMES_ZH[a.stage as Stage] ?? a.stage}${a.deadline ? `（期限 ${a.deadline}）` : ''}`;
    case 'requestDecision':
      return `列入待办：${assigneeZh({ role: a.assigneeRole, department: a.assigneeDepartment, jurisdiction: a.jurisdiction }, nameOf)}${stepNameZh(a.kind)}（到期 ${a.dueDate}）`;
    case 'closeDecision': {
      // A case's decision id is <caseId>/<step>/<n> (workflows/case-decisions.ts); a report's is <id>/report_verification/<n>.
      const step = typeof a.decisionId === 'string' ? a.decisionId.split('/').at(-2) : undefined;
      const what = step === 'report_verification' ? '举报核查' : step ? stepNameZh(step) : '';
      return `${a.status === 'withdrawn' ? '撤回待办' : '办结待办'}${what ? `：${what}` : ''}`;
    }
    case 'rescheduleDecision':
      return `待办期限调整为 ${a.dueDate}`;
    case 'notifyAuthorities':
      return `${tag(a.subject)}：通知 ${bodiesZh([{ jurisdiction: a.jurisdiction, roles: a.roles, departments: a.departments }], nameOf)}`;
    case 'notifyCampaignAuthorities':
    case 'notifySupervisionAuthorities':
    case 'notifyReportAuthorities':
      return `${tag(a.subject)}：通知 ${bodiesZh(Array.isArray(a.to) ? a.to : [{ jurisdiction: a.jurisdiction, roles: a.roles, departments: a.departments }], nameOf)}`;
    case 'pushToPlatform':
      return `联合惩戒：推送至${PLATFORM_ZH[a.platform] ?? a.platform}`;
    case 'recordCampaignEvent':
    case 'recordSupervisionEvent':
    case 'recordReportEvent':
      return `记录：${EVENT_ZH[a.kind] ?? a.kind}`;
    default:
      return ACTIVITY_ZH[name];
  }
}

// ---- timers and current details of a case -------------------------------------------------------

const CLOCK_ZH: Record<string, string> = { rectification: '整改期限', decision: '决定期限', dismantling: '拆除期限' };

export const clockZh = (kind: string | null | undefined): string => (kind ? (CLOCK_ZH[kind] ?? '期限') : '期限');

/** "整改期限 2027-05-31 届满", or for an official's decision "等待郑州市人民政府关闭审批（到期 2026-12-28）". */
export function deadlineTimerSummary(kind: string, date: string, decision?: { who: string; step: string }): string {
  if (kind === 'decision' && decision) return `等待${decision.who}${decision.step}（到期 ${date}）`;
  return `${clockZh(kind)} ${date} 届满`;
}

export function reminderTimerSummary(kind: string, deadline: string, remindOn: string, daysBefore: number, decision?: { who: string; step: string }): string {
  if (kind === 'decision' && decision) return `${deadlineTimerSummary(kind, deadline, decision)} · 前${daysBefore}天提醒（${remindOn}）`;
  return `${clockZh(kind)} ${deadline} 前${daysBefore}天提醒（${remindOn}）`;
}

const OWED_BY_ENTERPRISE: Partial<Record<Stage, string>> = {
  rectification: '提交整改报告',
  suspended_production: '停产整顿并提交整改报告',
  closure_ordered: '关闭并拆除或封存设备',
  exit_in_progress: '拆除或封存设备',
  sealed: '拆除封存设备',
  extended_operation: '延寿运行期满后退出',
};

export interface CaseDetailsFacts {
  stage: Stage;
  deadline: string | null;
  provisional: boolean;
  overdue: boolean;
  suspended: boolean;
  activeClock: string | null;
  terminal: boolean;
  /** The open decision, if any: who owes it and what. */
  decision?: { role: string; who: string; step: string; due: string };
}

/** Who is awaited at this point of a case. */
export function caseAwaiting(f: CaseDetailsFacts): Awaiting {
  if (f.terminal || f.stage === 'opened') return 'none';
  if (f.decision) return awaitingOfRole(f.decision.role);
  return OWED_BY_ENTERPRISE[f.stage] ? 'enterprise' : 'none';
}

/** "限期整改 · 整改期限 2027-05-31 · 等待企业提交整改报告". */
export function caseCurrentDetails(f: CaseDetailsFacts): string {
  const parts = [`${STAGE_NAMES_ZH[f.stage]}${f.overdue && !f.terminal ? '（已逾期）' : ''}`];
  if (f.suspended) parts.push('期限中止（行政复议或诉讼期间）');
  // An official's decision names its own due date below; another deadline is shown here.
  else if (f.deadline && !(f.decision && f.activeClock === 'decision')) parts.push(`${clockZh(f.activeClock)} ${f.deadline}${f.provisional ? '（暂定）' : ''}`);
  if (f.terminal) parts.push('已办结');
  else if (f.decision) parts.push(`等待${f.decision.who}${f.decision.step}（到期 ${f.decision.due}）`);
  else if (OWED_BY_ENTERPRISE[f.stage]) parts.push(`等待企业${OWED_BY_ENTERPRISE[f.stage]}`);
  return parts.join(' · ');
}

// ---- campaigns, supervision items, public reports ------------------------------------------------

const CAMPAIGN_STAGE_ZH: Record<string, string> = { planning: '制定工作方案', survey: '摸底排查', exit: '退出实施', acceptance: '验收', reporting: '总结报告', completed: '已完成' };

/** "退出实施 · 下一节点：完成退出 2027-10-31 · 等待郑州市淘汰落后产能工作协调小组办公室". */
export function campaignCurrentDetails(stage: string, next: { nameZh: string; due: string } | null, overdue: boolean, office: string): string {
  const parts = [`${CAMPAIGN_STAGE_ZH[stage] ?? stage}${overdue ? '（有节点逾期）' : ''}`];
  if (next) parts.push(`下一节点：${next.nameZh} ${next.due}`, `等待${office}`);
  else parts.push('年度工作已完成');
  return parts.join(' · ');
}

export const campaignAwaiting = (next: unknown): Awaiting => (next ? 'office' : 'none');

const SUPERVISION_STATUS_ZH: Record<string, string> = { open: '督办中', summoned: '已约谈', follow_up_reported: '已报告整改情况', closed: '已办结' };

export function supervisionCurrentDetails(status: string, followUpBy: string | null, overdue: boolean, region: string, supervisor: string): string {
  const parts = [`${SUPERVISION_STATUS_ZH[status] ?? status}${overdue ? '（已逾期）' : ''}`];
  if (status === 'closed') return parts[0]!;
  if (followUpBy) parts.push(`整改情况报告期限 ${followUpBy}`, `等待${region}报告整改情况`);
  else parts.push(`等待${supervisor}督办（通报、约谈或办结）`);
  return parts.join(' · ');
}

const REPORT_STATUS_ZH: Record<string, string> = { received: '已受理', verifying: '核查中', closed: '已办结' };

export function reportCurrentDetails(status: string, dueDate: string | null, overdue: boolean, verifier: string | null): string {
  const parts = [`${REPORT_STATUS_ZH[status] ?? status}${overdue && status !== 'closed' ? '（已逾期）' : ''}`];
  if (status === 'verifying') {
    if (dueDate) parts.push(`核查期限 ${dueDate}`);
    if (verifier) parts.push(`等待${verifier}核查办结`);
  }
  return parts.join(' · ');
}

/** A timer of a campaign, supervision item or report: what fires when. */
export function stepTimerSummary(what: string, date: string): string {
  return `${what}（${date}）`;
}
