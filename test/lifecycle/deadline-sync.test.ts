import { deadlineInstant, legalDeadline } from '../../domain/deadlines';
import { policyFor } from '../../domain/policy';
import { actors, caseRow, DAY, events, evidence, legalToday, mailsFor, openCase, saveHistory, send, state, until, type Lifecycle, type OpenedCase, useLifecycle, TEST_CALENDAR } from './harness';

let lc: Lifecycle;
useLifecycle((l) => (lc = l));

const cal = TEST_CALENDAR;

async function decisionRow(decisionId: string): Promise<{ due_date: string; due_at: Date; status: string }> {
  const { rows } = await lc.db.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date, due_at, status FROM decisions WHERE decision_id = $1`, [decisionId]);
  return rows[0];
}

/** A serious environment case goes straight to the closure proposal, with the closure decision pending. */
async function closureProposed(): Promise<OpenedCase> {
  const c = await openCase(lc, { dimension: 'environment', serious: true, openedBy: actors.ecology });
  await until(c, (x) => x.stage === 'closure_proposed' && x.pendingDecisions.length === 1);
  return c;
}

async function escalations(c: OpenedCase, what: string) {
  return (await events(lc, c.caseId)).filter((e) => e.kind === 'escalation' && e.detail.what === what);
}

describe('the officials’ to-do list follows a pending decision’s clock', () => {
  it('suspending and resuming the clock moves the decision’s due date in the decisions table too', async () => {
    const c = await closureProposed();
    const pending = (await state(c)).pendingDecisions[0]!;
    expect(await decisionRow(pending.decisionId)).toMatchObject({ due_date: pending.dueDate, status: 'open' });

    await send(c, 'suspendClock', { actor: actors.ecology, ground: 'administrative_review', reason: '企业申请行政复议' });
    await lc.env.sleep(20 * DAY);
    await send(c, 'resumeClock', { actor: actors.ecology, reason: '复议维持' });

    const moved = (await until(c, (x) => !x.clockSuspended && x.pendingDecisions[0]!.dueDate !== pending.dueDate, 'the due date moved')).pendingDecisions[0]!;
    expect(moved.decisionId).toBe(pending.decisionId);
    const row = await decisionRow(pending.decisionId);
    expect(row).toMatchObject({ due_date: moved.dueDate, status: 'open' });
    expect(row.due_at).toEqual(new Date(deadlineInstant(moved.dueDate)));
    await saveHistory(lc, c, 'closure-decision-suspended-resumed');
  });
});

describe('a closure-ordered case must dismantle or seal within the limit (30号文)', () => {
  const policy = policyFor('410102');

  async function closureOrdered(): Promise<{ c: OpenedCase; by: string }> {
    const c = await closureProposed();
    const orderedOn = await legalToday(lc.env);
    const ordered = await send(c, 'decideClosure', { actor: actors.government, outcome: 'approve' });
    const by = legalDeadline({ from: orderedOn, months: policy.technology.dismantleWithinMonths }, cal).date;
    expect(ordered).toMatchObject({ stage: 'exit_in_progress', deadline: by });
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'exit_in_progress', deadline: by, overdue: false });
    return { c, by };
  }

  it('left alone past the limit: reminded, then escalated and overdue', async () => {
    const { c, by } = await closureOrdered();
    await lc.env.sleep((policy.technology.dismantleWithinMonths * 31 + 10) * DAY);
    await until(c, (x) => x.overdue, 'escalated');
    expect(await caseRow(lc, c.caseId)).toMatchObject({ stage: 'exit_in_progress', overdue: true });
    expect(await escalations(c, 'dismantling')).toEqual([expect.objectContaining({ stage: 'exit_in_progress', detail: expect.objectContaining({ lapsedOn: by }) })]);
    expect(mailsFor(lc, c.caseId, 'dismantling_reminder')).toHaveLength(policy.reminders.dismantling.length);
    const { rows } = await lc.db.query(`SELECT subject FROM notifications WHERE case_id = $1 AND kind = 'authority_notice' AND subject LIKE $2`, [c.caseId, `%限时拆除期限已于${by}届满%`]);
    expect(rows).toHaveLength(2); // the responsible department and the coordination office one level up
    await saveHistory(lc, c, 'closure-ordered-dismantling-lapsed');
  });

  it('dismantled in time: the limit stops, nothing is escalated for dismantling', async () => {
    const { c } = await closureOrdered();
    await lc.env.sleep(30 * DAY);
    const dismantled = await send(c, 'recordDismantling', { actor: actors.enterprise(c.input.creditCode), dismantledOn: await legalToday(lc.env), evidence: [evidence('during')] });
    expect(dismantled).toMatchObject({ stage: 'acceptance', overdue: false });
    // Well past the limit the closure date would have set.
    await lc.env.sleep((policy.technology.dismantleWithinMonths * 31 + 10) * DAY);
    await until(c, (x) => x.stage === 'acceptance');
    expect(await escalations(c, 'dismantling')).toEqual([]);
    expect(mailsFor(lc, c.caseId, 'dismantling_reminder')).toEqual([]);
    await send(c, 'submitResettlementPlan', { actor: actors.enterprise(c.input.creditCode), workers: 120, planRef: 'doc://resettlement/2' });
    // Henan 二(二)6: acceptance by the city government.
    const exited = await send(c, 'recordAcceptance', { actor: actors.government, opinion: '已拆除，同意验收。', evidence: [evidence('before'), evidence('during'), evidence('after')] });
    expect(exited).toMatchObject({ stage: 'exited', overdue: false });
  });
});
