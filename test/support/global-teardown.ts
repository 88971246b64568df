import type { PgCluster } from '../../scripts/lib/pg-cluster';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__exitflowServices as { pg: PgCluster; temporal: { stop(): Promise<void> } } | undefined;
  if (!services) return;
  // Temporal first: a cluster keeps its databases in this PostgreSQL.
  await services.temporal.stop().catch(() => undefined);
  await services.pg.destroy().catch(() => undefined);
}
