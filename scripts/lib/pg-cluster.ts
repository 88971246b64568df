/** A throwaway real PostgreSQL cluster for tests and CI (initdb into a temp folder, trust auth, 127.0.0.1 only). */
import { spawnSync } from 'node:child_process';
import { constants as fsc, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports';
import { run } from './processes';

export interface PgCluster {
  url: string;
  port: number;
  dataDir: string;
  /** Stop the server, keeping the data (simulates "PostgreSQL is down"). */
  stopServer(): Promise<void>;
  /** Start it again on the same port with the same data. */
  startServer(): Promise<void>;
  /** Stop and remove the whole folder. */
  destroy(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function isExecutable(p: string): Promise<boolean> {
  return fs.access(p, fsc.X_OK).then(
    () => true,
    () => false,
  );
}

/** Directory holding initdb + pg_ctl (+ postgres): PATH first, else the newest /usr/lib/postgresql/N/bin. */
async function findPgBinDir(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, 'initdb'))) && (await isExecutable(path.join(dir, 'pg_ctl')))) {
      // /usr/local/bin/initdb is often a symlink; use the real folder so pg_ctl finds `postgres` next to it.
      return path.dirname(await fs.realpath(path.join(dir, 'initdb')));
    }
  }
  const base = '/usr/lib/postgresql';
  const versions = (await fs.readdir(base).catch(() => [] as string[])).sort((a, b) => parseFloat(b) - parseFloat(a));
  for (const v of versions) {
    const dir = path.join(base, v, 'bin');
    if ((await isExecutable(path.join(dir, 'initdb'))) && (await isExecutable(path.join(dir, 'pg_ctl')))) return dir;
  }
  return undefined;
}

let installing: Promise<void> | undefined;
async function installPostgres(): Promise<void> {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot() || !hasApt) {
    throw new Error(
      'PostgreSQL (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin. ' +
        'Install it, e.g. `sudo apt-get install -y postgresql`.',
    );
  }
  process.stderr.write('PostgreSQL not found; installing it: apt-get update && apt-get install -y postgresql\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, echo: true });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { env, echo: true });
}

async function pgBinDir(): Promise<string> {
  const found = await findPgBinDir();
  if (found) return found;
  await (installing ??= installPostgres());
  const after = await findPgBinDir();
  if (!after) throw new Error('apt-get install postgresql finished, but initdb/pg_ctl are still not found');
  return after;
}

/** uid/gid of the `postgres` OS user, creating the user when absent (root only). */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const read = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  const existing = read();
  if (existing) return existing;
  process.stderr.write('creating OS user postgres (PostgreSQL refuses to run as root)\n');
  await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const created = read();
  if (!created) throw new Error('could not create the postgres OS user');
  return created;
}

/**
 * `dir`: keep the cluster in this folder across runs (created on the first, reused after; destroy()
 * then only stops the server). Without it, a fresh temp folder removed by destroy().
 */
export async function startPgCluster(opts: { port?: number; database?: string; dir?: string } = {}): Promise<PgCluster> {
  const database = opts.database ?? 'exitflow_test';
  const bin = await pgBinDir();
  const keep = opts.dir !== undefined;
  const root = keep ? path.resolve(opts.dir!) : await fs.mkdtemp(path.join(os.tmpdir(), 'exitflow-pg-'));
  if (keep) await fs.mkdir(root, { recursive: true });
  const dataDir = path.join(root, 'data');
  const reused = keep && (await fs.stat(path.join(dataDir, 'PG_VERSION')).then(() => true, () => false));
  const logFile = path.join(root, 'server.log');
  const asRoot = isRoot();
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    await fs.chown(root, uid, gid);
  }
  /** Run a PostgreSQL binary, as the postgres user when we are root. */
  const pgRun = (exe: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, exe), ...args], { cwd: root }) : run(path.join(bin, exe), args, { cwd: root });

  try {
    if (!reused) await pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = opts.port ?? (await freePort());
    // A reused cluster gets this run's port: the last `port =` line wins.
    if (reused) await fs.appendFile(path.join(dataDir, 'postgresql.conf'), `port = ${port}\n`);
    else await fs.appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# exitflow throwaway test cluster',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${root}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        "log_min_messages = 'warning'",
        '',
      ].join('\n'),
    );

    let running = false;
    const startServer = async () => {
      if (running) return;
      await pgRun('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']).catch(async (err: Error) => {
        const log = await fs.readFile(logFile, 'utf8').catch(() => '');
        throw new Error(`${err.message}\n${log.slice(-2000)}`);
      });
      running = true;
    };
    const stopServer = async () => {
      if (!running) return;
      await pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    };
    // Best effort if the process exits without destroy(): do not leave a postmaster behind.
    const onExit = () => {
      if (!running) return;
      const args = [path.join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop'];
      spawnSync(asRoot ? 'runuser' : args[0]!, asRoot ? ['-u', 'postgres', '--', ...args] : args.slice(1), { stdio: 'ignore' });
    };
    process.once('exit', onExit);

    await startServer();
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
        if (!(reused && err.code === '42P04')) throw err; // 42P04: it exists, from an earlier run
      });
    } finally {
      await admin.end();
    }

    let destroyed = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      port,
      dataDir,
      startServer,
      stopServer,
      destroy: async () => {
        if (destroyed) return;
        destroyed = true;
        await stopServer().catch(() => undefined);
        process.removeListener('exit', onExit);
        if (!keep) await fs.rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (!keep) await fs.rm(root, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}
