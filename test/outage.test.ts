import request from 'supertest';
import { createExitflowWorker } from '../worker/worker';
import { WorkerMetrics } from '../worker/metrics';
import { createPool, inTransaction } from '../db/pool';
import { migrate } from '../db/migrate';
import { startPgCluster, type PgCluster } from '../scripts/lib/pg-cluster';
import type { ReceivedMail } from '../scripts/lib/smtp-sink';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { toLegalDate } from '../domain/deadlines';
import { eventually, startStack, workflowBundle, type Stack } from './support/stack';

// This file has a PostgreSQL of its own: it is taken down while other test files run.
let cluster: PgCluster;
let stack: Stack;
let auth: string;
beforeAll(async () => {
  cluster = await startPgCluster();
  await migrate(cluster.url);
  stack = await startStack({ databaseUrl: cluster.url, withoutWorker: true });
  auth = await bearer(officials.zhengzhouIndustry);
});
afterAll(async () => {
  await stack?.close();
  await cluster?.destroy();
});

/** A worker on the stack's task queue, with a database pool of its own and its activity metrics (worker/metrics.ts). */
async function startWorker() {
  const db = createPool(cluster.url, 3);
  const metrics = new WorkerMetrics();
  const worker = await createExitflowWorker({
    metrics,
    config: { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: stack.taskQueue },
    deps: { db, mailer: stack.mailer, publicBaseUrl: 'http://localhost:3000' },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  return {
    /** Failed attempts of an activity, as the worker's /metrics reports them (exitflow_activities_total). */
    async failedAttempts(activityType: string): Promise<number> {
      const counted = await metrics.activities.get();
      return counted.values.filter((v) => v.labels.activity_type === activityType && v.labels.outcome === 'failed').reduce((n, v) => n + v.value, 0);
    },
    async stop() {
      worker.shutdown();
      await running;
      await db.end();
    },
  };
}

async function openCase(): Promise<{ caseId: string; forCase: (m: ReceivedMail) => boolean }> {
  const enterprise = enterpriseBody();
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(enterprise.creditCode, { noticeServedOn: toLegalDate(new Date().toISOString()) })); // served today: not yet overdue
  expect(opened.status).toBe(201);
  const caseId: string = opened.body.caseId;
  return { caseId, forCase: (m) => m.to.includes(enterprise.contact.email) && m.text.includes(caseId) };
}

/**
 * The case's writes and mails run as local activities (patch local-steps): retried by the worker inside
 * the workflow task (then on a server timer), not listed among the pending activities. The operator
 * sees the failed attempts on the worker's /metrics.
 */
async function retried(worker: { failedAttempts(t: string): Promise<number> }, activityType: string): Promise<number | undefined> {
  const n = await worker.failedAttempts(activityType);
  return n > 0 ? n : undefined;
}

async function stageOf(caseId: string): Promise<string | undefined> {
  const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [caseId]);
  return rows[0]?.stage;
}

it('a case opened while PostgreSQL is down completes once the database is back', async () => {
  const { caseId, forCase } = await openCase(); // no worker yet: the workflow has not run
  await cluster.stopServer();
  const worker = await startWorker();
  try {
    // The first step (writing the case record) fails and is retried.
    await eventually(() => retried(worker, 'recordCaseOpened'), 20_000, 'a retried activity');
    expect(stack.sink.messages.filter(forCase)).toEqual([]);
    await cluster.startServer();
    await stack.sink.waitFor(forCase, 30_000);
    await eventually(async () => ((await stageOf(caseId)) === 'rectification' ? true : undefined), 30_000, 'rectification');
  } finally {
    await worker.stop();
  }
});

it('a case opened while the SMTP server is down sends its notice exactly once when it is back', async () => {
  const worker = await startWorker();
  try {
    await stack.sink.stop();
    const { caseId, forCase } = await openCase();
    // The case is recorded, but the notice cannot leave: the mail activity retries.
    await eventually(async () => ((await stageOf(caseId)) === 'opened' ? true : undefined), 20_000, 'case record');
    await eventually(() => retried(worker, 'sendCaseMail'), 20_000, 'a retried mail activity');
    await stack.sink.start();
    await stack.sink.waitFor(forCase, 30_000);
    await eventually(async () => ((await stageOf(caseId)) === 'rectification' ? true : undefined), 30_000, 'rectification');
    expect(stack.sink.messages.filter(forCase)).toHaveLength(1);
    const { rows } = await stack.db.query(`SELECT status, attempts FROM notifications WHERE case_id = $1`, [caseId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('sent');
    expect(rows[0].attempts).toBeGreaterThan(1);
  } finally {
    await worker.stop();
  }
});

it('while PostgreSQL is down, registering an enterprise answers 503 problem+json and stores nothing', async () => {
  const enterprise = enterpriseBody();
  await cluster.stopServer();
  let res;
  try {
    res = await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise);
  } finally {
    await cluster.startServer();
  }
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body.code).toBe('service_unavailable');
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM enterprises WHERE credit_code = $1`, [enterprise.creditCode]);
  expect(rows[0].n).toBe(0);
});

it('a process whose transaction is waiting when PostgreSQL goes down survives it and carries on', async () => {
  const db = createPool(cluster.url, 2);
  const crashes: unknown[] = [];
  const onUncaught = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    // The connection is checked out and idle (as while a transaction waits for Temporal) when the server goes away.
    let release: (() => void) | undefined;
    const held = inTransaction(db, async (tx) => {
      await tx.query('SELECT 1');
      await new Promise<void>((r) => (release = r));
      await tx.query('SELECT 1');
    });
    const outcome = held.then(() => 'committed', (err: Error) => `failed: ${err.message}`);
    await eventually(async () => (release ? true : undefined), 5_000, 'transaction open');
    await cluster.stopServer();
    release!();
    expect(await outcome).toMatch(/^failed/);
    await cluster.startServer();
    // The pool hands out a fresh connection; the process never saw an unhandled 'error' event.
    expect((await db.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    expect(crashes).toEqual([]);
  } finally {
    process.off('uncaughtException', onUncaught);
    await cluster.startServer();
    await db.end();
  }
});

it('while PostgreSQL is down, every list answers 503 and leaves no unhandled rejection behind', async () => {
  const rejections: unknown[] = [];
  const onRejection = (err: unknown) => rejections.push(err);
  process.on('unhandledRejection', onRejection);
  await cluster.stopServer();
  try {
    for (const path of ['/api/v1/cases', '/api/v1/enterprises', '/api/v1/decisions']) {
      const res = await request(stack.app).get(path).set('Authorization', await bearer(officials.operator));
      expect([path, res.status]).toEqual([path, 503]);
    }
    await new Promise((r) => setTimeout(r, 200)); // a stray rejection would surface by now
  } finally {
    await cluster.startServer();
    process.off('unhandledRejection', onRejection);
  }
  expect(rejections).toEqual([]);
});
