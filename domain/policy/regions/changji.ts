import { deriveRegionalPolicy, shippedPolicy } from './derive';
import { NATIONAL } from './national';

/**
 * Changji Hui Autonomous Prefecture (Xinjiang) forwarding 30号文 (昌州经信〔2017〕185号),
 * miit-2017-30-guidance-changji.txt. The prefecture adds its own year-end report; the rules are national.
 */
const SEED = 'miit-2017-30-guidance-changji.txt';

export const CHANGJI = shippedPolicy({ id: 'changji', version: 'changji-2017.1', region: '6523' }, (key) => deriveRegionalPolicy(NATIONAL, {
  ...key,
  name: 'Changji prefecture forwarding the 2017 national guidance',
  nameZh: '昌吉州转发《关于利用综合标准依法依规推动落后产能退出的指导意见》',
  sources: [
    { seed: SEED, clause: '昌州经信〔2017〕185号 二、2' },
    { seed: SEED, clause: '工信部联产业〔2017〕30号' },
  ],
  campaign: {
    reports: [
      // 185号 二、2: 每年11月30日前 本年度落后产能退出和依法关闭企业情况 报当地人民政府同意后盖章，上报州经信委.
      {
        id: 'counties_to_prefecture',
        nameZh: '本年度落后产能退出和依法关闭企业情况（报当地人民政府同意后盖章）',
        by: { monthDay: '11-30' },
        from: '各县（市）经信委、园区',
        to: '昌吉州经信委',
        levels: ['county'],
        recipient: 'office_above',
        approval: { seal: true }, // 报当地人民政府同意后盖章
      },
      ...NATIONAL.campaign.reports,
    ],
  },
}));
