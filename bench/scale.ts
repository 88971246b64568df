/**
 * Step 3 of `npm run bench`: scale. Against the bench's Temporal dev server (one SQLite file) and
 * PostgreSQL, with the exitflow worker in a process of its own (bench/scale-worker.ts) so that its
 * memory is its own:
 *   1. Replay: the longest full-lifecycle history replayed through the workflow bundle (bench/replay.ts).
 *   2. Scale: N cases opened through the API (Prefer: respond-async) while the worker serves their
 *      notices; stops early, and says why, on an error or when opening falls under a floor.
 *   3. Lapse: with the worker stopped, M cases opened whose rectification deadline has already passed
 *      (energy, notice served 8 months ago; the period is 6 months); then a fresh worker starts and
 *      the wall time until every one is escalated is measured. Deadlines end at 24:00 CST
 *      (domain/deadlines.ts deadlineInstant), so every deadline of a day lapses in the same minute;
 *      this backlog also includes serving the notices, which is more work than a midnight burst.
 *   4. Sizes of PostgreSQL and of the dev server's SQLite files.
 *   5. Bare lapse: the floor of 3 on this machine and server. M workflows of bench/workflows.ts
 *      bareLapse (one no-op activity, then done) started with the client on a task queue no worker
 *      polls, then a fresh bare worker process (bench/bare-worker.ts) starts and the wall time until
 *      every one is completed (visibility count) is measured.
 * The replay step measures its floor too: a bare history of the same shape (bench/replay.ts).
 * The workers' memory (process.memoryUsage over IPC) is sampled every second while they run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalClient } from '../config/temporal-client';
import pino from 'pino';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { mintToken } from '../api/auth';
import { createApp } from '../api/app';
import { DEVELOPMENT_JWT_SECRET } from '../config';
import { createPool, type Db } from '../db/pool';
import { addCalendarMonths, toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { startRecordingEndpoint } from '../scripts/lib/recording-endpoint';
import { terminate } from '../scripts/lib/processes';
import { creditCode, load1, pool, progressBar } from './lib';
import { bundleWorkflows } from '../worker/bundle';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../worker/worker';
import type { BareWorkerConfig } from './bare-worker';
import { bundleBareWorkflows, measureReplayInChild, type ReplayResult } from './replay';
import type { ScaleWorkerConfig } from './scale-worker';
import type { FromWorker, ToWorker } from './worker-process';
import { bareLapse } from './workflows';

export interface ScaleOptions {
  temporalAddress: string;
  databaseUrl: string;
  /** The dev server's SQLite file (its -wal and -shm files are counted too). */
  sqliteFile?: string;
  /** On the cluster tier instead: Temporal's PostgreSQL (a URL to any database there) and its databases. */
  temporalPostgres?: { url: string; databases: string[] };
  /** A folder of the bench's own, for the workflow bundle file. */
  workDir: string;
  scale: number;
  lapse: number;
  concurrency: number;
  /** Opening stops when fewer than floorPerSecond cases per second open over floorWindowMs. */
  floorPerSecond?: number;
  floorWindowMs?: number;
  /** Waiting for notices or escalations gives up after this long without progress. */
  stallMs?: number;
  /** Opening the scale step's cases stops after this many minutes (a session's time, not the system, is then what stopped it). */
  scaleMinutes?: number;
  replayRuns?: number;
  /** Write CPU profiles of the worker processes (every thread) into this folder (node --cpu-prof). */
  workerCpuProfDir?: string;
  /**
   * --max-old-space-size of the worker processes, in MiB (node's default when absent). The SDK sizes
   * its workflow cache from this limit (maxCachedWorkflows ≈ (limit − 200 MiB) × 600 / 1024), so it
   * bounds the worker's memory without touching worker/worker.ts.
   */
  workerHeapMiB?: number;
}

export interface MemoryPeak {
  /** The worker's workflow cache size (the SDK's default follows the heap limit) and V8 heap limit. */
  maxCachedWorkflows: number;
  heapLimitMiB: number;
  samples: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** RSS just after the worker was ready (before any task). */
  rssAtReady: number;
  rssAtEnd: number;
}

/** A figure with the 1-minute load average at the moment it was taken. */
export interface Loaded<T> {
  value: T;
  load: string;
}

export interface ScaleResult {
  note: string;
  memoryNote: string;
  bundleMs: number;
  replay: ReplayResult & { load: string };
  scale: {
    requested: number;
    enterprises: number;
    /** The largest N reached: cases opened without an error. */
    opened: number;
    openSeconds: number;
    opensPerSecond: Loaded<number>;
    /** Why opening stopped before N, if it did. */
    stoppedBy: string | null;
    /** Notices served (the case left `opened`) by the end of the wait, and when, from the first open. */
    noticesServed: number;
    /** Why waiting for the notices ended before all were served, if it did. */
    noticesStoppedBy: string | null;
    noticesSeconds: Loaded<number | null>;
    workerMemory: MemoryPeak;
  };
  lapse: {
    requested: number;
    opened: number;
    openSeconds: number;
    stoppedBy: string | null;
    noticeServedOn: string;
    workerStartMs: number;
    /** From the fresh worker being ready: all notices served, and all escalated (null: not reached). */
    noticesSeconds: Loaded<number | null>;
    escalatedSeconds: Loaded<number | null>;
    escalated: number;
    /** Why waiting for the escalations ended before all were escalated, if it did. */
    waitStoppedBy: string | null;
    workerMemory: MemoryPeak;
  };
  /**
   * The floor of the lapse backlog: M bare workflows (bench/workflows.ts bareLapse: one no-op
   * activity) started with no worker polling, then a fresh bare worker process; the same M.
   */
  bareLapse: {
    taskQueue: string;
    requested: number;
    started: number;
    startSeconds: number;
    /** Why starting stopped before M, or why the step failed, if it did. */
    stoppedBy: string | null;
    workerStartMs: number;
    /** From the bare worker being ready until all started workflows were completed (null: not reached). */
    seconds: Loaded<number | null>;
    /** Completed per second over `seconds` (null: not reached). */
    perSecond: number | null;
    completed: number;
    /** Why waiting for the completions ended before all were completed, if it did. */
    waitStoppedBy: string | null;
    workerMemory: MemoryPeak;
  };
  sizes: Loaded<{ postgresBytes: number; sqliteBytes: number; sqliteFiles: Record<string, number>; temporalPostgresBytes?: Record<string, number> }>;
  workerLog: string[];
}

const TOKENS = { secret: DEVELOPMENT_JWT_SECRET, issuer: 'exitflow', audience: 'exitflow-api' };
const TASK_QUEUE = 'bench-scale';
const CASES_PER_ENTERPRISE = 10;
const WORKER_POOL_MAX = 20;
const silentLogger = pino({ level: 'silent' });

// ---- the worker process ----------------------------------------------------------------------

interface WorkerProcess {
  child: ChildProcess;
  /** Set when the process has exited, e.g. "exit code 1", "SIGKILL". */
  exitInfo(): string | undefined;
  ready: Promise<number>;
  memory: MemoryPeak;
  log: string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** exitflow's worker (bench/scale-worker.ts) or the bare one (bench/bare-worker.ts): the same messages. */
type WorkerSpec = { kind: 'exitflow'; config: ScaleWorkerConfig } | { kind: 'bare'; config: BareWorkerConfig };

function startWorkerProcess(spec: WorkerSpec, cpuProfDir?: string, heapMiB?: number): WorkerProcess {
  const [script, envName, label] = spec.kind === 'bare' ? ['bare-worker.ts', 'BARE_WORKER', 'bare worker'] : ['scale-worker.ts', 'SCALE_WORKER', 'scale worker'];
  const child = fork(path.join(__dirname, script), [], {
    cwd: path.join(__dirname, '..'),
    execArgv: ['--import', 'tsx', ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProfDir)] : []), ...(heapMiB ? [`--max-old-space-size=${heapMiB}`] : [])],
    env: { ...process.env, [envName]: JSON.stringify(spec.config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log: string[] = [];
  const keep = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.trim() && !/nodedir/.test(line)) log.push(line.slice(0, 500));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const memory: MemoryPeak = { maxCachedWorkflows: 0, heapLimitMiB: 0, samples: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, rssAtReady: 0, rssAtEnd: 0 };
  let sampler: NodeJS.Timeout | undefined;
  let id = 0;
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitInfo = signal ?? `exit code ${code}`;
      if (sampler) clearInterval(sampler);
      resolve();
    }),
  );
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} not ready within 120 s\n${log.slice(-20).join('\n')}`)), 120_000);
    child.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        memory.maxCachedWorkflows = msg.maxCachedWorkflows;
        memory.heapLimitMiB = msg.heapLimitMiB;
        resolve(msg.startMs);
        const ask = () => {
          if (child.connected) child.send({ type: 'memory', id: ++id } satisfies ToWorker);
        };
        ask();
        sampler = setInterval(ask, 1000);
      } else if (msg.type === 'memory') {
        const u = msg.usage;
        if (memory.samples === 0) memory.rssAtReady = u.rss;
        memory.samples++;
        memory.rss = Math.max(memory.rss, u.rss);
        memory.heapUsed = Math.max(memory.heapUsed, u.heapUsed);
        memory.heapTotal = Math.max(memory.heapTotal, u.heapTotal);
        memory.external = Math.max(memory.external, u.external);
        memory.rssAtEnd = u.rss;
      } else if (msg.type === 'error') {
        log.push(msg.message);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
      reject(new Error(`${label} exited (${signal ?? `code ${code}`}) before it was ready\n${log.slice(-20).join('\n')}`));
    });
  });
  ready.catch(() => undefined);
  const kill = async () => {
    if (sampler) clearInterval(sampler);
    await terminate(child, 10_000);
  };
  return {
    child,
    exitInfo: () => exitInfo,
    ready,
    memory,
    log,
    kill,
    async stop() {
      if (sampler) clearInterval(sampler);
      if (child.connected) child.send({ type: 'stop' } satisfies ToWorker);
      const t = setTimeout(() => void kill(), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

// ---- an SMTP server that counts and forgets ----------------------------------------------------

/** Like scripts/lib/smtp-sink, but it neither parses nor keeps mails: at 100,000 cases those would not fit. */
async function startCountingSink(): Promise<{ smtpUrl: string; count: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      stream.on('error', callback);
      stream.on('end', () => {
        count++;
        callback();
      });
      stream.resume();
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { smtpUrl: `smtp://127.0.0.1:${port}`, count: () => count, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

// ---- opening many cases, with a floor --------------------------------------------------------

interface Opened {
  done: number;
  ms: number;
  stoppedBy: string | null;
}

/**
 * Run fn(i) for i < count at `concurrency`, stopping at the first error or when fewer than
 * floorPerSecond complete over the last floorWindowMs.
 */
async function openMany(count: number, concurrency: number, fn: (i: number) => Promise<void>, label: string, floorPerSecond: number, floorWindowMs: number, budgetMs = Infinity): Promise<Opened> {
  const bar = progressBar(label, count);
  let next = 0;
  let done = 0;
  let stoppedBy: string | null = null;
  const t0 = performance.now();
  const history: { t: number; done: number }[] = [{ t: t0, done: 0 }];
  const monitor = setInterval(() => {
    const now = performance.now();
    history.push({ t: now, done });
    while (history.length > 2 && history[1]!.t <= now - floorWindowMs) history.shift();
    const first = history[0]!;
    if (!stoppedBy && now - t0 >= budgetMs) stoppedBy = `the run's time budget (--scale-minutes ${Math.round(budgetMs / 60_000)}) ran out, not the system: ${done} opened, still ${((done / (now - t0)) * 1000).toFixed(1)}/s`;
    if (!stoppedBy && now - first.t >= floorWindowMs && done - first.done < (floorPerSecond * floorWindowMs) / 1000) {
      stoppedBy = `opening fell under ${floorPerSecond} cases/s: ${done - first.done} in the last ${Math.round((now - first.t) / 1000)} s`;
    }
  }, 1000);
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count && !stoppedBy) {
          const i = next++;
          try {
            await fn(i);
            bar(++done);
          } catch (err) {
            stoppedBy ??= `case ${i} failed after ${done} opened: ${err instanceof Error ? err.message : String(err)}`.slice(0, 600);
          }
        }
      }),
    );
  } finally {
    clearInterval(monitor);
  }
  if (stoppedBy) process.stderr.write(`\n${label}: stopped: ${stoppedBy}\n`);
  return { done, ms: performance.now() - t0, stoppedBy };
}

/** Poll until check() reaches target, or nothing moved for stallMs. Resolves with when each counter first reached the target. */
async function waitForCounts(
  check: () => Promise<{ served: number; escalated: number }>,
  target: { served: number; escalated?: number },
  label: string,
  stallMs: number,
  intervalMs: number,
  aborted: () => string | undefined,
): Promise<{ servedMs: number | null; escalatedMs: number | null; last: { served: number; escalated: number }; stoppedBy: string | null }> {
  const total = target.escalated ?? target.served;
  const bar = progressBar(label, total);
  const t0 = performance.now();
  let servedMs: number | null = null;
  let escalatedMs: number | null = null;
  let last = { served: -1, escalated: -1 };
  let moved = t0;
  for (;;) {
    const now = await check();
    const t = performance.now();
    if (now.served !== last.served || now.escalated !== last.escalated) moved = t;
    last = now;
    if (servedMs === null && now.served >= target.served) servedMs = t - t0;
    if (target.escalated !== undefined && escalatedMs === null && now.escalated >= target.escalated) escalatedMs = t - t0;
    bar(Math.min(total, target.escalated !== undefined ? now.escalated : now.served));
    const finished = servedMs !== null && (target.escalated === undefined || escalatedMs !== null);
    if (finished) return { servedMs, escalatedMs, last, stoppedBy: null };
    const abort = aborted();
    const stoppedBy = abort ?? (t - moved > stallMs ? `no progress for ${Math.round(stallMs / 1000)} s` : undefined);
    if (stoppedBy) {
      process.stderr.write(`\n${label}: ${stoppedBy}; giving up (${now.served} served, ${now.escalated} escalated)\n`);
      return { servedMs, escalatedMs, last, stoppedBy };
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** pg_database_size of each database on the server `url` points at. */
async function databaseSizes(url: string, databases: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const d of databases) out[d] = Number((await client.query<{ size: string }>('SELECT pg_database_size($1)::text AS size', [d])).rows[0]!.size);
    return out;
  } finally {
    await client.end();
  }
}

async function fileSize(file: string): Promise<number> {
  return fs.stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

// ---- the step ----------------------------------------------------------------------------------

export async function runScale(o: ScaleOptions): Promise<ScaleResult> {
  const floorPerSecond = o.floorPerSecond ?? 5;
  const floorWindowMs = o.floorWindowMs ?? 30_000;
  const stallMs = o.stallMs ?? 120_000;
  const cleanups: (() => Promise<unknown>)[] = [];
  const workers: WorkerProcess[] = [];
  try {
    // The bundle once: the replay and both worker processes load it (bundling is not worker memory).
    // Building it here is the only time this process runs workflow-SDK code (see measureReplayInChild).
    const tb = performance.now();
    const bundle = await bundleWorkflows();
    const bundleMs = performance.now() - tb;
    const bundlePath = path.join(o.workDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);
    // bench/workflows.ts likewise, for the floors (the bare replay and the bare worker).
    const bareBundlePath = path.join(o.workDir, 'bare-workflow-bundle.js');
    writeFileSync(bareBundlePath, (await bundleBareWorkflows()).code);

    // 1. Replay, on a machine the other parts of this step do not load yet, in a process of its own;
    // with its floor, a bare history of the same shape recorded on the bench's dev server.
    const replay = await measureReplayInChild({ bundlePath, runs: o.replayRuns ?? 50, warmups: 5, address: o.temporalAddress, bareBundlePath });
    const replayLoad = load1();

    const [sink, platforms] = await Promise.all([startCountingSink(), startRecordingEndpoint()]);
    cleanups.push(() => sink.stop(), () => platforms.stop());
    const db: Db = createPool(o.databaseUrl, 20);
    cleanups.push(() => db.end());
    const connection = await Connection.connect({ address: o.temporalAddress });
    cleanups.push(() => connection.close());
    // With PAYLOAD_CODEC_KEYS in the environment the workers (which inherit it) and this client encrypt: the benchmark then measures the codec.
    const temporal = temporalClient(connection, { PAYLOAD_CODEC_KEYS: process.env.PAYLOAD_CODEC_KEYS });
    const config = { TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: TASK_QUEUE, TEMPORAL_UI_URL: 'http://localhost:8233', PUBLIC_BASE_URL: 'http://localhost:3000', AUTH_JWT_SECRET: TOKENS.secret, AUTH_JWT_ISSUER: TOKENS.issuer, AUTH_JWT_AUDIENCE: TOKENS.audience };
    const mailerStub = { async send() {}, async verify() {}, close() {} };
    const server = createApp({ config, db, temporal, mailer: mailerStub, log: silentLogger }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const official: Principal = { sub: 'bench', name: '基准测试', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' };
    const auth = `Bearer ${await mintToken(official, TOKENS, '12h')}`; // the longest lifetime the API accepts
    const post = async (p: string, body: unknown, extra: Record<string, string> = {}) => {
      const res = await fetch(`${base}${p}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json', ...extra }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${p}: ${res.status} ${(await res.text()).slice(0, 400)}`);
      await res.arrayBuffer();
    };
    const register = async (prefix: string, cases: number) => {
      const count = Math.ceil(cases / CASES_PER_ENTERPRISE);
      await pool(count, o.concurrency, (i) =>
        post('/api/v1/enterprises', { creditCode: creditCode(i, prefix), name: `规模测试企业${prefix}${i}`, regionCode: '410102', industry: 'steel', contact: { name: '王', email: `${prefix.toLowerCase()}${i}@bench.example.cn` }, facilities: [{ id: 'L1', name: '1号线', kind: 'production_line', capacity: 10, unit: '万吨/年' }] }),
        progressBar(`enterprises ${prefix}`, count),
      );
      return count;
    };
    const run = Date.now().toString(36).toUpperCase();
    const counts = (prefix: string) => async () => {
      const { rows } = await db.query<{ served: number; escalated: number }>(
        `SELECT count(*) FILTER (WHERE stage <> 'opened')::int AS served,
                count(*) FILTER (WHERE overdue AND stage = 'closure_proposed')::int AS escalated
           FROM cases WHERE case_number LIKE $1`,
        [`${prefix}-%`],
      );
      return rows[0]!;
    };
    const workerConfig: ScaleWorkerConfig = { temporalAddress: o.temporalAddress, taskQueue: TASK_QUEUE, databaseUrl: o.databaseUrl, poolMax: WORKER_POOL_MAX, smtpUrl: sink.smtpUrl, platformBaseUrl: platforms.url, bundlePath };
    const today = toLegalDate(new Date().toISOString());
    const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
    const workerGone = (w: WorkerProcess) => () => {
      const info = w.exitInfo();
      return info ? `the worker process exited (${info}): ${w.log.slice(-3).join(' / ').slice(0, 400)}` : undefined;
    };

    // 2. Scale: N cases, served today, while the worker serves their notices.
    const scalePrefix = `SCALE-${run}`;
    const w1 = startWorkerProcess({ kind: 'exitflow', config: workerConfig }, o.workerCpuProfDir, o.workerHeapMiB);
    workers.push(w1);
    await w1.ready;
    let scaleEnterprises = 0;
    let scaleOpen: Opened = { done: 0, ms: 0, stoppedBy: null };
    try {
      scaleEnterprises = await register('C', o.scale);
    } catch (err) {
      scaleOpen.stoppedBy = `registering enterprises failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!scaleOpen.stoppedBy && o.scale > 0) {
      scaleOpen = await openMany(
        o.scale,
        o.concurrency,
        (i) => post('/api/v1/cases', { creditCode: creditCode(Math.floor(i / CASES_PER_ENTERPRISE), 'C'), caseNumber: `${scalePrefix}-${i}`, dimension: 'energy', department: 'industry_it', legalBasis: '基准测试', noticeServedOn: today, facilityIds: ['L1'] }, { Prefer: 'respond-async' }),
        'cases opened ',
        floorPerSecond,
        floorWindowMs,
        o.scaleMinutes ? o.scaleMinutes * 60_000 : Infinity,
      );
    }
    const opensLoad = load1();
    const scaleNotices = scaleOpen.done
      ? await waitForCounts(counts(scalePrefix), { served: scaleOpen.done }, 'notices served', stallMs, 2000, workerGone(w1))
      : { servedMs: null, last: { served: 0, escalated: 0 }, stoppedBy: null };
    const scaleNoticesLoad = load1();
    await w1.stop();

    // 3. Lapse: a backlog of M lapsed deadlines, opened with no worker running, then a fresh worker.
    const lapsePrefix = `LAPSE-${run}`;
    const servedOn = addCalendarMonths(today, -8);
    let lapseOpen: Opened = { done: 0, ms: 0, stoppedBy: null };
    try {
      await register('L', o.lapse);
    } catch (err) {
      lapseOpen.stoppedBy = `registering enterprises failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!lapseOpen.stoppedBy && o.lapse > 0) {
      lapseOpen = await openMany(
        o.lapse,
        o.concurrency,
        (i) => post('/api/v1/cases', { creditCode: creditCode(Math.floor(i / CASES_PER_ENTERPRISE), 'L'), caseNumber: `${lapsePrefix}-${i}`, dimension: 'energy', department: 'industry_it', legalBasis: '基准测试', noticeServedOn: servedOn, facilityIds: ['L1'] }, { Prefer: 'respond-async' }),
        'lapsed opened',
        floorPerSecond,
        floorWindowMs,
      );
    }
    const w2 = startWorkerProcess({ kind: 'exitflow', config: workerConfig }, o.workerCpuProfDir, o.workerHeapMiB);
    workers.push(w2);
    const workerStartMs = await w2.ready;
    const lapse = lapseOpen.done
      ? await waitForCounts(counts(lapsePrefix), { served: lapseOpen.done, escalated: lapseOpen.done }, 'escalated    ', stallMs, 500, workerGone(w2))
      : { servedMs: null, escalatedMs: null, last: { served: 0, escalated: 0 }, stoppedBy: null };
    const lapseLoad = load1();
    await w2.stop();

    // 4. Sizes, once the worker is done writing.
    const { rows } = await db.query<{ size: string }>(`SELECT pg_database_size(current_database())::text AS size`);
    const sqliteFiles: Record<string, number> = {};
    if (o.sqliteFile) for (const suffix of ['', '-wal', '-shm']) sqliteFiles[path.basename(o.sqliteFile) + suffix] = await fileSize(o.sqliteFile + suffix);
    const temporalPostgresBytes = o.temporalPostgres ? await databaseSizes(o.temporalPostgres.url, o.temporalPostgres.databases) : undefined;
    const sizesLoad = load1();

    // 5. Bare lapse: the floor of 3, the same M bare workflows, started with no worker, then a fresh bare worker.
    const bareQueue = `bench-bare-lapse-${run.toLowerCase()}`;
    const bare: ScaleResult['bareLapse'] = {
      taskQueue: bareQueue,
      requested: o.lapse,
      started: 0,
      startSeconds: 0,
      stoppedBy: null,
      workerStartMs: 0,
      seconds: { value: null, load: load1() },
      perSecond: null,
      completed: 0,
      waitStoppedBy: null,
      workerMemory: { maxCachedWorkflows: 0, heapLimitMiB: 0, samples: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, rssAtReady: 0, rssAtEnd: 0 },
    };
    let wb: WorkerProcess | undefined;
    if (o.lapse > 0) {
      try {
        const bareId = (i: number) => `${bareQueue}-${i}`;
        const bareOpen = await openMany(
          o.lapse,
          o.concurrency,
          async (i) => void (await temporal.workflow.start(bareLapse, { taskQueue: bareQueue, workflowId: bareId(i), args: [i] })),
          'bare started ',
          floorPerSecond,
          floorWindowMs,
        );
        bare.started = bareOpen.done;
        bare.startSeconds = bareOpen.ms / 1000;
        bare.stoppedBy = bareOpen.stoppedBy;
        // Completions by the bench dev server's visibility count.
        const completed = async () => (await temporal.workflow.count(`TaskQueue="${bareQueue}" AND ExecutionStatus="Completed"`)).count;
        if (bare.started > 0) {
          wb = startWorkerProcess({ kind: 'bare', config: { temporalAddress: o.temporalAddress, taskQueue: bareQueue, bundlePath: bareBundlePath, maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS } }, o.workerCpuProfDir, o.workerHeapMiB);
          workers.push(wb);
          bare.workerStartMs = await wb.ready;
          const waited = await waitForCounts(
            async () => {
              const n = await completed();
              return { served: n, escalated: n };
            },
            { served: bare.started },
            'bare done    ',
            stallMs,
            500,
            workerGone(wb),
          );
          bare.completed = waited.last.served;
          bare.waitStoppedBy = waited.stoppedBy;
          bare.seconds = { value: seconds(waited.servedMs), load: load1() };
          bare.perSecond = waited.servedMs ? (bare.started / waited.servedMs) * 1000 : null;
          await wb.stop();
        }
      } catch (err) {
        const failed = `the bare lapse step failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 600);
        bare.stoppedBy = bare.stoppedBy ? `${bare.stoppedBy}; ${failed}` : failed;
        process.stderr.write(`\nbare lapse: ${failed}\n`);
      }
      if (wb) bare.workerMemory = { ...wb.memory };
    }

    return {
      note: 'The lapse figure is a backlog: the worker was stopped while M cases whose deadline had already passed were opened, then started; it serves each notice, finds the deadline passed, escalates and proposes closure (about 10 activities and 4 e-mails a case). A midnight burst of timers on cases already in rectification is less work. The bare Temporal floors are the same measures of workflows that do nothing but have the same shape, on the same dev server and machine: the lapse floor completes M one-activity workflows (bench/workflows.ts bareLapse) with a fresh bare worker (same heap limit and cache size), counted by the dev server\'s visibility (exitflow\'s escalations are counted in PostgreSQL); the replay floor replays a bare history with the exitflow history\'s activities, timers, upserts and workflow tasks (updates stand in as extra activities; bench/workflows.ts bareShaped). exitflow ÷ bare is how far exitflow is from what the SDK and the dev server reach on this machine.',
      memoryNote: 'Heap figures are the worker process\'s main thread (activities, SDK); workflows run in the SDK\'s workflow thread, whose V8 heap counts only in RSS. The SDK sizes its workflow cache from the heap limit (maxCachedWorkflows ≈ (limit − 200 MiB) × 600 / 1024): about 1.7 MiB a cached workflow.',
      bundleMs,
      replay: { ...replay, load: replayLoad },
      scale: {
        requested: o.scale,
        enterprises: scaleEnterprises,
        opened: scaleOpen.done,
        openSeconds: scaleOpen.ms / 1000,
        opensPerSecond: { value: scaleOpen.ms ? (scaleOpen.done / scaleOpen.ms) * 1000 : 0, load: opensLoad },
        stoppedBy: scaleOpen.stoppedBy,
        noticesServed: scaleNotices.last.served,
        noticesStoppedBy: scaleNotices.stoppedBy,
        noticesSeconds: { value: scaleNotices.servedMs === null ? null : (scaleOpen.ms + scaleNotices.servedMs) / 1000, load: scaleNoticesLoad },
        workerMemory: { ...w1.memory },
      },
      lapse: {
        requested: o.lapse,
        opened: lapseOpen.done,
        openSeconds: lapseOpen.ms / 1000,
        stoppedBy: lapseOpen.stoppedBy,
        noticeServedOn: servedOn,
        workerStartMs,
        noticesSeconds: { value: seconds(lapse.servedMs), load: lapseLoad },
        escalatedSeconds: { value: seconds(lapse.escalatedMs), load: lapseLoad },
        escalated: lapse.last.escalated,
        waitStoppedBy: lapse.stoppedBy,
        workerMemory: { ...w2.memory },
      },
      bareLapse: bare,
      sizes: { value: { postgresBytes: Number(rows[0]!.size), sqliteBytes: Object.values(sqliteFiles).reduce((a, b) => a + b, 0), sqliteFiles, temporalPostgresBytes }, load: sizesLoad },
      workerLog: [...w1.log, ...w2.log, ...(wb?.log ?? [])].slice(-40),
    };
  } finally {
    await Promise.allSettled(workers.map((w) => w.kill()));
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

// ---- the table ---------------------------------------------------------------------------------

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export function scaleTable(r: ScaleResult): string[] {
  const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
  const secs = (s: number | null) => (s === null ? 'not reached' : `${s.toFixed(1)} s`);
  const mem = (m: MemoryPeak) =>
    `RSS ${mib(m.rss)} (at ready ${mib(m.rssAtReady)}, at end ${mib(m.rssAtEnd)}); main-thread heap used ${mib(m.heapUsed)} / total ${mib(m.heapTotal)}, external ${mib(m.external)}; cache ${m.maxCachedWorkflows} workflows, heap limit ${m.heapLimitMiB} MiB`;
  const memOk = (m: MemoryPeak) => (m.rss <= GiB ? 'met' : 'MISSED');
  // Issue 16's targets are ratios to bare Temporal on the same machine and server: the backlog's
  // escalation rate at least half the bare one-activity floor's (results from before the floor was
  // measured are judged by the earlier absolute target, 10,000 within 60 s).
  const lapseVerdict = (escalated: number, seconds: number | null) => {
    if (seconds === null || escalated === 0) return 'rate ≥ 0.5× bare: MISSED (nothing escalated)';
    const rate = escalated / seconds;
    const bare = (r.bareLapse as ScaleResult['bareLapse'] | undefined)?.perSecond;
    if (bare) return `rate ≥ 0.5× bare: ${rate / bare >= 0.5 ? 'met' : 'MISSED'} (${(rate / bare).toFixed(2)}×)`;
    return `10,000 within 60 s: ${rate * 60 >= 10_000 ? 'met' : 'MISSED'}`;
  };
  const replayVerdict = () => {
    const tasks = r.replay.workflowTasks;
    const vsBare = r.replay.bare ? r.replay.batch.median / r.replay.bare.median : null;
    const t = tasks ? `≤ 25 workflow tasks: ${tasks <= 25 ? 'met' : 'MISSED'}` : '';
    const b = vsBare !== null ? `≤ 1.2× bare: ${vsBare <= 1.2 ? 'met' : 'MISSED'}` : `< 20 ms: ${r.replay.batch.median < 20 ? 'met' : 'MISSED'}`;
    return [t, b].filter(Boolean).join('; ');
  };
  // The floors: bare Temporal, same shape, same machine (absent in results from before they were measured).
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
  const lapseRate = r.lapse.escalatedSeconds.value ? r.lapse.escalated / r.lapse.escalatedSeconds.value : null;
  const bl = r.bareLapse as ScaleResult['bareLapse'] | undefined;
  const bareReplay = r.replay.bare;
  const shape = (s: ReplayResult['shape']) => `${s.activities} activities, ${s.localActivities ?? 0} local activities, ${s.timers} timers, ${s.upserts} upserts, ${s.updates} updates`;
  const lines = [
    '| measure | value | target | load (1 min) |',
    '| --- | --- | --- | --- |',
    `| scale: cases opened (largest N reached of ${r.scale.requested}) | ${r.scale.opened}${r.scale.stoppedBy ? ` — stopped: ${r.scale.stoppedBy.replace(/\|/g, '/').replace(/\n/g, ' ')}` : ''} | 100,000 | ${r.scale.opensPerSecond.load} |`,
    `| scale: cases opened per s (respond-async, worker serving notices) | ${r.scale.opensPerSecond.value.toFixed(1)} over ${r.scale.openSeconds.toFixed(1)} s | | ${r.scale.opensPerSecond.load} |`,
    `| scale: all ${r.scale.opened} notices served, from the first open | ${secs(r.scale.noticesSeconds.value)} (${r.scale.noticesServed} served${r.scale.noticesStoppedBy ? `; stopped: ${r.scale.noticesStoppedBy.replace(/\|/g, '/')}` : ''}) | | ${r.scale.noticesSeconds.load} |`,
    `| scale: worker peak memory (${r.scale.workerMemory.samples} samples) | ${mem(r.scale.workerMemory)} | RSS ≤ 1 GiB: ${memOk(r.scale.workerMemory)} | ${r.scale.noticesSeconds.load} |`,
    `| lapse backlog: cases opened with no worker (deadline passed, served ${r.lapse.noticeServedOn}) | ${r.lapse.opened} of ${r.lapse.requested} in ${r.lapse.openSeconds.toFixed(1)} s${r.lapse.stoppedBy ? ` — stopped: ${r.lapse.stoppedBy.replace(/\|/g, '/')}` : ''} | 10,000 | ${r.lapse.escalatedSeconds.load} |`,
    `| lapse backlog: all notices served, from worker ready (start ${(r.lapse.workerStartMs / 1000).toFixed(1)} s) | ${secs(r.lapse.noticesSeconds.value)} | | ${r.lapse.noticesSeconds.load} |`,
    `| lapse backlog: all escalated (overdue, closure_proposed), from worker ready | ${secs(r.lapse.escalatedSeconds.value)} (${r.lapse.escalated} escalated${lapseRate ? `, ${lapseRate.toFixed(1)}/s` : ''}${r.lapse.waitStoppedBy ? `; stopped: ${r.lapse.waitStoppedBy.replace(/\|/g, '/')}` : ''})${bl ? `; bare Temporal ${secs(bl.seconds.value)}${bl.perSecond ? ` (${bl.perSecond.toFixed(1)}/s)` : ''}: rate ${ratio(lapseRate, bl.perSecond)} bare's` : ''} | ${lapseVerdict(r.lapse.escalated, r.lapse.escalatedSeconds.value)} | ${r.lapse.escalatedSeconds.load} |`,
    `| lapse backlog: worker peak memory (${r.lapse.workerMemory.samples} samples) | ${mem(r.lapse.workerMemory)} | RSS ≤ 1 GiB: ${memOk(r.lapse.workerMemory)} | ${r.lapse.escalatedSeconds.load} |`,
    ...(bl
      ? [
          `| lapse floor, bare Temporal: workflows of one no-op activity started with no worker (client, concurrency as above) | ${bl.started} of ${bl.requested} in ${bl.startSeconds.toFixed(1)} s${bl.stoppedBy ? ` — stopped: ${bl.stoppedBy.replace(/\|/g, '/').replace(/\n/g, ' ')}` : ''} | | ${bl.seconds.load} |`,
          `| lapse floor, bare Temporal: all completed, from a fresh bare worker ready (start ${(bl.workerStartMs / 1000).toFixed(1)} s) | ${secs(bl.seconds.value)} (${bl.completed} completed${bl.perSecond ? `, ${bl.perSecond.toFixed(1)}/s` : ''}${bl.waitStoppedBy ? `; stopped: ${bl.waitStoppedBy.replace(/\|/g, '/')}` : ''}); exitflow's escalation rate ÷ bare rate: ${ratio(lapseRate, bl.perSecond)} | | ${bl.seconds.load} |`,
        ]
      : []),
    `| PostgreSQL database size | ${mib(r.sizes.value.postgresBytes)} | | ${r.sizes.load} |`,
    r.sizes.value.temporalPostgresBytes
      ? `| Temporal's PostgreSQL size | ${Object.entries(r.sizes.value.temporalPostgresBytes).map(([d, b]) => `${d} ${mib(b)}`).join(', ')} | | ${r.sizes.load} |`
      : `| SQLite size (db + wal + shm) | ${mib(r.sizes.value.sqliteBytes)} (${Object.entries(r.sizes.value.sqliteFiles).map(([f, b]) => `${f} ${mib(b)}`).join(', ')}) | | ${r.sizes.load} |`,
    `| replay of ${r.replay.history} (${r.replay.events} events${r.replay.workflowTasks ? `, ${r.replay.workflowTasks} workflow tasks` : ''}), one replay worker, ms per history | median ${r.replay.batch.median.toFixed(1)}, p95 ${r.replay.batch.p95.toFixed(1)} (${r.replay.batch.runs} runs)${bareReplay ? `; bare same shape median ${bareReplay.median.toFixed(1)}: ${ratio(r.replay.batch.median, bareReplay.median)} bare` : ''} | ${replayVerdict()} | ${r.replay.load} |`,
    ...(bareReplay
      ? [
          `| replay floor, bare Temporal: a no-op history of the same shape (${shape(r.replay.shape)} → ${shape(bareReplay.shape)}; ${bareReplay.events} events, ${bareReplay.workflowTasks} workflow tasks), one replay worker, ms per history | median ${bareReplay.median.toFixed(1)}, p95 ${bareReplay.p95.toFixed(1)} (${bareReplay.runs} runs); exitflow ÷ bare median: ${ratio(r.replay.batch.median, bareReplay.median)} | | ${r.replay.load} |`,
        ]
      : []),
    `| replay, Worker.runReplayHistory per call (creates a replay worker each time), ms | median ${r.replay.single.median.toFixed(1)}, p95 ${r.replay.single.p95.toFixed(1)} (${r.replay.single.runs} runs) | | ${r.replay.load} |`,
  ];
  return lines;
}
