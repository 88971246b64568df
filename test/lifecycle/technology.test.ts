import { legalDeadline } from '../../domain/deadlines';
import { actors, caseRow, DAY, decisions, events, evidence, legalToday, mailsFor, openCase, rejection, send, state, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;
const sealing = (sealedOn: string) => ({
  actor: actors.official,
  sealedOn,
  measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'] as ('cut_water' | 'cut_power' | 'remove_power_units' | 'seal_main_equipment')[],
  commitmentRef: 'doc://commitment/不再恢复生产承诺书',
  announcementUrl: 'https://www.zhengzhou.gov.cn/notice/2026-001',
});

/** Officials of Changji (昌吉州, 652300), which follows the national guidance. */
const changji = {
  official: { id: 'cj-gx-01', name: '昌吉州工信局 马执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '652300' },
  office: { id: 'cj-tt-01', name: '昌吉州淘汰落后产能办公室', role: 'coordination_office', jurisdiction: '652300' },
};

describe('technology cases: eliminated equipment exits at once (30号文 (八))', () => {
  it('dismantled at once: acceptance with evidence before, during and after, then exited', async () => {
    const c = await openCase(lc, { dimension: 'technology' });
    const s = await until(c, (x) => x.stage === 'exit_in_progress');
    // 立即拆除 or 立即…封存: within the policy's time from the notice (technology.exitWithinMonths).
    expect(s).toMatchObject({ rectificationDeadline: null, deadline: legalDeadline({ from: c.input.noticeServedOn, months: 1 }, cal).date });
    await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('淘汰退出通知'));
    const today = await legalToday(lc.env);
    const dismantled = await send(c, 'recordDismantling', { actor: actors.official, dismantledOn: today, evidence: [evidence('before'), evidence('during')] });
    expect(dismantled.stage).toBe('acceptance');
    // Henan 二(二)6: the city government (省辖市人民政府, 410100) accepts, not the coordination office.
    expect((await decisions(lc, c.caseId)).find((d) => d.kind === 'acceptance')).toMatchObject({ assignee_role: 'approving_government', jurisdiction: '410100', status: 'open' });
    const byOffice = await rejection(send(c, 'recordAcceptance', { actor: actors.office, opinion: '现场核查：主体设备已拆除。', evidence: [evidence('before'), evidence('during'), evidence('after')] }));
    expect(byOffice.code).toBe('not_the_decider');
    const exited = await send(c, 'recordAcceptance', { actor: actors.government, opinion: '现场核查：主体设备已拆除。', evidence: [evidence('before'), evidence('during'), evidence('after')] });
    expect(exited.stage).toBe('exited');
    const { rows } = await lc.db.query(`SELECT capacity::float AS capacity FROM retired_capacity WHERE case_id = $1`, [c.caseId]);
    expect(rows).toEqual([{ capacity: 75 }]);
  });

  it('sealed with the four measures: re-inspected every 3 months, escalated when dismantling is late or the capacity revives, continued as new, then dismantled and accepted', async () => {
    // Changji follows the national 6-month limit (Henan's plan dismantles by its campaign date, test/lifecycle/exit-deadlines.test.ts).
    const c = await openCase(lc, { dimension: 'technology', regionCode: '652301', openedBy: changji.official });
    await until(c, (x) => x.stage === 'exit_in_progress');
    const sealedOn = await legalToday(lc.env);
    const incomplete = await rejection(send(c, 'recordSealing', { ...sealing(sealedOn), actor: changji.official, measures: ['cut_water', 'cut_power', 'seal_main_equipment'] }));
    expect(incomplete).toMatchObject({ code: 'seal_measures_incomplete', field: 'measures' });
    const sealed = await send(c, 'recordSealing', { ...sealing(sealedOn), actor: changji.official });
    const dismantleBy = legalDeadline({ from: sealedOn, months: 6 }, cal).date;
    expect(sealed).toMatchObject({ stage: 'sealed', deadline: dismantleBy });
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'sealed', deadline: dismantleBy });
    const firstRun = (await c.handle.describe()).runId;
    expect((await rejection(send(c, 'recordSealedReinspection', { actor: changji.official, intact: true }))).code).toBe('no_reinspection_due');

    // Round 1 (3 months): intact.
    await lc.env.sleep(95 * DAY);
    let s = await until(c, (x) => x.pendingDecisions.some((d) => d.kind === 'sealed_reinspection'), 'round 1 due');
    expect(s.pendingDecisions[0]!.dueDate).toBe(legalDeadline({ from: legalDeadline({ from: sealedOn, months: 3 }, cal).date, workingDays: 10 }, cal).date);
    // The department at the enterprise's locality (652301) re-inspects; the prefecture's officials cover it.
    expect(s.pendingDecisions[0]).toMatchObject({ kind: 'sealed_reinspection', assigneeRole: 'enforcement_official', assigneeDepartment: 'industry_it', jurisdiction: '652301' });
    await send(c, 'recordSealedReinspection', { actor: changji.official, intact: true });

    // Round 2 (6 months): the dismantling deadline lapses too, and the capacity is found producing again.
    await lc.env.sleep(92 * DAY);
    s = await until(c, (x) => x.overdue && x.pendingDecisions.some((d) => d.kind === 'sealed_reinspection'), 'round 2 due, dismantling overdue');
    // Three reminders of the sealed equipment's limit (30, 7 and 1 days before it).
    expect(mailsFor(lc, c.caseId, 'dismantling_reminder').filter((m) => m.subject.includes(dismantleBy)).length).toBe(3);
    await lc.sink.waitFor((m) => m.subject.includes(`限时拆除期限已于${dismantleBy}届满`) && m.subject.includes(c.input.caseNumber));
    await send(c, 'recordSealedReinspection', { actor: changji.official, intact: false, findings: '发现主体设备通电试生产' });
    await lc.sink.waitFor((m) => m.subject.includes('封存设备复查（发现恢复生产）') && m.subject.includes(c.input.caseNumber));

    // Round 3 (9 months): the run ends and continues as new, carrying the state.
    await lc.env.sleep(92 * DAY);
    await until(c, (x) => x.pendingDecisions.some((d) => d.kind === 'sealed_reinspection'), 'round 3 due');
    await send(c, 'recordSealedReinspection', { actor: changji.official, intact: true });
    const secondRun = await (async () => {
      for (let i = 0; i < 100; i++) {
        const d = await c.handle.describe();
        if (d.runId !== firstRun) return d.runId;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the case did not continue as new');
    })();
    expect(secondRun).not.toBe(firstRun);
    s = await state(c);
    expect(s).toMatchObject({ stage: 'sealed', overdue: true, sealedReinspections: [{ intact: true }, { intact: false }, { intact: true }] });

    // Dismantled at last: acceptance, exited.
    const dismantledOn = await legalToday(lc.env);
    expect((await send(c, 'recordDismantling', { actor: actors.enterprise(c.input.creditCode), dismantledOn, evidence: [evidence('during')] })).stage).toBe('acceptance');
    const done = await send(c, 'recordAcceptance', { actor: changji.office, opinion: '已拆除，同意验收。', evidence: [evidence('before'), evidence('during'), evidence('after')] });
    expect(done).toMatchObject({ stage: 'exited', overdue: false });
    expect((await decisions(lc, c.caseId)).map((d) => [d.kind, d.outcome])).toEqual([
      ['sealed_reinspection', 'intact'], ['sealed_reinspection', 'revived'], ['sealed_reinspection', 'intact'], ['acceptance', 'accepted'],
    ]);
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual(['exit_in_progress', 'sealed', 'acceptance', 'exited']);
    await saveHistory(lc, c, 'technology-sealed-continued-exited');
  });

  it('Guangdong coal power kept as emergency backup (关而不拆): sealed without a dismantling deadline, still re-inspected; elsewhere the option is refused', async () => {
    const henan = await openCase(lc, { dimension: 'technology', industry: 'coal_power' });
    await until(henan, (x) => x.stage === 'exit_in_progress');
    const refused = await rejection(send(henan, 'recordSealing', { ...sealing(await legalToday(lc.env)), coalPowerOption: 'emergency_backup' }));
    expect(refused.code).toBe('coal_power_option_not_applicable');

    const guangdongOfficial = { id: 'gz-gx-01', name: '广州市工信局 黄执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '440100' };
    const c = await openCase(lc, { dimension: 'technology', industry: 'coal_power', regionCode: '440103', openedBy: guangdongOfficial });
    expect(c.input.policy.id).toBe('guangdong');
    await until(c, (x) => x.stage === 'exit_in_progress');
    const sealedOn = await legalToday(lc.env);
    const sealed = await send(c, 'recordSealing', { ...sealing(sealedOn), actor: guangdongOfficial, coalPowerOption: 'emergency_backup' });
    expect(sealed).toMatchObject({ stage: 'sealed', deadline: null });
    await lc.env.sleep(200 * DAY);
    const s = await until(c, (x) => x.pendingDecisions.some((d) => d.kind === 'sealed_reinspection'), 'round 1 due');
    expect(s).toMatchObject({ stage: 'sealed', overdue: true, sealing: { coalPowerOption: 'emergency_backup' } }); // round 1 went unrecorded: escalated
    expect(mailsFor(lc, c.caseId, 'dismantling_reminder')).toEqual([]);
    expect((await events(lc, c.caseId)).some((e) => e.kind === 'escalation' && e.detail.what === 'dismantling')).toBe(false);
  });

  it('Guangdong coal power classed for extended operation (延寿运行) runs on until the approved date, then must exit', async () => {
    const guangdongOfficial = { id: 'gz-gx-02', name: '广州市工信局 周执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '440100' };
    const henan = await openCase(lc, { dimension: 'technology', industry: 'coal_power' });
    await until(henan, (x) => x.stage === 'exit_in_progress');
    const elsewhere = await rejection(send(henan, 'approveExtendedOperation', { actor: actors.government, until: '2030-12-31', approvalRef: 'x' }));
    expect(elsewhere.code).toBe('coal_power_option_not_applicable');

    const c = await openCase(lc, { dimension: 'technology', industry: 'coal_power', regionCode: '440103', openedBy: guangdongOfficial });
    await until(c, (x) => x.stage === 'exit_in_progress');
    const today = await legalToday(lc.env);
    // GD 二(五)1: the department's 分类处置意见 classes the unit for extended operation.
    expect((await rejection(send(c, 'approveExtendedOperation', { actor: guangdongOfficial, until: today, approvalRef: 'x' }))).code).toBe('until_not_in_future');
    const runOn = legalDeadline({ from: today, days: 60 }, cal).date;
    const approved = await send(c, 'approveExtendedOperation', { actor: guangdongOfficial, until: runOn, approvalRef: '粤发改能源〔2026〕8号 分类处置意见' });
    expect(approved).toMatchObject({ stage: 'extended_operation', deadline: runOn });

    // Past the approved date the unit must exit again; then it is dismantled and accepted as usual.
    await lc.env.sleep(65 * DAY);
    await until(c, (x) => x.stage === 'exit_in_progress', 'back to exit after extended operation');
    const dismantledOn = await legalToday(lc.env);
    expect((await send(c, 'recordDismantling', { actor: guangdongOfficial, dismantledOn, evidence: [evidence('during')] })).stage).toBe('acceptance');
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual(['exit_in_progress', 'extended_operation', 'exit_in_progress', 'acceptance']);
  });
});
