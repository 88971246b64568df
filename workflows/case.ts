import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import type { CaseInput } from '../domain/case';
import { WEEKENDS_ONLY } from '../domain/calendar';
import { caseStateQuery, firstStageUpdate, type CaseState } from './messages';
import { registerInputs } from './inputs';
import { closurePhase } from './paths/closure';
import { acceptancePhase, exitPhase, sealedPhase } from './paths/exit';
import type { Next } from './paths/next';
import { rectificationPhase } from './paths/rectification';
import { CaseRuntime, today, together } from './runtime';

/** What a continued run carries over: the whole state, resumed in the sealed stage. */
export interface CarriedCase {
  state: CaseState;
  phase: 'sealed';
}

function initialState(input: CaseInput): CaseState {
  return {
    caseId: input.caseId,
    stage: 'opened',
    deadline: null,
    deadlineProvisional: false,
    overdue: false,
    clockSuspended: false,
    rectificationDeadline: null,
    rectificationLapsedOn: null,
    extensionsRequested: 0,
    extensionsGranted: 0,
    productionSuspended: false,
    closureOrdered: false,
    voluntaryExit: false,
    resettlementPlan: null,
    sealing: null,
    dismantledOn: null,
    sealedReinspections: [],
    acknowledgements: {},
    pendingDecisions: [],
    noticeMessageId: null,
    history: [{ at: input.openedAt, stage: 'opened' }],
    actions: [],
    clocks: {},
    activeClock: null,
    calendar: WEEKENDS_ONLY,
    counters: {},
    results: {},
  };
}

/** The years whose official calendar a case served on `noticeServedOn` needs, as of today. */
function calendarYears(noticeServedOn: string): number[] {
  const served = Number(noticeServedOn.slice(0, 4));
  const now = Number(today().slice(0, 4));
  const years: number[] = [];
  for (let y = Math.min(served, now); y <= Math.max(served, now) + 2; y++) years.push(y);
  return years;
}

/**
 * 立案: record the case, read the official calendar, and choose the dimension's path.
 * The record and the calendar are independent and run together (one workflow task less per case).
 */
async function open(ctx: CaseRuntime): Promise<Next> {
  const { input, state } = ctx;
  [, state.calendar] = await together('open-record-and-calendar-together', [() => ctx.acts.recordCaseOpened(input), () => ctx.acts.holidayCalendar(calendarYears(input.noticeServedOn))]);

  const rule = ctx.rule;
  // 30号文 (八): technology has no rectification; eliminated equipment exits at once.
  if (!rule.rectification) return { to: 'exit' };
  // 30号文 (五): 情节严重的，报经有批准权的人民政府批准，责令停业、关闭.
  if (input.serious && rule.seriousGoesToClosure) return { to: 'closure', why: 'serious' };
  const months = rule.rectification.setBy === 'department' ? (input.rectificationMonths ?? rule.rectification.months) : rule.rectification.months;
  return { to: 'rectification', from: input.noticeServedOn, months, renewed: false };
}

/**
 * One case of backward capacity (落后产能) at one enterprise, from the notice to its end:
 * compliant (off the yellow list), closed with reasons, or exited (dismantled or sealed, accepted).
 * Deadlines are pure functions of the policy pinned at opening, the dates and the official
 * calendar; every input is an update (workflows/inputs.ts), every side effect an activity.
 */
export async function caseWorkflow(input: CaseInput, carried?: CarriedCase): Promise<CaseState> {
  const state = carried?.state ?? initialState(input);
  const ctx = new CaseRuntime(input, state);
  setHandler(caseStateQuery, () => state);
  // The API's update-with-start: answered once the notice is served (no command, so no patch).
  setHandler(firstStageUpdate, async () => {
    await condition(() => state.stage !== 'opened');
    return { stage: state.stage, deadline: state.deadline };
  });
  registerInputs(ctx);

  let next: Next = carried ? { to: 'sealed', resumed: true } : await open(ctx);
  for (;;) {
    if (next.to === 'done') break;
    if (next.to === 'continue_as_new') {
      // Periodic re-inspections of sealed capacity could run for years: start a fresh history.
      await ctx.settleHandlers();
      await condition(allHandlersFinished);
      return continueAsNew<typeof caseWorkflow>(input, { state, phase: 'sealed' });
    }
    switch (next.to) {
      case 'rectification':
        next = await rectificationPhase(ctx, next);
        break;
      case 'closure':
        next = await closurePhase(ctx, next.why);
        break;
      case 'exit':
        next = await exitPhase(ctx);
        break;
      case 'sealed':
        next = await sealedPhase(ctx, next.resumed);
        break;
      case 'acceptance':
        next = await acceptancePhase(ctx);
        break;
      default:
        // Every path a phase can hand on to is dispatched above: a new one fails to compile here.
        throw new Error(`no phase for ${(next satisfies never as Next).to}`);
    }
  }
  await ctx.settleHandlers();
  await condition(allHandlersFinished);
  return state;
}
