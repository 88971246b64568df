import { legalDeadline } from '../../domain/deadlines';
import { SA } from '../../workflows/search-attributes';
import { actors, caseRow, DAY, decisions, events, legalToday, mailsFor, openCase, rejection, send, state, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

describe('escalation when deadlines lapse', () => {
  it('a notice served 2025-08-31 ends its period on 2026-02-28 (a make-up working Saturday), which has lapsed: escalated and proposed for closure', async () => {
    const c = await openCase(lc, { noticeServedOn: '2025-08-31' });
    const s = await until(c, (x) => x.stage === 'closure_proposed', 'closure proposed');
    // 6 calendar months with month-end clamping; 2026-02-28 is a Saturday worked in lieu (调休), so it does not roll.
    expect(legalDeadline({ from: '2025-08-31', months: 6 }, cal)).toEqual({ date: '2026-02-28', provisional: false });
    expect(s).toMatchObject({ rectificationDeadline: '2026-02-28', rectificationLapsedOn: '2026-02-28', overdue: true });
    const [stage1] = (await events(lc, c.caseId)).filter((e) => e.kind === 'stage');
    expect(stage1).toMatchObject({ stage: 'rectification', detail: expect.objectContaining({ deadline: '2026-02-28' }) });
    // The department responsible is the one at the enterprise's locality (district 410102), so one
    // level up is the city's coordination office (410100).
    const escalated = await lc.sink.waitFor((m) => m.subject.includes('逾期督办') && m.subject.includes(c.input.caseNumber) && m.to.includes('ttbgs@zhengzhou.example.gov.cn'));
    expect(escalated.subject).toContain('整改期限已于2026-02-28届满');
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(true);
  });

  it('a closure decision left undecided is reminded, escalated one level up and then along the ladder; a new period clears the overdue mark', async () => {
    const c = await openCase(lc, { noticeServedOn: '2025-08-31' });
    let s = await until(c, (x) => x.stage === 'closure_proposed' && x.pendingDecisions.length === 1, 'closure decision requested');
    const [closure] = s.pendingDecisions;
    // The approving government of the enterprise's locality (district 410102); the city government covers it.
    expect(closure).toMatchObject({ kind: 'closure', assigneeRole: 'approving_government', jurisdiction: '410102' });
    const today = await legalToday(lc.env);
    expect(closure!.dueDate).toBe(legalDeadline({ from: today, workingDays: 20 }, cal).date);
    expect(s.deadline).toBe(closure!.dueDate);

    // The government lets its 20 working days pass, and 10 more (the province's step of the ladder).
    await lc.env.sleep(50 * DAY);
    s = await until(c, (x) => x.pendingDecisions[0]?.overdue === true, 'decision overdue');
    await lc.sink.waitFor((m) => m.subject.includes('省级督办') && m.subject.includes(c.input.caseNumber));
    const toGovernment = lc.sink.messages.filter((m) => m.subject.includes(c.input.caseNumber) && m.to.includes('zfb@zhengzhou.example.gov.cn'));
    const kinds = toGovernment.map((m) => (m.subject.startsWith('【待决定】') ? 'request' : m.subject.startsWith('【待办提醒】') ? 'reminder' : m.subject.startsWith('【逾期督办】') ? 'escalation' : m.subject));
    expect(kinds.sort()).toEqual(['escalation', 'reminder', 'reminder', 'request']);
    // Reminders and escalations name the step as domain/authority.ts does.
    expect(toGovernment.filter((m) => !m.subject.startsWith('【待决定】')).every((m) => m.subject.includes('关闭（停业整顿）审批'))).toBe(true);
    // One level up from the locality is the city: its coordination office hears of the lapsed period
    // and the lapsed decision at once, then the ladder's city step; the province only at its own step.
    const cityOffice = lc.sink.messages.filter((m) => m.subject.includes(c.input.caseNumber) && m.to.includes('ttbgs@zhengzhou.example.gov.cn'));
    expect(cityOffice.map((m) => m.subject.slice(0, 6)).sort()).toEqual(['【逾期督办】', '【逾期督办】', '【市级督办】'].sort());
    const province = lc.sink.messages.filter((m) => m.subject.includes(c.input.caseNumber) && m.to.some((t) => t.endsWith('@henan.example.gov.cn')));
    expect(province.map((m) => m.subject.slice(0, 6))).toEqual(['【省级督办】']);
    expect(province.flatMap((m) => m.to).sort()).toEqual(['ttbgs@henan.example.gov.cn', 'zfb@henan.example.gov.cn']);

    // The government sends it back for a new 3-month period: overdue is cleared, a fresh deadline runs.
    const back = await send(c, 'decideClosure', { actor: actors.government, outcome: 'rectify_again', months: 3, reason: '企业已投入改造资金' });
    const now = await legalToday(lc.env);
    expect(back).toMatchObject({ stage: 'rectification', overdue: false, deadline: legalDeadline({ from: now, months: 3 }, cal).date });
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'rectification', overdue: false });
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.overdue)).toBe(false);
    expect(mailsFor(lc, c.caseId, 'rectification_renewed')).toHaveLength(1);
    expect((await decisions(lc, c.caseId))[0]).toMatchObject({ kind: 'closure', status: 'decided', outcome: 'rectify_again' });
    // The one extension is still available on the new period, within its cap.
    expect((await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 6 }))).code).toBe('extension_exceeds_cap');
    expect((await state(c)).stage).toBe('rectification');
    await saveHistory(lc, c, 'closure-decision-escalated-rectify-again');
  });
});
