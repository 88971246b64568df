import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { mintToken } from '../api/auth';
import { bearer, enterpriseBody, officials, openCaseBody, randomCreditCode, TOKENS } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let auth: string;
// A caller of its own, so what its requests stored is told apart from other test files' rows.
const official = { ...officials.zhengzhouIndustry, sub: `bad-input-${randomUUID()}` };
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  auth = await bearer(official);
});
afterAll(async () => {
  await stack?.close();
});

/** What requests of this file's callers stored: enterprises, their facilities, audit entries. */
async function counts() {
  const subs = [official.sub, officials.fuzhouIndustry.sub, officials.operator.sub];
  const { rows } = await stack.db.query(
    `SELECT (SELECT count(*) FROM enterprises WHERE registered_by->>'sub' = ANY($1))::int AS enterprises,
            (SELECT count(*) FROM facilities f JOIN enterprises e USING (credit_code) WHERE e.registered_by->>'sub' = ANY($1))::int AS facilities,
            (SELECT count(*) FROM audit_log WHERE actor->>'sub' = ANY($1))::int AS audit`,
    [subs],
  );
  return rows[0];
}

/** Post `body` and expect a problem naming `field` and `rule`, with nothing stored. */
async function expectRejected(path: string, body: unknown, status: number, field: string, rule: string) {
  const before = await counts();
  const res = await request(stack.app).post(path).set('Authorization', auth).send(body as object);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  expect(res.body).not.toHaveProperty('stack');
  expect(await counts()).toEqual(before);
  return res.body;
}

describe('registering an enterprise with bad input', () => {
  it('names a wrong check character (GB 32100) in English and Chinese', async () => {
    const body = enterpriseBody();
    const wrong = body.creditCode.slice(0, 17) + (body.creditCode.endsWith('0') ? '1' : '0');
    const problem = await expectRejected('/api/v1/enterprises', { ...body, creditCode: wrong }, 422, 'creditCode', 'gb32100_check_character');
    expect(problem.errors[0].messageZh).toBe('校验码错误');
    expect(problem.title).toBeTruthy();
    expect(problem.titleZh).toBeTruthy();
  });

  it('names a division code that does not exist in GB/T 2260', async () => {
    await expectRejected('/api/v1/enterprises', enterpriseBody({ regionCode: '419999' }), 422, 'regionCode', 'gbt2260_known');
  });

  it('names an unknown industry', async () => {
    await expectRejected('/api/v1/enterprises', { ...enterpriseBody(), industry: 'bitcoin_mining' }, 422, 'industry', 'invalid_value');
  });

  it('names a missing field and a missing nested field', async () => {
    const { name: _n, ...noName } = enterpriseBody();
    await expectRejected('/api/v1/enterprises', noName, 422, 'name', 'required');
    const body = enterpriseBody();
    await expectRejected('/api/v1/enterprises', { ...body, contact: { name: '王' } }, 422, 'contact.email', 'required');
  });

  it('names a facility with a non-positive capacity by its index', async () => {
    const body = enterpriseBody();
    const facilities = [body.facilities[0]!, { ...body.facilities[1]!, capacity: 0 }];
    await expectRejected('/api/v1/enterprises', { ...body, facilities }, 422, 'facilities.1.capacity', 'too_small');
  });

  it('refuses unknown fields rather than ignoring them', async () => {
    await expectRejected('/api/v1/enterprises', { ...enterpriseBody(), isCompliant: true }, 422, 'isCompliant', 'unknown_field');
  });

  it('answers 400 to a body that is not JSON and 415 to one that is not declared JSON', async () => {
    const before = await counts();
    const broken = await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).set('Content-Type', 'application/json').send('{"creditCode": ');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'malformed_json', status: 400 });
    const form = await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).type('form').send('name=x');
    expect(form.status).toBe(415);
    expect(await counts()).toEqual(before);
  });
});

describe('opening a case with bad input', () => {
  let creditCode: string;
  beforeAll(async () => {
    const e = enterpriseBody();
    creditCode = e.creditCode;
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
  });

  it('refuses a department that does not enforce the dimension', async () => {
    await expectRejected('/api/v1/cases', openCaseBody(creditCode, { department: 'market_regulation' }), 422, 'department', 'department_enforces_dimension');
  });

  it('refuses a case for an enterprise that is not registered', async () => {
    await expectRejected('/api/v1/cases', openCaseBody(randomCreditCode()), 422, 'creditCode', 'enterprise_registered');
  });

  it('refuses a facility the enterprise does not have', async () => {
    await expectRejected('/api/v1/cases', openCaseBody(creditCode, { facilityIds: ['BF-2', 'EAF-9'] }), 422, 'facilityIds.1', 'facility_known');
  });

  it('refuses a date that does not exist', async () => {
    await expectRejected('/api/v1/cases', openCaseBody(creditCode, { noticeServedOn: '2026-02-30' }), 422, 'noticeServedOn', 'date_exists');
  });

  it('starts no workflow for a rejected case', async () => {
    const body = openCaseBody(creditCode, { noticeServedOn: '2026-13-01' });
    await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(body);
    const handle = stack.temporal.workflow.getHandle(`case-410102-${creditCode}-${body.caseNumber}`);
    await expect(handle.describe()).rejects.toThrow(/not found/i);
  });
});

describe('who may act', () => {
  it('answers 401 without a token, with a forged one, and with an expired one', async () => {
    const body = enterpriseBody();
    expect((await request(stack.app).post('/api/v1/enterprises').send(body)).status).toBe(401);
    const forged = auth.slice(0, -4) + (auth.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await request(stack.app).post('/api/v1/enterprises').set('Authorization', forged).send(body);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const expired = await mintToken(official, TOKENS, Math.floor(Date.now() / 1000) - 60);
    const late = await request(stack.app).post('/api/v1/enterprises').set('Authorization', `Bearer ${expired}`).send(body);
    expect(late.status).toBe(401);
    expect(late.body.detail).toBe('the token has expired');
  });

  it('answers 403 with the reason to an official outside their jurisdiction', async () => {
    const before = await counts();
    const res = await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(officials.fuzhouIndustry)).send(enterpriseBody());
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('region 410102 is outside jurisdiction 350100');
    expect(await counts()).toEqual(before);
  });

  it('answers 403 to an official whose department does not enforce the dimension', async () => {
    const e = enterpriseBody();
    await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e);
    const res = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(officials.zhengzhouEcology)).send(openCaseBody(e.creditCode));
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/ecology_environment does not enforce the energy standard/);
  });

  it('lets an operator read but not register', async () => {
    const res = await request(stack.app).post('/api/v1/enterprises').set('Authorization', await bearer(officials.operator)).send(enterpriseBody());
    expect(res.status).toBe(403);
  });
});
