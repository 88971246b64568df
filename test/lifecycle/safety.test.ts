import { legalDeadline } from '../../domain/deadlines';
import { actors, decisions, events, legalToday, mailsFor, openCase, rejection, send, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

describe('safety cases (立即停产停业整顿)', () => {
  it('suspends production at once; a passed re-inspection resumes it and the case is compliant', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc, { dimension: 'safety', openedBy: actors.safety });
    const s = await until(c, (x) => x.stage === 'suspended_production');
    expect(s).toMatchObject({ productionSuspended: true, deadline: legalDeadline({ from: served, months: 3 }, cal).date });
    expect((await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 1 }))).code).toBe('extension_not_allowed');
    // Only the enterprise reports its own rectification done.
    expect((await rejection(send(c, 'reportRectificationDone', { actor: actors.safety }))).code).toBe('actor_not_allowed');
    expect((await rejection(send(c, 'reportRectificationDone', { actor: actors.enterprise('91410100MA40000000') }))).code).toBe('not_this_enterprise');
    const reported = await send(c, 'reportRectificationDone', { actor: actors.enterprise(c.input.creditCode) });
    expect(reported.stage).toBe('reinspection');
    const [reinspection] = await decisions(lc, c.caseId);
    // The department at the enterprise's locality (当地, its district 410102) re-inspects; the city's
    // officials cover the district and may record it.
    expect(reinspection).toMatchObject({ kind: 'reinspection', assignee_role: 'enforcement_official', assignee_department: 'emergency_management', jurisdiction: '410102', status: 'open' });
    expect(reported.deadline).toBe(reinspection!.due_date);
    const fuzhou = { ...actors.safety, id: 'fz-yj-01', jurisdiction: '350100' };
    expect((await rejection(send(c, 'recordReinspection', { actor: fuzhou, passed: true }))).code).toBe('outside_jurisdiction');
    const passed = await send(c, 'recordReinspection', { actor: actors.safety, passed: true, findings: '安全设施已整改到位' });
    expect(passed.stage).toBe('compliant');
    const result = await c.handle.result();
    expect(result).toMatchObject({ stage: 'compliant', productionSuspended: false });
    expect(mailsFor(lc, c.caseId, 'compliant')[0]!.text).toContain('准予恢复生产');
  });

  it('a failed re-inspection proposes closure, decided by the approving government, not the department (30号文 (七) 予以关闭)', async () => {
    const c = await openCase(lc, { dimension: 'safety', openedBy: actors.safety });
    await until(c, (x) => x.stage === 'suspended_production');
    await send(c, 'reportRectificationDone', { actor: actors.enterprise(c.input.creditCode) });
    const failed = await send(c, 'recordReinspection', { actor: actors.safety, passed: false });
    expect(failed.stage).toBe('closure_proposed');
    const s = await until(c, (x) => x.pendingDecisions.some((d) => d.kind === 'closure'));
    // 30号文 (七) names no closing body; a government closes, never the department itself (the
    // policy's marked default: the approving government of the enterprise's locality, 410102).
    expect(s.pendingDecisions[0]).toMatchObject({ kind: 'closure', assigneeRole: 'approving_government', jurisdiction: '410102' });
    expect(s.pendingDecisions[0]!.assigneeDepartment).toBeUndefined();
    await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('复查不合格'));
    expect((await rejection(send(c, 'decideClosure', { actor: actors.safety, outcome: 'approve' }))).code).toBe('not_the_decider');
    // The city government covers the district and decides.
    const ordered = await send(c, 'decideClosure', { actor: actors.government, outcome: 'approve' });
    expect(ordered.stage).toBe('exit_in_progress');
    const pushes = lc.platforms.calls.filter((x) => (x.body as { caseId?: string })?.caseId === c.caseId);
    // The platforms a safety closure calls for: the credit platform (30号文 (十七)) and the safety licence (七).
    expect(pushes.map((p) => p.platform).sort()).toEqual(['credit_platform', 'safety_licence']);
    // 吊销相关证照: the safety licence registry is told to revoke.
    expect(pushes.find((p) => p.platform === 'safety_licence')!.body).toMatchObject({ kind: 'joint_punishment', payload: { revokeLicences: true, list: 'red' } });
    expect(pushes.every((p) => p.headers['idempotency-key']?.startsWith(`${c.caseId}/closure/1/push/`))).toBe(true);
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual([
      'suspended_production', 'reinspection', 'closure_proposed', 'closure_ordered', 'exit_in_progress',
    ]);
    await saveHistory(lc, c, 'safety-failed-closure-ordered');
  });
});
