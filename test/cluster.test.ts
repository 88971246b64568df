import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { isPortInUse } from '../scripts/lib/ports';
import { NUM_HISTORY_SHARDS, startTemporalCluster, TEMPORAL_SERVER_VERSION, type TemporalCluster } from '../scripts/lib/temporal-cluster';
import { ALL_SEARCH_ATTRIBUTES, SA } from '../workflows/search-attributes';
import { advance, clusterProbe } from './support/cluster-workflow';
import { eventually } from './support/eventually';

// The cluster tier (scripts/lib/temporal-cluster.ts) as `npm run cluster` and
// `EXITFLOW_TEMPORAL=cluster npm start` bring it up: a real Temporal server, not the CLI's dev server,
// on a PostgreSQL of its own, with exitflow's namespace and search attributes; a workflow runs on it,
// is found by those attributes, and outlives a restart of the server.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let cluster: TemporalCluster;
let connection: Connection;
let client: Client;
/** A query on Temporal's default store (the `temporal` database). */
let store: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

beforeAll(async () => {
  // Builds the binaries first if they are not cached (scripts/test.sh does that before jest).
  cluster = await startTemporalCluster();
  connection = await Connection.connect({ address: cluster.address });
  client = new Client({ connection });
  const { host, port, user, password, database } = cluster.db;
  store = async (sql, params) => {
    const c = new pg.Client({ host, port, user, password, database });
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
}, 20 * 60_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await cluster?.stop();
});

it('is the real server at the version docker-compose.yml deploys, persisting to PostgreSQL over several history shards', async () => {
  const info = await connection.workflowService.getSystemInfo({});
  expect(info.serverVersion).toBe(TEMPORAL_SERVER_VERSION);
  const { rows } = await store('SELECT count(*)::int AS n FROM shards');
  expect(rows[0].n).toBe(NUM_HISTORY_SHARDS);
  const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
  expect(ns.namespaceInfo?.name).toBe('default');
});

it('has every search attribute of exitflow registered in the default namespace, with its type', async () => {
  const types: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  const registered = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, customAttributes?.[k.name]]));
  expect(registered).toEqual(Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, types[k.type]])));
});

it('runs a workflow that visibility finds by those attributes, and that outlives a restart of the server', async () => {
  const taskQueue = `cluster-${randomUUID()}`;
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: cluster.address }),
    taskQueue,
    workflowsPath: require.resolve('./support/cluster-workflow'),
  });
  const running = worker.run();
  try {
    const workflowId = `cluster-probe-${randomUUID()}`;
    const handle = await client.workflow.start(clusterProbe, {
      taskQueue,
      workflowId,
      typedSearchAttributes: [
        { key: SA.stage, value: 'opened' },
        { key: SA.regionPath, value: ['41', '4101', '410102'] },
        { key: SA.deadline, value: new Date('2027-05-31T00:00:00Z') },
        { key: SA.overdue, value: false },
      ],
    });
    const found = (query: string) =>
      eventually(async () => {
        const ids: string[] = [];
        for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ${query}` })) ids.push(`${w.workflowId} ${w.status.name}`);
        return ids.length ? ids : undefined;
      }, 30_000, query);
    expect(await found(`ExitflowStage = 'opened' AND ExitflowRegionPath = '4101' AND ExitflowOverdue = false AND ExitflowDeadline < '2028-01-01T00:00:00Z'`)).toEqual([`${workflowId} RUNNING`]);
    // Its state is in PostgreSQL, in one of the shards.
    const { rows } = await store('SELECT shard_id FROM executions WHERE workflow_id = $1', [workflowId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].shard_id).toBeGreaterThanOrEqual(1);
    expect(rows[0].shard_id).toBeLessThanOrEqual(NUM_HISTORY_SHARDS);

    await cluster.stopServer();
    expect(await isPortInUse(cluster.port)).toBe(false);
    await cluster.startServer();

    await eventually(() => handle.signal(advance, 'closed').then(() => true), 30_000, 'the signal after the restart');
    expect(await handle.result()).toBe('reached closed');
    expect(await found(`ExitflowStage = 'closed'`)).toEqual([`${workflowId} COMPLETED`]);
  } finally {
    worker.shutdown();
    await running;
  }
});

it('stops cleanly: no server left on its port, and the throwaway PostgreSQL gone', async () => {
  await connection.close();
  await cluster.stop();
  expect(await isPortInUse(cluster.port)).toBe(false);
  expect(await isPortInUse(cluster.db.port)).toBe(false);
});
