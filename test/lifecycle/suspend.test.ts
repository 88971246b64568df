import { deadlineInstant, legalDeadline } from '../../domain/deadlines';
import { temporal } from '@temporalio/proto';
import { SA } from '../../workflows/search-attributes';
import { actors, caseRow, DAY, decisions, events, evidence, legalToday, openCase, rejection, send, state, until, saveHistory, type Lifecycle, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

describe('administrative review or litigation stops the clock (中止), resuming keeps the remaining time', () => {
  it('suspends, outlasts the original deadline without lapsing, and resumes with the days that were left', async () => {
    const served = await legalToday(lc.env);
    const c = await openCase(lc, { dimension: 'environment', rectificationMonths: 1, openedBy: actors.ecology });
    const original = legalDeadline({ from: served, months: 1 }, cal).date;
    await until(c, (x) => x.stage === 'rectification' && x.deadline === original);

    await lc.env.sleep(10 * DAY);
    const suspendedOn = await legalToday(lc.env);
    const remaining = daysBetween(suspendedOn, original);
    const key = 'suspend-litigation-1';
    const suspended = await send(c, 'suspendClock', { actor: actors.ecology, ground: 'litigation', reason: '企业提起行政诉讼', idempotencyKey: key });
    expect(suspended).toMatchObject({ stage: 'rectification', clockSuspended: true, deadline: null });
    // The same key again: the first answer, one effect.
    expect(await send(c, 'suspendClock', { actor: actors.ecology, ground: 'litigation', idempotencyKey: key })).toEqual(suspended);
    expect((await events(lc, c.caseId)).filter((e) => e.kind === 'suspendClock')).toHaveLength(1);
    expect((await rejection(send(c, 'suspendClock', { actor: actors.ecology, ground: 'litigation' }))).code).toBe('clock_already_suspended');
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.deadline)).toBeUndefined();
    expect(await caseRow(lc, c.caseId)).toMatchObject({ deadline: null });

    // Two months of litigation: far past the original deadline, nothing lapses.
    await lc.env.sleep(60 * DAY);
    let s = await state(c);
    expect(s).toMatchObject({ stage: 'rectification', overdue: false, clockSuspended: true });

    const resumedOn = await legalToday(lc.env);
    const resumed = await send(c, 'resumeClock', { actor: actors.ecology, reason: '法院判决维持' });
    const moved = legalDeadline({ from: resumedOn, days: remaining }, cal).date;
    expect(resumed).toMatchObject({ stage: 'rectification', clockSuspended: false, deadline: moved });
    expect((await c.handle.describe()).typedSearchAttributes.get(SA.deadline)).toEqual(new Date(deadlineInstant(moved)));
    expect(await caseRow(lc, c.caseId)).toMatchObject({ deadline: moved });
    expect((await rejection(send(c, 'resumeClock', { actor: actors.ecology }))).code).toBe('clock_not_suspended');

    // The timer follows the moved deadline: it lapses after the remaining days, not before.
    await lc.env.sleep((remaining - 2) * DAY);
    expect((await state(c)).stage).toBe('rectification');
    await lc.env.sleep(6 * DAY);
    // 30号文 (五): a lapsed environment period is escalated and stays with the department (closure only if serious).
    s = await until(c, (x) => x.overdue, 'lapse after the remaining days');
    expect(s).toMatchObject({ stage: 'rectification', rectificationLapsedOn: moved, overdue: true });
    await saveHistory(lc, c, 'environment-suspended-resumed-lapsed');
  });

  it('a rejected input leaves no trace in history, and names what the stage accepts', async () => {
    const c = await openCase(lc);
    await until(c, (x) => x.stage === 'rectification' && x.noticeMessageId !== null);
    await new Promise((r) => setTimeout(r, 500)); // the workflow task after the notice completes
    const before = (await c.handle.fetchHistory()).events!.length;
    const r = await rejection(send(c, 'recordAcceptance', { actor: actors.office, opinion: '-', evidence: [evidence('after')] }));
    expect(r).toMatchObject({ code: 'stage_does_not_accept', stage: 'rectification', accepts: expect.arrayContaining(['requestExtension', 'reportRectificationDone', 'declareVoluntaryExit']) });
    expect((await rejection(send(c, 'requestExtension', { actor: actors.enterprise(c.input.creditCode), months: 0 }))).code).toBe('invalid_input');
    const after = (await c.handle.fetchHistory()).events!;
    // Nothing was admitted to history: no update accepted, no activity, no timer. (The time-skipping
    // server, unlike a real one, keeps the workflow tasks that ran the validators.)
    const T = temporal.api.enums.v1.EventType;
    const workflowTask = [T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, T.EVENT_TYPE_WORKFLOW_TASK_STARTED, T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED];
    expect(after.slice(before).filter((e) => !workflowTask.includes(e.eventType!))).toEqual([]);
  });
});

describe('voluntary exit (主动退出) at any stage', () => {
  it('withdraws the pending re-inspection and goes straight to exit and acceptance', async () => {
    const c = await openCase(lc);
    await until(c, (x) => x.stage === 'rectification');
    await send(c, 'reportRectificationDone', { actor: actors.enterprise(c.input.creditCode) });
    const exiting = await send(c, 'declareVoluntaryExit', { actor: actors.enterprise(c.input.creditCode), reason: '企业决定主动退出' });
    expect(exiting).toMatchObject({ stage: 'exit_in_progress', deadline: null });
    expect((await decisions(lc, c.caseId)).map((d) => [d.kind, d.status])).toEqual([['reinspection', 'withdrawn']]);
    expect((await state(c))).toMatchObject({ voluntaryExit: true, pendingDecisions: [] });
    await send(c, 'recordDismantling', { actor: actors.enterprise(c.input.creditCode), dismantledOn: await legalToday(lc.env), evidence: [] });
    // No closure was ordered, so no resettlement plan is required before acceptance.
    // Henan 二(二)6: acceptance by the city government.
    const exited = await send(c, 'recordAcceptance', { actor: actors.government, opinion: '主动退出，已拆除。', evidence: [evidence('before'), evidence('during'), evidence('after')] });
    expect(exited.stage).toBe('exited');
    expect(await c.handle.result()).toMatchObject({ stage: 'exited', voluntaryExit: true });
  });
});
