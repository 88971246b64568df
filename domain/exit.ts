import type { Policy } from './policy/schema';

/**
 * What an eliminated unit must do to exit (30号文 (八)), as the region's policy says it: the
 * sentences of the exit notice, and what a sealing must carry. Pure and workflow-safe.
 */

/** Where the announcement of sealed equipment is published (`technology.announcementOn`). */
export const ANNOUNCEMENT_SITES_ZH: Record<Policy['technology']['announcementOn'], string> = {
  provincial: '省级人民政府或省级主管部门网站', // 30号文 (八)
  city: '市级人民政府门户网站或市级主管部门网站', // LN 二(二)1; HN 二(二)5 省辖市、示范区、省直管县（市）政府门户网站
  government_or_department: '政府或部门网站', // FZ
};

/** The instructions of the exit notice, from the policy's technology rule. */
export function exitInstructionsZh(policy: Policy, deadline: string | null): string {
  const t = policy.technology;
  const by = deadline ? `于${deadline}前` : '立即';
  const seal = `断水、断电，拆除动力装置，封存主体设备（生产线）${t.publicCommitment ? '，向社会公开承诺不再恢复生产' : ''}，并在${ANNOUNCEMENT_SITES_ZH[t.announcementOn]}公告，限时拆除`;
  return t.dismantleImmediatelyWhenPossible
    ? `具备拆除条件的应${by}拆除；暂不具备拆除条件的，应${by}${seal}。`
    : `应${by}拆除，或${seal}。`;
}

/**
 * Why a sealing is not enough, or undefined: equipment the policy has dismantled and never merely
 * sealed (地条钢 工频炉/中频炉), or the public commitment it requires (企业向社会公开承诺不再恢复生产).
 */
export function sealingRefusal(policy: Policy, s: { commitmentRef?: string }, facilities: readonly { name: string; category?: string }[] = []): { code: string; message: string; messageZh: string; field: string } | undefined {
  const mustGo = facilities.filter((f) => f.category !== undefined && (policy.technology.mustDismantle as readonly string[]).includes(f.category));
  if (mustGo.length) {
    const names = mustGo.map((f) => f.name).join('、');
    return { code: 'must_dismantle', message: `${names} must be dismantled, not sealed (30号文 (八): 依法全面拆除生产建筑用钢的工频炉、中频炉)`, messageZh: `${names}须依法全面拆除，不得以封存代替`, field: 'measures' };
  }
  if (policy.technology.publicCommitment && !s.commitmentRef) {
    return { code: 'commitment_required', message: 'the enterprise’s public commitment not to resume production is required (30号文 (八))', messageZh: '须提供企业向社会公开承诺不再恢复生产的承诺', field: 'commitmentRef' };
  }
  return undefined;
}
