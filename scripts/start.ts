/**
 * `npm start`: the whole of exitflow on one machine, in the foreground.
 * Temporal dev server (or TEMPORAL_ADDRESS), PGlite (or DATABASE_URL), SMTP sink (or SMTP_URL),
 * migrations, then the worker and the API. Ctrl-C stops everything; data/ keeps state between runs.
 * EXITFLOW_TEMPORAL=cluster: a real Temporal server on PostgreSQL instead of the dev server
 * (scripts/lib/temporal-cluster.ts), with Temporal UI; its databases go to TEMPORAL_DB_URL, or else to
 * a local PostgreSQL kept in data/temporal-cluster/postgres, which then holds exitflow's database too
 * (unless DATABASE_URL).
 */
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { migrate } from '../db/migrate';
import { ensureSearchAttributes, startDevServer } from './lib/devserver';
import { PGLITE_POOL_MAX, startPglite } from './lib/pglite-server';
import { isPortInUse } from './lib/ports';
import { onShutdownSignal, sleep, spawnPrefixed, terminate } from './lib/processes';
import { startSmtpSink } from './lib/smtp-sink';
import { startRecordingEndpoint } from './lib/recording-endpoint';
import { resolveTemporalCli } from './lib/temporal-bin';
import { startPgCluster } from './lib/pg-cluster';
import { startTemporalCluster, TEMPORAL_SERVER_VERSION, temporalTier } from './lib/temporal-cluster';
import { WORKER_NODE_OPTIONS } from '../worker/worker';
import { buildConsoleIfStale } from './lib/console-build';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.resolve(process.env.EXITFLOW_DATA_DIR ?? path.join(ROOT, 'data'));
/** Where worker/main.ts and api/main.ts live (override only to try start.ts with stand-ins). */
const APP_DIR = path.resolve(process.env.EXITFLOW_CHILDREN_DIR ?? ROOT);
const env = process.env;
const num = (v: string | undefined, dflt: number) => (v ? Number(v) : dflt);

const cleanups: { name: string; fn: () => Promise<void> }[] = [];
const children: ChildProcess[] = [];
let shuttingDown = false;

const say = (msg: string) => console.log(`[start] ${msg}`);

async function portFree(port: number, what: string, hint: string): Promise<void> {
  if (await isPortInUse(port)) throw new Error(`Port ${port} (${what}) is already in use. ${hint}`);
}

function mask(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':****@');
  }
}

async function shutdown(code: number, why?: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (why) console.error(`[start] ${why}`);
    say('stopping…');
    await Promise.all(children.map((c) => terminate(c, 10_000)));
    for (const { name, fn } of cleanups.reverse()) {
      await fn().catch((err: unknown) => console.error(`[start] stopping ${name} failed: ${String(err)}`));
    }
    say('stopped');
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

async function main(): Promise<void> {
  onShutdownSignal(() => shutdown(0));
  await fs.mkdir(DATA, { recursive: true });
  const childEnv: NodeJS.ProcessEnv = { ...env };
  const apiPort = num(env.API_PORT, 3000);
  await portFree(apiPort, 'API', 'Stop the other process or set API_PORT.');
  childEnv.API_PORT = String(apiPort);
  childEnv.PUBLIC_BASE_URL ??= `http://localhost:${apiPort}`;

  // Temporal
  let temporalUi: string | undefined = env.TEMPORAL_UI_URL;
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  const tier = temporalTier();
  let temporalKind = 'external';
  /** The cluster tier's local PostgreSQL (data/temporal-cluster/postgres), which then holds exitflow's database too. */
  let localPgUrl: string | undefined;
  if (env.TEMPORAL_ADDRESS) {
    say(`Temporal: using ${env.TEMPORAL_ADDRESS}; registering search attributes in namespace ${namespace}`);
    await ensureSearchAttributes(env.TEMPORAL_ADDRESS, namespace);
  } else if (tier === 'cluster') {
    const port = num(env.TEMPORAL_PORT, 7233);
    const uiPort = num(env.TEMPORAL_UI_PORT, 8233);
    const hint = 'Stop the other Temporal server, or set TEMPORAL_ADDRESS to use it, or TEMPORAL_PORT/TEMPORAL_UI_PORT.';
    await portFree(port, 'Temporal', hint);
    await portFree(uiPort, 'Temporal UI', hint);
    let pg: Awaited<ReturnType<typeof startPgCluster>> | undefined;
    if (!env.TEMPORAL_DB_URL) {
      say('PostgreSQL for Temporal: TEMPORAL_DB_URL unset, starting a local one (data/temporal-cluster/postgres)…');
      pg = await startPgCluster({ database: 'exitflow', dir: path.join(DATA, 'temporal-cluster', 'postgres') });
      cleanups.push({ name: 'PostgreSQL (data/temporal-cluster/postgres)', fn: pg.destroy });
      localPgUrl = pg.url;
    }
    say(`Temporal: real server ${TEMPORAL_SERVER_VERSION} on PostgreSQL (EXITFLOW_TEMPORAL=cluster; the first run builds it, about 9 min)…`);
    const cluster = await startTemporalCluster({ port, uiPort, pg, namespace, dir: path.join(DATA, 'temporal-cluster'), log: (line) => say(line) });
    cleanups.push({ name: 'Temporal server', fn: cluster.stop });
    childEnv.TEMPORAL_ADDRESS = cluster.address;
    temporalKind = `real server ${cluster.version}, PostgreSQL ${pg ? 'data/temporal-cluster/postgres' : mask(env.TEMPORAL_DB_URL!)}`;
    temporalUi ??= cluster.uiUrl;
    if (temporalUi) childEnv.TEMPORAL_UI_URL = temporalUi;
  } else {
    temporalKind = 'dev server, data/temporal';
    const port = num(env.TEMPORAL_PORT, 7233);
    const uiPort = num(env.TEMPORAL_UI_PORT, 8233);
    const hint = 'Stop the other Temporal server, or set TEMPORAL_ADDRESS to use it, or TEMPORAL_PORT/TEMPORAL_UI_PORT.';
    await portFree(port, 'Temporal', hint);
    await portFree(uiPort, 'Temporal UI', hint);
    say(`Temporal: ${await resolveTemporalCli()} server start-dev (data/temporal)…`);
    const dev = await startDevServer({
      port,
      uiPort,
      dbFile: path.join(DATA, 'temporal', 'temporal.sqlite'),
      logFile: path.join(DATA, 'temporal', 'server.log'),
      namespace,
    });
    cleanups.push({ name: 'Temporal dev server', fn: dev.stop });
    childEnv.TEMPORAL_ADDRESS = dev.address;
    temporalUi ??= dev.uiUrl;
    if (temporalUi) childEnv.TEMPORAL_UI_URL = temporalUi;
  }

  // PostgreSQL
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl && localPgUrl) {
    // exitflow's read model beside Temporal's state, in the same local PostgreSQL, kept together.
    say('PostgreSQL: DATABASE_URL unset, exitflow\'s database in the same local PostgreSQL as Temporal\'s');
    databaseUrl = localPgUrl;
  } else if (!databaseUrl) {
    const port = num(env.PGLITE_PORT, 55432);
    await portFree(port, 'PGlite', 'Stop the other process, set PGLITE_PORT, or set DATABASE_URL.');
    say('PostgreSQL: DATABASE_URL unset, starting embedded PGlite (data/pglite)…');
    const pglite = await startPglite({ dataDir: path.join(DATA, 'pglite'), port, host: '127.0.0.1' });
    cleanups.push({ name: 'PGlite', fn: pglite.stop });
    databaseUrl = pglite.url;
    childEnv.DATABASE_POOL_MAX = String(PGLITE_POOL_MAX);
  }
  childEnv.DATABASE_URL = databaseUrl;
  say('applying migrations…');
  await migrate(databaseUrl);

  // SMTP
  let mailbox: string;
  if (env.SMTP_URL) {
    mailbox = `external SMTP ${mask(env.SMTP_URL)}`;
  } else {
    const port = num(env.SMTP_SINK_PORT, 1025);
    const httpPort = num(env.MAILBOX_PORT, 1080);
    await portFree(port, 'SMTP sink', 'Stop the other process, set SMTP_SINK_PORT/MAILBOX_PORT, or set SMTP_URL.');
    await portFree(httpPort, 'Mailbox', 'Stop the other process or set MAILBOX_PORT.');
    const sink = await startSmtpSink({ port, httpPort, host: '127.0.0.1', dir: path.join(DATA, 'mail') });
    cleanups.push({ name: 'SMTP sink', fn: sink.stop });
    childEnv.SMTP_URL = sink.smtpUrl;
    mailbox = `${sink.httpUrl}  (${sink.messages.length} mail(s) kept in data/mail)`;
  }

  // External platforms (credit platform, licence registries, power supply, banks): a local
  // recording endpoint stands in unless PLATFORM_PUSH_URL names the real gateway.
  let platforms: string;
  if (env.PLATFORM_PUSH_URL) {
    platforms = `external ${env.PLATFORM_PUSH_URL}`;
  } else {
    const port = num(env.RECORDING_PORT, 4010);
    await portFree(port, 'platform recording endpoint', 'Stop the other process, set RECORDING_PORT, or set PLATFORM_PUSH_URL.');
    const recorder = await startRecordingEndpoint({ port, host: '127.0.0.1', dir: path.join(DATA, 'platforms') });
    cleanups.push({ name: 'platform recording endpoint', fn: recorder.stop });
    childEnv.PLATFORM_PUSH_URL = recorder.url;
    platforms = `${recorder.url}/calls  (recording stand-in; data/platforms)`;
  }

  // The console and portal: rebuilt when their sources are newer than the build. A failed build is
  // reported and the API starts without it (the pages answer 404 until it builds).
  try {
    buildConsoleIfStale(say);
  } catch (err) {
    say(`the console did not build: ${String(err)}`);
  }

  // The app
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  for (const [name, file] of [
    ['worker', 'worker/main.ts'],
    ['api', 'api/main.ts'],
  ] as const) {
    const env = name === 'worker' ? { ...childEnv, NODE_OPTIONS: `${childEnv.NODE_OPTIONS ?? ''} ${WORKER_NODE_OPTIONS}`.trim() } : childEnv;
    const child = spawnPrefixed(tsx, [path.join(APP_DIR, file)], `[${name}]`, { cwd: ROOT, env });
    children.push(child);
    child.once('exit', (code, signal) => {
      if (!shuttingDown) void shutdown(1, `${name} exited on its own (${signal ?? `code ${code}`}); stopping everything.`);
    });
  }

  const healthy = await waitForHealth(`http://127.0.0.1:${apiPort}/health`, 90_000);
  if (shuttingDown) return;
  const base = `http://localhost:${apiPort}`;
  const lines = [
    healthy ? 'exitflow is running' : 'exitflow started, but /health is not passing yet (see above)',
    '',
    `Portal        ${base}/`,
    `Console       ${base}/console  (development: pick a demo identity)`,
    `API           ${base}`,
    `API docs      ${base}/docs`,
    `OpenAPI       ${base}/openapi.json`,
    `Temporal UI   ${temporalUi ?? '(none)'}`,
    `Temporal      ${childEnv.TEMPORAL_ADDRESS} (namespace ${namespace}; ${temporalKind})`,
    `Mailbox       ${mailbox}`,
    `Platforms     ${platforms}`,
    `Database      ${mask(databaseUrl)}${env.DATABASE_URL ? '' : localPgUrl ? ' (local PostgreSQL, data/temporal-cluster/postgres)' : ' (PGlite, data/pglite)'}`,
    `Data folder   ${DATA}`,
    '',
    'Ctrl-C stops everything; data is kept for the next start.',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  console.log(
    ['┌' + '─'.repeat(width + 2) + '┐', ...lines.map((l) => `│ ${l.padEnd(width)} │`), '└' + '─'.repeat(width + 2) + '┘'].join('\n'),
  );
}

/** Poll /health until 200; print which parts the 503 body names as failing, whenever that changes. */
async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline && !shuttingDown) {
    let state: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return true;
      const body = (await res.json().catch(() => ({}))) as { failing?: string[] };
      state = `health ${res.status}: waiting for ${body.failing?.join(', ') || 'unknown'}`;
    } catch {
      state = 'waiting for the API to listen…';
    }
    if (state !== last) say(state);
    last = state;
    await sleep(1000);
  }
  if (!shuttingDown) say(`/health did not pass within ${timeoutMs / 1000} s; last: ${last}`);
  return false;
}

main().catch((err: unknown) => shutdown(1, `failed to start: ${err instanceof Error ? err.message : String(err)}`));
