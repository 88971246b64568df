// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must be started before pg and the SDK load.
import '../observability/start-worker';
import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { createPool } from '../db/pool';
import { createMailer } from '../activities/mailer';
import { reporterKey } from '../db/reporter-identity';
import { freePort } from '../scripts/lib/ports';
import { stopTracing, tracingEnabled } from '../observability/tracing';
import { serveWorkerMetrics, WorkerMetrics } from './metrics';
import { createExitflowWorker, installRuntimeLogger } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('worker', config.LOG_LEVEL);
  // The SDK's Prometheus exporter listens on a loopback port of its own; WORKER_METRICS_PORT serves it with exitflow's.
  const sdkMetricsPort = config.WORKER_METRICS_PORT ? await freePort() : undefined;
  installRuntimeLogger(log, sdkMetricsPort ? { prometheusBindAddress: `127.0.0.1:${sdkMetricsPort}` } : {});
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, { statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  // Backlog gauges are read at scrape time over one connection of their own, given up on after 2 s.
  const metricsDb = config.WORKER_METRICS_PORT ? createPool(config.DATABASE_URL, 1, { statementTimeoutMs: 2_000, connectionTimeoutMs: 2_000 }) : undefined;
  const metrics = new WorkerMetrics(metricsDb);
  const worker = await createExitflowWorker({ config, metrics, deps: { db, mailer, publicBaseUrl: config.PUBLIC_BASE_URL, platformBaseUrl: config.PLATFORM_PUSH_URL, reporterKey: reporterKey(config) } });
  const metricsServer = config.WORKER_METRICS_PORT
    ? await serveWorkerMetrics({ port: config.WORKER_METRICS_PORT, metrics, sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`, token: config.METRICS_TOKEN, state: () => worker.getState(), log })
    : undefined;
  log.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, payloadCodec: Boolean(config.PAYLOAD_CODEC_KEYS), tracing: tracingEnabled(), prebuiltBundle: config.WORKFLOW_BUNDLE_PATH ?? null },
    'worker polling',
  );
  if (!config.PAYLOAD_CODEC_KEYS) log.warn('PAYLOAD_CODEC_KEYS is unset: contacts\' names, e-mails and phones are stored in Temporal\'s histories in clear (development only)');
  // Runtime.install's default shutdown signals (SIGINT, SIGTERM) make run() return after in-flight tasks finish.
  await worker.run();
  metricsServer?.close();
  await Promise.allSettled([db.end(), metricsDb?.end(), stopTracing()]);
  mailer.close();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
