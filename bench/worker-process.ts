/**
 * The child side of the bench's worker processes (bench/scale-worker.ts, bench/bare-worker.ts),
 * started by bench/scale.ts with child_process.fork (an IPC channel). Messages:
 *   parent → child: { type: 'memory', id } | { type: 'stop' }
 *   child → parent: { type: 'ready', startMs, maxCachedWorkflows, heapLimitMiB } | { type: 'memory', id, usage } | { type: 'stopped' } | { type: 'error', message }
 * The worker stops (gracefully) on 'stop', on SIGINT/SIGTERM (Runtime.install's default shutdown
 * signals make run() return after in-flight tasks), and when the parent goes away.
 */
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';

export type ToWorker = { type: 'memory'; id: number } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; startMs: number; maxCachedWorkflows: number; heapLimitMiB: number }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

/** Create the worker with `start`, run it until told to stop, then `close` what start opened. */
export function serveWorkerProcess(start: () => Promise<{ worker: Worker; close: () => Promise<void> }>): void {
  const main = async () => {
    const t0 = performance.now();
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const { worker, close } = await start();
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
      await close();
    }
    send({ type: 'stopped' });
  };
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
}
