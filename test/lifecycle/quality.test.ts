import { legalDeadline } from '../../domain/deadlines';
import { actors, DAY, decisions, legalToday, mailsFor, openCase, rejection, send, until, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

describe('quality cases (责令停产整改, 6 months, 30号文 (六))', () => {
  it('stops production for 6 months without extension; when they lapse the county-or-above government is asked to close', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc, { dimension: 'quality', openedBy: actors.market });
    const deadline = legalDeadline({ from: served, months: 6 }, cal).date;
    let s = await until(c, (x) => x.stage === 'suspended_production' && x.noticeMessageId !== null);
    expect(s).toMatchObject({ productionSuspended: true, deadline });
    expect((await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 1 }))).code).toBe('extension_not_allowed');

    await lc.env.sleep(190 * DAY);
    s = await until(c, (x) => x.stage === 'closure_proposed' && x.pendingDecisions.length === 1, 'closure proposed');
    expect(s).toMatchObject({ overdue: true, rectificationLapsedOn: deadline });
    // Henan 二(二)3: 由县级及以上人民政府依法关停 — the county level first: the enterprise's district (410102).
    expect((await decisions(lc, c.caseId))[0]).toMatchObject({ kind: 'closure', assignee_role: 'approving_government', jurisdiction: '410102', status: 'open' });
    expect(mailsFor(lc, c.caseId, 'rectification_reminder')).toHaveLength(3);
    const escalation = lc.sink.messages.find((m) => m.subject.includes('逾期督办') && m.subject.includes(c.input.caseNumber) && m.to.includes('scjgj@zhengzhou.example.gov.cn'));
    expect(escalation?.subject).toContain(`整改期限已于${deadline}届满`);
  });
});
