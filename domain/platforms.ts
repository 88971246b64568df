/**
 * Where joint punishment (联合惩戒) is pushed, one separate activity call each (30号文 (十三)(十六)(十七)): the
 * credit-sharing platform / 信用中国, the production-licence, pollutant-discharge-permit and
 * safety-licence registries, the power supply company and the banks.
 */
export const PLATFORMS = [
  'credit_platform', // 全国信用信息共享平台 / 信用中国 (30号文 (十七))
  'credit_liaoning', // 省信用数据交换平台 / 信用辽宁 (LN 三(八))
  'credit_guangdong', // 省公共信用信息平台 / 信用广东 (GD 四(二))
  'credit_fuzhou', // 市公共信用信息平台 / 信用中国（福州） (FZ 二(六)3)
  'production_licence', // 生产许可证 (30号文 (十六) 注销)
  'discharge_permit', // 排污许可证 (LN 三(八) 吊销)
  'safety_licence', // 安全生产许可证 (30号文 (七) 吊销相关证照)
  'power_supply', // 电力供应企业 (LN 三(八) 停止供电; 封存时断电)
  'banks', // 金融机构 (30号文 (十三) 严控新增授信，压缩退出存量贷款)
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Every closure pushed to these six before the platforms followed the policy (patch punishment-targets-by-policy). */
export const PLATFORMS_BEFORE_POLICY = ['credit_platform', 'production_licence', 'discharge_permit', 'safety_licence', 'power_supply', 'banks'] as const satisfies readonly Platform[];
