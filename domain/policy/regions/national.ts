import { definePolicy, shippedPolicy } from './derive';

/**
 * The national base: 工信部联产业〔2017〕30号 (30号文), as forwarded in miit-2017-30-guidance-changji.txt.
 * Every regional policy starts from this one. Entries in `defaults` are settings 30号文 does not fix.
 */

const SEED = 'miit-2017-30-guidance-changji.txt';
const NATIONAL_FOCUS = ['steel', 'coal', 'cement', 'electrolytic_aluminium', 'flat_glass'] as const; // 30号文 (三)(十九)

export const NATIONAL = shippedPolicy({ id: 'national', version: 'national-2017.1', region: '' }, (key) => definePolicy({
  ...key,
  name: 'National guidance on retiring backward capacity by comprehensive standards (MIIT et al. 2017 No. 30)',
  nameZh: '关于利用综合标准依法依规推动落后产能退出的指导意见（工信部联产业〔2017〕30号）',
  basedOn: null,
  sources: [{ seed: SEED, clause: '工信部联产业〔2017〕30号 二、主要任务 (四)–(九); 四、组织实施 (十九)–(二十一)' }],
  focusIndustries: [...NATIONAL_FOCUS],
  dimensions: {
    // 30号文 (四): 6个月内整改；可提出不超过3个月的延期申请 (one application); 逾期或仍未达标的依法关停退出.
    energy: {
      departments: ['industry_it', 'development_reform'],
      suspension: 'none',
      rectification: { setBy: 'policy', months: 6 },
      extension: {
        capMonths: 3,
        maxCount: 1,
        mustApplyBeforeDeadline: true, // 确需延长整改期限的: only a running period can be extended
        decider: 'department',
        filings: [],
        decisionWithin: { workingDays: 10 },
      },
      seriousGoesToClosure: false,
      closureBy: 'approving_government',
      // 30号文 (十六): 对因工艺装备落后、环保和能耗不达标被依法关停的企业，注销生产许可证.
      revokeLicences: true,
    },
    // 30号文 (五): 限制生产、停产整治; 情节严重的，报经有批准权的人民政府批准，责令停业、关闭.
    environment: {
      departments: ['ecology_environment'],
      suspension: 'department_decides',
      rectification: { setBy: 'department', months: 3 },
      extension: null,
      seriousGoesToClosure: true,
      // (五) names closure only 情节严重的: a lapsed period is escalated, not proposed for closure by itself.
      lapseGoesToClosure: false,
      closureBy: 'approving_government',
      revokeLicences: true, // 30号文 (十六): 环保…不达标被依法关停的企业，注销生产许可证
    },
    // 30号文 (六): 责令停产整改; 6个月内未整改或仍未达标的，报经有批准权的人民政府依法关停退出. No extension.
    quality: {
      departments: ['market_regulation'],
      suspension: 'immediate',
      rectification: { setBy: 'policy', months: 6 },
      extension: null,
      seriousGoesToClosure: false,
      closureBy: 'approving_government',
      revokeLicences: false,
    },
    // 30号文 (七): 立即停产停业整顿; 仍不具备安全生产条件的，予以关闭；吊销其相关证照.
    // 予以关闭 names no body; closure is a government's decision (see defaults), never the department's own.
    safety: {
      departments: ['emergency_management', 'coal_mine_safety'],
      suspension: 'immediate',
      rectification: { setBy: 'department', months: 3 },
      extension: null,
      seriousGoesToClosure: false,
      closureBy: 'approving_government',
      revokeLicences: true,
    },
    // 30号文 (八): no rectification; eliminated equipment is dismantled or sealed (see `technology`).
    // 工业和信息化、发展改革、能源、煤炭、质量技术监督主管部门牵头.
    technology: {
      departments: ['industry_it', 'development_reform', 'energy_bureau', 'coal_industry', 'market_regulation'],
      suspension: 'immediate',
      rectification: null,
      extension: null,
      seriousGoesToClosure: false,
      closureBy: null,
      revokeLicences: true, // 30号文 (十六): 因工艺装备落后…被依法关停的企业，注销生产许可证
    },
  },
  // 30号文 (八): 具备拆除条件的应立即拆除；暂不具备的，立即断水、断电，拆除动力装置，封存主体设备，
  // 企业公开承诺不再恢复生产，在省级人民政府或省级主管部门网站公告，并限时拆除.
  technology: {
    dismantleImmediatelyWhenPossible: true,
    // 严厉打击违法生产和销售"地条钢"行为，依法全面拆除生产建筑用钢的工频炉、中频炉等装备.
    mustDismantle: ['induction_furnace_steel'],
    sealMeasures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
    publicCommitment: true,
    announcementOn: 'provincial',
    dismantleWithinMonths: 6,
    sealedReinspectionEveryMonths: 3,
    coalPowerOptions: null,
  },
  officialDeadlines: {
    reinspectionAfterReport: { workingDays: 10 },
    closureDecision: { workingDays: 20 },
    reportVerification: { workingDays: 15 },
  },
  reminders: {
    rectification: [30, 7, 1],
    extensionDecision: [3, 1],
    reinspection: [3, 1],
    closureDecision: [5, 1],
    dismantling: [30, 7, 1],
    campaign: [7, 1],
  },
  // 30号文 (二十): 对进展较慢的地区采取通报、约谈等方式进行督办 — the ladder itself is exitflow's.
  escalation: [
    { level: 'county', afterOverdue: { workingDays: 0 }, notify: ['official'] },
    { level: 'city', afterOverdue: { workingDays: 5 }, notify: ['coordination_office'] },
    { level: 'province', afterOverdue: { workingDays: 10 }, notify: ['coordination_office', 'government'] },
  ],
  // 30号文 (十七): 纳入全国信用信息共享平台，在"信用中国"网站公布; (十三): 对未按期退出落后产能的企业，严控新增授信.
  jointPunishment: { creditPlatforms: ['credit_platform'], onClosure: [], onLateExit: ['banks'] },
  // 30号文 (十九): 每年3月底前 工作方案; 12月底前 各部门函告关闭退出情况; 次年1月底前 报工信部、国家能源局.
  campaign: {
    planYear: 2017,
    plansFiledBy: { monthDay: '03-31' },
    surveyBy: { monthDay: '03-31' },
    exitFrom: null,
    exitBy: { monthDay: '12-31' },
    acceptanceBy: { monthDay: '12-31' },
    enforcementAllYear: true, // 严格常态化执法 (三)
    laggingBelowPaceShare: 0.8,
    reports: [
      {
        id: 'closures_to_industry_it',
        nameZh: '依法关闭退出的企业、设备及产能情况函告同级工业和信息化、能源、煤炭主管部门',
        by: { monthDay: '12-31' },
        from: '发展改革、环境保护、质量技术监督、安全生产监管主管部门',
        to: '同级工业和信息化、能源、煤炭主管部门',
        levels: ['province', 'city', 'county'],
        recipient: 'own_office',
      },
      {
        id: 'province_to_miit',
        nameZh: '上年度落后产能退出情况报经省级人民政府同意后报工业和信息化部、国家能源局',
        by: { monthDay: '01-31', nextYear: true },
        from: '省级工业和信息化、能源、煤炭主管部门',
        to: '工业和信息化部、国家能源局',
        // (十九): 抄报国家发展改革委、财政部、人力资源社会保障部、国土资源部、环境保护部、农业部、商务部、人民银行、
        // 国务院国资委、税务总局、工商总局、质检总局、安全监管总局、银监会.
        copyTo: ['国家发展改革委', '财政部', '人力资源社会保障部', '国土资源部', '环境保护部', '农业部', '商务部', '人民银行', '国务院国资委', '税务总局', '工商总局', '质检总局', '安全监管总局', '银监会'],
        levels: ['province'],
        recipient: 'ministries',
        approval: { seal: false }, // 报经省级人民政府同意后
      },
    ],
  },
  acceptance: { by: 'city_or_county_office', writtenOpinionPerEnterprise: true, form: null, evidence: ['before', 'during', 'after'] },
  // 30号文 (二十一) 强化信息公开.
  publicLists: [
    {
      kind: 'exit_announcement', // 工业和信息化、能源、煤炭主管部门要在网站公告年度落后产能退出企业名单
      publishedBy: ['industry_it', 'energy_bureau', 'coal_industry'],
      shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity', 'exit_method'], // (九): 拆除 or 封存, both exits
    },
    {
      kind: 'yellow', // 工业和信息化、发展改革、质量技术监督、安全生产监管主管部门 … 「黄牌」名单
      publishedBy: ['industry_it', 'development_reform', 'market_regulation', 'emergency_management'],
      shows: ['enterprise', 'region', 'industry', 'dimension', 'deadline'],
    },
    {
      kind: 'red',
      publishedBy: ['industry_it', 'development_reform', 'market_regulation', 'emergency_management'],
      shows: ['enterprise', 'region', 'industry', 'dimension'],
    },
    { kind: 'over_standard', publishedBy: ['ecology_environment'], shows: ['enterprise', 'region', 'industry'] },
    { kind: 'serious_over_standard', publishedBy: ['ecology_environment'], shows: ['enterprise', 'region', 'industry'] },
  ],
  defaults: [
    { path: 'dimensions.energy.extension.decider', why: '30号文 (四) does not say who grants the extension; the enforcing department that set the period' },
    { path: 'dimensions.energy.extension.decisionWithin', why: 'seeds silent; 10 working days' },
    { path: 'dimensions.energy.closureBy', why: '30号文 (四) says only 依法关停退出; the approving government, as the energy-conservation law and Liaoning spell out' },
    { path: 'dimensions.environment.rectification', why: '限制生产、停产整治 periods are set per case; seeds give none; 3 months as the default' },
    { path: 'dimensions.safety.rectification', why: '停产停业整顿 periods are set per case; seeds give none; 3 months as the default' },
    {
      path: 'dimensions.safety.closureBy',
      why: '30号文 (七) says only 予以关闭, naming no body; the government with the power to approve, as for the other standards (四)–(六) and as Liaoning 二(二)5, Guangdong 二(四)3 and Fuzhou 二(四) name a government',
    },
    { path: 'dimensions.energy.extension.maxCount', why: '「可提出不超过3个月的延期申请」 (30号文 (四)) read as one application' },
    { path: 'dimensions.energy.extension.mustApplyBeforeDeadline', why: '「确需延长整改期限的」 read as: only a period still running can be extended' },
    { path: 'technology.exitWithinMonths', why: '30号文 (八) 立即拆除 / 立即…封存 without a number; one month to dismantle or seal' },
    { path: 'technology.dismantleWithinMonths', why: '限时拆除 without a number; 6 months (regional campaigns set earlier dates)' },
    { path: 'technology.sealedReinspectionEveryMonths', why: '定期复查 without an interval; quarterly' },
    { path: 'officialDeadlines', why: 'seeds set no time for re-inspection, closure decisions or report verification' },
    { path: 'reminders', why: 'seeds silent; reminder offsets chosen by exitflow' },
    { path: 'escalation', why: '30号文 (二十) 通报、约谈 without steps; ladder county → city → province chosen by exitflow' },
    { path: 'campaign.surveyBy', why: 'no national survey date; the plan due by end of March fixes the year\'s targets' },
    { path: 'campaign.acceptanceBy', why: 'no national acceptance date; closures count in the year they happen' },
    {
      path: 'campaign.laggingBelowPaceShare',
      why: '30号文 (二十) names 进展较慢的地区 without a measure, and no seed sets one; a sub-division lags below 80% of the share the elapsed exit window expects',
    },
    {
      path: 'campaign.exitBy',
      why: '30号文 sets no exit date; its 12月底前 (十九) is the date the departments report the year\'s closures, so the year\'s end stands in',
    },
    { path: 'acceptance', why: '30号文 has no acceptance step; the Henan/Fuzhou practice (written opinion, photos before/during/after)' },
  ],
}));
