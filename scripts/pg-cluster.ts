/** Start a throwaway PostgreSQL, print its DATABASE_URL, keep it until Ctrl-C, then remove it. */
import { startPgCluster } from './lib/pg-cluster';
import { onShutdownSignal } from './lib/processes';

async function main() {
  const port = process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined;
  const cluster = await startPgCluster({ port, database: process.env.PG_DATABASE });
  console.log(`DATABASE_URL=${cluster.url}`);
  console.error(`data: ${cluster.dataDir} (removed on exit). Ctrl-C to stop.`);
  onShutdownSignal(async () => {
    await cluster.destroy();
    process.exit(0);
  });
  setInterval(() => undefined, 1 << 30); // stay in the foreground
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
