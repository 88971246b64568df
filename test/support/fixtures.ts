import { randomInt } from 'node:crypto';
import { creditCodeCheckCharacter } from '../../domain/credit-code';
import type { Principal } from '../../domain/roles';
import type { RegisterEnterprise } from '../../domain/enterprise';
import type { OpenCase } from '../../domain/case';
import { mintToken } from '../../api/auth';
import { DEVELOPMENT_JWT_SECRET } from '../../config';
import { toLegalDate } from '../../domain/deadlines';

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A fresh, valid unified social credit code registered in `region` (tests share one database). */
export function randomCreditCode(region = '410100'): string {
  let org = '';
  for (let i = 0; i < 9; i++) org += ORG_CHARS.charAt(randomInt(ORG_CHARS.length));
  const first17 = `91${region}${org}`;
  return first17 + creditCodeCheckCharacter(first17);
}

export const TOKENS = { secret: DEVELOPMENT_JWT_SECRET, issuer: 'exitflow', audience: 'exitflow-api' };

export const officials = {
  zhengzhouIndustry: { sub: 'zz-gx-01', name: '郑州市工信局 李执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' },
  fuzhouIndustry: { sub: 'fz-gx-01', name: '福州市工信局 陈执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '350100' },
  zhengzhouEcology: { sub: 'zz-sthj-01', name: '郑州市生态环境局 张执法', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: '410100' },
  operator: { sub: 'ops-01', name: '运维 值班', role: 'operator' },
} satisfies Record<string, Principal>;

/** The coordination office (淘汰落后产能工作协调小组办公室) of a division. */
export const office = (jurisdiction: string, sub = `office-${jurisdiction}`): Principal => ({ sub, name: `${jurisdiction} 淘汰落后产能办公室`, role: 'coordination_office', jurisdiction });

export async function bearer(p: Principal): Promise<string> {
  return `Bearer ${await mintToken(p, TOKENS)}`;
}

export function enterpriseBody(overrides: Partial<RegisterEnterprise> = {}): RegisterEnterprise {
  const region = overrides.regionCode ?? '410102';
  return {
    creditCode: randomCreditCode(region.slice(0, 4) + '00'),
    name: '郑州市中原钢铁有限公司',
    regionCode: region,
    industry: 'steel',
    address: '河南省郑州市中原区建设西路1号',
    contact: { name: '王经理', email: 'compliance@zhongyuan-steel.example.cn', phone: '0371-12345678' },
    facilities: [
      { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' },
      { id: 'CV-1', name: '1号转炉 30t', kind: 'equipment', capacity: 35, unit: '万吨/年' },
    ],
    ...overrides,
  };
}

export function openCaseBody(creditCode: string, overrides: Partial<OpenCase> = {}): OpenCase {
  return {
    creditCode,
    caseNumber: `ZZGX-2026-${randomInt(1000, 9999)}`,
    dimension: 'energy',
    department: 'industry_it',
    legalBasis: '《中华人民共和国节约能源法》; 工信部联产业〔2017〕30号',
    // Served today (China Standard Time), so the case is inside its rectification period.
    noticeServedOn: toLegalDate(new Date().toISOString()),
    serious: false,
    facilityIds: ['BF-2'],
    ...overrides,
  };
}
