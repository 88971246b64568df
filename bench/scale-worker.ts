/**
 * The exitflow worker of the bench's scale step, in a process of its own so that its memory can be
 * measured apart from the API, the SMTP sink and the bench itself. Started by bench/scale.ts with
 * child_process.fork (an IPC channel); configured by the SCALE_WORKER environment variable (JSON,
 * see ScaleWorkerConfig). Messages:
 *   parent → child: { type: 'memory', id } | { type: 'stop' }
 *   child → parent: { type: 'ready', startMs, maxCachedWorkflows, heapLimitMiB } | { type: 'memory', id, usage } | { type: 'stopped' } | { type: 'error', message }
 * It stops (gracefully) on 'stop', on SIGINT/SIGTERM, and when the parent goes away.
 */
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createMailer } from '../activities/mailer';
import { createPool } from '../db/pool';
import { createExitflowWorker } from '../worker/worker';

export interface ScaleWorkerConfig {
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  /** PostgreSQL pool size of the worker's activities. */
  poolMax: number;
  smtpUrl: string;
  platformBaseUrl: string;
  /** A workflow bundle built once by the parent (bundleWorkflowCode), so bundling does not count here. */
  bundlePath: string;
}

export type ToWorker = { type: 'memory'; id: number } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; startMs: number; maxCachedWorkflows: number; heapLimitMiB: number }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cfg = JSON.parse(process.env.SCALE_WORKER ?? '') as ScaleWorkerConfig;
  // Runtime.install's default shutdown signals (SIGINT, SIGTERM) make run() return after in-flight tasks.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const db = createPool(cfg.databaseUrl, cfg.poolMax);
  const mailer = createMailer(cfg.smtpUrl, 'exitflow <noreply@exitflow.local>');
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await createExitflowWorker({
    connection,
    config: { TEMPORAL_ADDRESS: cfg.temporalAddress, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: cfg.taskQueue },
    deps: { db, mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: cfg.platformBaseUrl },
    workflowBundle: { codePath: cfg.bundlePath },
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
    await db.end().catch(() => undefined);
    mailer.close();
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
