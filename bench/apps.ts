/**
 * exitflow's worker and API as the separate processes they are in production (`tsx worker/main.ts`,
 * `tsx api/main.ts`), each in its own process group so kill -9 takes the whole of it, with its output
 * in a log file. Used by the benchmark (so the load generator does not share an event loop with the
 * API or the worker) and by the drill (which kills them).
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { killGroup, sleep, spawnInGroup, terminate } from '../scripts/lib/processes';
import { WORKER_NODE_OPTIONS } from '../worker/worker';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export type App = 'worker' | 'api';

export interface AppProcess {
  child: ChildProcess;
  /** SIGKILL to the whole process group; resolves when it has gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful: in-flight tasks finish), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Start the worker or the API with `env`; for the API, resolve once `apiUrl`/health answers. */
export async function startApp(app: App, env: NodeJS.ProcessEnv, logDir: string, apiUrl?: string): Promise<AppProcess> {
  const log = openSync(path.join(logDir, `${app}.log`), 'a');
  const childEnv = app === 'worker' ? { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} ${WORKER_NODE_OPTIONS}`.trim() } : env;
  const child = spawnInGroup(TSX, [path.join(ROOT, app, 'main.ts')], { cwd: ROOT, env: childEnv, stdio: ['ignore', log, log] });
  closeSync(log);
  const proc: AppProcess = { child, kill: () => killGroup(child), stop: (graceMs = 10_000) => terminate(child, graceMs) };
  if (app === 'api' && apiUrl) {
    for (const until = Date.now() + 60_000; Date.now() < until; await sleep(200)) {
      if (child.exitCode !== null) throw new Error(`the API exited at start (see ${path.join(logDir, 'api.log')})`);
      if (await fetch(`${apiUrl}/health`).then(() => true, () => false)) return proc;
    }
    await proc.kill();
    throw new Error(`the API did not answer within 60 s (see ${path.join(logDir, 'api.log')})`);
  }
  return proc;
}
