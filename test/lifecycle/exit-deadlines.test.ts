import { addCalendarMonths, legalDeadline } from '../../domain/deadlines';
import { eventually } from '../support/eventually';
import { actors, DAY, events, legalToday, openCase, rejection, saveHistory, send, until, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;
const sealing = (sealedOn: string) => ({
  sealedOn,
  measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'] as ('cut_water' | 'cut_power' | 'remove_power_units' | 'seal_main_equipment')[],
  commitmentRef: '企业承诺书 2026-01',
  announcementUrl: 'https://www.zhengzhou.gov.cn/notice/2026-001',
});

// 30号文 (八): 立即拆除 / 立即…封存, 限时拆除 — every exit has a deadline, reminded and escalated.
describe('every exit has a deadline', () => {
  it('a technology case must dismantle or seal within the policy’s time from the notice, and is escalated when it does not', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc, { dimension: 'technology' });
    const s = await until(c, (x) => x.stage === 'exit_in_progress');
    expect(s.deadline).toBe(legalDeadline({ from: served, months: 1 }, cal).date);
    await lc.env.sleep(40 * DAY);
    const late = await until(c, (x) => x.overdue, 'escalated');
    expect(late.stage).toBe('exit_in_progress');
    await eventually(async () => ((await events(lc, c.caseId)).some((e) => e.kind === 'escalation' && e.detail.what === 'dismantling') ? true : undefined), 10_000, 'the escalation recorded');
    // 未按期完成落后产能退出 (30号文 (十七)(十三)): the credit platform and the banks are told.
    await until(c, (x) => Object.keys(x.acknowledgements).length === 2, 'late-exit punishment acknowledged');
    const pushes = lc.platforms.calls.filter((x) => (x.body as { caseId?: string })?.caseId === c.caseId);
    expect(pushes.map((p) => p.platform).sort()).toEqual(['banks', 'credit_platform']);
    expect(pushes.every((p) => (p.body as { kind: string }).kind === 'joint_punishment_late_exit')).toBe(true);
    await saveHistory(lc, c, 'technology-exit-lapsed-punished');
  });

  it('sealing that cuts the power tells the power supplier', async () => {
    const c = await openCase(lc, { dimension: 'technology' });
    await until(c, (x) => x.stage === 'exit_in_progress');
    await send(c, 'recordSealing', { ...sealing(await legalToday(lc.env)), actor: actors.official });
    await until(c, (x) => x.acknowledgements.power_supply !== undefined, 'power supplier acknowledged');
    const pushes = lc.platforms.calls.filter((x) => (x.body as { caseId?: string })?.caseId === c.caseId);
    expect(pushes.map((p) => [p.platform, (p.body as { kind: string }).kind])).toEqual([['power_supply', 'power_cut']]);
  });

  it('Henan: sealed equipment is dismantled by the campaign’s 10月底 exit date (二(一)), not six months later', async () => {
    const c = await openCase(lc, { dimension: 'technology' });
    await until(c, (x) => x.stage === 'exit_in_progress');
    const sealedOn = await legalToday(lc.env);
    const sealed = await send(c, 'recordSealing', { ...sealing(sealedOn), actor: actors.official });
    const year = Number(sealedOn.slice(0, 4));
    const exitBy = `${year}-10-31` >= sealedOn ? `${year}-10-31` : `${year + 1}-10-31`;
    expect(sealed.stage).toBe('sealed');
    expect(sealed.deadline).toBe(legalDeadline({ from: exitBy, days: 0 }, cal).date);
    expect(sealed.deadline).not.toBe(legalDeadline({ from: sealedOn, months: 6 }, cal).date);
  });

  it('Guangdong coal power: extended operation is approved once by the department (二(五)1), and its end starts the exit deadline', async () => {
    const official = { id: 'gz-gx-03', name: '广州市工信局 吴执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '440100' };
    const c = await openCase(lc, { dimension: 'technology', industry: 'coal_power', regionCode: '440103', openedBy: official });
    await until(c, (x) => x.stage === 'exit_in_progress');
    const runOn = addCalendarMonths(await legalToday(lc.env), 2);
    const government = { id: 'gz-gov-03', name: '广州市人民政府', role: 'approving_government', jurisdiction: '440100' };
    expect((await rejection(send(c, 'approveExtendedOperation', { actor: government, until: runOn, approvalRef: 'x' }))).code).toBe('not_the_decider');
    expect((await send(c, 'approveExtendedOperation', { actor: official, until: runOn, approvalRef: '分类处置意见 2026-8' })).stage).toBe('extended_operation');
    await lc.env.sleep(70 * DAY);
    const back = await until(c, (x) => x.stage === 'exit_in_progress' && x.deadline !== null, 'back to exit with a deadline');
    expect(back.deadline).toBe(legalDeadline({ from: runOn, months: 1 }, cal).date);
    const again = await rejection(send(c, 'approveExtendedOperation', { actor: official, until: addCalendarMonths(runOn, 12), approvalRef: 'x' }));
    expect(again.code).toBe('extended_operation_used');
  });
});

describe('the exit notice and the sealing follow the region’s technology rule', () => {
  it('names the site the announcement goes on and the deadline, and a sealing needs the public commitment', async () => {
    const c = await openCase(lc, { dimension: 'technology' });
    const s = await until(c, (x) => x.stage === 'exit_in_progress');
    const notice = await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('淘汰退出通知'));
    expect(notice.text).toContain(`于${s.deadline}前拆除`);
    expect(notice.text).toContain('市级人民政府门户网站'); // Henan 二(二)5, not the national 省级 site
    const { commitmentRef: _, ...withoutCommitment } = sealing(await legalToday(lc.env));
    expect((await rejection(send(c, 'recordSealing', { ...withoutCommitment, actor: actors.official }))).code).toBe('commitment_required');
  });
});
