import { legalDeadline } from '../../domain/deadlines';
import { actors, caseRow, decisions, events, legalToday, mailsFor, openCase, rejection, send, state, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

describe('environment cases (限制生产、停产整治; 情节严重 → closure)', () => {
  it('runs the period the department set, and allows no extension', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc, { dimension: 'environment', rectificationMonths: 2, openedBy: actors.ecology });
    const s = await until(c, (x) => x.stage === 'rectification');
    expect(s.deadline).toBe(legalDeadline({ from: served, months: 2 }, cal).date);
    const refused = await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 1 }));
    expect(refused).toMatchObject({ code: 'extension_not_allowed', messageZh: '该类案件不允许延期整改' });
    // The department finds it still failing and proposes closure before the period ends.
    const proposed = await send(c, 'proposeClosure', { actor: actors.ecology, reason: '复测仍超标排放' });
    expect(proposed.stage).toBe('closure_proposed');
  });

  it('a serious case goes straight to the closure proposal; the local government declines with reasons', async () => {
    const c = await openCase(lc, { dimension: 'environment', serious: true, openedBy: actors.ecology });
    const s = await until(c, (x) => x.stage === 'closure_proposed' && x.pendingDecisions.length === 1);
    expect(s.rectificationDeadline).toBeNull();
    // Henan 二(二)2: 报经当地人民政府批准 — the government of the enterprise's locality (its district,
    // 410102); the city government (410100) covers it and decides below.
    expect(s.pendingDecisions[0]).toMatchObject({ kind: 'closure', assigneeRole: 'approving_government', jurisdiction: '410102' });
    await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('提请关闭'));
    expect(mailsFor(lc, c.caseId, 'closure_proposed')[0]!.text).toContain('超标排放情节严重');

    // An enforcement official is not the decider here; reasons are required to decline.
    expect((await rejection(send(c, 'decideClosure', { actor: actors.ecology, outcome: 'approve' }))).code).toBe('not_the_decider');
    expect((await rejection(send(c, 'decideClosure', { actor: actors.government, outcome: 'close_with_reasons' }))).code).toBe('reason_required');
    const closed = await send(c, 'decideClosure', { actor: actors.government, outcome: 'close_with_reasons', reason: '企业已停产并完成治理设施改造' });
    expect(closed.stage).toBe('closed_with_reasons');
    expect(await c.handle.result()).toMatchObject({ stage: 'closed_with_reasons' });
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'closed_with_reasons', deadline: null });
    expect((await decisions(lc, c.caseId)).map((d) => [d.kind, d.outcome])).toEqual([['closure', 'close_with_reasons']]);
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual(['closure_proposed', 'closed_with_reasons']);
    expect(lc.platforms.calls.filter((x) => (x.body as { caseId?: string })?.caseId === c.caseId)).toEqual([]);
    expect(mailsFor(lc, c.caseId, 'closed_with_reasons')).toHaveLength(1);
    expect((await state(c)).stage).toBe('closed_with_reasons');
    await saveHistory(lc, c, 'environment-serious-closed-with-reasons');
  });
});
