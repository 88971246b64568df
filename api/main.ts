// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must be started before express and pg load.
import '../observability/start-api';
import { loadConfig, usesDevelopmentKey } from '../config';
import { createLogger } from '../config/logger';
import { createPool } from '../db/pool';
import { createMailer } from '../activities/mailer';
import { connectTemporalClient } from '../config/temporal-client';
import { stopTracing } from '../observability/tracing';
import { closeRateLimitStores, createApp, rateLimitSchemaReady } from './app';
import { IdempotencyStore } from './idempotency';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('api', config.LOG_LEVEL);
  if (usesDevelopmentKey(config)) {
    log.warn('AUTH_JWT_SECRET is unset or the published development key: anyone can mint a token for any identity; set a secret of your own outside local development');
  }
  if (config.NODE_ENV === 'production' && !config.METRICS_TOKEN) {
    log.warn('METRICS_TOKEN is unset: GET /metrics answers anyone who reaches the API (traffic by endpoint); set it and give it to Prometheus');
  }
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, { statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  // The public lists' own connections: anonymous load queues here, never for the officials' pool.
  const publicDb = createPool(config.DATABASE_URL, config.PUBLIC_DATABASE_POOL_MAX, { statementTimeoutMs: config.PUBLIC_DATABASE_STATEMENT_TIMEOUT_MS });
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  // Lazy: the API starts (and /health says why) even while Temporal is still coming up.
  // The client encrypts payloads with PAYLOAD_CODEC_KEYS and carries traces (config/temporal-client.ts).
  const { client: temporal, connection } = await connectTemporalClient(config, { lazy: true });
  if (!config.PAYLOAD_CODEC_KEYS) log.warn('PAYLOAD_CODEC_KEYS is unset: contacts\' names, e-mails and phones are stored in Temporal\'s histories in clear (development only)');
  const app = createApp({ config, db, publicDb, temporal, mailer, log });
  // RATE_LIMIT_STORE=postgres: the limiters count in the app database, whose schema the store sets up as it starts.
  if (config.RATE_LIMIT_STORE === 'postgres') await rateLimitSchemaReady(db);
  const server = app.listen(config.API_PORT, () => log.info({ port: config.API_PORT }, 'api listening'));
  // Answers kept for Idempotency-Key replays expire; every API replica may purge (a DELETE is safe to race).
  const idempotency = new IdempotencyStore(db);
  const purge = () =>
    idempotency
      .purge(config.IDEMPOTENCY_RETENTION_HOURS)
      .then((n) => n && log.info({ purged: n }, 'expired idempotency keys purged'))
      .catch((err) => log.warn({ err }, 'idempotency key purge failed; retried in an hour'));
  setInterval(purge, 3_600_000).unref();
  void purge();

  const shutdown = (signal: string) => {
    log.info({ signal }, 'api stopping');
    server.close(async () => {
      await Promise.allSettled([db.end(), publicDb.end(), connection.close(), closeRateLimitStores(app), stopTracing()]);
      mailer.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
