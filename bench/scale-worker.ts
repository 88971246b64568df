/**
 * The exitflow worker of the bench's scale step, in a process of its own so that its memory can be
 * measured apart from the API, the SMTP sink and the bench itself (messages: bench/worker-process.ts).
 * Configured by the SCALE_WORKER environment variable (JSON, see ScaleWorkerConfig).
 */
import { NativeConnection } from '@temporalio/worker';
import { createMailer } from '../activities/mailer';
import { createPool } from '../db/pool';
import { createExitflowWorker } from '../worker/worker';
import { serveWorkerProcess } from './worker-process';

export interface ScaleWorkerConfig {
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  /** PostgreSQL pool size of the worker's activities. */
  poolMax: number;
  smtpUrl: string;
  platformBaseUrl: string;
  /** A workflow bundle built once by the parent (bundleWorkflowCode), so bundling does not count here. */
  bundlePath: string;
}

serveWorkerProcess(async () => {
  const cfg = JSON.parse(process.env.SCALE_WORKER ?? '') as ScaleWorkerConfig;
  const db = createPool(cfg.databaseUrl, cfg.poolMax);
  const mailer = createMailer(cfg.smtpUrl, 'exitflow <noreply@exitflow.local>');
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await createExitflowWorker({
    connection,
    config: { TEMPORAL_ADDRESS: cfg.temporalAddress, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: cfg.taskQueue, PAYLOAD_CODEC_KEYS: process.env.PAYLOAD_CODEC_KEYS || undefined },
    deps: { db, mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: cfg.platformBaseUrl },
    workflowBundle: { codePath: cfg.bundlePath },
  });
  return {
    worker,
    async close() {
      await connection.close().catch(() => undefined);
      await db.end().catch(() => undefined);
      mailer.close();
    },
  };
});
