import { z } from 'zod';

/** The five standards backward capacity is judged against (30号文 (二)). */
export const DIMENSIONS = ['energy', 'environment', 'quality', 'safety', 'technology'] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;

export const DIMENSION_NAMES_ZH: Record<Dimension, string> = {
  energy: '能耗',
  environment: '环保',
  quality: '质量',
  safety: '安全',
  technology: '技术',
};

/** Enforcing departments (执法部门). */
export const DEPARTMENTS = [
  'industry_it', // 工业和信息化
  'development_reform', // 发展和改革
  'energy_bureau', // 能源局
  'ecology_environment', // 生态环境
  'market_regulation', // 市场监督管理 (30号文's 质量技术监督, merged into it in 2018)
  'emergency_management', // 应急管理
  'coal_mine_safety', // 煤矿安全监察
  'coal_industry', // 煤炭行业管理 (30号文 (八)(十八)–(二十一): 煤炭主管部门)
  'natural_resources', // 自然资源 (GD 二(五): 自然资源厅)
] as const;
export const Department = z.enum(DEPARTMENTS);
export type Department = z.infer<typeof Department>;

export const DEPARTMENT_NAMES_ZH: Record<Department, string> = {
  industry_it: '工业和信息化部门',
  development_reform: '发展和改革部门',
  energy_bureau: '能源主管部门',
  ecology_environment: '生态环境部门',
  market_regulation: '市场监督管理部门',
  emergency_management: '应急管理部门',
  coal_mine_safety: '煤矿安全监察机构',
  coal_industry: '煤炭行业管理部门',
  natural_resources: '自然资源部门',
};

/**
 * Kinds of equipment a plan treats apart. 生产建筑用钢的工频炉、中频炉 (地条钢, 30号文 (八); FZ 二(五)
 * 用于熔化废钢的工频和中频感应炉; GD 二(五)2): never merely sealed, always dismantled.
 */
export const FacilityCategory = z.enum(['induction_furnace_steel']);
export type FacilityCategory = z.infer<typeof FacilityCategory>;

/**
 * Industries named by the national guidance and the regional plans (重点行业).
 * Regions choose their focus among them in policy data; `other` covers anything a region widens to.
 */
export const INDUSTRIES = [
  'steel', // 钢铁
  'coal', // 煤炭
  'coking', // 焦化
  'cement', // 水泥
  'petrochemical', // 石化
  'chemical', // 化工
  'electrolytic_aluminium', // 电解铝
  'flat_glass', // 平板玻璃
  'coal_power', // 煤电
  'nonferrous', // 有色金属
  'building_materials', // 建材
  'paper', // 造纸
  'dyeing', // 印染
  'foundry', // 铸造
  'lead_acid_battery', // 铅蓄电池
  'food', // 食品
  'tanning', // 制革
  'other', // 其他
] as const;
export const Industry = z.enum(INDUSTRIES);
export type Industry = z.infer<typeof Industry>;

export const INDUSTRY_NAMES_ZH: Record<Industry, string> = {
  steel: '钢铁',
  coal: '煤炭',
  coking: '焦化',
  cement: '水泥',
  petrochemical: '石化',
  chemical: '化工',
  electrolytic_aluminium: '电解铝',
  flat_glass: '平板玻璃',
  coal_power: '煤电',
  nonferrous: '有色金属',
  building_materials: '建材',
  paper: '造纸',
  dyeing: '印染',
  foundry: '铸造',
  lead_acid_battery: '铅蓄电池',
  food: '食品',
  tanning: '制革',
  other: '其他',
};
