import { deriveRegionalPolicy, shippedPolicy } from './derive';
import { NATIONAL } from './national';

/**
 * Henan 2021 plan (豫淘汰落后办〔2021〕10号) as forwarded by Zhengzhou (郑淘汰落后办〔2021〕2号),
 * henan-zhengzhou-2021.txt. Covers the province; Zhengzhou's earlier internal report dates are
 * reports scoped to division 4101.
 */
const SEED = 'henan-zhengzhou-2021.txt';

export const HENAN = shippedPolicy({ id: 'henan', version: 'henan-2021.1', region: '41' }, (key) => deriveRegionalPolicy(NATIONAL, {
  ...key,
  name: 'Henan 2021 work plan, as applied by Zhengzhou',
  nameZh: '河南省2021年利用综合标准依法依规推动落后产能退出工作方案（郑州市转发）',
  sources: [
    { seed: SEED, clause: '豫淘汰落后办〔2021〕10号 二、主要工作 (二) 1–6' },
    { seed: SEED, clause: '豫淘汰落后办〔2021〕10号 四、组织实施 (二)(三)' },
    { seed: SEED, clause: '郑淘汰落后办〔2021〕2号' },
  ],
  // 一、目标任务: 钢铁、煤炭、焦化、水泥、石化化工、电解铝、平板玻璃.
  // 省直管县（市）: the ten counties and county-level cities Henan has administered directly since its
  // 2014 reform (巩义、兰考、汝州、滑县、长垣、邓州、永城、固始、鹿邑、新蔡); 济源 (419001) is a
  // 省直辖县级 unit and answers for itself by its code. The plan addresses them beside the cities
  // (「各省辖市人民政府、济源示范区管委会、各省直管县（市）人民政府」, 二(二)1 and passim).
  directlyAdministered: ['410181', '410225', '410482', '410526', '410783', '411381', '411481', '411525', '411628', '411729'],
  focusIndustries: ['steel', 'coal', 'coking', 'cement', 'petrochemical', 'chemical', 'electrolytic_aluminium', 'flat_glass'],
  dimensions: {
    // 二(二)1: 可向省辖市人民政府、示范区管委会或省直管县（市）人民政府提出不超过3个月的延期申请，
    // 并向省发展改革委、工业和信息化厅报备.
    energy: {
      departments: ['industry_it', 'development_reform', 'energy_bureau'],
      extension: {
        decider: 'city_government',
        filings: ['provincial_development_reform', 'provincial_industry_it'],
      },
    },
    // 二(二)2: 情节严重的，由县级及以上生态环境部门报经当地人民政府批准，责令停业、关闭.
    environment: { closureBy: 'local_government' },
    // 二(二)3: 6个月内未整改或经整改仍未达标的，由县级及以上人民政府依法关停.
    quality: { closureBy: 'county_or_above_government' },
    // 二(二)4: 依法责令限期停产停业整改 … 予以关闭，并吊销其相关证照 (as nationally; 予以关闭 names no body,
    // so the national default decides who closes: the approving government).
  },
  // 二(二)5: 在省辖市、示范区、省直管县（市）政府门户网站公告.
  // 二(一): 10月底前将主体设备淘汰拆除完毕 — sealed equipment too, by the campaign's exit date.
  technology: { announcementOn: 'city', dismantleByCampaignExit: true },
  campaign: {
    planYear: 2021,
    plansFiledBy: { monthDay: '06-30' }, // 四(三) 6月底前 … 研究制定本地、本系统2021年度淘汰落后产能工作方案
    surveyBy: { monthDay: '06-30' }, // 四(三) 6月底前 全面摸排并公示
    exitFrom: null,
    exitBy: { monthDay: '10-31' }, // 二(一) 10月底前将主体设备淘汰拆除完毕
    acceptanceBy: { monthDay: '10-30' }, // 二(二)6 10月30日前 现场检查和考核验收
    enforcementAllYear: false,
    reports: [
      {
        id: 'target_plan_to_province',
        nameZh: '年度淘汰落后产能目标计划',
        by: { monthDay: '06-30' },
        from: '各省辖市、济源示范区、省直管县（市）',
        to: '省淘汰落后产能工作领导小组办公室',
        levels: ['city'], // 省直管县（市） report as a city
        recipient: 'office_above',
      },
      {
        id: 'summary_to_province',
        nameZh: '依法依规推动落后产能退出年度工作总结',
        by: { monthDay: '10-31' },
        from: '各省辖市、济源示范区、省直管县（市）',
        to: '省淘汰落后产能工作领导小组办公室',
        levels: ['city'],
        recipient: 'office_above',
      },
      {
        id: 'zhengzhou_survey_to_city',
        nameZh: '摸排落后生产设备数量及产能情况',
        by: { monthDay: '06-27' },
        from: '各开发区管委会、各区县（市）人民政府、市领导小组成员单位',
        to: '郑州市淘汰落后产能工作领导小组办公室',
        withinDivision: '4101',
        levels: ['county'],
        recipient: 'office_above',
      },
      {
        id: 'zhengzhou_summary_to_city',
        nameZh: '2021年度关闭退出落后产能工作总结',
        by: { monthDay: '10-27' },
        from: '各开发区管委会、各区县（市）人民政府、市领导小组成员单位',
        to: '郑州市淘汰落后产能工作领导小组办公室',
        withinDivision: '4101',
        levels: ['county'],
        recipient: 'office_above',
      },
      // The plan applies 30号文, and adds no date of its own for (十九)'s reports: the departments'
      // closures by Dec 31 and the province's report to MIIT and the NEA by Jan 31 still fall due.
      ...NATIONAL.campaign.reports,
    ],
  },
  // 二(二)6: 各省辖市人民政府、济源示范区管委会、各省直管县（市）人民政府 … 现场检查和考核验收，
  // 出具书面验收意见，保存拆除前、中、后影像及相关文字资料.
  acceptance: { by: 'city_government', writtenOpinionPerEnterprise: true, form: null, evidence: ['before', 'during', 'after'] },
  publicLists: [
    // 四(三): 摸排结果在省辖市、示范区、省直管县（市）政府门户网站向社会公示.
    {
      kind: 'target_list',
      publishedBy: ['industry_it'],
      shows: ['enterprise', 'region', 'industry', 'equipment', 'capacity'],
    },
    ...NATIONAL.publicLists, // 四(二) 红黄牌、超标排放名单、年度退出公告
  ],
}));
