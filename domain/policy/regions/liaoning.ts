import { deriveRegionalPolicy, shippedPolicy, withRegionalLists } from './derive';
import { NATIONAL } from './national';

/** Liaoning 2021 work plan (consultation draft, 征求意见稿), liaoning-2021-draft.txt. */
const SEED = 'liaoning-2021-draft.txt';

export const LIAONING = shippedPolicy({ id: 'liaoning', version: 'liaoning-2021.1', region: '21' }, (key) => deriveRegionalPolicy(NATIONAL, {
  ...key,
  name: 'Liaoning 2021 work plan (draft)',
  nameZh: '辽宁省2021年利用综合标准依法依规推动落后产能退出工作方案（征求意见稿）',
  sources: [
    { seed: SEED, clause: '二、落后产能退出工作步骤 (一)–(三)' },
    { seed: SEED, clause: '四、有关要求 (二)(三)(七)' },
  ],
  dimensions: {
    // 二(二)2: 报经有批准权的人民政府按照国务院规定的权限责令停业整顿或者关闭.
    energy: { closureBy: 'approving_government' },
    // 二(二)5: 经停产停业整顿仍不具备安全生产条件的，提请当地人民政府予以关闭.
    safety: { closureBy: 'local_government' },
    // 二(二)1: 省工信厅、省发改委、各市人民政府负责 (拆除、封存).
    technology: { departments: ['industry_it', 'development_reform'] },
  },
  // 二(二)1: 在市级人民政府门户网站或市级主管部门网站公告; 对"十三五"以来封存的落后产能定期复查.
  // 二(二) 组织退出阶段 6月1日–9月30日: sealed equipment is dismantled by the end of the exit window.
  technology: { announcementOn: 'city', dismantleByCampaignExit: true },
  campaign: {
    planYear: 2021,
    plansFiledBy: { monthDay: '04-15' }, // 四(七) 实施方案、联系人函告省协调小组办公室
    surveyBy: { monthDay: '05-31' }, // 二(一) 摸底排查阶段; 市政府网站公告企业名单、设备、产能
    exitFrom: { monthDay: '06-01' }, // 二(二) 组织退出阶段 6月1日–9月30日
    exitBy: { monthDay: '09-30' },
    acceptanceBy: { monthDay: '11-30' }, // 二(三) 验收总结阶段 10月1日–11月30日
    enforcementAllYear: false,
    reports: [
      {
        id: 'survey_to_province',
        nameZh: '摸底排查结果、违法违规企业处理情况和拟淘汰企业名单函告省协调小组办公室',
        by: { monthDay: '05-31' },
        from: '省协调小组各成员单位、各市',
        to: '省淘汰落后产能工作协调小组办公室',
        levels: ['city'],
        recipient: 'office_above',
      },
      {
        id: 'members_summary_to_province',
        nameZh: '年度工作总结、已退出企业名单、设备清单、产能情况',
        by: { monthDay: '11-30' },
        from: '省协调小组各成员单位',
        to: '省淘汰落后产能工作协调小组办公室',
        levels: ['province'],
        recipient: 'own_office',
      },
      {
        id: 'cities_summary_to_province',
        nameZh: '本地区工作总结、已退出企业名单、设备清单、产能情况（报市政府同意后）',
        by: { monthDay: '11-30' },
        from: '各市工信、发改部门',
        to: '省工信厅、发改委',
        // 四(七): 抄报省财政厅、人社厅、自然资源厅、生态环境厅、市场监管局、应急管理厅、农委、商务厅、人民银行沈阳分行、
        // 国资委、税务局、辽宁银保监局、国家能源局东北监管局、省电力公司.
        copyTo: ['省财政厅', '省人社厅', '省自然资源厅', '省生态环境厅', '省市场监管局', '省应急管理厅', '省农委', '省商务厅', '人民银行沈阳分行', '省国资委', '省税务局', '辽宁银保监局', '国家能源局东北监管局', '省电力公司'],
        levels: ['city'],
        recipient: 'office_above',
        approval: { seal: false }, // 报市政府同意后
      },
      {
        id: 'province_to_miit',
        nameZh: '年度落后产能退出情况报经省人民政府同意后报工业和信息化部、国家能源局',
        by: { monthDay: '01-31', nextYear: true },
        from: '省工信厅、发改委',
        to: '工业和信息化部、国家能源局',
        // 四(七): 抄报国家发展改革委、财政部、人力资源社会保障部、自然资源部、生态环境部、农业农村部、商务部、人民银行、
        // 国务院国资委、税务总局、市场监管总局、应急管理厅、银保监会 (应急管理厅 as the draft writes it).
        copyTo: ['国家发展改革委', '财政部', '人力资源社会保障部', '自然资源部', '生态环境部', '农业农村部', '商务部', '人民银行', '国务院国资委', '税务总局', '市场监管总局', '应急管理厅', '银保监会'],
        levels: ['province'],
        recipient: 'ministries',
        approval: { seal: false }, // 报经省人民政府同意后
      },
    ],
  },
  // 三(八): 生态环境保护部门要吊销其排污许可证；电力供应企业要依法停止供电 … 纳入省信用数据交换平台和
  // 全国信用信息共享平台，并在"信用辽宁"和"信用中国"网站等平台公布.
  jointPunishment: { creditPlatforms: ['credit_platform', 'credit_liaoning'], onClosure: ['discharge_permit', 'power_supply'] },
  // 二(三): 省工信厅、发改委、生态环境厅、应急厅、市场监管局等部门按职责分工统计或检查验收.
  acceptance: { by: 'provincial_departments', writtenOpinionPerEnterprise: false, form: null, evidence: [] },
  publicLists: withRegionalLists(NATIONAL.publicLists, [
    // 二(一)1: 企业名单及落后设备清单、产能 published on the city (and province) website.
    {
      kind: 'target_list',
      publishedBy: ['industry_it', 'development_reform'],
      shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity'],
    },
    // 二(一)2/4/5 and 四(二): 工信、发改、市场监管、应急管理 publish the 黄牌 list; 二(一)5 adds 辽宁煤监局.
    {
      kind: 'yellow',
      publishedBy: ['industry_it', 'development_reform', 'market_regulation', 'emergency_management', 'coal_mine_safety'],
      shows: ['enterprise', 'region', 'industry', 'dimension', 'deadline'],
    },
    // 二(三): 省工信厅、省发改委、省生态环境厅、省应急厅、省市场监管局 公告已关停退出企业名单和设备清单、产能.
    {
      kind: 'exit_announcement',
      publishedBy: ['industry_it', 'development_reform', 'ecology_environment', 'emergency_management', 'market_regulation'],
      shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity'],
    },
  ]),
  defaults: [
    {
      path: 'campaign.reports.2.by',
      why: '四(七) gives the cities\' summary no date of its own; read as the 11月底前 of the members\' summary in the same paragraph',
    },
  ],
}));
