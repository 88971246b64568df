import { startPgCluster } from '../../scripts/lib/pg-cluster';
import { startDevServer } from '../../scripts/lib/devserver';
import { startTemporalCluster, temporalTier } from '../../scripts/lib/temporal-cluster';
import { resolveTestServer } from '../../scripts/lib/temporal-bin';
import { migrate } from '../../db/migrate';

/**
 * Real services shared by every test file: a throwaway PostgreSQL cluster (migrated) and a Temporal
 * server: the CLI's dev server (in memory), or with EXITFLOW_TEMPORAL=cluster a real Temporal server
 * whose databases live in that same PostgreSQL (scripts/lib/temporal-cluster.ts). Addresses reach the
 * test workers through the environment. The time-skipping tests run their own test server either way.
 */
export default async function globalSetup(): Promise<void> {
  const tier = temporalTier();
  const pgStarted = startPgCluster();
  const [pg, temporal, testServer] = await Promise.all([
    pgStarted,
    tier === 'cluster' ? pgStarted.then((pg) => startTemporalCluster({ pg, sqlMaxConns: 10 })) : startDevServer({ headless: true }),
    resolveTestServer(),
  ]);
  await migrate(pg.url);
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_TEMPORAL_TIER = tier;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  (globalThis as Record<string, unknown>).__exitflowServices = { pg, temporal };
}
