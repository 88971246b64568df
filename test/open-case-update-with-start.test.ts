import request from 'supertest';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import type { Principal } from '../domain/roles';
import { createExitflowWorker } from '../worker/worker';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { eventually, startStack, workflowBundle, type Stack } from './support/stack';

// Opening a case (POST /api/v1/cases) starts its workflow with the `firstStage` update in the same
// call (update-with-start): the official's answer carries the first stage and deadline from the
// workflow's own answer, not from polling its state; a slow or absent worker only delays it.

const official = officials.zhengzhouIndustry as Principal;

async function registered(stack: Stack) {
  const e = enterpriseBody();
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(official)).send(e)).status).toBe(201);
  return openCaseBody(e.creditCode);
}

async function audits(stack: Stack, caseId: string): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND action = 'case.open'`, [caseId]);
  return rows[0].n;
}

/** The updates of the case's history: name and what became of it (accepted, completed). */
async function updatesIn(stack: Stack, caseId: string): Promise<string[]> {
  const history = await stack.temporal.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    if (e.workflowExecutionUpdateAcceptedEventAttributes) return [`accepted ${e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name}`];
    if (e.workflowExecutionUpdateCompletedEventAttributes) return ['completed'];
    return [];
  });
}

/** How many workflows run under the case's id (visibility catches up within a moment). */
const workflowsWithId = (stack: Stack, caseId: string) =>
  eventually(async () => {
    const { count } = await stack.temporal.workflow.count(`WorkflowId = '${caseId}'`);
    return count > 0 ? count : undefined;
  }, 15_000, `${caseId} listed`);

describe('with the worker running', () => {
  let stack: Stack;
  let app: ReturnType<typeof createApp>;
  /** The queries the API sends to Temporal (its client's interceptor counts them). */
  const queries: string[] = [];
  beforeAll(async () => {
    stack = await startStack();
    const temporal = new Client({
      connection: stack.temporal.connection,
      interceptors: { workflow: [{ query: (input, next) => (queries.push(input.queryType), next(input)) }] },
    });
    app = createApp({ ...stack.appDeps, temporal });
  });
  afterAll(async () => {
    await stack?.close();
  });
  const open = async (body: object, headers: Record<string, string> = {}) => {
    let r = request(app).post('/api/v1/cases').set('Authorization', await bearer(official));
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r.send(body);
  };

  it('answers with the first stage and deadline from the workflow itself, without querying its state', async () => {
    const body = await registered(stack);
    queries.length = 0;
    const opened = await open(body);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ stage: 'rectification', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), policy: { id: 'henan' } });
    expect(queries).toEqual([]);
    // The workflow's own answer is in the case's history: the update sent with the start, accepted and completed.
    expect(await updatesIn(stack, opened.body.caseId)).toEqual(['accepted firstStage', 'completed']);
    // The answer is the case as it is.
    const read = await request(app).get(`/api/v1/cases/${opened.body.caseId}`).set('Authorization', await bearer(official));
    expect(read.body).toMatchObject({ stage: 'rectification', deadline: opened.body.deadline });
    expect(await audits(stack, opened.body.caseId)).toBe(1);
  });

  it('opens one notice number once: of two opens at the same time, one is 201 and one 409', async () => {
    const body = await registered(stack);
    const answers = await Promise.all([open(body), open(body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const [ok, refused] = answers[0].status === 201 ? answers : [answers[1], answers[0]];
    expect(ok.body.stage).toBe('rectification');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'case_exists', errors: [expect.objectContaining({ field: 'caseNumber', rule: 'unique' })] });
    expect(await audits(stack, ok.body.caseId)).toBe(1);
    // And later too.
    const later = await open(body);
    expect(later.status).toBe(409);
    expect(later.body.code).toBe('case_exists');
    expect(await workflowsWithId(stack, ok.body.caseId)).toBe(1);
  });

  it('answers a retry with the same Idempotency-Key as the open it is, even when the first answer was lost', async () => {
    const body = await registered(stack);
    const key = `uws-${body.caseNumber}-${body.creditCode}`;
    const first = await open(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body.stage).toBe('rectification');
    const replayed = await open(body, { 'Idempotency-Key': key });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(first.body);

    // The API died after the workflow started: the key is left in progress, past its lease. The retry
    // runs the command again and recognises the case it opened, with its stage and deadline.
    const { rowCount } = await stack.db.query(
      `UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, created_at = now() - interval '31 seconds' WHERE key = $1`,
      [key],
    );
    expect(rowCount).toBe(1);
    const retried = await open(body, { 'Idempotency-Key': key });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toEqual(first.body);
    expect(await audits(stack, first.body.caseId)).toBe(1);
    expect(await workflowsWithId(stack, first.body.caseId)).toBe(1);
  });
});

describe('when the call to Temporal is cut (the deadline, a lost connection)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  const cut = () => Object.assign(new Error('Deadline exceeded (cut by the test)'), { code: 4 });
  /** The API with a Temporal client whose update-with-start is cut before it reaches Temporal, or after. */
  const appCut = (when: 'before' | 'after') =>
    createApp({
      ...stack.appDeps,
      temporal: new Client({
        connection: stack.temporal.connection,
        interceptors: {
          workflow: [
            {
              startUpdateWithStart: async (input, next) => {
                if (when === 'after') await next(input);
                throw cut();
              },
            },
          ],
        },
      }),
    });

  it('before Temporal got it: the case is still opened, once, and runs', async () => {
    const body = await registered(stack);
    const opened = await request(appCut('before')).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
    expect(opened.status).toBe(201);
    expect(opened.body.stage).toMatch(/^(opened|rectification)$/);
    const caseId = opened.body.caseId as string;
    await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [caseId]);
      return rows[0]?.stage === 'rectification' ? true : undefined;
    }, 30_000, `${caseId} in rectification`);
    expect(await audits(stack, caseId)).toBe(1);
    expect(await workflowsWithId(stack, caseId)).toBe(1);
  });

  it('after the workflow started: answered as the open it is, not as a duplicate, and audited once', async () => {
    const body = await registered(stack);
    const opened = await request(appCut('after')).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    expect(await updatesIn(stack, caseId)).toEqual(['accepted firstStage', 'completed']);
    expect(await audits(stack, caseId)).toBe(1);
    expect(await workflowsWithId(stack, caseId)).toBe(1);
    // Another request for the same notice is still refused.
    const again = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
    expect(again.status).toBe(409);
  });
});

describe('with the worker stopped', () => {
  let stack: Stack;
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  beforeAll(async () => {
    stack = await startStack({ withoutWorker: true });
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun?.catch(() => {});
    await stack?.close();
  });

  it('answers `opened` within about 6 s, and the case runs once the worker is back', async () => {
    const body = await registered(stack);
    const t0 = Date.now();
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
    const took = Date.now() - t0;
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ stage: 'opened', deadline: null });
    expect(took).toBeLessThan(6_500);
    const caseId = opened.body.caseId as string;
    expect(await audits(stack, caseId)).toBe(1);
    expect((await stack.temporal.workflow.getHandle(caseId).describe()).status.name).toBe('RUNNING');

    // A second open of the notice while the worker is away is still refused, and still no second workflow.
    const again = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('case_exists');
    expect(await audits(stack, caseId)).toBe(1);

    // The worker comes back: the case is recorded and its notice served.
    worker = await createExitflowWorker({
      config: { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS as string, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: stack.taskQueue },
      deps: { db: stack.db, mailer: stack.mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: stack.platforms.url },
      workflowBundle: await workflowBundle(),
    });
    workerRun = worker.run();
    await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [caseId]);
      return rows[0]?.stage === 'rectification' ? true : undefined;
    }, 30_000, `${caseId} in rectification`);
    expect(await workflowsWithId(stack, caseId)).toBe(1);
  });
});
