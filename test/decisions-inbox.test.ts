import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Principal } from '../domain/roles';
import { bearer, randomCreditCode } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
const tag = randomUUID().slice(0, 8);
let caseId: string;

const cityGovernment: Principal = { sub: 'zz-gov', name: '郑州市人民政府', role: 'approving_government', jurisdiction: '410100' };
const fuzhouGovernment: Principal = { sub: 'fz-gov', name: '福州市人民政府', role: 'approving_government', jurisdiction: '350100' };
const ecologyOfficial: Principal = { sub: 'zz-eco', name: '郑州市生态环境局', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: '410100' };
const industryOfficial: Principal = { sub: 'zz-gx', name: '郑州市工信局', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' };

async function decision(kind: string, role: string, department: string | null, jurisdiction: string, dueAt: string, status = 'open') {
  const id = `${caseId}/${kind}/${randomUUID().slice(0, 6)}`;
  await stack.db.query(
    `INSERT INTO decisions (decision_id, case_id, kind, assignee_role, assignee_department, jurisdiction, due_date, due_at, status)
     VALUES ($1,$2,$3,$4,$5,$6,($7::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,$7,$8)`,
    [id, caseId, kind, role, department, jurisdiction, dueAt, status],
  );
  return id;
}

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  const creditCode = randomCreditCode('410100');
  caseId = `case-410102-${creditCode}-${tag}`;
  await stack.db.query(
    `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1, $2, '410102', 'steel', '王', 'a@b.cn', '{}')`,
    [creditCode, `待办测试企业${tag}`],
  );
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1, $2, $3, '410102', 'steel', 'energy', 'industry_it', '30号文', '2026-03-02', '[]', 'henan', 'henan-2021.1', 'extension_requested', '{}', now())`,
    [caseId, tag, creditCode],
  );
});
afterAll(async () => {
  await stack?.close();
});

async function inbox(p: Principal, query: Record<string, string> = {}) {
  const res = await request(stack.app).get('/api/v1/decisions').query(query).set('Authorization', await bearer(p));
  expect(res.status).toBe(200);
  return (res.body.items as { decisionId: string; overdue: boolean; caseId: string; enterpriseName: string }[]).filter((d) => d.caseId === caseId);
}

it('shows an official the decisions their role may take in their jurisdiction, soonest due first, overdue marked', async () => {
  const later = await decision('closure', 'approving_government', null, '410100', '2099-06-01T16:00:00Z');
  const overdue = await decision('extension', 'approving_government', null, '410100', '2020-01-01T16:00:00Z');
  await decision('extension', 'approving_government', null, '350100', '2020-01-01T16:00:00Z'); // another city
  await decision('extension', 'approving_government', null, '410100', '2020-01-02T16:00:00Z', 'decided');
  const items = await inbox(cityGovernment);
  expect(items.map((d) => d.decisionId)).toEqual([overdue, later]);
  expect(items.map((d) => d.overdue)).toEqual([true, false]);
  expect(items[0]!.enterpriseName).toBe(`待办测试企业${tag}`);
  expect((await inbox(fuzhouGovernment)).map((d) => d.decisionId)).not.toContain(overdue);
});

it('shows a department only its own department’s decisions', async () => {
  const reinspection = await decision('reinspection', 'enforcement_official', 'industry_it', '410102', '2099-01-01T16:00:00Z');
  expect((await inbox(industryOfficial, { kind: 'reinspection' })).map((d) => d.decisionId)).toEqual([reinspection]);
  expect(await inbox(ecologyOfficial, { kind: 'reinspection' })).toEqual([]);
});

it('lists decided ones on request', async () => {
  const decided = await inbox(cityGovernment, { status: 'decided' });
  expect(decided).toHaveLength(1);
});

it('narrows the inbox to one case', async () => {
  const ask = async (id: string) => (await request(stack.app).get('/api/v1/decisions').query({ caseId: id, pageSize: '200' }).set('Authorization', await bearer(cityGovernment))).body;
  const mine = await ask(caseId);
  expect(mine.items.length).toBeGreaterThan(0);
  expect(mine.items.every((d: { caseId: string }) => d.caseId === caseId)).toBe(true);
  expect((await ask(`${caseId}-none`)).total).toBe(0);
});
