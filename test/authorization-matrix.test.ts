import request from 'supertest';
import { ACTION_ROUTES } from '../api/routes/actions';
import type { Principal } from '../domain/roles';
import { ACTION_ROLES, ACTIONS } from '../domain/stages';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode } from './support/fixtures';
import { eventually, startStack, type Stack } from './support/stack';

// Every role × every case action × inside or outside the caller's reach, generated from the
// declared table of who may send which input (domain/stages.ts ACTION_ROLES). A probe body that
// breaks validation is sent: a caller who may not act gets 403 before anything about the body;
// a caller who may gets past authorisation to the body check (422). Nothing is changed.
let stack: Stack;
let caseId: string;
let ownCode: string;

beforeAll(async () => {
  stack = await startStack();
  const e = enterpriseBody({ creditCode: randomCreditCode('410100') });
  ownCode = e.creditCode;
  const auth = await bearer(officials.zhengzhouIndustry);
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(e.creditCode)); // an energy case in 410102
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  await eventually(async () => ((await stack.db.query(`SELECT 1 FROM cases WHERE case_id = $1 AND stage = 'rectification'`, [caseId])).rowCount ? true : undefined));
});
afterAll(async () => {
  await stack?.close();
});

type Reach = 'inside' | 'outside' | 'wrong_department';
interface Caller {
  label: string;
  principal: Principal;
  reach: Reach;
}

const callers = (): Caller[] => [
  { label: 'official of industry & IT, Zhengzhou', principal: { sub: 'm-off-in', name: 'x', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' }, reach: 'inside' },
  { label: 'official of industry & IT, Henan province', principal: { sub: 'm-off-prov', name: 'x', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410000' }, reach: 'inside' },
  { label: 'official of industry & IT, Fuzhou', principal: { sub: 'm-off-out', name: 'x', role: 'enforcement_official', department: 'industry_it', jurisdiction: '350100' }, reach: 'outside' },
  { label: 'official of ecology & environment, Zhengzhou (not energy)', principal: { sub: 'm-off-dept', name: 'x', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: '410100' }, reach: 'wrong_department' },
  { label: 'inspector, Zhengzhou', principal: { sub: 'm-insp-in', name: 'x', role: 'inspector', jurisdiction: '410100' }, reach: 'inside' },
  { label: 'inspector, Liaoning', principal: { sub: 'm-insp-out', name: 'x', role: 'inspector', jurisdiction: '210000' }, reach: 'outside' },
  { label: 'Zhengzhou government', principal: { sub: 'm-gov-in', name: 'x', role: 'approving_government', jurisdiction: '410100' }, reach: 'inside' },
  { label: 'Fuzhou government', principal: { sub: 'm-gov-out', name: 'x', role: 'approving_government', jurisdiction: '350100' }, reach: 'outside' },
  { label: 'coordination office, Zhengzhou', principal: { sub: 'm-office-in', name: 'x', role: 'coordination_office', jurisdiction: '410100' }, reach: 'inside' },
  { label: 'coordination office, Guangdong', principal: { sub: 'm-office-out', name: 'x', role: 'coordination_office', jurisdiction: '440000' }, reach: 'outside' },
  { label: 'the enterprise itself', principal: { sub: 'm-ent-own', name: 'x', role: 'enterprise', creditCode: ownCode }, reach: 'inside' },
  { label: 'another enterprise', principal: { sub: 'm-ent-other', name: 'x', role: 'enterprise', creditCode: randomCreditCode() }, reach: 'outside' },
  { label: 'operator (read-only)', principal: { sub: 'm-ops', name: 'x', role: 'operator' }, reach: 'inside' },
];

/**
 * Who takes a decision on this case, as the Henan plan says, written out here independently of the
 * API's code: the city government decides extensions (二(二)1) and accepts (二(二)6), the approving
 * government of the locality decides closure (energy, 30号文 (四)), the department classes a unit for
 * extended operation (GD 二(五)1; applicability is checked after authorisation).
 */
const DECIDERS: Partial<Record<(typeof ACTIONS)[number], string>> = {
  decideExtension: 'approving_government',
  decideClosure: 'approving_government',
  recordAcceptance: 'approving_government',
  approveExtendedOperation: 'enforcement_official',
};

/** The rule the table states: the role is listed for the action, the case is within reach, and a decision is taken by its decider. */
function mayAct(c: Caller, action: (typeof ACTIONS)[number]): boolean {
  const decider = DECIDERS[action];
  return ACTION_ROLES[action].includes(c.principal.role) && c.reach === 'inside' && (!decider || decider === c.principal.role);
}

it('answers 403 to every caller outside role, jurisdiction, department or ownership, and lets the others through', async () => {
  const outcomes: string[] = [];
  const expected: string[] = [];
  for (const caller of callers()) {
    const token = await bearer(caller.principal);
    for (const action of ACTIONS) {
      const res = await request(stack.app)
        .post(`/api/v1/cases/${caseId}/${ACTION_ROUTES[action].path}`)
        .set('Authorization', token)
        .send({ __probe: true });
      outcomes.push(`${caller.label} · ${action} → ${res.status}`);
      expected.push(`${caller.label} · ${action} → ${mayAct(caller, action) ? 422 : 403}`);
      if (res.status === 403) expect(res.body.detail).toEqual(expect.any(String)); // the reason is given
    }
  }
  expect(outcomes).toEqual(expected);
  // Both answers occur, so the matrix says something.
  expect(expected.filter((e) => e.endsWith('403')).length).toBeGreaterThan(50);
  expect(expected.filter((e) => e.endsWith('422')).length).toBeGreaterThan(15);
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target = $1`, [caseId]);
  expect(rows[0].n).toBe(1); // only the opening: no probe was stored
});

it('answers 401 to a missing token on every case action', async () => {
  for (const action of ACTIONS) {
    const res = await request(stack.app).post(`/api/v1/cases/${caseId}/${ACTION_ROUTES[action].path}`).send({});
    expect(res.status).toBe(401);
  }
});
