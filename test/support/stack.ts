import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/bundle';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import { createApp, type AppDeps } from '../../api/app';
import { createMailer, type Mailer } from '../../activities/mailer';
import { createPool, type Db } from '../../db/pool';
import { createExitflowWorker } from '../../worker/worker';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../scripts/lib/recording-endpoint';
import { TOKENS } from './fixtures';

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

// The SDK's own logs: errors only (the outage tests provoke retries on purpose), so test output stays readable.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let bundle: ReturnType<typeof bundleWorkflows> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle() {
  bundle ??= bundleWorkflows();
  return bundle;
}

export interface Stack {
  app: ReturnType<typeof createApp>;
  /** What the app was made of, to make a variant (e.g. with a database that cannot be reached). */
  appDeps: AppDeps;
  db: Db;
  /** The public lists' own pool, as api/main.ts gives them one. */
  publicDb: Db;
  temporal: Client;
  sink: SmtpSink;
  /** Stands in for the external platforms (PLATFORM_PUSH_URL). */
  platforms: RecordingEndpoint;
  mailer: Mailer;
  taskQueue: string;
  worker?: Worker;
  workerRun?: Promise<void>;
  close(): Promise<void>;
}

/**
 * The environment of an API or worker process (bench/apps startApp) on this stack's services: its
 * Temporal, PostgreSQL, SMTP sink, platform stand-in and task queue, with the test's own settings on top.
 */
export function processEnv(stack: Stack, extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    SMTP_URL: stack.sink.smtpUrl,
    PLATFORM_PUSH_URL: stack.platforms.url,
    AUTH_JWT_SECRET: TOKENS.secret,
    ...extra,
  };
}

export interface StackOptions {
  databaseUrl?: string;
  poolMax?: number;
  /** Start no worker (health must then report the task queue unpolled). */
  withoutWorker?: boolean;
}

/**
 * The API and a worker wired to the real shared services (PostgreSQL, Temporal dev server)
 * and a fresh SMTP sink, on a task queue of their own.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const databaseUrl = opts.databaseUrl ?? (process.env.TEST_DATABASE_URL as string);
  const address = process.env.TEST_TEMPORAL_ADDRESS as string;
  const taskQueue = `test-${randomUUID()}`;
  const sink = await startSmtpSink();
  const platforms = await startRecordingEndpoint();
  const db = createPool(databaseUrl, opts.poolMax ?? 5);
  const publicDb = createPool(databaseUrl, 2, { statementTimeoutMs: 5_000 });
  const mailer = createMailer(sink.smtpUrl, 'exitflow <noreply@exitflow.local>');
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection });
  const config = {
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_UI_URL: 'http://localhost:8233',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    AUTH_JWT_SECRET: TOKENS.secret,
    AUTH_JWT_ISSUER: TOKENS.issuer,
    AUTH_JWT_AUDIENCE: TOKENS.audience,
    // Tests stand where a local reverse proxy would: X-Forwarded-For gives each test a client address of its own.
    TRUST_PROXY: 'loopback',
  };
  const appDeps: AppDeps = { config, db, publicDb, temporal, mailer, log: silentLog };
  const app = createApp(appDeps);
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  if (!opts.withoutWorker) {
    worker = await createExitflowWorker({
      config: { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: taskQueue },
      deps: { db, mailer, publicBaseUrl: config.PUBLIC_BASE_URL, platformBaseUrl: platforms.url },
      workflowBundle: await workflowBundle(),
    });
    workerRun = worker.run();
  }
  return {
    app, appDeps, db, publicDb, temporal, sink, platforms, mailer, taskQueue, worker, workerRun,
    async close() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun?.catch(() => {});
      await connection.close();
      await db.end();
      await publicDb.end();
      mailer.close();
      await sink.stop();
      await platforms.stop();
    },
  };
}

export { eventually } from './eventually';
