import { deriveRegionalPolicy, shippedPolicy } from './derive';
import { NATIONAL } from './national';

/** Guangdong 2023 plan, guangdong-2023.txt. */
const SEED = 'guangdong-2023.txt';

export const GUANGDONG = shippedPolicy({ id: 'guangdong', version: 'guangdong-2023.1', region: '44' }, (key) => deriveRegionalPolicy(NATIONAL, {
  ...key,
  name: 'Guangdong 2023 work plan',
  nameZh: '广东省2023年推动落后产能退出工作方案',
  sources: [
    { seed: SEED, clause: '二、主要任务和责任分工 (一)–(五)' },
    { seed: SEED, clause: '三、保障措施 (四); 四、工作进度 (一)–(三)' },
  ],
  // 一: 钢铁、水泥、电解铝、平板玻璃（我省煤炭行业已整体退出，不再列入）.
  focusIndustries: ['steel', 'cement', 'electrolytic_aluminium', 'flat_glass'],
  dimensions: {
    energy: { departments: ['energy_bureau', 'industry_it', 'development_reform'] }, // 二(一) 省能源局、工业和信息化厅、发展改革委
    // Quality as nationally: the 6-month period is not restated, 30号文 (六) applies. 二(三)3's 情节严重的，
    // 吊销营业执照；构成犯罪的，移送公安机关 is a penalty, not closure, so a serious case does not go to
    // closure; 二(三)1's 注销生产许可证 is for 工艺装备落后、环保和能耗 closures (revokeLicences there).
    // 二(四)3: 依法提请属地政府予以关闭.
    safety: { closureBy: 'local_government' },
    // 二(五): 省工业和信息化厅、发展改革委、市场监管局、生态环境厅、自然资源厅、应急管理厅、能源局等有关单位.
    technology: {
      departments: ['industry_it', 'development_reform', 'market_regulation', 'ecology_environment', 'natural_resources', 'emergency_management', 'energy_bureau'],
    },
  },
  technology: {
    // 二(五)1: 按照延寿运行、"关而不拆"转应急备用和关停拆除等需要提出分类处置意见 (coal power).
    coalPowerOptions: ['extended_operation', 'emergency_backup', 'dismantle'],
  },
  campaign: {
    planYear: 2023,
    plansFiledBy: { monthDay: '04-30' }, // 四(一) 4月底前 各地级以上市年度工作计划
    surveyBy: { monthDay: '04-30' },
    exitFrom: null,
    exitBy: { monthDay: '12-31' },
    acceptanceBy: { monthDay: '12-31' },
    enforcementAllYear: true, // 四(二) 执法监管阶段（全年）
    reports: [
      {
        id: 'departments_half_year',
        nameZh: '依法关闭退出的企业、设备及产能情况（上半年）',
        by: { monthDay: '06-30' },
        from: '省发展改革委、生态环境厅、市场监管局、应急管理厅、能源局',
        to: '省工业和信息化厅',
        levels: ['province'],
        recipient: 'own_office',
      },
      {
        id: 'departments_year_end',
        nameZh: '依法关闭退出的企业、设备及产能情况（全年）',
        by: { monthDay: '12-31' },
        from: '省发展改革委、生态环境厅、市场监管局、应急管理厅、能源局',
        to: '省工业和信息化厅',
        levels: ['province'],
        recipient: 'own_office',
      },
      {
        id: 'local_summary_to_province',
        nameZh: '推动落后产能退出工作总结',
        by: { monthDay: '01-10', nextYear: true },
        from: '各地各有关单位',
        to: '省工业和信息化厅',
        levels: ['city'],
        recipient: 'office_above',
      },
      {
        id: 'province_to_miit',
        nameZh: '全省落后产能退出情况报经省人民政府同意后上报工业和信息化部等部委',
        by: { monthDay: '01-31', nextYear: true },
        from: '省工业和信息化厅',
        to: '工业和信息化部等部委',
        levels: ['province'],
        recipient: 'ministries',
        approval: { seal: false }, // 报经省人民政府同意后
      },
    ],
  },
  // 四(二): 推送至省公共信用信息平台，并在'信用广东'网站等公布 (beside the national platform, 30号文 (十七)).
  jointPunishment: { creditPlatforms: ['credit_platform', 'credit_guangdong'] },
  // 三(四): 生态环境主管部门公布对超标排放企业的处罚信息 (instead of the two over-standard lists).
  publicLists: [
    {
      kind: 'exit_announcement',
      publishedBy: ['industry_it'],
      // 二(五)1: a unit kept as emergency backup (关而不拆) has exited too, and is marked as such.
      shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity', 'exit_method'],
    },
    {
      kind: 'yellow',
      publishedBy: ['industry_it', 'development_reform', 'market_regulation', 'emergency_management', 'energy_bureau'],
      shows: ['enterprise', 'region', 'industry', 'dimension', 'deadline'],
    },
    {
      kind: 'red',
      publishedBy: ['industry_it', 'development_reform', 'market_regulation', 'emergency_management', 'energy_bureau'],
      shows: ['enterprise', 'region', 'industry', 'dimension'],
    },
    { kind: 'environment_penalties', publishedBy: ['ecology_environment'], shows: ['enterprise', 'region', 'industry'] },
  ],
  defaults: [
    { path: 'campaign.surveyBy', why: 'enforcement runs all year; the city plans due Apr 30 name the year\'s targets' },
    { path: 'campaign.acceptanceBy', why: '验收 is part of all-year enforcement (四(二)); no date given' },
    { path: 'campaign.exitBy', why: 'exit is part of all-year enforcement (四(二)); no date given, the year\'s end stands in' },
  ],
}));
