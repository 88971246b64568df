import { DEPARTMENT_NAMES_ZH, DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH } from '../../domain/model';
import { STAGE_NAMES_ZH } from '../../domain/stages';

/** Words the pages show for the API's codes; stages come from the domain's own table. */
const humanise = (code: string) => code.replace(/_/g, ' ');

export function stageName(stage: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? ((STAGE_NAMES_ZH as Record<string, string>)[stage] ?? stage) : humanise(stage);
}

const fromTable = (table: Record<string, string>) => (code: string, lang: 'zh' | 'en') => (lang === 'zh' ? (table[code] ?? code) : humanise(code));
export const industryName = fromTable(INDUSTRY_NAMES_ZH);
export const dimensionName = fromTable(DIMENSION_NAMES_ZH);
export const departmentName = fromTable(DEPARTMENT_NAMES_ZH);

/** The public lists (公示名单) the portal shows, in the order officials publish them. */
export const LIST_KINDS: { kind: 'yellow' | 'red' | 'over_standard' | 'serious_over_standard' | 'target_list' | 'exit_announcement'; zh: string; en: string }[] = [
  { kind: 'yellow', zh: '黄牌（限期整改）', en: 'Yellow card' },
  { kind: 'red', zh: '红牌（依法关停）', en: 'Red card' },
  { kind: 'over_standard', zh: '超标排放企业', en: 'Over-standard emitters' },
  { kind: 'serious_over_standard', zh: '情节严重企业', en: 'Serious cases' },
  { kind: 'target_list', zh: '年度淘汰目标', en: 'Annual targets' },
  { kind: 'exit_announcement', zh: '退出公告', en: 'Exit announcement' },
];

const DECISION_KINDS: Record<string, [string, string]> = {
  extension: ['延期整改申请', 'Extension request'],
  closure: ['关闭审批', 'Closure'],
  reinspection: ['整改复查', 'Re-inspection'],
  acceptance: ['退出验收', 'Acceptance'],
  sealed_reinspection: ['封存设备定期复查', 'Sealed re-inspection'],
  extended_operation: ['延寿运行审批', 'Extended operation'],
  report_verification: ['举报核查', 'Report verification'],
};

export function decisionKindName(kind: string, lang: 'zh' | 'en'): string {
  const names = DECISION_KINDS[kind];
  return names ? names[lang === 'zh' ? 0 : 1] : humanise(kind);
}

const ACTIONS: Record<string, [string, string]> = {
  open: ['立案', 'Case opened'],
  evidence: ['上传证据', 'Evidence attached'],
  requestExtension: ['申请延期', 'Request an extension'],
  decideExtension: ['审批延期申请', 'Decide the extension'],
  reportRectificationDone: ['报告整改完成', 'Report rectification done'],
  recordReinspection: ['登记复查结果', 'Record re-inspection'],
  proposeClosure: ['提请关闭', 'Propose closure'],
  decideClosure: ['关闭决定', 'Decide closure'],
  recordPunishmentAcknowledgement: ['登记联合惩戒回执', 'Record acknowledgement'],
  submitResettlementPlan: ['提交职工安置方案', 'Submit resettlement plan'],
  recordDismantling: ['登记拆除', 'Record dismantling'],
  recordSealing: ['登记封存', 'Record sealing'],
  recordSealedReinspection: ['登记封存复查', 'Record sealed re-inspection'],
  recordAcceptance: ['登记验收', 'Record acceptance'],
  approveExtendedOperation: ['批准延寿运行', 'Approve extended operation'],
  suspendClock: ['中止计时（复议/诉讼）', 'Stop the clock'],
  resumeClock: ['恢复计时', 'Resume the clock'],
  declareVoluntaryExit: ['主动退出', 'Voluntary exit'],
};

export function actionName(action: string, lang: 'zh' | 'en'): string {
  const names = ACTIONS[action];
  return names ? names[lang === 'zh' ? 0 : 1] : humanise(action);
}

const ROLES: Record<string, [string, string]> = {
  enforcement_official: ['执法人员', 'Enforcement official'],
  inspector: ['核查人员', 'Inspector'],
  approving_government: ['人民政府', 'Approving government'],
  coordination_office: ['协调小组办公室', 'Coordination office'],
  enterprise: ['企业', 'Enterprise'],
  operator: ['运维', 'Operator'],
};

export function roleName(role: string, lang: 'zh' | 'en'): string {
  const names = ROLES[role];
  return names ? names[lang === 'zh' ? 0 : 1] : role;
}

const PHASES: Record<string, [string, string]> = {
  before: ['整改/拆除前', 'before'],
  during: ['整改/拆除中', 'during'],
  after: ['整改/拆除后', 'after'],
  document: ['文件材料', 'document'],
};

export function phaseName(phase: string, lang: 'zh' | 'en'): string {
  return PHASES[phase]?.[lang === 'zh' ? 0 : 1] ?? phase;
}

/** 举报 status and outcome as the reporter reads them (domain/public-reports.ts REPORT_STATUSES, REPORT_OUTCOMES). */
const REPORT_STATUS: Record<string, [string, string]> = {
  received: ['已受理', 'Received'],
  verifying: ['待核查', 'Being verified'],
  closed: ['已办结', 'Concluded'],
};
const REPORT_OUTCOME: Record<string, [string, string]> = {
  unfounded: ['经核查不属实', 'Unfounded'],
  already_known: ['已在查处中', 'Already being handled'],
  confirmed: ['经核查属实，已立案查处', 'Confirmed; a case was opened'],
  not_pursued: ['不予查处', 'Not pursued'],
};

export function reportStatusName(status: string, lang: 'zh' | 'en'): string {
  return REPORT_STATUS[status]?.[lang === 'zh' ? 0 : 1] ?? humanise(status);
}
export function reportOutcomeName(outcome: string, lang: 'zh' | 'en'): string {
  return REPORT_OUTCOME[outcome]?.[lang === 'zh' ? 0 : 1] ?? humanise(outcome);
}

/** A table of [Chinese, English] names by code; an unknown code is shown humanised. */
const byCode = (table: Record<string, [string, string]>) => (code: string, lang: 'zh' | 'en') => table[code]?.[lang === 'zh' ? 0 : 1] ?? humanise(code);

/** 年度工作 (campaign): its stage (domain/campaign.ts CAMPAIGN_STAGES) and a milestone's status. */
export const campaignStageName = byCode({
  planning: ['工作部署', 'Planning'],
  survey: ['摸底排查', 'Survey'],
  exit: ['组织退出', 'Exit'],
  acceptance: ['检查验收', 'Acceptance'],
  reporting: ['总结报送', 'Reporting'],
  completed: ['已完成', 'Completed'],
});
export const milestoneStatusName = byCode({ pending: ['未到期', 'Pending'], completed: ['已完成', 'Completed'], overdue: ['已逾期', 'Overdue'] });

/** 报送 (reports upward): status (domain/campaign-reports.ts REPORT_STATUSES) and recipient. */
export const campaignReportStatusName = byCode({
  pending: ['待起草', 'Not drafted'],
  drafted: ['已起草', 'Drafted'],
  awaiting_approval: ['待政府审定', 'Awaiting approval'],
  sent: ['已报送', 'Sent'],
  received: ['已签收', 'Received'],
});

/** 督办事项 (supervision items): status (domain/supervision.ts SUPERVISION_STATUSES) and why opened. */
export const supervisionStatusName = byCode({
  open: ['已立项督办', 'Open'],
  summoned: ['已约谈，待整改', 'Summoned'],
  follow_up_reported: ['已报整改情况', 'Follow-up reported'],
  closed: ['已办结', 'Closed'],
});
export const supervisionReasonName = byCode({
  milestone_lapsed: ['节点逾期', 'Milestone lapsed'],
  pace: ['进展缓慢', 'Behind pace'],
  concealed_capacity: ['隐瞒产能', 'Concealed capacity'],
});

/** 举报核查方式 (domain/public-reports.ts RecordVerification.method) and 举报渠道. */
export const verificationMethodName = byCode({
  on_site: ['现场核查', 'On site'],
  documents: ['查阅资料', 'Documents'],
  remote_monitoring: ['在线监测', 'Remote monitoring'],
  interview: ['约谈询问', 'Interview'],
});
export const reportChannelName = byCode({
  online: ['网上举报', 'Online'],
  hotline_12345: ['12345热线', '12345 hotline'],
  hotline_ditiaogang: ['“地条钢”举报热线', 'Ditiaogang hotline'],
  provincial_platform: ['省级举报平台', 'Provincial platform'],
  petition: ['信访', 'Petition'],
  letter: ['来信', 'Letter'],
  media: ['媒体反映', 'Media'],
  other: ['其他', 'Other'],
});

/** A two-language table read by code; an unknown code shows as itself (humanised in English). */
const named = (table: Record<string, [string, string]>) => (code: string, lang: 'zh' | 'en') => table[code]?.[lang === 'zh' ? 0 : 1] ?? (lang === 'zh' ? code : humanise(code));

/** 封存措施 (domain/policy/schema.ts SealMeasure). */
export const SEAL_MEASURES: Record<'cut_water' | 'cut_power' | 'remove_power_units' | 'seal_main_equipment', [string, string]> = {
  cut_water: ['断水', 'Water cut off'],
  cut_power: ['断电', 'Power cut off'],
  remove_power_units: ['拆除动力装置', 'Power units removed'],
  seal_main_equipment: ['封存主体设备（生产线）', 'Main equipment sealed'],
};
export const sealMeasureName = named(SEAL_MEASURES);

/** Where joint punishment is pushed (domain/platforms.ts PLATFORMS). */
export const PLATFORM_NAMES: Record<string, [string, string]> = {
  credit_platform: ['全国信用信息共享平台（信用中国）', 'National credit platform (Credit China)'],
  credit_liaoning: ['信用辽宁', 'Credit Liaoning'],
  credit_guangdong: ['信用广东', 'Credit Guangdong'],
  credit_fuzhou: ['信用中国（福州）', 'Credit China (Fuzhou)'],
  production_licence: ['生产许可证', 'Production licence'],
  discharge_permit: ['排污许可证', 'Discharge permit'],
  safety_licence: ['安全生产许可证', 'Safety licence'],
  power_supply: ['电力供应企业', 'Power supply'],
  banks: ['金融机构', 'Banks'],
};
export const platformName = named(PLATFORM_NAMES);

/** 行政复议 / 诉讼: why a clock stops. */
export const CLOCK_GROUNDS: Record<'administrative_review' | 'litigation', [string, string]> = {
  administrative_review: ['行政复议', 'Administrative review'],
  litigation: ['行政诉讼', 'Litigation'],
};

/** The deadlines a case runs (workflows/messages.ts ClockKind). */
export const clockKindName = named({
  rectification: ['整改期限', 'Rectification deadline'],
  decision: ['审批/复查期限', 'Decision due'],
  dismantling: ['拆除期限', 'Dismantling deadline'],
});

/** A case's mails (activities/mail/templates.ts MAIL_KINDS) and the notices to authorities. */
export const mailKindName = named({
  rectification_notice: ['整改通知', 'Rectification notice'],
  exit_notice: ['退出通知', 'Exit notice'],
  rectification_reminder: ['整改期限提醒', 'Rectification reminder'],
  extension_decision: ['延期审批结果', 'Extension decision'],
  reinspection_result: ['复查结果', 'Re-inspection result'],
  compliant: ['整改达标通知', 'Compliant'],
  closure_proposed: ['提请关闭通知', 'Closure proposed'],
  closure_order: ['责令关闭通知', 'Closure order'],
  rectification_renewed: ['重新限期整改通知', 'Rectification renewed'],
  closed_with_reasons: ['不予关闭通知', 'Not closed, with reasons'],
  dismantling_reminder: ['拆除期限提醒', 'Dismantling reminder'],
  exit_accepted: ['退出验收通知', 'Exit accepted'],
  authority_notice: ['致主管部门通知（待办提醒/督办）', 'Notice to the authorities (reminder/escalation)'],
});

/** What lapsed when a case escalated (督办). */
export const escalationName = (what: string, lang: 'zh' | 'en') =>
  what.startsWith('decision:')
    ? `${decisionKindName(what.slice('decision:'.length), lang)}${lang === 'zh' ? '逾期' : ' overdue'}`
    : named({ rectification: ['整改期满未达标', 'Rectification period lapsed'], dismantling: ['逾期未拆除', 'Dismantling overdue'], revival: ['封存设备恢复生产（死灰复燃）', 'Sealed capacity revived'] })(what, lang);

/** A facility's kind (设备 / 生产线), as the enterprise's register names it. */
export const FACILITY_KINDS: Record<'equipment' | 'production_line', [string, string]> = {
  equipment: ['设备', 'Equipment'],
  production_line: ['生产线', 'Production line'],
};

/** Where the policy lets the department choose per case: production restricted or suspended while rectifying. */
export const CASE_MEASURES: Record<'restrict_production' | 'suspend_production', [string, string]> = {
  restrict_production: ['限制生产', 'Restrict production'],
  suspend_production: ['停产整治', 'Suspend production'],
};

/** 督办事项的操作 (api/routes/supervision.ts) and 问责方式 (domain/supervision.ts ACCOUNTABILITY_CATEGORIES). */
export const supervisionActionName = byCode({
  issueNotice: ['通报', 'Issue a notice'],
  recordSummons: ['登记约谈', 'Record a summons'],
  reportFollowUp: ['报告整改情况', 'Report the follow-up'],
  closeItem: ['办结', 'Close'],
});
export const accountabilityCategoryName = byCode({
  none: ['不予问责', 'None'],
  criticism: ['通报批评', 'Criticism'],
  admonishment: ['诫勉', 'Admonishment'],
  organisational: ['组织调整或组织处理', 'Organisational measures'],
  disciplinary: ['纪律处分或政务处分', 'Disciplinary sanction'],
  referred: ['移送纪检监察机关', 'Referred to the discipline inspection'],
});
