/** Runs `temporal server start-dev` as a child process, and registers search attributes on external clusters. */
import { execFile, spawn } from 'node:child_process';
import { openSync, closeSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeCliArgs } from '../../workflows/search-attributes';
import { freePort } from './ports';
import { exited, sleep, tail, terminate } from './processes';
import { resolveTemporalCli } from './temporal-bin';

export interface DevServer {
  address: string;
  uiUrl?: string;
  port: number;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistence; in-memory when absent. */
  dbFile?: string;
  /** Extra namespace to create ("default" always exists). */
  namespace?: string;
  logFile?: string;
  /** journal_mode=wal + synchronous=normal (default true; only matters with a dbFile). */
  pragmas?: boolean;
}

export const SQLITE_PRAGMA_ARGS = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;

/** The full argument list for `temporal`, exported so tests can reuse it. */
export function devServerArgs(o: { port: number; uiPort?: number; dbFile?: string; namespace?: string; pragmas?: boolean; noNewsFetch?: boolean }): string[] {
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(o.port), '--log-level', 'warn'];
  if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort), ...(o.noNewsFetch === false ? [] : ['--ui-disable-news-fetch']));
  else args.push('--headless');
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  if (o.namespace && o.namespace !== 'default') args.push('--namespace', o.namespace);
  args.push(
    '--dynamic-config-value', 'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
  );
  args.push(...searchAttributeCliArgs());
  if (o.dbFile && o.pragmas !== false) args.push(...SQLITE_PRAGMA_ARGS);
  return args;
}

/** Whether this CLI's `server start-dev` knows a flag (the go-built fallback CLI is older than the wheel's). */
async function supportsFlag(exe: string, flag: string): Promise<boolean> {
  const help = await new Promise<string>((resolve) => {
    execFile(exe, ['server', 'start-dev', '--help'], { timeout: 10_000 }, (_err, stdout) => resolve(String(stdout)));
  });
  return help.includes(flag);
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const exe = await resolveTemporalCli();
  const port = opts.port ?? (await freePort(HOST));
  const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await freePort(HOST)));
  if (opts.dbFile) await fs.mkdir(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  if (opts.logFile) await fs.mkdir(path.dirname(path.resolve(opts.logFile)), { recursive: true });

  const args = devServerArgs({ port, uiPort, dbFile: opts.dbFile, namespace: opts.namespace, pragmas: opts.pragmas, noNewsFetch: await supportsFlag(exe, '--ui-disable-news-fetch') });
  const logFd = opts.logFile ? openSync(opts.logFile, 'a') : undefined;
  const child = spawn(exe, args, {
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    detached: false,
  });
  if (logFd !== undefined) closeSync(logFd);

  let outTail = '';
  const keep = (d: Buffer) => (outTail = (outTail + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitInfo: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  child.once('exit', (code, signal) => (exitInfo = signal ?? `exit code ${code}`));

  const address = `${HOST}:${port}`;
  const stop = async () => {
    await terminate(child, 10_000);
  };
  const failure = async (why: string) => {
    await stop();
    const log = opts.logFile ? await fs.readFile(opts.logFile, 'utf8').catch(() => '') : outTail;
    return new Error(`Temporal dev server (${exe} ${args.join(' ')}) ${why}\n${tail(log, 3000)}`);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw await failure(`could not start: ${spawnError.message}`);
    if (exitInfo) throw await failure(`exited (${exitInfo}) before it was ready:`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        if (opts.namespace && opts.namespace !== 'default')
          await conn.workflowService.describeNamespace({ namespace: opts.namespace });
      } finally {
        await conn.close();
      }
      break;
    } catch {
      if (Date.now() > deadline) throw await failure(`did not answer on ${address} within ${READY_TIMEOUT_MS / 1000} s:`);
      await sleep(250);
    }
  }
  void exited(child);
  return { address, port, uiUrl: uiPort !== undefined ? `http://localhost:${uiPort}` : undefined, stop };
}

/** Register exitflow's custom search attributes on an external cluster (idempotent). */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    const existing = await conn.operatorService.listSearchAttributes({ namespace });
    const have = existing.customAttributes ?? {};
    const missing: Record<string, number> = {};
    for (const key of ALL_SEARCH_ATTRIBUTES) {
      if (have[key.name] === undefined) missing[key.name] = indexedValueType(key.type);
    }
    if (Object.keys(missing).length === 0) return;
    try {
      await conn.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    } catch (err) {
      // A concurrent caller may have added them first; only fail if still missing.
      const again = (await conn.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
      if (Object.keys(missing).some((n) => again[n] === undefined)) throw err;
    }
  } finally {
    await conn.close();
  }
}

/** SearchAttributeType ('KEYWORD', …) → temporal.api.enums.v1.IndexedValueType number. */
function indexedValueType(type: string): number {
  const map: Record<string, number> = {
    TEXT: 1,
    KEYWORD: 2,
    INT: 3,
    DOUBLE: 4,
    BOOL: 5,
    DATETIME: 6,
    KEYWORD_LIST: 7,
  };
  const v = map[type];
  if (v === undefined) throw new Error(`unknown search attribute type ${type}`);
  return v;
}
