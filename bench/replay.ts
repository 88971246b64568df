/**
 * Replay time of a full-lifecycle case history: the longest recorded history in test/histories that
 * ends with the workflow completed (a case from notice to exit), replayed through the current
 * workflow bundle. Two measures, because they answer different questions:
 *   - single: Worker.runReplayHistory once per replay, as a determinism check would call it; each
 *     call creates (and shuts down) a replay worker, so this includes worker creation;
 *   - batch: Worker.runReplayHistories over many copies of the history on one replay worker; the
 *     time between consecutive results is the replay itself (the first result, which carries the
 *     worker's creation, is left out).
 * And the floor, given a Temporal server's address: a bare workflow history of the same shape (as
 * many activities, timers, search-attribute upserts and workflow tasks: bench/workflows.ts
 * bareShaped) is recorded once on that server, then replayed like the batch measure.
 * Usage alone: npx tsx bench/replay.ts [--runs 50] [--warmups 5] [--bundle workflow-bundle.js] [--dir test/histories/before-local-steps]
 *   [--address 127.0.0.1:7233 [--bare-bundle bare-bundle.js]]   (the server needs exitflow's search attributes)
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from '../worker/bundle';
import { latencies, percentile, progressBar } from './lib';
import { bareShaped, type BareActivities, type HistoryShape } from './workflows';

const HISTORIES = path.join(__dirname, '..', 'test', 'histories');
const EventType = temporal.api.enums.v1.EventType;

export interface BatchReplay {
  runs: number;
  median: number;
  p95: number;
  mean: number;
  /** The first result: the replay worker's creation and the first replay, ms. */
  firstMs: number;
}

export interface ReplayResult {
  history: string;
  events: number;
  /** WORKFLOW_TASK_COMPLETED events of the history. */
  workflowTasks: number;
  shape: HistoryShape;
  /** Worker.runReplayHistory per replay (a replay worker created each time), ms. */
  single: { runs: number; median: number; p95: number };
  /** Worker.runReplayHistories on one worker: ms per history, and the first result (worker creation + first replay). */
  batch: BatchReplay;
  /**
   * The floor: a bare workflow history of the same shape (bench/workflows.ts bareShaped), recorded
   * on the given server and replayed like `batch`. Absent when no server address was given.
   */
  bare?: BatchReplay & { events: number; workflowTasks: number; shape: HistoryShape; recordMs: number };
}

type History = temporal.api.history.v1.IHistory;

/**
 * The longest completed case history (most events) in test/histories: a case from notice to its end
 * (the campaign, supervision and public-report workflows have histories of their own, not a case's).
 */
export function fullLifecycleHistory(dir = HISTORIES): { name: string; history: temporal.api.history.v1.History } {
  type Json = { events: { eventType: string; workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] };
  let best: { name: string; json: Json } | undefined;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const json = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Json;
    if (json.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name !== 'caseWorkflow') continue;
    if (json.events.at(-1)?.eventType !== 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED') continue;
    if (!best || json.events.length > best.json.events.length) best = { name: f, json };
  }
  if (!best) throw new Error(`no completed case history in ${dir}`);
  return { name: best.name, history: temporal.api.history.v1.History.fromObject(best.json) };
}

function countEvents(history: History, type: temporal.api.enums.v1.EventType): number {
  return (history.events ?? []).filter((e) => e.eventType === type).length;
}

/** What bareShaped needs to make a history of this one's shape. */
export function historyShape(history: History): HistoryShape {
  return {
    activities: countEvents(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    timers: countEvents(history, EventType.EVENT_TYPE_TIMER_STARTED),
    upserts: countEvents(history, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    updates: countEvents(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    localActivities: (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  };
}

export function workflowTasks(history: History): number {
  return countEvents(history, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
}

/** The bench's bare workflows (bench/workflows.ts), bundled as the worker bundles the case workflows. */
export function bundleBareWorkflows(): ReturnType<typeof bundleWorkflows> {
  return bundleWorkflows(require.resolve('./workflows'));
}

/** The no-op activity of the bare workflows. */
export const bareActivities: BareActivities = { noop: async (n: number) => n };

/**
 * Run bareShaped(shape) once on the server at `address` (a worker of this process's on a task queue
 * of its own), and return its history.
 */
export async function recordBareHistory(opts: { address: string; bundle: WorkflowBundle; shape: HistoryShape; timeoutMs?: number }): Promise<History> {
  const taskQueue = `bench-replay-bare-${Date.now().toString(36)}-${process.pid}`;
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const connection = await Connection.connect({ address: opts.address });
  try {
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: opts.bundle, activities: bareActivities });
    const client = new Client({ connection });
    return await worker.runUntil(async () => {
      const handle = await client.workflow.start(bareShaped, { taskQueue, workflowId: taskQueue, args: [opts.shape], workflowExecutionTimeout: opts.timeoutMs ?? 120_000 });
      await handle.result();
      return handle.fetchHistory();
    });
  } finally {
    await connection.close().catch(() => undefined);
    await nativeConnection.close().catch(() => undefined);
  }
}

/**
 * Worker.runReplayHistories over `warmups + runs + 1` copies of a history on one replay worker: the
 * time between consecutive results, the first result (worker creation) and the warm-ups left out.
 */
async function measureBatch(opts: { bundle: WorkflowBundle; history: History; name: string; runs: number; warmups: number; progress?: () => void }): Promise<BatchReplay> {
  const { runs, warmups, history, name } = opts;
  const copies = warmups + runs + 1;
  const per: number[] = [];
  const t0 = performance.now();
  let last = t0;
  let firstMs = NaN;
  let n = 0;
  const histories = (function* () {
    for (let i = 0; i < copies; i++) yield { workflowId: `replay-batch-${i}`, history };
  })();
  for await (const result of Worker.runReplayHistories({ workflowBundle: opts.bundle }, histories)) {
    if (result.error) throw new Error(`replay of ${name} failed: ${result.error.message}`);
    const now = performance.now();
    if (n === 0) firstMs = now - last;
    else if (n > warmups) per.push(now - last);
    last = now;
    n++;
    opts.progress?.();
  }
  const sorted = [...per].sort((a, b) => a - b);
  return { runs: per.length, median: percentile(sorted, 50), p95: percentile(sorted, 95), mean: per.reduce((a, b) => a + b, 0) / per.length, firstMs };
}

/** How many progress steps measureReplay reports. */
export function replaySteps(runs: number, warmups: number, bare: boolean): number {
  return 2 * (runs + warmups) + 1 + (bare ? runs + warmups + 1 : 0);
}

export async function measureReplay(opts: {
  bundle: WorkflowBundle;
  runs?: number;
  warmups?: number;
  progress?: (done: number) => void;
  /** A Temporal server to record the bare same-shape history on (the floor); none: no floor. */
  address?: string;
  /** The bench's bare workflows bundled (bundleBareWorkflows); bundled here when absent. */
  bareBundle?: WorkflowBundle;
  /** Where to take the history from (default test/histories; e.g. test/histories/before-local-steps for an A/B). */
  dir?: string;
}): Promise<ReplayResult> {
  const runs = opts.runs ?? 50;
  const warmups = opts.warmups ?? 5;
  const { name, history } = fullLifecycleHistory(opts.dir);
  const shape = historyShape(history);
  const options = { workflowBundle: opts.bundle };
  let done = 0;
  const step = () => opts.progress?.(++done);

  // The bare history first, while no replay worker has run in this process.
  let bareHistory: History | undefined;
  let bareBundle: WorkflowBundle | undefined;
  let recordMs = 0;
  if (opts.address) {
    bareBundle = opts.bareBundle ?? (await bundleBareWorkflows());
    const t0 = performance.now();
    bareHistory = await recordBareHistory({ address: opts.address, bundle: bareBundle, shape });
    recordMs = performance.now() - t0;
  }

  const single: number[] = [];
  for (let i = 0; i < warmups + runs; i++) {
    const t0 = performance.now();
    await Worker.runReplayHistory(options, history, `replay-${i}`);
    if (i >= warmups) single.push(performance.now() - t0);
    step();
  }
  const batch = await measureBatch({ bundle: opts.bundle, history, name, runs, warmups, progress: step });
  const bare =
    bareHistory && bareBundle
      ? {
          events: bareHistory.events?.length ?? 0,
          workflowTasks: workflowTasks(bareHistory),
          shape: historyShape(bareHistory),
          recordMs,
          ...(await measureBatch({ bundle: bareBundle, history: bareHistory, name: 'the bare same-shape history', runs, warmups, progress: step })),
        }
      : undefined;
  const s = latencies(single);
  return {
    history: name,
    events: history.events.length,
    workflowTasks: workflowTasks(history),
    shape,
    single: { runs, median: percentile([...single].sort((a, b) => a - b), 50), p95: s.p95 },
    batch,
    ...(bare ? { bare } : {}),
  };
}

/**
 * Run the measurement in a process of its own (the replay worker installs the SDK's promise hooks and
 * stack-trace handler in the thread it runs in, for good: they would slow whatever runs after it).
 * With `address`, the bare same-shape floor too (bareBundlePath: the bare workflows pre-bundled).
 */
export function measureReplayInChild(opts: { bundlePath: string; runs: number; warmups?: number; address?: string; bareBundlePath?: string }): Promise<ReplayResult> {
  const args = ['--bundle', opts.bundlePath, '--runs', String(opts.runs), '--warmups', String(opts.warmups ?? 5)];
  if (opts.address) args.push('--address', opts.address);
  if (opts.bareBundlePath) args.push('--bare-bundle', opts.bareBundlePath);
  return new Promise((resolve, reject) => {
    const child = fork(__filename, args, {
      cwd: path.join(__dirname, '..'),
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`replay measurement failed (${signal ?? `exit code ${code}`}): ${out.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ReplayResult);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

if (require.main === module) {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // Forked by the bench: do not outlive it.
  process.on('disconnect', () => process.exit(1));
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      warmups: { type: 'string', default: '5' },
      bundle: { type: 'string' },
      address: { type: 'string' },
      'bare-bundle': { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const warmups = Number(values.warmups);
  const bareBundlePath = values['bare-bundle'];
  (values.bundle ? Promise.resolve({ code: readFileSync(values.bundle, 'utf8') }) : bundleWorkflows())
    .then((bundle) =>
      measureReplay({
        bundle,
        runs,
        warmups,
        address: values.address,
        ...(values.dir ? { dir: path.resolve(values.dir) } : {}),
        bareBundle: bareBundlePath ? { code: readFileSync(bareBundlePath, 'utf8') } : undefined,
        progress: progressBar('replay       ', replaySteps(runs, warmups, !!values.address)),
      }),
    )
    .then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
