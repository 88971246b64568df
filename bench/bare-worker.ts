/**
 * The bare worker of the bench's scale step: bench/workflows.ts's workflows (bareLapse) and a no-op
 * activity, in a process of its own like the exitflow worker (bench/scale-worker.ts), so the lapse
 * backlog has a floor measured the same way (messages: bench/worker-process.ts). Configured by the
 * BARE_WORKER environment variable (JSON, see BareWorkerConfig).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { bareActivities } from './replay';
import { serveWorkerProcess } from './worker-process';

export interface BareWorkerConfig {
  temporalAddress: string;
  taskQueue: string;
  /** bench/workflows.ts bundled once by the parent (bundleWorkflowCode), so bundling does not count here. */
  bundlePath: string;
  /** The exitflow worker's workflow cache size (worker/worker.ts DEFAULT_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
}

serveWorkerProcess(async () => {
  const cfg = JSON.parse(process.env.BARE_WORKER ?? '') as BareWorkerConfig;
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  // The exitflow worker's cache size, the SDK's defaults otherwise (as worker/worker.ts leaves them).
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: cfg.taskQueue,
    workflowBundle: { codePath: cfg.bundlePath },
    activities: bareActivities,
    maxCachedWorkflows: cfg.maxCachedWorkflows,
  });
  return { worker, close: () => connection.close().catch(() => undefined) };
});
