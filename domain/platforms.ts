/**
 * Where joint punishment (联合惩戒) is pushed, one separate activity call each (30号文 (十三)(十六)(十七)): the
 * credit-sharing platform / 信用中国, the production-licence, pollutant-discharge-permit and
 * safety-licence registries, the power supply company and the banks.
 */
export const PLATFORMS = ['credit_platform', 'production_licence', 'discharge_permit', 'safety_licence', 'power_supply', 'banks'] as const;
export type Platform = (typeof PLATFORMS)[number];
