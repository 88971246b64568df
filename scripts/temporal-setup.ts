/**
 * One-shot setup of a Temporal server for exitflow: the namespace (TEMPORAL_NAMESPACE, default
 * `default`) and exitflow's search attributes, on TEMPORAL_ADDRESS; idempotent. docker-compose.yml's
 * temporal-setup job runs it (`node dist/scripts/temporal-setup.js`), with the same code the local
 * cluster uses (scripts/lib/temporal-cluster.ts prepareNamespace), so the list is never copied by hand.
 */
import { prepareNamespace } from './lib/temporal-cluster';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

prepareNamespace(address, namespace, Number(process.env.TEMPORAL_SETUP_TIMEOUT_SECONDS ?? 300) * 1000).then(
  () => {
    console.log(`Temporal at ${address}: namespace ${namespace} and exitflow's search attributes ready`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
