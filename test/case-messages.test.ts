import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Principal } from '../domain/roles';
import { bearer, officials, randomCreditCode } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * A case's mails, escalations and platform acknowledgements (GET /api/v1/cases/{caseId}/messages),
 * read by whoever may read the case: the case page's timeline shows them.
 */
let stack: Stack;
let caseId: string;
let enterprise: Principal;
const tag = randomUUID().slice(0, 6);

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  const creditCode = randomCreditCode('410100');
  caseId = `case-410102-${creditCode}-MS${tag}`;
  enterprise = { sub: 'ent-ms', name: '企业', role: 'enterprise', creditCode };
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1, '消息测试企业', '410102', 'steel', '王', 'a@b.cn', '{}')`, [creditCode]);
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, 'MS', $2, '410102', 'steel', 'energy', 'industry_it', '30号文', '2026-03-02', '[]', 'henan', 'henan-2021.1', 'closure_ordered', '{}', now())`,
    [caseId, creditCode],
  );
  await stack.db.query(
    `INSERT INTO notifications (idempotency_key, case_id, kind, recipients, subject, message_id, status, attempts, created_at, sent_at) VALUES
       ($1, $2, 'rectification_notice', '{compliance@steel.example.cn}', '【整改通知】消息测试企业', '<n1@exitflow>', 'sent', 1, '2026-03-02T01:00:00Z', '2026-03-02T01:00:01Z'),
       ($3, $2, 'authority_notice', '{li@gxj.zhengzhou.example.cn,zhang@gxj.zhengzhou.example.cn}', '【督办】整改期满未达标', '<n2@exitflow>', 'sending', 1, '2026-09-03T16:00:00Z', NULL)`,
    [`${caseId}/notice`, caseId, `${caseId}/escalation`],
  );
  await stack.db.query(
    `INSERT INTO case_events (case_id, idempotency_key, kind, stage, detail, occurred_at) VALUES ($1, $2, 'escalation', 'rectification', $3, '2026-09-03T16:00:00Z')`,
    [caseId, `${caseId}/escalation/recorded`, JSON.stringify({ what: 'rectification', lapsedOn: '2026-09-02', up: '410100', responsible: {} })],
  );
  await stack.db.query(
    `INSERT INTO platform_pushes (idempotency_key, case_id, platform, kind, payload, status, acknowledgement, attempts, created_at, acknowledged_at) VALUES
       ($1, $2, 'credit_china', 'joint_punishment', '{}', 'acknowledged', 'ACK-118', 1, '2026-10-09T02:00:00Z', '2026-10-09T02:00:01Z'),
       ($3, $2, 'banks', 'joint_punishment', '{}', 'pushing', NULL, 1, '2026-10-09T02:00:00Z', NULL)`,
    [`${caseId}/push/credit`, caseId, `${caseId}/push/banks`],
  );
});
afterAll(async () => {
  await stack?.close();
});

const read = async (who: Principal, id = caseId) => request(stack.app).get(`/api/v1/cases/${id}/messages`).set('Authorization', await bearer(who));

it('an official of the case’s jurisdiction reads its mails (delivered or waiting), escalations and acknowledgements', async () => {
  const res = await read(officials.zhengzhouIndustry);
  expect(res.status).toBe(200);
  expect(res.body.mails).toEqual([
    { kind: 'rectification_notice', subject: '【整改通知】消息测试企业', recipients: ['compliance@steel.example.cn'], createdAt: '2026-03-02T01:00:00.000Z', sentAt: '2026-03-02T01:00:01.000Z', status: 'sent' },
    { kind: 'authority_notice', subject: '【督办】整改期满未达标', recipients: ['li@gxj.zhengzhou.example.cn', 'zhang@gxj.zhengzhou.example.cn'], createdAt: '2026-09-03T16:00:00.000Z', sentAt: null, status: 'waiting' },
  ]);
  expect(res.body.escalations).toEqual([{ at: '2026-09-03T16:00:00.000Z', what: 'rectification', lapsedOn: '2026-09-02', up: '410100' }]);
  expect(res.body.acknowledgements).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ platform: 'credit_china', status: 'acknowledged', acknowledgement: 'ACK-118', acknowledgedAt: '2026-10-09T02:00:01.000Z' }),
      expect.objectContaining({ platform: 'banks', status: 'waiting', acknowledgement: null }),
    ]),
  );
});

it('the enterprise reads its own case’s mails with the recipients masked', async () => {
  const res = await read(enterprise);
  expect(res.status).toBe(200);
  expect(res.body.mails.map((m: { recipients: string[] }) => m.recipients)).toEqual([['c***@steel.example.cn'], ['l***@gxj.zhengzhou.example.cn', 'z***@gxj.zhengzhou.example.cn']]);
});

it('another jurisdiction, another enterprise and an anonymous caller read nothing', async () => {
  expect((await read(officials.fuzhouIndustry)).status).toBe(403);
  expect((await read({ sub: 'ent-other', name: '别家', role: 'enterprise', creditCode: randomCreditCode() })).status).toBe(403);
  expect((await request(stack.app).get(`/api/v1/cases/${caseId}/messages`)).status).toBe(401);
});

it('a case id that is not one is refused naming the field; an unknown case is 404', async () => {
  const bad = await read(officials.zhengzhouIndustry, 'not-a-case');
  expect(bad.status).toBe(422);
  expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'path.caseId' })]);
  const unknown = await read(officials.zhengzhouIndustry, `case-410102-${randomCreditCode('410100')}-NONE`);
  expect(unknown.status).toBe(404);
});
