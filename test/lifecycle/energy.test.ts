import { deadlineInstant, extendedDeadline, legalDeadline } from '../../domain/deadlines';
import { SA } from '../../workflows/search-attributes';
import { actors, caseRow, decisions, DAY, events, legalToday, mailsFor, openCase, rejection, send, state, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

describe('an energy case in Henan (6 months, one extension of at most 3 months decided by the city government)', () => {
  it('refuses an extension over the cap, grants 3 months with the filings, refuses a second, and ends compliant after re-inspection', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc);
    const deadline = legalDeadline({ from: served, months: 6 }, cal);
    let s = await until(c, (x) => x.stage === 'rectification', 'rectification');
    expect(s.deadline).toBe(deadline.date);
    expect(s.deadlineProvisional).toBe(deadline.provisional);
    expect(await caseRow(lc, c.caseId)).toEqual({ stage: 'rectification', overdue: false, deadline: deadline.date });
    const notice = await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('整改通知'));
    expect(notice.text).toContain(`整改期限：${deadline.date}`);

    // Over the cap: refused with a reason, and nothing changes.
    const over = await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 4 }));
    expect(over).toMatchObject({ code: 'extension_exceeds_cap', message: 'extension exceeds 3 months', messageZh: '延期不得超过3个月' });
    expect((await state(c)).extensionsRequested).toBe(0);

    const key = 'ext-1';
    const asked = await send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 3, reason: '设备改造周期', idempotencyKey: key });
    expect(asked.stage).toBe('extension_requested');
    const again = await send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 3, idempotencyKey: key });
    expect(again).toEqual(asked);
    const pending = await decisions(lc, c.caseId);
    expect(pending).toEqual([expect.objectContaining({ kind: 'extension', assignee_role: 'approving_government', jurisdiction: '410100', status: 'open' })]);

    // The county government below the city cannot decide what Henan's policy gives the city.
    const county = { id: 'zy-gov', name: '中原区人民政府', role: 'approving_government', jurisdiction: '410102' };
    expect((await rejection(send(c, 'decideExtension', { actor: county, approve: true }))).code).toBe('not_the_decider');
    const decided = await send(c, 'decideExtension', { actor: actors.government, approve: true });
    const extended = extendedDeadline(deadline, 3, cal);
    expect(decided).toMatchObject({ stage: 'rectification', deadline: extended.date });
    const desc = await c.handle.describe();
    expect(desc.typedSearchAttributes.get(SA.deadline)).toEqual(new Date(deadlineInstant(extended.date)));
    const second = await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 1 }));
    expect(second.code).toBe('extension_already_used');

    s = await state(c);
    expect(s).toMatchObject({ extensionsRequested: 1, extensionsGranted: 1, rectificationDeadline: extended.date });
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'rectification', deadline: extended.date });

    // The timers moved too: two days past the original deadline nothing has lapsed, and the
    // reminders count down to the extended one.
    const now = await legalToday(lc.env);
    await lc.env.sleep((daysBetween(now, deadline.date) + 2) * DAY);
    s = await state(c);
    expect(s).toMatchObject({ stage: 'rectification', overdue: false, deadline: extended.date });
    await lc.env.sleep((daysBetween(await legalToday(lc.env), extended.date) - 25) * DAY);
    const reminders = await until(c, () => mailsFor(lc, c.caseId, 'rectification_reminder').length === 1, '30-day reminder').then(() => mailsFor(lc, c.caseId, 'rectification_reminder'));
    expect(reminders[0]!.subject).toContain(`整改期限${extended.date}`);
    const filing = await lc.sink.waitFor((m) => m.subject.includes('延期整改报备') && m.subject.includes(c.input.caseNumber));
    expect(filing.to.sort()).toEqual(['fgw@henan.example.gov.cn', 'gxt@henan.example.gov.cn']);
    await lc.sink.waitFor((m) => m.to.includes(c.contactEmail) && m.subject.includes('延期申请已批准'));

    await send(c, 'reportRectificationDone', { actor: actors.enterprise(c.input.creditCode) });
    const done = await send(c, 'recordReinspection', { actor: actors.official, passed: true });
    expect(done.stage).toBe('compliant');
    expect(await c.handle.result()).toMatchObject({ stage: 'compliant', overdue: false });
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'stage').map((e) => e.stage)).toEqual([
      'rectification', 'extension_requested', 'rectification', 'reinspection', 'compliant',
    ]);
    expect(mailsFor(lc, c.caseId, 'compliant')).toHaveLength(1);
    await saveHistory(lc, c, 'energy-extension-compliant');
  });
});
