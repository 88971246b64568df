import request from 'supertest';
import type { Principal } from '../domain/roles';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// A client that lost its answer (the API process died, PostgreSQL or Temporal went away mid-request)
// retries with the same Idempotency-Key and gets the command's one effect, never a second one and
// never a conflict with its own first attempt.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const official = officials.zhengzhouIndustry as Principal;

/** Make the key look as a crashed API left it: still in progress, `ageSeconds` old. */
async function leaveInProgress(key: string, ageSeconds: number) {
  const { rowCount } = await stack.db.query(
    `UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, created_at = now() - make_interval(secs => $2) WHERE key = $1`,
    [key, ageSeconds],
  );
  expect(rowCount).toBe(1);
}

async function audits(target: string, action: string): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND action = $2`, [target, action]);
  return rows[0].n;
}

async function openedCase() {
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(official)).send(e)).status).toBe(201);
  return { e, body: openCaseBody(e.creditCode) };
}

it('opening: a retry with the same key after the answer was lost gets the case it opened, audited once', async () => {
  const { body } = await openedCase();
  const key = `open-${body.caseNumber}-${body.creditCode}`;
  const send = async (k: string) => request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).set('Idempotency-Key', k).set('Prefer', 'respond-async').send(body);
  const first = await send(key);
  expect(first.status).toBe(201);

  // Still in progress and young: the retry is told to wait, and when.
  await leaveInProgress(key, 1);
  const early = await send(key);
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('idempotency_key_in_progress');
  expect(early.headers['retry-after']).toBe('1');

  // Past the lease: the retry takes the key over, runs again and recognises its own workflow.
  await leaveInProgress(key, 31);
  const retried = await send(key);
  expect(retried.status).toBe(201);
  expect(retried.headers['idempotent-replayed']).toBeUndefined();
  expect(retried.body.caseId).toBe(first.body.caseId);
  expect(await audits(first.body.caseId, 'case.open')).toBe(1);

  // Another command (another key) for the same notice is still a duplicate.
  const other = await send(`${key}-other`);
  expect(other.status).toBe(409);
  expect(other.body.code).toBe('case_exists');
});

it('acting: a retry with the same key gets the first outcome, applied and audited once', async () => {
  const { e, body } = await openedCase();
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  await eventually(async () => ((await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [caseId])).rows[0]?.stage === 'rectification' ? true : undefined));
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  const key = `ext-${caseId}`;
  const ask = async (k?: string) => {
    const r = request(stack.app).post(`/api/v1/cases/${caseId}/extension-requests`).set('Authorization', await bearer(enterprise));
    return (k ? r.set('Idempotency-Key', k) : r).send({ months: 3, reason: '改造工期' });
  };
  const first = await ask(key);
  expect(first.status).toBe(200);
  expect(first.body.stage).toBe('extension_requested');

  // The answer was lost before the key was completed; the retry runs the update again under the same id.
  await leaveInProgress(key, 31);
  const retried = await ask(key);
  expect(retried.status).toBe(200);
  expect(retried.body).toEqual(first.body);
  expect(await audits(caseId, 'case.requestExtension')).toBe(1);
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND stage = 'extension_requested'`, [caseId]);
  expect(rows[0].n).toBe(1);

  // Without the key the same body is a new command, which the stage now refuses.
  const fresh = await ask();
  expect(fresh.status).toBe(409);
  expect(fresh.body.code).toBe('stage_does_not_accept');
});

it('reading a case while no worker answers shows the read model, marked as not live', async () => {
  const { body } = await openedCase();
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(official)).send(body);
  const caseId = opened.body.caseId as string;
  await eventually(async () => ((await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [caseId])).rows[0]?.stage === 'rectification' ? true : undefined));
  const read = async () => request(stack.app).get(`/api/v1/cases/${caseId}`).set('Authorization', await bearer(official));
  const live = await read();
  expect(live.body).toMatchObject({ live: true, stage: 'rectification' });

  stack.worker!.shutdown(); // the worker is gone: nothing can answer the workflow query
  await stack.workerRun;
  const fallback = await read();
  expect(fallback.status).toBe(200);
  expect(fallback.body).toMatchObject({ live: false, stage: 'rectification', deadline: live.body.deadline, overdue: false });
  expect(fallback.body.history.map((h: { stage: string }) => h.stage)).toEqual(live.body.history.map((h: { stage: string }) => h.stage));
});
