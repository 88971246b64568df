/**
 * The bare worker of the bench's scale step: bench/workflows.ts's workflows (bareLapse) and a no-op
 * activity, in a process of its own like the exitflow worker (bench/scale-worker.ts), so the lapse
 * backlog has a floor measured the same way. Started by bench/scale.ts with child_process.fork;
 * configured by the BARE_WORKER environment variable (JSON, see BareWorkerConfig). It speaks the
 * scale worker's messages (ToWorker, FromWorker) and stops (gracefully) on 'stop', on SIGINT/SIGTERM,
 * and when the parent goes away.
 */
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { FromWorker, ToWorker } from './scale-worker';

export interface BareWorkerConfig {
  temporalAddress: string;
  taskQueue: string;
  /** bench/workflows.ts bundled once by the parent (bundleWorkflowCode), so bundling does not count here. */
  bundlePath: string;
  /** The exitflow worker's workflow cache size (worker/worker.ts DEFAULT_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
}

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cfg = JSON.parse(process.env.BARE_WORKER ?? '') as BareWorkerConfig;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  // The exitflow worker's cache size, the SDK's defaults otherwise (as worker/worker.ts leaves them).
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: cfg.taskQueue,
    workflowBundle: { codePath: cfg.bundlePath },
    activities: { noop: async (n: number) => n },
    maxCachedWorkflows: cfg.maxCachedWorkflows,
  });
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('message', (msg: ToWorker) => {
    if (msg.type === 'memory') send({ type: 'memory', id: msg.id, usage: process.memoryUsage() });
    else if (msg.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  const running = worker.run();
  send({ type: 'ready', startMs: performance.now() - t0, maxCachedWorkflows: worker.options.maxCachedWorkflows, heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20) });
  try {
    await running;
  } finally {
    await connection.close().catch(() => undefined);
  }
  send({ type: 'stopped' });
}

main().then(
  () => {
    if (process.connected) process.disconnect();
  },
  (err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    if (process.connected) process.disconnect();
  },
);
