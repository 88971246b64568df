import { startPgCluster } from '../../scripts/lib/pg-cluster';
import { startDevServer } from '../../scripts/lib/devserver';
import { resolveTestServer } from '../../scripts/lib/temporal-bin';
import { migrate } from '../../db/migrate';

/**
 * Real services shared by every test file: a throwaway PostgreSQL cluster (migrated) and a
 * Temporal dev server (in memory). Addresses reach the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const [pg, temporal, testServer] = await Promise.all([startPgCluster(), startDevServer({ headless: true }), resolveTestServer()]);
  await migrate(pg.url);
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  (globalThis as Record<string, unknown>).__exitflowServices = { pg, temporal };
}
