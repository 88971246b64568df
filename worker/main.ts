import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { createPool } from '../db/pool';
import { createMailer } from '../activities/mailer';
import { reporterKey } from '../db/reporter-identity';
import { createExitflowWorker, installRuntimeLogger } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('worker', config.LOG_LEVEL);
  installRuntimeLogger(log);
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, { statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  const worker = await createExitflowWorker({ config, deps: { db, mailer, publicBaseUrl: config.PUBLIC_BASE_URL, platformBaseUrl: config.PLATFORM_PUSH_URL, reporterKey: reporterKey(config) } });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker polling');
  // Runtime.install's default shutdown signals (SIGINT, SIGTERM) make run() return after in-flight tasks finish.
  await worker.run();
  await db.end();
  mailer.close();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
