/**
 * `npm run bench`: how fast exitflow is against bare Temporal on the same machine.
 *   1. Limit: an empty workflow started with the SDK client (starts/s) and a no-op update's round trip.
 *   2. exitflow: cases opened/s through the API (validation, auth, PostgreSQL, workflow start, notice
 *      served) and the p50/p95/p99 of an official's action through the API, each as a ratio to 1.
 *   3. Scale (bench/scale.ts): N cases opened through the API (the largest N reached, and what stopped
 *      it), a backlog of M lapsed deadlines escalated by a fresh worker, the worker's memory (it runs
 *      in a process of its own), PostgreSQL and SQLite sizes, and the replay time of a full history.
 * One Temporal (--temporal dev: the CLI's dev server, file-backed, WAL, the default; --temporal
 * cluster: a real Temporal server on a PostgreSQL of its own, 4 history shards,
 * scripts/lib/temporal-cluster.ts; EXITFLOW_TEMPORAL gives the default), one PostgreSQL for
 * exitflow, one SMTP sink and one platform stand-in, all local. Prints a table per part and writes JSON to bench/out/. Flags: --count N (default 200),
 * --concurrency C (default 16), --scale N (default 2000), --lapse M (default 1000),
 * --replay-runs R (default 50), --worker-cpu-prof DIR (CPU profiles of the scale worker),
 * --worker-heap MiB (the scale worker's --max-old-space-size; default the production worker's, 640),
 * --scale-minutes M (stop opening the scale step's cases after M minutes and say so),
 * --only bare,exitflow,scale (default: all three; e.g. `--only scale`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mintToken } from '../api/auth';
import { DEVELOPMENT_JWT_SECRET } from '../config';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { migrate } from '../db/migrate';
import { startDevServer } from '../scripts/lib/devserver';
import { NUM_HISTORY_SHARDS, startTemporalCluster, TEMPORAL_SERVER_VERSION, temporalTier, type TemporalCluster } from '../scripts/lib/temporal-cluster';
import { freePort } from '../scripts/lib/ports';
import { startApp, type AppProcess } from './apps';
import { bundleBareWorkflows } from './replay';
import { WORKER_HEAP_MIB } from '../worker/worker';
import { startPgCluster } from '../scripts/lib/pg-cluster';
import { startRecordingEndpoint } from '../scripts/lib/recording-endpoint';
import { startSmtpSink } from '../scripts/lib/smtp-sink';
import { creditCode, latencies, machine, pool, progressBar, timed } from './lib';
import { runScale, scaleTable, type ScaleResult } from './scale';
import { bareWorkflow, finishUpdate, noopUpdate } from './workflows';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    scale: { type: 'string', default: '2000' },
    lapse: { type: 'string', default: '1000' },
    'replay-runs': { type: 'string', default: '50' },
    'worker-cpu-prof': { type: 'string' },
    'worker-heap': { type: 'string', default: String(WORKER_HEAP_MIB) },
    'scale-minutes': { type: 'string' },
    only: { type: 'string', default: 'bare,exitflow,scale' },
    temporal: { type: 'string', default: process.env.EXITFLOW_TEMPORAL ?? 'dev' },
  },
});
const TEMPORAL = temporalTier(values.temporal);
const TEMPORAL_LABEL =
  TEMPORAL === 'cluster'
    ? `Temporal cluster: real server ${TEMPORAL_SERVER_VERSION}, PostgreSQL persistence and SQL visibility, ${NUM_HISTORY_SHARDS} history shards`
    : 'Temporal dev server: the CLI\'s, SQLite file (WAL), 1 history shard';
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency);
const SCALE = Number(values.scale);
const LAPSE = Number(values.lapse);
const REPLAY_RUNS = Number(values['replay-runs']);
const STEPS = new Set(values.only.split(',').map((s) => s.trim()).filter(Boolean));
for (const s of STEPS) if (!['bare', 'exitflow', 'scale'].includes(s)) throw new Error(`--only: unknown step ${s} (bare, exitflow, scale)`);
for (const [flag, n] of [['count', COUNT], ['concurrency', CONCURRENCY], ['scale', SCALE], ['lapse', LAPSE], ['replay-runs', REPLAY_RUNS]] as const) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number, not ${values[flag]}`);
}
const TOKENS = { secret: DEVELOPMENT_JWT_SECRET, issuer: 'exitflow', audience: 'exitflow-api' };

Runtime.install({ logger: new DefaultLogger('ERROR') });

/** Bare Temporal: starts/s of an empty workflow, then the round trip of a no-op update on each. */
async function bare(address: string) {
  const taskQueue = 'bench-bare';
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: await bundleBareWorkflows(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const run = Date.now();
  const starts = await timed(() => pool(COUNT, CONCURRENCY, (i) => client.workflow.start(bareWorkflow, { taskQueue, workflowId: `bare-${run}-${i}` }), progressBar('bare starts  ', COUNT)));
  const updateMs: number[] = [];
  await pool(COUNT, CONCURRENCY, async (i) => {
    const h = client.workflow.getHandle(`bare-${run}-${i}`);
    const t0 = performance.now();
    await h.executeUpdate(noopUpdate, { args: [i] });
    updateMs.push(performance.now() - t0);
  }, progressBar('bare updates ', COUNT));
  await pool(COUNT, CONCURRENCY, (i) => client.workflow.getHandle(`bare-${run}-${i}`).executeUpdate(finishUpdate));
  worker.shutdown();
  await running;
  await connection.close();
  return { startsPerSecond: (COUNT / starts.ms) * 1000, update: latencies(updateMs) };
}

/** exitflow through its HTTP API: cases opened/s, then an official's action (suspend, resume) per case. */
/**
 * exitflow through its HTTP API, with the API and the worker each in a process of its own as in
 * production (the bench process only sends requests). Cases opened/s three ways, then an official's
 * action (suspend, resume) per case:
 *   - API only: no worker polls while the cases open, so the figure is the API's own path (token,
 *     validation, enterprise lookup, audit in PostgreSQL, workflow start): the like of the bare start;
 *   - respond-async while the worker serves the notices of the cases opening;
 *   - the default answer, which waits until the notice is served.
 */
async function exitflow(address: string, databaseUrl: string, dir: string) {
  const [sink, platforms] = await Promise.all([startSmtpSink(), startRecordingEndpoint()]);
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'bench-exitflow',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '20',
    SMTP_URL: sink.smtpUrl,
    PLATFORM_PUSH_URL: platforms.url,
    API_PORT: String(apiPort),
    PUBLIC_BASE_URL: base,
    AUTH_JWT_SECRET: TOKENS.secret,
    AUTH_JWT_ISSUER: TOKENS.issuer,
    AUTH_JWT_AUDIENCE: TOKENS.audience,
  };
  const api = await startApp('api', env, dir, base);
  let worker: AppProcess | undefined;
  try {
    const official: Principal = { sub: 'bench', name: '基准测试', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' };
    const auth = `Bearer ${await mintToken(official, TOKENS)}`;
    const post = async (p: string, body: unknown, extra: Record<string, string> = {}) => {
      const res = await fetch(`${base}${p}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json', ...extra }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ caseId: string; stage: string }>;
    };
    const today = toLegalDate(new Date().toISOString());
    const run = Date.now().toString(36);
    const third = Math.floor(COUNT / 3);
    const codes = Array.from({ length: 3 * third }, (_, i) => creditCode(i));
    await pool(codes.length, CONCURRENCY, (i) =>
      post('/api/v1/enterprises', { creditCode: codes[i], name: `基准企业${i}`, regionCode: '410102', industry: 'steel', contact: { name: '王', email: `b${i}@bench.example.cn` }, facilities: [{ id: 'L1', name: '1号线', kind: 'production_line', capacity: 10, unit: '万吨/年' }] }).catch(() => undefined),
    );
    const caseIds: string[] = [];
    const open = (part: number, label: string, extra: Record<string, string>) =>
      timed(() =>
        pool(third, CONCURRENCY, async (j) => {
          const i = part * third + j;
          const c = await post('/api/v1/cases', { creditCode: codes[i], caseNumber: `BENCH-${run}-${i}`, dimension: 'energy', department: 'industry_it', legalBasis: '基准测试', noticeServedOn: today, facilityIds: ['L1'] }, extra);
          caseIds[i] = c.caseId;
        }, progressBar(`cases opened ${label}`, third)),
      );
    const async = { Prefer: 'respond-async' };
    const apiOnly = await open(0, '(API only)', async);
    worker = await startApp('worker', env, dir);
    const waitServed = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        for (;;) {
          const res = await fetch(`${base}/api/v1/cases/${caseIds[i]}`, { headers: { Authorization: auth } });
          if (res.ok && ((await res.json()) as { stage: string }).stage !== 'opened') break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    await waitServed(0, third); // the API-only third is served before the next measurement
    const withWorker = await open(1, '(async)   ', async);
    const waiting = await open(2, '(wait)    ', {});
    await waitServed(third, 3 * third);
    const actionMs: number[] = [];
    await pool(caseIds.length, CONCURRENCY, async (i) => {
      for (const [p, body] of [['clock-suspensions', { ground: 'administrative_review' }], ['clock-resumptions', {}]] as const) {
        const t0 = performance.now();
        await post(`/api/v1/cases/${caseIds[i]}/${p}`, body);
        actionMs.push(performance.now() - t0);
      }
    }, progressBar('actions      ', caseIds.length));
    return {
      casesPerSecondApiOnly: (third / apiOnly.ms) * 1000,
      casesPerSecondAsync: (third / withWorker.ms) * 1000,
      casesPerSecond: (third / waiting.ms) * 1000,
      action: latencies(actionMs),
    };
  } finally {
    await Promise.allSettled([api.stop(), worker?.stop()]);
    await Promise.all([sink.stop(), platforms.stop()]);
  }
}

/** Where the scale step reads Temporal's store size: the dev server's SQLite file, or the cluster's databases. */
function temporalStore(temporal: Awaited<ReturnType<typeof startDevServer>> | TemporalCluster, sqliteFile: string) {
  if (!('db' in temporal)) return { sqliteFile };
  const { host, port, user, password, database, visibilityDatabase } = temporal.db;
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user);
  return { temporalPostgres: { url: `postgres://${auth}@${host}:${port}/${encodeURIComponent(database)}`, databases: [database, visibilityDatabase] } };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'exitflow-bench-'));
  const sqliteFile = path.join(dir, 'temporal.sqlite');
  let temporal: Awaited<ReturnType<typeof startDevServer>> | TemporalCluster | undefined;
  let pg: Awaited<ReturnType<typeof startPgCluster>> | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await Promise.allSettled([temporal?.stop(), pg?.destroy()]);
      rmSync(dir, { recursive: true, force: true });
    })());
  // Ctrl-C or a kill: stop the dev server and PostgreSQL and remove the temp folder before leaving
  // (the scale worker stops by itself when its parent goes away).
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: cleaning up\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    console.log(`measuring on the ${TEMPORAL_LABEL}`);
    const started = await Promise.allSettled([
      TEMPORAL === 'cluster' ? startTemporalCluster({ dir: path.join(dir, 'temporal') }) : startDevServer({ headless: true, dbFile: sqliteFile }),
      startPgCluster({ database: 'exitflow_bench' }),
    ]);
    if (started[0].status === 'fulfilled') temporal = started[0].value;
    if (started[1].status === 'fulfilled') pg = started[1].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await migrate(pg!.url);
    const before = machine();
    const limit = STEPS.has('bare') ? await bare(temporal!.address) : undefined;
    const ours = STEPS.has('exitflow') ? await exitflow(temporal!.address, pg!.url, dir) : undefined;
    const scale: ScaleResult | undefined = STEPS.has('scale')
      ? await runScale({ temporalAddress: temporal!.address, databaseUrl: pg!.url, ...temporalStore(temporal!, sqliteFile), workDir: dir, scale: SCALE, lapse: LAPSE, concurrency: CONCURRENCY, replayRuns: REPLAY_RUNS, workerCpuProfDir: values['worker-cpu-prof'], workerHeapMiB: values['worker-heap'] ? Number(values['worker-heap']) : undefined, ...(values['scale-minutes'] ? { scaleMinutes: Number(values['scale-minutes']) } : {}) })
      : undefined;
    const result = {
      date: new Date().toISOString(),
      machine: { ...before, loadAfter: machine().load },
      temporal: { tier: TEMPORAL, label: TEMPORAL_LABEL },
      count: COUNT,
      concurrency: CONCURRENCY,
      steps: [...STEPS],
      bare: limit,
      exitflow: ours,
      ratios:
        limit && ours
          ? {
              caseOpeningToBareStart: ours.casesPerSecond / limit.startsPerSecond,
              caseOpeningApiOnlyToBareStart: ours.casesPerSecondApiOnly / limit.startsPerSecond,
              caseOpeningAsyncToBareStart: ours.casesPerSecondAsync / limit.startsPerSecond,
              actionP99ToBareUpdateP99: ours.action.p99 / limit.update.p99,
            }
          : undefined,
      scale,
    };
    const f = (n: number) => n.toFixed(1);
    const na = '—';
    console.log(`\nexitflow benchmark — ${result.date}, ${before.cpus} × ${before.model}, ${before.memGiB} GiB, load ${before.load} → ${result.machine.loadAfter}`);
    console.log(`measured on the ${TEMPORAL_LABEL} (--temporal ${TEMPORAL})`);
    if (limit || ours) {
      console.log(`${COUNT} each, concurrency ${CONCURRENCY}\n`);
      const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : na);
      const v = (n: number | undefined) => (n === undefined ? na : f(n));
      console.log('| measure | bare Temporal | exitflow (API) | ratio | target |');
      console.log('| --- | --- | --- | --- | --- |');
      console.log(`| starts / cases opened per s: the API's path (respond-async, no worker running) | ${v(limit?.startsPerSecond)} | ${v(ours?.casesPerSecondApiOnly)} | ${ratio(ours?.casesPerSecondApiOnly, limit?.startsPerSecond)} | ≥ 0.9× |`);
      console.log(`| starts / cases opened per s: respond-async, worker serving the notices | ${v(limit?.startsPerSecond)} | ${v(ours?.casesPerSecondAsync)} | ${ratio(ours?.casesPerSecondAsync, limit?.startsPerSecond)} | |`);
      console.log(`| starts / cases opened per s: answered once the notice is served (default) | ${v(limit?.startsPerSecond)} | ${v(ours?.casesPerSecond)} | ${ratio(ours?.casesPerSecond, limit?.startsPerSecond)} | ≥ 0.5× |`);
      console.log(`| update / action p50 ms | ${v(limit?.update.p50)} | ${v(ours?.action.p50)} | ${ratio(ours?.action.p50, limit?.update.p50)} | |`);
      console.log(`| update / action p95 ms | ${v(limit?.update.p95)} | ${v(ours?.action.p95)} | ${ratio(ours?.action.p95, limit?.update.p95)} | |`);
      console.log(`| update / action p99 ms | ${v(limit?.update.p99)} | ${v(ours?.action.p99)} | ${ratio(ours?.action.p99, limit?.update.p99)} | ≤ 1.3× |`);
    }
    if (scale) {
      console.log(`\nscale — --scale ${SCALE} --lapse ${LAPSE}, concurrency ${CONCURRENCY}, worker in its own process${values['worker-heap'] ? ` with --max-old-space-size=${values['worker-heap']}` : ''} (workflow bundle built once in ${(scale.bundleMs / 1000).toFixed(1)} s, not in the worker)\n`);
      for (const line of scaleTable(scale)) console.log(line);
      console.log(`\nNotes: ${scale.note}\n${scale.memoryNote}`);
      if (scale.workerLog.length) console.log(`\nworker output (last ${scale.workerLog.length} lines):\n${scale.workerLog.join('\n')}`);
    }
    const out = path.join(__dirname, 'out');
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `bench-${TEMPORAL}-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  } finally {
    await cleanup();
  }
}

main().then(
  // Nothing of the bench should keep the process alive; exit even if a handle lingers.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
