/**
 * A real Temporal server (not the CLI's dev server) on PostgreSQL, on this machine: the cluster tier.
 *
 * - Binaries: the server and its SQL schema tool, built once from the Go module proxy
 *   (`go install go.temporal.io/server/cmd/server@v… go.temporal.io/server/cmd/tools/sql@v…`, about
 *   9 minutes on 2 busy cores) into .tools/go/bin, with a stamp file naming the version; reused after.
 *   Temporal UI likewise from github.com/temporalio/ui-server/v2 (its assets are in the module),
 *   into .tools/go/ui/bin, only when a UI is asked for.
 * - Schema: the sql tool creates Temporal's two databases (default store and SQL visibility) on a
 *   PostgreSQL (TEMPORAL_DB_URL, a given one, or a throwaway cluster started here) and brings both to
 *   the server's version (`setup-schema -v 0.0`, then `update-schema` with the schema embedded in the tool).
 * - Config: config/temporal/server.yaml, the same template docker-compose.yml mounts, rendered by the
 *   server from the environment set here (free ports, 4 history shards); the dynamic config is
 *   config/temporal/dynamicconfig.yaml plus LOCAL_DYNAMIC_CONFIG.
 * - Then: the `default` namespace, and exitflow's search attributes (workflows/search-attributes.ts,
 *   read when the cluster starts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ensureSearchAttributes } from './devserver';
import { startPgCluster, type PgCluster } from './pg-cluster';
import { exited, run, sleep, tail, terminate } from './processes';
import { isExecutable, REPO_ROOT } from './temporal-bin';

/** The Temporal server version of the cluster tier; docker-compose.yml's images carry the same (test/compose.test.ts). */
export const TEMPORAL_SERVER_VERSION = '1.30.4';
/** Temporal UI server (github.com/temporalio/ui-server/v2); docker-compose.yml's temporalio/ui image carries the same. */
export const TEMPORAL_UI_VERSION = '2.54.1';
export const NUM_HISTORY_SHARDS = 4;

const SERVER_MODULE = 'go.temporal.io/server';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';
const TOOLS_DIR = path.join(REPO_ROOT, '.tools');
export const CLUSTER_BIN_DIR = path.join(TOOLS_DIR, 'go', 'bin');
/** Its own folder: the UI's command is also called `server`. */
const UI_BIN_DIR = path.join(TOOLS_DIR, 'go', 'ui', 'bin');
const SERVER_STAMP = path.join(CLUSTER_BIN_DIR, 'temporal-server.version');
const UI_STAMP = path.join(UI_BIN_DIR, 'temporal-ui.version');
export const CONFIG_DIR = path.join(REPO_ROOT, 'config', 'temporal');
export const SERVER_CONFIG_FILE = path.join(CONFIG_DIR, 'server.yaml');
export const DYNAMIC_CONFIG_FILE = path.join(CONFIG_DIR, 'dynamicconfig.yaml');

/**
 * Added to config/temporal/dynamicconfig.yaml for a local cluster only: a search attribute or namespace
 * registered a moment ago is usable at once (tests register and use them straight away), as on the dev
 * server (scripts/lib/devserver.ts passes the same).
 */
export const LOCAL_DYNAMIC_CONFIG: Record<string, { value: unknown }[]> = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
};

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;

export interface ClusterBinaries {
  server: string;
  sql: string;
}

/** `<exe> --version` mentions the version (urfave/cli prints `<name> version <v>`). */
function reportsVersion(exe: string, version: string): boolean {
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && new RegExp(`version v?${version.replace(/\./g, '\\.')}\\b`).test(`${r.stdout}${r.stderr}`);
}

function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Cross-process lock (O_EXCL file; stale once its owner died or after 30 min: a build takes ~10). */
async function withLock<T>(file: string, what: string, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let told = false; ; ) {
    try {
      const fh = await fs.open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, st] = await Promise.all([fs.readFile(file, 'utf8').catch(() => ''), fs.stat(file).catch(() => undefined)]);
      const pid = Number(pidText);
      let alive = true;
      if (pid) {
        try {
          process.kill(pid, 0);
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code !== 'ESRCH';
        }
      }
      if (!st || Date.now() - st.mtimeMs > 30 * 60_000 || (pid && !alive) || (!pid && Date.now() - st.mtimeMs > 10_000)) {
        await fs.rm(file, { force: true });
        continue;
      }
      if (!told) process.stderr.write(`waiting for another process building ${what} (${file})…\n`);
      told = true;
      await sleep(2000);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * Binaries of the given names in `dir`, at `version`: the stamp file says so, or (binaries built by
 * hand, no stamp yet) their `--version` does, and the stamp is written; otherwise `go install` them.
 */
async function ensureGoBinaries(o: {
  what: string;
  dir: string;
  stamp: string;
  version: string;
  names: string[];
  packages: string[];
  log: (line: string) => void;
}): Promise<string[]> {
  const paths = o.names.map((n) => path.join(o.dir, n));
  const stampLine = `v${o.version}`;
  const present = async () => {
    for (const p of paths) if (!(await isExecutable(p))) return false;
    const stamp = (await fs.readFile(o.stamp, 'utf8').catch(() => '')).trim().split(/\s+/)[0];
    if (stamp === stampLine) return true;
    if (paths.every((p) => reportsVersion(p, o.version))) {
      await fs.writeFile(o.stamp, `${stampLine} (checked ${new Date().toISOString()} by --version)\n`);
      return true;
    }
    return false;
  };
  if (await present()) return paths;
  return withLock(path.join(o.dir, '..', `.${path.basename(o.stamp)}.lock`), o.what, async () => {
    if (await present()) return paths;
    if (!goAvailable()) {
      throw new Error(
        `${o.what} ${stampLine} is not in ${path.relative(REPO_ROOT, o.dir)} and Go is not installed to build it.\n` +
          `Install Go (1.25 or newer; https://go.dev/dl, or your distribution's golang package with GOTOOLCHAIN=auto), then run\n` +
          `  GOBIN=$PWD/${path.relative(REPO_ROOT, o.dir)} go install -trimpath ${o.packages.join(' ')}\n` +
          `or run \`npm run cluster -- --build\`, which does the same.`,
      );
    }
    const started = Date.now();
    await fs.mkdir(o.dir, { recursive: true });
    o.log(`building ${o.what} ${stampLine} once from the Go module proxy (about 9 min on 2 cores; cached in ${path.relative(REPO_ROOT, o.dir)})`);
    o.log(`$ GOBIN=${o.dir} go install -trimpath ${o.packages.join(' ')}`);
    await run('go', ['install', '-trimpath', ...o.packages], { echo: true, env: { ...process.env, GOBIN: o.dir } });
    for (const p of paths) if (!(await isExecutable(p))) throw new Error(`go install finished but ${p} is missing`);
    await fs.writeFile(o.stamp, `${stampLine} (built ${new Date().toISOString()} in ${Math.round((Date.now() - started) / 1000)} s)\n`);
    o.log(`built ${o.what} in ${Math.round((Date.now() - started) / 1000)} s`);
    return paths;
  });
}

const stderrLog = (line: string): void => {
  process.stderr.write(`[temporal-cluster] ${line}\n`);
};

/** The Temporal server and its SQL tool at TEMPORAL_SERVER_VERSION (TEMPORAL_SERVER_PATH / TEMPORAL_SQL_TOOL_PATH override). */
export async function resolveClusterBinaries(log = stderrLog): Promise<ClusterBinaries> {
  const server = process.env.TEMPORAL_SERVER_PATH;
  const sql = process.env.TEMPORAL_SQL_TOOL_PATH;
  if (server || sql) {
    if (!server || !sql) throw new Error('set both TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, or neither');
    for (const p of [server, sql]) if (!(await isExecutable(p))) throw new Error(`${p} is not an executable file`);
    return { server: path.resolve(server), sql: path.resolve(sql) };
  }
  const [s, q] = await ensureGoBinaries({
    what: 'the Temporal server',
    dir: CLUSTER_BIN_DIR,
    stamp: SERVER_STAMP,
    version: TEMPORAL_SERVER_VERSION,
    names: ['server', 'sql'],
    packages: [`${SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`],
    log,
  });
  return { server: s!, sql: q! };
}

/** True when the cluster's binaries are here at the right version, or Go can build them. */
export async function clusterBinariesObtainable(): Promise<boolean> {
  const stamp = (await fs.readFile(SERVER_STAMP, 'utf8').catch(() => '')).trim().split(/\s+/)[0];
  if (stamp === `v${TEMPORAL_SERVER_VERSION}`) return true;
  return goAvailable();
}

/** The Temporal UI server at TEMPORAL_UI_VERSION (TEMPORAL_UI_SERVER_PATH overrides). */
export async function resolveUiServer(log = stderrLog): Promise<string> {
  const fromEnv = process.env.TEMPORAL_UI_SERVER_PATH;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new Error(`TEMPORAL_UI_SERVER_PATH=${fromEnv} is not an executable file`);
    return path.resolve(fromEnv);
  }
  const [ui] = await ensureGoBinaries({
    what: 'Temporal UI',
    dir: UI_BIN_DIR,
    stamp: UI_STAMP,
    version: TEMPORAL_UI_VERSION,
    names: ['server'],
    packages: [`${UI_MODULE}/cmd/server@v${TEMPORAL_UI_VERSION}`],
    log,
  });
  return ui!;
}

/** Where Temporal's databases live: a PostgreSQL server and the two database names. */
export interface TemporalDb {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  visibilityDatabase: string;
}

/**
 * `postgres://user:pass@host:port/name` → the default store in `name` (default `temporal`) and
 * visibility in `name_visibility`. Both are created when absent (the user needs CREATEDB, or create them).
 */
export function parseTemporalDbUrl(url: string): TemporalDb {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error(`TEMPORAL_DB_URL must be a postgres:// URL, not ${u.protocol}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'temporal';
  return {
    host: u.hostname || HOST,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
    database,
    visibilityDatabase: `${database}_visibility`,
  };
}

/** Temporal's schema on `db`, at the server's version; safe to run again on a database already set up. */
export async function setupTemporalSchema(sqlTool: string, db: TemporalDb, log = stderrLog): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user];
  const env = { ...process.env, SQL_PASSWORD: db.password };
  const sql = (args: string[]) => run(sqlTool, [...base, ...args], { env });
  for (const [database, schema] of [
    [db.database, 'postgresql/v12/temporal'],
    [db.visibilityDatabase, 'postgresql/v12/visibility'],
  ] as const) {
    await sql(['--db', database, 'create-database']).catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
    await sql(['--db', database, 'setup-schema', '-v', '0.0']);
    // The versioned schema embedded in the tool (the same files as the module's schema/ folder and
    // admin-tools' /etc/temporal/schema), so a cached binary needs no module cache.
    await sql(['--db', database, 'update-schema', '--schema-name', schema]);
    log(`schema ${schema} ready in database ${database}`);
  }
}

export interface TemporalCluster {
  /** host:port of the frontend (gRPC). */
  address: string;
  port: number;
  namespace: string;
  uiUrl?: string;
  /** The PostgreSQL the cluster persists to. */
  db: TemporalDb;
  /** Folder with the server's log and its rendered dynamic config. */
  dir: string;
  logFile: string;
  version: string;
  /** Stop the server (and UI); keep the PostgreSQL data. */
  stopServer(): Promise<void>;
  /** Start it again on the same ports and database. */
  startServer(): Promise<void>;
  /** Stop everything this started (the throwaway PostgreSQL too) and remove the folder unless kept. */
  stop(): Promise<void>;
}

export interface TemporalClusterOptions {
  /** A PostgreSQL URL for Temporal's databases (default: TEMPORAL_DB_URL, else a throwaway cluster). */
  dbUrl?: string;
  /** A running throwaway cluster to put Temporal's databases in (e.g. the tests' own). */
  pg?: PgCluster;
  /** Frontend gRPC port (default: a free one). */
  port?: number;
  /** Serve Temporal UI on this port (builds the UI server once); absent: no UI. */
  uiPort?: number;
  namespace?: string;
  /** Folder for logs and rendered config (default: a fresh temp folder, removed by stop()). */
  dir?: string;
  /** Connections per service to the default store (visibility: half); default 20 (the server's). */
  sqlMaxConns?: number;
  /** Server log level (default warn). */
  logLevel?: string;
  log?: (line: string) => void;
}

/** Throws unless the frontend answers and `namespace` is registered and usable. */
async function ready(address: string, namespace: string): Promise<void> {
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await conn.workflowService.getSystemInfo({});
    await conn.workflowService.describeNamespace({ namespace });
  } finally {
    await conn.close();
  }
}

async function registerNamespace(address: string, namespace: string): Promise<void> {
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await conn.workflowService.registerNamespace({
      namespace,
      description: 'exitflow',
      // Closed cases' histories stay readable in the UI for a month, then the server deletes them.
      workflowExecutionRetentionPeriod: msToTs('30 days'),
    });
  } catch (err) {
    if (!/already exists|AlreadyExists/i.test(String((err as Error).message))) throw err;
  } finally {
    await conn.close();
  }
}

/** Start a Temporal server on PostgreSQL with exitflow's namespace and search attributes. */
export async function startTemporalCluster(opts: TemporalClusterOptions = {}): Promise<TemporalCluster> {
  const log = opts.log ?? stderrLog;
  const namespace = opts.namespace ?? 'default';
  const bins = await resolveClusterBinaries(log);
  const ownDir = !opts.dir;
  const dir = opts.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'exitflow-temporal-')));
  await fs.mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'server.log');

  let ownPg: PgCluster | undefined;
  let db: TemporalDb;
  const dbUrl = opts.dbUrl ?? process.env.TEMPORAL_DB_URL;
  if (opts.pg) {
    db = { ...parseTemporalDbUrl(opts.pg.url), database: 'temporal', visibilityDatabase: 'temporal_visibility' };
  } else if (dbUrl) {
    db = parseTemporalDbUrl(dbUrl);
  } else {
    ownPg = await startPgCluster({ database: 'temporal' });
    db = { ...parseTemporalDbUrl(ownPg.url), visibilityDatabase: 'temporal_visibility' };
  }

  let child: ChildProcess | undefined;
  let ui: ChildProcess | undefined;
  const stopServer = async () => {
    await Promise.all([ui && terminate(ui, 5_000), child && terminate(child, 20_000)]);
    ui = undefined;
    child = undefined;
  };
  // Best effort when the process exits without stop(): leave no server behind.
  const onExit = () => {
    for (const c of [child, ui]) {
      if (!c?.pid || c.exitCode !== null) continue;
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', onExit);
  const cleanup = async () => {
    await stopServer();
    process.removeListener('exit', onExit);
    await ownPg?.destroy();
    if (ownDir) await fs.rm(dir, { recursive: true, force: true });
  };

  try {
    await setupTemporalSchema(bins.sql, db, log);

    // Ports: the frontend's, and the internal ones (gRPC + membership per service), all free now.
    const taken = new Set<number>();
    const port = async (given?: number) => {
      let p = given ?? (await lowFreePort());
      while (taken.has(p)) p = await lowFreePort();
      taken.add(p);
      return p;
    };
    const ports = {
      FRONTEND_GRPC_PORT: await port(opts.port),
      FRONTEND_HTTP_PORT: await port(),
      FRONTEND_MEMBERSHIP_PORT: await port(),
      HISTORY_GRPC_PORT: await port(),
      HISTORY_MEMBERSHIP_PORT: await port(),
      MATCHING_GRPC_PORT: await port(),
      MATCHING_MEMBERSHIP_PORT: await port(),
      WORKER_GRPC_PORT: await port(),
      WORKER_MEMBERSHIP_PORT: await port(),
    };
    const uiPort = opts.uiPort;

    // Dynamic config: the shared file plus the local additions.
    const shared = (parseYaml(await fs.readFile(DYNAMIC_CONFIG_FILE, 'utf8')) ?? {}) as Record<string, unknown>;
    const dynamicConfigFile = path.join(dir, 'dynamicconfig.yaml');
    await fs.writeFile(
      dynamicConfigFile,
      `# Rendered by scripts/lib/temporal-cluster.ts: config/temporal/dynamicconfig.yaml + LOCAL_DYNAMIC_CONFIG\n${stringifyYaml({ ...shared, ...LOCAL_DYNAMIC_CONFIG })}`,
    );

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DB: 'postgres12',
      POSTGRES_SEEDS: db.host,
      DB_PORT: String(db.port),
      POSTGRES_USER: db.user,
      POSTGRES_PWD: db.password,
      DBNAME: db.database,
      VISIBILITY_DBNAME: db.visibilityDatabase,
      NUM_HISTORY_SHARDS: String(NUM_HISTORY_SHARDS),
      ...(opts.sqlMaxConns
        ? {
            SQL_MAX_CONNS: String(opts.sqlMaxConns),
            SQL_MAX_IDLE_CONNS: String(opts.sqlMaxConns),
            SQL_VIS_MAX_CONNS: String(Math.max(2, Math.round(opts.sqlMaxConns / 2))),
            SQL_VIS_MAX_IDLE_CONNS: String(Math.max(2, Math.round(opts.sqlMaxConns / 2))),
          }
        : {}),
      BIND_ON_IP: HOST,
      TEMPORAL_BROADCAST_ADDRESS: HOST,
      LOG_LEVEL: opts.logLevel ?? 'warn',
      DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    delete env.TEMPORAL_SERVER_CONFIG_FILE_PATH;
    const address = `${HOST}:${ports.FRONTEND_GRPC_PORT}`;
    const args = ['--allow-no-auth', '--config-file', SERVER_CONFIG_FILE, 'start'];

    const startServer = async () => {
      if (child) return;
      const fd = openSync(logFile, 'a');
      const c = spawn(bins.server, args, { env, cwd: dir, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      child = c;
      let exitInfo: string | undefined;
      let spawnError: Error | undefined;
      c.once('error', (e) => (spawnError = e));
      c.once('exit', (code, signal) => (exitInfo = signal ?? `exit code ${code}`));
      const failure = async (why: string) => {
        await stopServer();
        const text = await fs.readFile(logFile, 'utf8').catch(() => '');
        return new Error(`Temporal server (${bins.server} ${args.join(' ')}) ${why}\n${tail(text, 3000)}`);
      };
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        if (spawnError) throw await failure(`could not start: ${spawnError.message}`);
        if (exitInfo) throw await failure(`exited (${exitInfo}) before it was ready; its log (${logFile}):`);
        try {
          const conn = await Connection.connect({ address, connectTimeout: 2000 });
          await conn.workflowService.getSystemInfo({}).finally(() => conn.close());
          break;
        } catch (err) {
          if (Date.now() > deadline) throw await failure(`did not answer on ${address} within ${READY_TIMEOUT_MS / 1000} s (${String((err as Error).message)}); its log:`);
          await sleep(500);
        }
      }
      // The namespace and the search attributes, as docker-compose.yml's temporal-setup job does them.
      await prepareNamespace(address, namespace).catch(async (err: Error) => {
        throw await failure(err.message);
      });
      void exited(c);
      if (uiPort !== undefined && !ui) {
        // Without a UI the cluster still serves: say why and go on.
        ui = await startUi(address, uiPort, dir, log).catch((err: Error) => {
          log(`Temporal UI not started: ${err.message}`);
          return undefined;
        });
      }
    };

    await forgetLocalMembers(db);
    const started = Date.now();
    await startServer();
    log(`Temporal server ${TEMPORAL_SERVER_VERSION} ready on ${address} in ${Math.round((Date.now() - started) / 100) / 10} s (PostgreSQL ${db.host}:${db.port}/${db.database}, ${NUM_HISTORY_SHARDS} history shards)`);
    return {
      address,
      port: ports.FRONTEND_GRPC_PORT,
      namespace,
      uiUrl: ui ? `http://localhost:${uiPort}` : undefined,
      db,
      dir,
      logFile,
      version: TEMPORAL_SERVER_VERSION,
      stopServer,
      startServer,
      stop: cleanup,
    };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}

/**
 * A database kept from an earlier run lists that run's server (other ports) as a cluster member for
 * 20 s after it stopped; a new server would spend its 30 s join timeout trying to reach it. Members on
 * this machine's loopback can only be earlier local runs: forget them before starting.
 */
async function forgetLocalMembers(db: TemporalDb): Promise<void> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  await client.connect();
  try {
    await client.query(`DELETE FROM cluster_membership WHERE rpc_address = $1`, [HOST]);
  } finally {
    await client.end();
  }
}

/**
 * A free port below 32768: the server stores its membership ports in a smallint column
 * (cluster_membership.rpc_port), and the OS hands out ephemeral ports above that.
 */
async function lowFreePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(candidate)) return candidate;
  }
  throw new Error('no free port between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

/**
 * Make `namespace` ready for exitflow on the server at `address` (idempotent): wait for the frontend,
 * register the namespace when it is absent (30 days' retention), then exitflow's search attributes
 * (workflows/search-attributes.ts, as the code has them now). The local cluster runs this on every
 * start; docker-compose.yml's temporal-setup job runs it too (scripts/temporal-setup.ts).
 */
export async function prepareNamespace(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await ready(address, namespace);
      break;
    } catch (err) {
      const message = String((err as Error).message);
      // The frontend answers but does not know the namespace: register it, then wait for the caches.
      if (/not found|NotFound/i.test(message)) await registerNamespace(address, namespace).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not ready on ${address} within ${timeoutMs / 1000} s: ${message}`);
      await sleep(500);
    }
  }
  await ensureSearchAttributesWithRetry(address, namespace);
}

/** Register the search attributes; the namespace may take a moment to reach every service. */
async function ensureSearchAttributesWithRetry(address: string, namespace: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await ensureSearchAttributes(address, namespace);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`registering exitflow's search attributes failed: ${String((err as Error).message)}`);
      await sleep(500);
    }
  }
}

/** Temporal UI (ui-server) pointed at the cluster; waits until it serves its page. */
async function startUi(address: string, port: number, dir: string, log: (line: string) => void): Promise<ChildProcess> {
  const exe = await resolveUiServer(log);
  const logFile = path.join(dir, 'ui.log');
  const fd = openSync(logFile, 'a');
  const args = ['--root', REPO_ROOT, '--config', path.relative(REPO_ROOT, path.join(CONFIG_DIR, 'ui')), '--env', 'local', 'start'];
  const child = spawn(exe, args, { env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_UI_PORT: String(port) }, cwd: REPO_ROOT, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = await fs.readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`Temporal UI (${exe} ${args.join(' ')}) exited (${child.exitCode}):\n${tail(text, 2000)}`);
    }
    const ok = await fetch(`http://${HOST}:${port}/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return child;
    if (Date.now() > deadline) {
      await terminate(child, 2000);
      throw new Error(`Temporal UI did not answer on port ${port} within 30 s; see ${logFile}`);
    }
    await sleep(300);
  }
}

/** Which Temporal a run uses: EXITFLOW_TEMPORAL=cluster (this file's server) or dev (the CLI's dev server, the default). */
export type TemporalTier = 'dev' | 'cluster';

export function temporalTier(value = process.env.EXITFLOW_TEMPORAL): TemporalTier {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'dev') return 'dev';
  if (v === 'cluster') return 'cluster';
  throw new Error(`the Temporal tier (--temporal, or EXITFLOW_TEMPORAL) must be dev or cluster, not ${value}`);
}
