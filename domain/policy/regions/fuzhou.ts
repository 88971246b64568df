import { deriveRegionalPolicy, shippedPolicy, withRegionalLists } from './derive';
import { NATIONAL } from './national';

/** Fuzhou city 2021 plan, fuzhou-2021.txt. */
const SEED = 'fuzhou-2021.txt';

export const FUZHOU = shippedPolicy({ id: 'fuzhou', version: 'fuzhou-2021.1', region: '3501' }, (key) => deriveRegionalPolicy(NATIONAL, {
  ...key,
  name: 'Fuzhou 2021 work plan',
  nameZh: '福州市2021年落后产能退出工作方案',
  sources: [
    { seed: SEED, clause: '二、主要任务及责任分工 (一)–(六)' },
    { seed: SEED, clause: '三、相关要求 (一)–(三)' },
  ],
  // 一: 钢铁、煤炭、煤电、平板玻璃、造纸、印染; 二(五): 铸造、印染、铅蓄电池、造纸、食品.
  focusIndustries: ['steel', 'coal', 'coal_power', 'flat_glass', 'paper', 'dyeing', 'foundry', 'lead_acid_battery', 'food'],
  dimensions: {
    // 二(一): 逾期未整改或经整改仍未达标的，提请属地政府依法关停退出 (各县（市）区工信部门).
    energy: { departments: ['industry_it'], closureBy: 'local_government' },
    // 二(四): 依法责令限期整改或停产停业整顿; 工信部门配合应急管理部门提请有批准权限的政府按程序予以关停退出.
    safety: { suspension: 'department_decides', closureBy: 'approving_government' },
    // 二(五) 责任单位: 各县（市）区工业和信息化主管部门、发展改革主管部门.
    technology: { departments: ['industry_it', 'development_reform'] },
  },
  // 二(五): 在政府或部门网站公告.
  // 三(二): 12月底前 完成淘汰退出 — sealed equipment is dismantled by the campaign's exit date.
  technology: { announcementOn: 'government_or_department', dismantleByCampaignExit: true },
  campaign: {
    planYear: 2021,
    plansFiledBy: null,
    surveyBy: { monthDay: '05-15' }, // 三(一) 5月中旬前 摸底排查，列入年度淘汰退出计划
    exitFrom: null,
    exitBy: { monthDay: '12-31' }, // 三(二) 12月底前 全部拆除
    acceptanceBy: { monthDay: '12-31' },
    enforcementAllYear: false,
    reports: [
      {
        id: 'county_summary_to_city',
        nameZh: '本年度本地区工作总结',
        by: { monthDay: '12-15' }, // 三(三) 12月中旬前
        from: '各县（市）、区人民政府',
        to: '市淘汰落后产能工作领导小组办公室',
        levels: ['county'],
        recipient: 'office_above',
      },
      {
        id: 'city_to_province',
        nameZh: '本年度全市淘汰落后产能工作总结（报市政府批准后）',
        by: { monthDay: '12-31' },
        from: '市淘汰落后产能工作领导小组办公室',
        to: '省工业行业化解落后产能工作办公室',
        levels: ['city'],
        recipient: 'office_above',
        approval: { seal: false }, // 报市政府批准后
      },
    ],
  },
  // 三(二): 市领导小组办公室 现场检查和考核验收，逐户出具书面验收意见（《验收意见表》），保存拆除前、中、后影像.
  // 二(六)3: 推送至市公共信用信息平台，并在"信用中国（福州）"网站等平台公布 (beside the national platform).
  jointPunishment: { creditPlatforms: ['credit_platform', 'credit_fuzhou'] },
  acceptance: { by: 'city_office', writtenOpinionPerEnterprise: true, form: '验收意见表', evidence: ['before', 'during', 'after'] },
  // The plan applies 30号文, whose (二十一) lists (黄牌 by 质量技术监督 and 安全生产监管 too, the over-standard
  // emitters) still bind Fuzhou; its own lists add to them.
  publicLists: withRegionalLists(NATIONAL.publicLists, [
    // 二(一): 能耗不达标应限期整改的企业名单，以及经整改仍不达标、已关闭的企业名单.
    { kind: 'yellow', publishedBy: ['industry_it'], shows: ['enterprise', 'region', 'industry', 'dimension', 'deadline'] },
    { kind: 'red', publishedBy: ['industry_it'], shows: ['enterprise', 'region', 'industry', 'dimension'] },
    // 二(二): 定期公布环保超标排放的污染严重企业名单.
    { kind: 'serious_over_standard', publishedBy: ['ecology_environment'], shows: ['enterprise', 'region', 'industry'] },
    // 三(二): 已完成退出的企业名单在政府门户网站予以公布.
    { kind: 'exit_announcement', publishedBy: ['industry_it'], shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity'] },
  ]),
  defaults: [
    { path: 'campaign.acceptanceBy', why: 'acceptance by the city office has no date; the city reports to the province by Dec 31' },
    // Interpretations: the plan gives a third of a month, exitflow needs a day.
    { path: 'campaign.surveyBy', why: '三(一) 「5月中旬前」 read as May 15' },
    { path: 'campaign.reports.0.by', why: '三(三) 「12月中旬前」 read as Dec 15' },
  ],
}));
