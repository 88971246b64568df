/**
 * The drill's stack, every part a real process or server that can be killed and brought back:
 * a file-backed Temporal dev server (restarted on the same SQLite file and port) or, with
 * temporal: 'cluster', a real Temporal server on a PostgreSQL of its own (restarted on the same
 * database and ports; as in docker-compose.yml, exitflow's PostgreSQL is another one), a throwaway
 * PostgreSQL cluster (stopped and started on the same data), the SMTP sink and the platform
 * stand-in (stopped and started on the same ports, keeping what they received on disk), and the
 * worker and the API as child processes (`tsx worker/main.ts`, `tsx api/main.ts`) that get kill -9.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../../config';
import { migrate } from '../../db/migrate';
import { startDevServer, type DevServer } from '../../scripts/lib/devserver';
import { startTemporalCluster, type TemporalCluster, type TemporalTier } from '../../scripts/lib/temporal-cluster';
import { startPgCluster, type PgCluster } from '../../scripts/lib/pg-cluster';
import { freePort } from '../../scripts/lib/ports';
import { startApp, type App, type AppProcess } from '../apps';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../scripts/lib/recording-endpoint';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';

export const DRILL_TOKENS = { secret: DEVELOPMENT_JWT_SECRET, issuer: 'exitflow', audience: 'exitflow-api' };

export interface DrillStack {
  dir: string;
  apiUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  /** Which Temporal the drill ran on, and what its restart fault is called. */
  temporal: TemporalTier;
  temporalRestart: string;
  taskQueue: string;
  sink: SmtpSink;
  platforms: RecordingEndpoint;
  pg: PgCluster;
  /** How often each child exited without being told to (a supervisor restarted it). */
  unplannedExits: Record<App, number>;
  start(app: App): Promise<void>;
  /** kill -9 the child's whole process group (tsx and the node process under it). */
  kill(app: App): Promise<void>;
  restartTemporal(): Promise<void>;
  stop(): Promise<void>;
}

export const TEMPORAL_RESTART_FAULT: Record<TemporalTier, string> = {
  dev: 'stop Temporal dev server, restart on the same SQLite file',
  cluster: 'stop Temporal server, restart on the same PostgreSQL',
};

export async function startDrillStack(opts: { keep?: boolean; temporal?: TemporalTier } = {}): Promise<DrillStack> {
  const tier = opts.temporal ?? 'dev';
  const dir = mkdtempSync(path.join(tmpdir(), 'exitflow-drill-'));
  const temporalPort = await freePort();
  const dbFile = path.join(dir, 'temporal', 'temporal.sqlite');
  const devServer = () => startDevServer({ headless: true, port: temporalPort, dbFile, logFile: path.join(dir, 'temporal', 'server.log') });
  const startTemporal = async (): Promise<DevServer | TemporalCluster> =>
    tier === 'cluster' ? startTemporalCluster({ dir: path.join(dir, 'temporal') }) : devServer();
  let temporal: DevServer | TemporalCluster | undefined;
  let pg: PgCluster | undefined;
  let sink: SmtpSink | undefined;
  let platforms: RecordingEndpoint | undefined;
  const children: Partial<Record<App, AppProcess>> = {};
  const stopping = new Set<App>();
  let closed = false;
  const unplannedExits: Record<App, number> = { worker: 0, api: 0 };

  const cleanup = async () => {
    closed = true;
    await Promise.allSettled((['worker', 'api'] as const).map((a) => killChild(a)));
    await Promise.allSettled([temporal?.stop(), pg?.destroy(), sink?.stop(), platforms?.stop()]);
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };

  async function killChild(app: App): Promise<void> {
    const proc = children[app];
    if (!proc) return;
    stopping.add(app);
    await proc.kill();
    delete children[app];
    stopping.delete(app);
  }

  try {
    [temporal, pg, sink, platforms] = await Promise.all([
      startTemporal(),
      startPgCluster({ database: 'exitflow_drill' }),
      startSmtpSink({ dir: path.join(dir, 'mail'), port: await freePort() }),
      startRecordingEndpoint({ dir: path.join(dir, 'platforms'), port: await freePort() }),
    ]);
    await migrate(pg.url);
    const apiPort = await freePort();
    const taskQueue = 'exitflow-drill';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: pg.url,
      DATABASE_POOL_MAX: '10',
      SMTP_URL: sink.smtpUrl,
      PLATFORM_PUSH_URL: platforms.url,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_JWT_SECRET: DRILL_TOKENS.secret,
      AUTH_JWT_ISSUER: DRILL_TOKENS.issuer,
      AUTH_JWT_AUDIENCE: DRILL_TOKENS.audience,
    };
    const apiUrl = `http://127.0.0.1:${apiPort}`;

    const start = async (app: App): Promise<void> => {
      if (children[app]) return;
      const proc = await startApp(app, env, dir, app === 'api' ? apiUrl : undefined);
      children[app] = proc;
      proc.child.once('exit', () => {
        if (children[app] === proc) delete children[app];
        if (closed || stopping.has(app)) return;
        // Like systemd or Kubernetes would: count it and bring it back.
        unplannedExits[app]++;
        setTimeout(() => void start(app).catch(() => undefined), 1000);
      });
    };

    await start('worker');
    await start('api');
    const stack: DrillStack = {
      dir,
      apiUrl,
      databaseUrl: pg.url,
      temporalAddress: temporal.address,
      temporal: tier,
      temporalRestart: TEMPORAL_RESTART_FAULT[tier],
      taskQueue,
      sink,
      platforms,
      pg,
      unplannedExits,
      start,
      kill: killChild,
      async restartTemporal() {
        if (temporal && 'startServer' in temporal) {
          // The same server binary, ports and databases: what a restart of the temporal service does.
          await temporal.stopServer();
          await temporal.startServer();
        } else {
          await temporal?.stop();
          temporal = await devServer();
        }
      },
      stop: cleanup,
    };
    return stack;
  } catch (err) {
    await cleanup();
    throw err;
  }
}
