import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../api/app';
import { IdempotencyStore } from '../api/idempotency';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { caseStateQuery } from '../workflows/messages';
import { createExitflowWorker } from '../worker/worker';
import { caseApi, PNG } from './support/api';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, workflowBundle, type Stack } from './support/stack';

// Regression tests of the hardening issue's defects, each through HTTP against the real stack:
// input that used to wedge a case, one caller's command answered with another's, an action that
// hung while the worker was down, a decision taken by the wrong department, evidence cited for the
// wrong phase, dates out of any legal range.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const tomorrow = () => toLegalDate(new Date(Date.now() + 86_400_000).toISOString());
const today = () => toLegalDate(new Date().toISOString());

const { post, reach, upload } = caseApi(() => stack);

/** A registered enterprise and a case opened on it by `by` (energy in Zhengzhou unless told otherwise). */
async function openCase(by: Principal = officials.zhengzhouIndustry, region = '410102', extra: object = {}) {
  const e = enterpriseBody({ creditCode: randomCreditCode(region.slice(0, 4) + '00'), regionCode: region });
  expect((await post(by, '/api/v1/enterprises', e)).status).toBe(201);
  const opened = await post(by, '/api/v1/cases', openCaseBody(e.creditCode, { department: by.department as never, ...extra }));
  expect(opened.status).toBe(201);
  const enterprise: Principal = { sub: `ent-${e.creditCode}`, name: e.name, role: 'enterprise', creditCode: e.creditCode };
  return { caseId: opened.body.caseId as string, creditCode: e.creditCode, enterprise };
}

const live = (caseId: string) => stack.temporal.workflow.getHandle(caseId).query(caseStateQuery);

describe('control characters and bidirectional overrides (defect 1)', () => {
  it('refuses a NUL in any free-text field with 422 naming the field, and the case goes on taking actions', async () => {
    const c = await openCase();
    await reach(c.caseId, 'rectification');
    const refused = await post(officials.zhengzhouIndustry, `/api/v1/cases/${c.caseId}/clock-suspensions`, { ground: 'administrative_review', reason: '企业申请\u0000行政复议' });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'no_control_characters', messageZh: expect.any(String) })]);
    // The next action on the same case is taken at once: nothing is stuck behind the refused one.
    const next = await post(officials.zhengzhouIndustry, `/api/v1/cases/${c.caseId}/clock-suspensions`, { ground: 'administrative_review', reason: '企业申请行政复议\n（第一次）' });
    expect(next.status).toBe(200);
    expect(next.body.clockSuspended).toBe(true);
  });

  it('refuses a NUL in the legal basis of a new case without burning its notice number', async () => {
    const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
    expect((await post(officials.zhengzhouIndustry, '/api/v1/enterprises', e)).status).toBe(201);
    const body = openCaseBody(e.creditCode);
    const refused = await post(officials.zhengzhouIndustry, '/api/v1/cases', { ...body, legalBasis: '《节约能源法》\u0000' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'legalBasis', rule: 'no_control_characters' })]);
    const opened = await post(officials.zhengzhouIndustry, '/api/v1/cases', body);
    expect(opened.status).toBe(201);
    await reach(opened.body.caseId, 'rectification');
  });

  it('refuses bidirectional overrides in a published name, and control characters in names and query filters', async () => {
    const spoof = await post(officials.zhengzhouIndustry, '/api/v1/enterprises', enterpriseBody({ name: '郑州\u202e司公限有铁钢' }));
    expect(spoof.status).toBe(422);
    expect(spoof.body.errors).toEqual([expect.objectContaining({ field: 'name', rule: 'no_bidi_override' })]);
    const facility = enterpriseBody();
    facility.facilities[0]!.name = '2号高炉\u0007';
    const bell = await post(officials.zhengzhouIndustry, '/api/v1/enterprises', facility);
    expect(bell.status).toBe(422);
    expect(bell.body.errors).toEqual([expect.objectContaining({ field: 'facilities.0.name', rule: 'no_control_characters' })]);
    const search = await request(stack.app).get('/api/v1/cases').query({ q: '钢铁\u0000' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
    expect(search.status).toBe(422);
    expect(search.body.errors[0]).toMatchObject({ field: 'query.q', rule: 'no_control_characters' });
  });
});

describe('idempotency keys belong to their caller (defect 2)', () => {
  const colleague: Principal = { ...officials.zhengzhouIndustry, sub: 'zz-gx-02', name: '郑州市工信局 王执法' };

  it('applies a second official’s command sent with the same Idempotency-Key as the first official’s', async () => {
    const c = await openCase();
    await reach(c.caseId, 'rectification');
    const key = `suspend-${randomUUID()}`;
    const path = `/api/v1/cases/${c.caseId}`;
    expect((await post(officials.zhengzhouIndustry, `${path}/clock-suspensions`, { ground: 'administrative_review', reason: '复议' }, { 'Idempotency-Key': key })).status).toBe(200);
    expect((await post(officials.zhengzhouIndustry, `${path}/clock-resumptions`, { reason: '复议维持' })).status).toBe(200);
    expect((await live(c.caseId)).clockSuspended).toBe(false);
    const second = await post(colleague, `${path}/clock-suspensions`, { ground: 'litigation', reason: '诉讼' }, { 'Idempotency-Key': key });
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.idempotencyKey).toBe(key);
    expect((await live(c.caseId)).clockSuspended).toBe(true);
    const { rows } = await stack.db.query(`SELECT actor->>'sub' AS sub FROM audit_log WHERE target = $1 AND action = 'case.suspendClock' ORDER BY id`, [c.caseId]);
    expect(rows.map((r) => r.sub)).toEqual(['zz-gx-01', 'zz-gx-02']);
  });

  it('never takes X-Request-Id for a key: two callers sending the same request id both act', async () => {
    const c = await openCase();
    await reach(c.caseId, 'rectification');
    const path = `/api/v1/cases/${c.caseId}`;
    const requestId = `req-${randomUUID()}`;
    expect((await post(officials.zhengzhouIndustry, `${path}/clock-suspensions`, { ground: 'administrative_review' }, { 'X-Request-Id': requestId })).status).toBe(200);
    expect((await post(officials.zhengzhouIndustry, `${path}/clock-resumptions`, {})).status).toBe(200);
    expect((await post(colleague, `${path}/clock-suspensions`, { ground: 'administrative_review' }, { 'X-Request-Id': requestId })).status).toBe(200);
    expect((await live(c.caseId)).clockSuspended).toBe(true);
  });

  it('re-checks authorisation before replaying: another identity under the same subject gets 403, not the stored answer', async () => {
    const a = await openCase();
    const b = await openCase();
    const sameSubject = 'shared-enterprise-login';
    const key = `evidence-${randomUUID()}`;
    const photo = Buffer.concat([PNG, Buffer.from(randomUUID())]);
    const own = await upload({ ...a.enterprise, sub: sameSubject }, a.caseId, 'before', photo, { 'Idempotency-Key': key });
    expect(own.status).toBe(201);
    const other = await upload({ ...b.enterprise, sub: sameSubject }, a.caseId, 'before', photo, { 'Idempotency-Key': key });
    expect(other.status).toBe(403);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });

  it('treats the same key with another query string as another request (422), not a replay of the first upload', async () => {
    const c = await openCase();
    const key = `evidence-${randomUUID()}`;
    const photo = Buffer.concat([PNG, Buffer.from(randomUUID())]);
    expect((await upload(officials.zhengzhouIndustry, c.caseId, 'before', photo, { 'Idempotency-Key': key })).status).toBe(201);
    const after = await upload(officials.zhengzhouIndustry, c.caseId, 'after', photo, { 'Idempotency-Key': key });
    expect(after.status).toBe(422);
    expect(after.body.code).toBe('idempotency_key_reused');
  });

  it('purges answers older than the retention, keeping recent ones', async () => {
    const store = new IdempotencyStore(stack.db);
    const old = `old-${randomUUID()}`;
    const fresh = `fresh-${randomUUID()}`;
    await stack.db.query(
      `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, state, created_at) VALUES ('purge-test', $1, 'POST', '/x', 'h', 'completed', now() - interval '25 hours'), ('purge-test', $2, 'POST', '/x', 'h', 'completed', now())`,
      [old, fresh],
    );
    expect(await store.purge(24)).toBeGreaterThanOrEqual(1);
    const { rows } = await stack.db.query(`SELECT key FROM idempotency_keys WHERE principal = 'purge-test'`);
    expect(rows.map((r) => r.key)).toEqual([fresh]);
  });
});

describe('an action while the worker is down (defect 3)', () => {
  it('answers 503 with Retry-After within its deadline, and the same key completes the command once when the worker is back', async () => {
    const c = await openCase();
    await reach(c.caseId, 'rectification');
    const app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, API_UPDATE_TIMEOUT_MS: 2_000 } });
    stack.worker!.shutdown();
    await stack.workerRun;
    const key = `suspend-${randomUUID()}`;
    const send = async () => request(app).post(`/api/v1/cases/${c.caseId}/clock-suspensions`).set('Authorization', await bearer(officials.zhengzhouIndustry)).set('Idempotency-Key', key).send({ ground: 'litigation', reason: '企业提起行政诉讼' });
    const started = Date.now();
    const down = await send();
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toEqual(expect.any(String));
    expect(Date.now() - started).toBeLessThan(10_000);

    // The worker comes back (a new one on the same task queue); the client retries with its key.
    stack.worker = await createExitflowWorker({
      config: { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS as string, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: stack.taskQueue },
      deps: { db: stack.db, mailer: stack.mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: stack.platforms.url },
      workflowBundle: await workflowBundle(),
    });
    stack.workerRun = stack.worker.run();
    const back = await eventually(async () => {
      const r = await send();
      return r.status === 200 ? r : undefined;
    }, 30_000, 'the retried action');
    expect(back.body.clockSuspended).toBe(true);
    const history = await stack.temporal.workflow.getHandle(c.caseId).fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'suspendClock');
    expect(accepted).toHaveLength(1);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1 AND action = 'case.suspendClock'`, [c.caseId]);
    expect(rows[0].n).toBe(1);
  });
});

describe('who takes a decision (defect 6)', () => {
  it('refuses, with 403 and the reason, a development & reform official deciding an extension assigned to industry & IT', async () => {
    const shenyang: Principal = { sub: 'sy-gx-01', name: '沈阳市工信局 执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '210100' };
    const drc: Principal = { sub: 'sy-fg-01', name: '沈阳市发改委 执法', role: 'enforcement_official', department: 'development_reform', jurisdiction: '210100' };
    const c = await openCase(shenyang, '210102');
    await reach(c.caseId, 'rectification');
    expect((await post(c.enterprise, `/api/v1/cases/${c.caseId}/extension-requests`, { months: 2, reason: '设备改造' })).status).toBe(200);
    await eventually(async () => ((await stack.db.query(`SELECT 1 FROM decisions WHERE case_id = $1 AND kind = 'extension' AND status = 'open'`, [c.caseId])).rowCount ? true : undefined));
    const wrong = await post(drc, `/api/v1/cases/${c.caseId}/extension-decisions`, { approve: true });
    expect(wrong.status).toBe(403);
    expect(wrong.body.detail).toContain('industry_it');
    expect((await live(c.caseId)).stage).toBe('extension_requested');
    const right = await post(shenyang, `/api/v1/cases/${c.caseId}/extension-decisions`, { approve: true });
    expect(right.status).toBe(200);
  });

  it('refuses, with 403 and the reason (not 422), an enforcement official deciding an extension the city government decides', async () => {
    const c = await openCase();
    await reach(c.caseId, 'rectification');
    expect((await post(c.enterprise, `/api/v1/cases/${c.caseId}/extension-requests`, { months: 3, reason: '设备改造' })).status).toBe(200);
    await eventually(async () => ((await stack.db.query(`SELECT 1 FROM decisions WHERE case_id = $1 AND kind = 'extension' AND status = 'open'`, [c.caseId])).rowCount ? true : undefined));
    const res = await post(officials.zhengzhouIndustry, `/api/v1/cases/${c.caseId}/extension-decisions`, { approve: true });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('approving_government');
  });
});

describe('evidence cited for a step (defect 7) and legal dates (defect 9)', () => {
  /** A technology case: eliminated equipment exits at once, so dismantling is the next step. */
  async function technologyCase() {
    const c = await openCase(officials.zhengzhouIndustry, '410102', { dimension: 'technology' });
    await reach(c.caseId, 'exit_in_progress');
    return c;
  }

  it('refuses one photo cited as before, during and after, a photo cited for another phase than it was uploaded for, and a URI that is not the API’s', async () => {
    const c = await technologyCase();
    const photo = await upload(officials.zhengzhouIndustry, c.caseId, 'before', Buffer.concat([PNG, Buffer.from(randomUUID())]));
    expect(photo.status).toBe(201);
    const ref = { uri: photo.headers.location as string, sha256: photo.body.sha256 as string };
    const path = `/api/v1/cases/${c.caseId}/dismantlings`;
    const once = await post(officials.zhengzhouIndustry, path, { dismantledOn: today(), evidence: ['before', 'during', 'after'].map((phase) => ({ phase, ...ref })) });
    expect(once.status).toBe(422);
    expect(once.body.errors.map((e: { field: string; rule: string }) => `${e.field} ${e.rule}`)).toEqual(['evidence.1.sha256 evidence_distinct', 'evidence.2.sha256 evidence_distinct']);
    const wrongPhase = await post(officials.zhengzhouIndustry, path, { dismantledOn: today(), evidence: [{ phase: 'after', ...ref }] });
    expect(wrongPhase.status).toBe(422);
    expect(wrongPhase.body.errors[0]).toMatchObject({ field: 'evidence.0.phase', rule: 'evidence_phase' });
    const script = await post(officials.zhengzhouIndustry, path, { dismantledOn: today(), evidence: [{ phase: 'before', uri: 'javascript:alert(1)', sha256: ref.sha256 }] });
    expect(script.status).toBe(422);
    expect(script.body.errors[0]).toMatchObject({ field: 'evidence.0.uri', rule: 'evidence_uri' });
    const sealing = await post(officials.zhengzhouIndustry, `/api/v1/cases/${c.caseId}/sealings`, { sealedOn: today(), measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'], commitmentRef: '承诺书', announcementUrl: 'javascript:alert(1)' });
    expect(sealing.status).toBe(422);
    expect(sealing.body.errors[0]).toMatchObject({ field: 'announcementUrl' });
    expect((await live(c.caseId)).stage).toBe('exit_in_progress');
    // The photo cited once, for its own phase, is taken.
    const good = await post(officials.zhengzhouIndustry, path, { dismantledOn: today(), evidence: [{ phase: 'before', ...ref }] });
    expect(good.status).toBe(200);
  });

  it('refuses a dismantling dated in the future or outside the legal range', async () => {
    const c = await technologyCase();
    const path = `/api/v1/cases/${c.caseId}/dismantlings`;
    const future = await post(officials.zhengzhouIndustry, path, { dismantledOn: tomorrow() });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'dismantledOn', rule: 'date_not_in_future' });
    const year0 = await post(officials.zhengzhouIndustry, path, { dismantledOn: '0000-01-01' });
    expect(year0.status).toBe(422);
    expect(year0.body.errors[0]).toMatchObject({ field: 'dismantledOn', rule: 'date_in_range' });
    expect((await live(c.caseId)).stage).toBe('exit_in_progress');
  });

  it('refuses a notice served in year 9999 or tomorrow, and a list filter in year 0000, with 422', async () => {
    const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
    expect((await post(officials.zhengzhouIndustry, '/api/v1/enterprises', e)).status).toBe(201);
    const far = await post(officials.zhengzhouIndustry, '/api/v1/cases', openCaseBody(e.creditCode, { noticeServedOn: '9999-12-31' }));
    expect(far.status).toBe(422);
    expect(far.body.errors[0]).toMatchObject({ field: 'noticeServedOn', rule: 'date_in_range' });
    const later = await post(officials.zhengzhouIndustry, '/api/v1/cases', openCaseBody(e.creditCode, { noticeServedOn: tomorrow() }));
    expect(later.status).toBe(422);
    expect(later.body.errors[0]).toMatchObject({ field: 'noticeServedOn', rule: 'date_not_in_future' });
    const list = await request(stack.app).get('/api/v1/cases').query({ deadlineBefore: '0000-01-01' }).set('Authorization', await bearer(officials.zhengzhouIndustry));
    expect(list.status).toBe(422);
    expect(list.body.errors[0]).toMatchObject({ field: 'query.deadlineBefore', rule: 'date_in_range' });
  });
});

it('keeps one case per notice number whatever its letter case (defect 13)', async () => {
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  expect((await post(officials.zhengzhouIndustry, '/api/v1/enterprises', e)).status).toBe(201);
  const number = `zzgx-2026-${randomUUID().slice(0, 6)}`;
  const first = await post(officials.zhengzhouIndustry, '/api/v1/cases', openCaseBody(e.creditCode, { caseNumber: number }));
  expect(first.status).toBe(201);
  expect(first.body.caseId).toContain(number.toUpperCase());
  const again = await post(officials.zhengzhouIndustry, '/api/v1/cases', openCaseBody(e.creditCode, { caseNumber: number.toUpperCase() }));
  expect(again.status).toBe(409);
  expect(again.body.code).toBe('case_exists');
});
