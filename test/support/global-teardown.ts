import type { PgCluster } from '../../scripts/lib/pg-cluster';
import type { DevServer } from '../../scripts/lib/devserver';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__exitflowServices as { pg: PgCluster; temporal: DevServer } | undefined;
  if (!services) return;
  await Promise.allSettled([services.temporal.stop(), services.pg.destroy()]);
}
