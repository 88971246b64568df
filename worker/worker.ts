import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createActivities, type ActivityDeps } from '../activities';
import { dataConverterOf } from '../config/payload-codec';
import { temporalClient } from '../config/temporal-client';
import { WORKFLOW_TRACING_MODULE, workerTracing } from '../observability/tracing';
import { bundleWorkflows, prebuiltBundlePath } from './bundle';
import type { WorkerMetrics } from './metrics';

let runtimeInstalled = false;

/**
 * Route the SDK's own logs (with workflow and activity ids) into pino, once per process; with a
 * `prometheusBindAddress`, the SDK also serves its metrics there (worker/metrics.ts relays them).
 */
export function installRuntimeLogger(log: Logger, opts: { prometheusBindAddress?: string } = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (log.level === 'silent' ? 'ERROR' : log.level.toUpperCase()) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level === ('FATAL' as LogLevel) ? 'ERROR' : level, (entry) => {
      const fn = entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'WARN' ? 'warn' : entry.level === 'ERROR' ? 'error' : 'info';
      log[fn]({ ...entry.meta, sdk: true }, entry.message);
    }),
    ...(opts.prometheusBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.prometheusBindAddress } } } } : {}),
  });
}

export interface ExitflowWorkerOptions {
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE'> &
    Partial<Pick<Config, 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS' | 'WORKER_WORKFLOW_THREADS' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'PAYLOAD_CODEC_KEYS' | 'WORKFLOW_BUNDLE_PATH'>>;
  deps: ActivityDeps;
  connection?: NativeConnection;
  /**
   * A pre-built bundle (tests build it once per file); otherwise the one at WORKFLOW_BUNDLE_PATH
   * (npm run build:workflows), otherwise workflows/ is bundled at start (quietly).
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Counts activities by type and outcome (an activity interceptor) when given. */
  metrics?: WorkerMetrics;
}

/**
 * Cases kept in the worker's memory between their tasks. A case sleeps for months between events,
 * so keeping it cached buys little, and each cached case holds about 1.8 MiB (its own copy of the
 * bundle's modules; measured by bench/scale.ts). The SDK's default sizes the cache from the heap
 * limit: 2,310 cases and 4.4 GiB RSS on a 24 GiB machine. With 300 (and the heap limit below) the
 * worker stays near 1 GiB; a case that is not cached is replayed when it wakes (about 0.1 s of CPU
 * for a full lifecycle).
 */
/**
 * Threads running workflow code. The SDK's default with a reused V8 context is one, which the bench
 * found to be the bottleneck of opening cases on 2 cores (a new case's first workflow task creates its
 * workflow and runs its module code there): two threads opened 13.6 cases/s answered once the notice is
 * served against 8.9 with one, and served notices at 48.5/s against 35.5 (README, Performance).
 */
export const DEFAULT_WORKFLOW_THREADS = 2;

export const DEFAULT_MAX_CACHED_WORKFLOWS = 300;

/**
 * The worker process's V8 heap limit. Without it V8 sizes the heap from the machine's memory (4 GiB
 * here) and collects lazily, so RSS climbed past 2 GiB under load even with 300 cached cases; a
 * 768 MiB limit held it at 1.02–1.05 GiB (bench/scale.ts), so the limit is 640 MiB. Set where the
 * worker is started: `npm start`, the benchmark, the drill and docker-compose.yml
 * (`node --max-old-space-size=… dist/worker/main.js`).
 */
export const WORKER_HEAP_MIB = 640;
export const WORKER_NODE_OPTIONS = `--max-old-space-size=${WORKER_HEAP_MIB}`;

/** The worker that runs case workflows and their activities on the configured task queue. */
export async function createExitflowWorker(opts: ExitflowWorkerOptions): Promise<Worker> {
  const connection = opts.connection ?? (await NativeConnection.connect({ address: opts.config.TEMPORAL_ADDRESS }));
  // Tracing (observability/tracing.ts) when this process started it: RunActivity spans, and workflow spans through a sink.
  const tracing = workerTracing();
  const dataConverter = dataConverterOf(opts.config);
  return Worker.create({
    connection,
    namespace: opts.config.TEMPORAL_NAMESPACE,
    taskQueue: opts.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundleFor(opts, tracing !== undefined),
    // Payloads encrypted with PAYLOAD_CODEC_KEYS (config/payload-codec.ts); unencrypted ones pass as they are.
    ...(dataConverter ? { dataConverter } : {}),
    // The survey import opens cases as POST /cases does, starting their workflows: a client on this connection.
    activities: createActivities({ temporal: { client: temporalClient(connection, opts.config), taskQueue: opts.config.TEMPORAL_TASK_QUEUE }, ...opts.deps }),
    interceptors: {
      activity: [...(opts.metrics ? [opts.metrics.activityInterceptor()] : []), ...(tracing?.activity ?? [])],
    },
    ...(tracing ? { sinks: tracing.sinks } : {}),
    maxCachedWorkflows: opts.config.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    workflowThreadPoolSize: opts.config.WORKER_WORKFLOW_THREADS ?? DEFAULT_WORKFLOW_THREADS,
    ...(opts.config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS !== undefined ? { maxConcurrentWorkflowTaskExecutions: opts.config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS } : {}),
    ...(opts.config.WORKER_MAX_CONCURRENT_ACTIVITIES !== undefined ? { maxConcurrentActivityTaskExecutions: opts.config.WORKER_MAX_CONCURRENT_ACTIVITIES } : {}),
  });
}

/**
 * The bundle given, else the prebuilt one (its tracing variant when tracing), else built now with
 * the bundler silent (no webpack statistics in the worker's log) and the tracing interceptors when tracing.
 */
async function workflowBundleFor(opts: ExitflowWorkerOptions, tracing: boolean): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  if (opts.workflowBundle) return opts.workflowBundle;
  if (opts.config.WORKFLOW_BUNDLE_PATH) return { codePath: prebuiltBundlePath(opts.config.WORKFLOW_BUNDLE_PATH, tracing) };
  return bundleWorkflows({ interceptorModules: tracing ? [WORKFLOW_TRACING_MODULE] : [] });
}
