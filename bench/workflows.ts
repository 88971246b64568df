// Bare Temporal for the benchmark's baseline: an empty workflow and a no-op update, and workflows
// shaped like exitflow's histories (bench/replay.ts, bench/scale.ts) to give their floors.
import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../workflows/search-attributes';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const finishUpdate = defineUpdate<void>('finish');

/** The one activity of the bare workflows: does nothing (registered by bench/replay.ts and bench/bare-worker.ts). */
export interface BareActivities {
  noop(n: number): Promise<number>;
}

/** Waits for updates until told to finish: the least a case workflow could do. */
export async function bareWorkflow(): Promise<void> {
  let done = false;
  setHandler(noopUpdate, (n) => n);
  setHandler(finishUpdate, () => {
    done = true;
  });
  await condition(() => done);
}

/** What an exitflow history holds, counted from its event types (see bench/replay.ts historyShape). */
export interface HistoryShape {
  /** ACTIVITY_TASK_SCHEDULED */
  activities: number;
  /** TIMER_STARTED */
  timers: number;
  /** UPSERT_WORKFLOW_SEARCH_ATTRIBUTES */
  upserts: number;
  /** WORKFLOW_EXECUTION_UPDATE_ACCEPTED */
  updates: number;
  /** MARKER_RECORDED of local activities (`core_local_activity`); absent in shapes taken before the case used them. */
  localActivities?: number;
}

/**
 * A bare workflow whose history has the shape of an exitflow history: `activities` sequential no-op
 * activities, `timers` 10 ms sleeps spread evenly among them, `upserts` search-attribute upserts
 * spread likewise (stage, deadline and overdue, as exitflow upserts them: the same event type, which
 * upsertMemo's is not; the keys must be registered on the server, as the bench's dev server does),
 * and one extra no-op activity for each update; `localActivities` no-op local activities spread
 * likewise (they run inside the workflow task of their step, as exitflow's read-model writes and mails do).
 *
 * Approximation: an update accepted by exitflow costs a workflow task of its own (and its
 * ACCEPTED/COMPLETED events); a bare workflow with nobody to send it updates gets that workflow task
 * from an extra activity instead (SCHEDULED/STARTED/COMPLETED events). Every exitflow timer here
 * fires (exitflow's are sometimes cancelled by an update, so some of its timer workflow tasks are
 * the update's). Workflow tasks ≈ 1 + activities + timers + updates, as in exitflow's history, but
 * the payloads (exitflow's case state, activity inputs) are small here: the figure is the SDK's floor
 * for that many tasks and events, not for exitflow's data.
 */
export async function bareShaped(shape: HistoryShape): Promise<number> {
  const acts = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });
  const steps = shape.activities + shape.updates;
  // Which steps are followed by a timer and by upserts: spread evenly over the run.
  const spread = (count: number) => {
    const at = new Array<number>(steps).fill(0);
    for (let k = 0; k < count; k++) at[Math.min(steps - 1, Math.floor(((k + 0.5) * steps) / Math.max(count, 1)))]! += 1;
    return at;
  };
  const timersAt = steps ? spread(shape.timers) : [];
  const upsertsAt = steps ? spread(shape.upserts) : [];
  const localsAt = steps ? spread(shape.localActivities ?? 0) : [];
  const locals = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '1 minute' });
  // The three attributes exitflow upserts each time (workflows/runtime.ts upsertSearchAttributes).
  const upsert = (i: number) =>
    upsertSearchAttributes([
      { key: SA.stage, value: `bare-${i}` },
      { key: SA.deadline, value: new Date(Date.UTC(2030, 0, 1 + i)) },
      { key: SA.overdue, value: i % 2 === 1 },
    ]);
  let sum = 0;
  let upserts = 0;
  for (let i = 0; i < steps; i++) {
    for (let u = 0; u < upsertsAt[i]!; u++) upsert(upserts++);
    for (let l = 0; l < localsAt[i]!; l++) sum += await locals.noop(i);
    sum += await acts.noop(i);
    for (let t = 0; t < timersAt[i]!; t++) await sleep(10);
  }
  if (!steps) {
    for (let u = 0; u < shape.upserts; u++) upsert(upserts++);
    for (let l = 0; l < (shape.localActivities ?? 0); l++) sum += await locals.noop(l);
    for (let t = 0; t < shape.timers; t++) await sleep(10);
  }
  return sum;
}

/** The bare stand-in for a lapsed case being escalated: one no-op activity ("record the escalation"), then done. */
export async function bareLapse(n: number): Promise<number> {
  const acts = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });
  return acts.noop(n);
}
