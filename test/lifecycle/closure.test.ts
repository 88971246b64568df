import { legalDeadline, reminderDates } from '../../domain/deadlines';
import { SA } from '../../workflows/search-attributes';
import { actors, caseRow, DAY, decisions, events, evidence, legalToday, mailsFor, openCase, rejection, send, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

describe('a lapsed energy period: escalation, closure ordered, joint punishment, exit and acceptance', () => {
  it('reminds before the deadline, escalates when it lapses, and retires the capacity once accepted', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc);
    const deadline = legalDeadline({ from: served, months: 6 }, cal).date;
    await until(c, (s) => s.stage === 'rectification');

    // Six months and a bit pass: three reminders (30, 7, 1 days before), then the lapse.
    await lc.env.sleep(200 * DAY);
    let s = await until(c, (x) => x.stage === 'closure_proposed', 'closure proposed');
    expect(s).toMatchObject({ overdue: true, rectificationLapsedOn: deadline });
    const reminders = mailsFor(lc, c.caseId, 'rectification_reminder');
    const daysBefore = reminders.map((m) => Number(/剩余(\d+)天/.exec(m.subject)![1])).sort((a, b) => a - b);
    expect(daysBefore).toEqual(reminderDates(deadline, [30, 7, 1], { cal }).map((r) => r.daysBefore).sort((a, b) => a - b));
    expect(reminders.every((m) => m.subject.includes(`整改期限${deadline}`))).toBe(true);
    const escalations = lc.sink.messages.filter((m) => m.subject.includes('逾期督办') && m.subject.includes(c.input.caseNumber));
    // The responsible department is the one at the enterprise's locality (district 410102, which has
    // no contact of its own: the city bureau receives it), and one level up is the city's
    // coordination office (410100), not the province's.
    expect(escalations.flatMap((m) => m.to).sort()).toEqual(['gxj@zhengzhou.example.gov.cn', 'ttbgs@zhengzhou.example.gov.cn']);
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'closure_proposed', overdue: true });
    // Too late for an extension now.
    expect((await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 1 }))).code).toBe('request_after_deadline');

    // The city government approves closure: red list, and one push per platform the policy names for an
    // energy closure: the national credit platform (30号文 (十七)) and the production licence (十六) 注销.
    const ordered = await send(c, 'decideClosure', { actor: actors.government, outcome: 'approve' });
    expect(ordered.stage).toBe('exit_in_progress');
    const expected = ['credit_platform', 'production_licence'];
    expect(lc.platforms.calls.filter((x) => x.body && (x.body as { caseId: string }).caseId === c.caseId).map((x) => x.platform).sort()).toEqual(expected);
    s = await until(c, (x) => Object.keys(x.acknowledgements).length === expected.length);
    const { rows: pushes } = await lc.db.query(`SELECT platform, status, acknowledgement FROM platform_pushes WHERE case_id = $1`, [c.caseId]);
    expect(pushes).toHaveLength(expected.length);
    for (const p of pushes) expect(s.acknowledgements[p.platform]).toBe(p.acknowledgement);
    expect(mailsFor(lc, c.caseId, 'closure_order')).toHaveLength(1);
    // A bank confirms its credit restriction out of band: recorded against that platform.
    const acked = await send(c, 'recordPunishmentAcknowledgement', { actor: actors.office, platform: 'banks', acknowledgement: '人行郑州中支 2026-118号' });
    expect(acked.stage).toBe('exit_in_progress');
    expect((await until(c, (x) => x.acknowledgements.banks === '人行郑州中支 2026-118号')).acknowledgements.banks).toBe('人行郑州中支 2026-118号');
    expect((await rejection(send(c, 'recordPunishmentAcknowledgement', { actor: actors.office, platform: 'tax', acknowledgement: 'x' }))).code).toBe('unknown_platform');

    // Dismantled; acceptance needs the worker resettlement plan first (职工安置方案).
    const dismantled = await send(c, 'recordDismantling', { actor: actors.enterprise(c.input.creditCode), dismantledOn: await legalToday(lc.env), evidence: [evidence('during')] });
    expect(dismantled.stage).toBe('acceptance');
    const full = [evidence('before'), evidence('during'), evidence('after')];
    // Henan 二(二)6: the city government (省辖市人民政府) checks on site and accepts; the coordination office does not.
    expect((await rejection(send(c, 'recordAcceptance', { actor: actors.office, opinion: '经现场核查，主体设备已拆除。', evidence: full }))).code).toBe('not_the_decider');
    const noPlan = await rejection(send(c, 'recordAcceptance', { actor: actors.government, opinion: '经现场核查，主体设备已拆除。', evidence: full }));
    expect(noPlan.code).toBe('resettlement_plan_required');
    await send(c, 'submitResettlementPlan', { actor: actors.enterprise(c.input.creditCode), workers: 320, planRef: 'doc://resettlement/1' });
    const partial = await rejection(send(c, 'recordAcceptance', { actor: actors.government, opinion: '意见', evidence: [evidence('after')] }));
    expect(partial.code).toBe('evidence_incomplete');
    const accepted = await send(c, 'recordAcceptance', { actor: actors.government, opinion: '经现场核查，主体设备已拆除，同意验收。', evidence: full });
    expect(accepted).toMatchObject({ stage: 'exited', overdue: false, deadline: null });
    const year = Number((await legalToday(lc.env)).slice(0, 4));
    await c.handle.result();

    const { rows: retired } = await lc.db.query(`SELECT region_code, industry, year, capacity::float AS capacity, unit FROM retired_capacity WHERE case_id = $1`, [c.caseId]);
    expect(retired).toEqual([{ region_code: '410102', industry: 'steel', year, capacity: 75, unit: '万吨/年' }]);
    // Closure by the approving government of the locality (410102); acceptance by the city government (410100).
    expect((await decisions(lc, c.caseId)).map((d) => [d.kind, d.assignee_role, d.jurisdiction, d.status, d.outcome])).toEqual([
      ['closure', 'approving_government', '410102', 'decided', 'approve'],
      ['acceptance', 'approving_government', '410100', 'decided', 'accepted'],
    ]);
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual([
      'rectification', 'closure_proposed', 'closure_ordered', 'exit_in_progress', 'acceptance', 'exited',
    ]);
    expect(mailsFor(lc, c.caseId, 'exit_accepted')).toHaveLength(1);
    await saveHistory(lc, c, 'energy-lapsed-closure-exited');
  });
});
