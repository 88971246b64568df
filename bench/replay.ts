/**
 * Replay time of a full-lifecycle case history: the longest recorded history in test/histories that
 * ends with the workflow completed (a case from notice to exit), replayed through the current
 * workflow bundle. Two measures, because they answer different questions:
 *   - single: Worker.runReplayHistory once per replay, as a determinism check would call it; each
 *     call creates (and shuts down) a replay worker, so this includes worker creation;
 *   - batch: Worker.runReplayHistories over many copies of the history on one replay worker; the
 *     time between consecutive results is the replay itself (the first result, which carries the
 *     worker's creation, is left out).
 * Usage alone: npx tsx bench/replay.ts [--runs 50] [--warmups 5] [--bundle workflow-bundle.js]
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from '../worker/bundle';
import { latencies, percentile, progressBar } from './lib';

const HISTORIES = path.join(__dirname, '..', 'test', 'histories');

export interface ReplayResult {
  history: string;
  events: number;
  /** Worker.runReplayHistory per replay (a replay worker created each time), ms. */
  single: { runs: number; median: number; p95: number };
  /** Worker.runReplayHistories on one worker: ms per history, and the first result (worker creation + first replay). */
  batch: { runs: number; median: number; p95: number; mean: number; firstMs: number };
}


/** The workflows bundled once, as a worker would load them. */

/** The longest completed history (most events) in test/histories. */
export function fullLifecycleHistory(dir = HISTORIES): { name: string; history: temporal.api.history.v1.History } {
  let best: { name: string; json: { events: { eventType: string }[] } } | undefined;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const json = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { events: { eventType: string }[] };
    if (json.events.at(-1)?.eventType !== 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED') continue;
    if (!best || json.events.length > best.json.events.length) best = { name: f, json };
  }
  if (!best) throw new Error(`no completed history in ${dir}`);
  return { name: best.name, history: temporal.api.history.v1.History.fromObject(best.json) };
}

export async function measureReplay(opts: { bundle: WorkflowBundle; runs?: number; warmups?: number; progress?: (done: number) => void }): Promise<ReplayResult> {
  const runs = opts.runs ?? 50;
  const warmups = opts.warmups ?? 5;
  const { name, history } = fullLifecycleHistory();
  const options = { workflowBundle: opts.bundle };

  const single: number[] = [];
  for (let i = 0; i < warmups + runs; i++) {
    const t0 = performance.now();
    await Worker.runReplayHistory(options, history, `replay-${i}`);
    if (i >= warmups) single.push(performance.now() - t0);
    opts.progress?.(i + 1);
  }

  const copies = warmups + runs + 1;
  const per: number[] = [];
  const t0 = performance.now();
  let last = t0;
  let firstMs = NaN;
  let n = 0;
  const histories = (function* () {
    for (let i = 0; i < copies; i++) yield { workflowId: `replay-batch-${i}`, history };
  })();
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) throw new Error(`replay of ${name} failed: ${result.error.message}`);
    const now = performance.now();
    if (n === 0) firstMs = now - last;
    else if (n > warmups) per.push(now - last);
    last = now;
    n++;
    opts.progress?.(warmups + runs + n);
  }
  const s = latencies(single);
  const sortedPer = [...per].sort((a, b) => a - b);
  return {
    history: name,
    events: history.events.length,
    single: { runs, median: percentile([...single].sort((a, b) => a - b), 50), p95: s.p95 },
    batch: { runs: per.length, median: percentile(sortedPer, 50), p95: percentile(sortedPer, 95), mean: per.reduce((a, b) => a + b, 0) / per.length, firstMs },
  };
}

/**
 * Run the measurement in a process of its own (the replay worker installs the SDK's promise hooks and
 * stack-trace handler in the thread it runs in, for good: they would slow whatever runs after it).
 */
export function measureReplayInChild(opts: { bundlePath: string; runs: number; warmups?: number }): Promise<ReplayResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--bundle', opts.bundlePath, '--runs', String(opts.runs), '--warmups', String(opts.warmups ?? 5)], {
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
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, warmups: { type: 'string', default: '5' }, bundle: { type: 'string' } } });
  const runs = Number(values.runs);
  const warmups = Number(values.warmups);
  (values.bundle ? Promise.resolve({ code: readFileSync(values.bundle, 'utf8') }) : bundleWorkflows())
    .then((bundle) => measureReplay({ bundle, runs, warmups, progress: progressBar('replay       ', 2 * (runs + warmups) + 1) }))
    .then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
