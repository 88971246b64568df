import { Client, Connection } from '@temporalio/client';
import { loadConfig, usesDevelopmentKey } from '../config';
import { createLogger } from '../config/logger';
import { createPool } from '../db/pool';
import { createMailer } from '../activities/mailer';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('api', config.LOG_LEVEL);
  if (usesDevelopmentKey(config)) {
    log.warn('AUTH_JWT_SECRET is unset or the published development key: anyone can mint a token for any identity; set a secret of your own outside local development');
  }
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
  // Lazy: the API starts (and /health says why) even while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ config, db, temporal, mailer, log });
  const server = app.listen(config.API_PORT, () => log.info({ port: config.API_PORT }, 'api listening'));

  const shutdown = (signal: string) => {
    log.info({ signal }, 'api stopping');
    server.close(async () => {
      await Promise.allSettled([db.end(), connection.close()]);
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
