import { addCalendarMonths } from '../../domain/deadlines';
import { eventually } from '../support/eventually';
import { actors, events, legalToday, openCase, saveHistory, send, until, type Lifecycle, useLifecycle } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

// 30号文 (五): 责令采取限制生产、停产整治等措施；情节严重的 … 责令停业、关闭. The department chooses the
// measure per case; only a serious case goes to closure by itself.
describe('environment: the department’s measure, and a lapse that is not serious', () => {
  it('stops production when the department orders 停产整治, keeps it restricted under 限制生产', async () => {
    const suspended = await openCase(lc, { dimension: 'environment', rectificationMonths: 2, measure: 'suspend_production', openedBy: actors.ecology });
    expect((await until(suspended, (x) => x.stage !== 'opened')).stage).toBe('suspended_production');
    expect((await until(suspended, (x) => x.stage === 'suspended_production')).productionSuspended).toBe(true);
    const restricted = await openCase(lc, { dimension: 'environment', rectificationMonths: 2, measure: 'restrict_production', openedBy: actors.ecology });
    const s = await until(restricted, (x) => x.stage !== 'opened');
    expect(s.stage).toBe('rectification');
    expect(s.productionSuspended).toBe(false);
  });

  it('escalates a lapsed period but leaves the closure proposal to the department', async () => {
    const served = addCalendarMonths(await legalToday(lc.env), -3);
    const c = await openCase(lc, { dimension: 'environment', rectificationMonths: 1, measure: 'restrict_production', noticeServedOn: served, openedBy: actors.ecology });
    const lapsed = await until(c, (x) => x.overdue && x.rectificationLapsedOn !== null);
    expect(lapsed.stage).toBe('rectification');
    expect(lapsed.pendingDecisions).toEqual([]);
    // The escalation is in the read model once its activity has run (the state marks overdue first).
    await eventually(async () => ((await events(lc, c.caseId)).some((e) => e.kind === 'escalation') ? true : undefined), 10_000, 'the escalation recorded');
    // Still with the department: it proposes closure when it judges the case serious enough.
    const proposed = await send(c, 'proposeClosure', { actor: actors.ecology, reason: '逾期仍超标排放，情节严重' });
    expect(proposed.stage).toBe('closure_proposed');
    await saveHistory(lc, c, 'environment-lapsed-stays-with-department');
  });
});
