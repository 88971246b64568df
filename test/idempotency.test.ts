import request from 'supertest';
import { createApp } from '../api/app';
import { bearer, enterpriseBody, officials } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let auth: string;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  auth = await bearer(officials.zhengzhouIndustry);
});
afterAll(async () => {
  await stack?.close();
});

const register = (app: Stack['app'], body: object, key?: string) => {
  const r = request(app).post('/api/v1/enterprises').set('Authorization', auth);
  return (key ? r.set('Idempotency-Key', key) : r).send(body);
};

async function enterprisesWith(creditCode: string): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'enterprise.register' AND target = $1`, [creditCode]);
  return rows[0].n;
}

describe('Idempotency-Key on commands', () => {
  it('replays the first response for the same key and body, even after the API restarts', async () => {
    const body = enterpriseBody();
    const key = `reg-${body.creditCode}`;
    const first = await register(stack.app, body, key);
    expect(first.status).toBe(201);
    const again = await register(stack.app, body, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);

    const restarted = createApp(stack.appDeps); // a new API process over the same database
    const afterRestart = await register(restarted, { ...body }, key);
    expect(afterRestart.status).toBe(201);
    expect(afterRestart.body).toEqual(first.body);
    expect(await enterprisesWith(body.creditCode)).toBe(1);
  });

  it('refuses the same key with another body (422), leaving the first result alone', async () => {
    const body = enterpriseBody();
    const key = `reg-${body.creditCode}`;
    expect((await register(stack.app, body, key)).status).toBe(201);
    const other = await register(stack.app, enterpriseBody(), key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused', errors: [expect.objectContaining({ field: 'header:Idempotency-Key', rule: 'idempotency_key_reused' })] });
    expect(await enterprisesWith(body.creditCode)).toBe(1);
  });

  it('lets concurrent duplicates have one effect', async () => {
    const body = enterpriseBody();
    const key = `reg-${body.creditCode}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => register(stack.app, body, key)));
    const statuses = answers.map((a) => a.status);
    // Each duplicate either replays the 201 or is told the first is still running.
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    expect(await enterprisesWith(body.creditCode)).toBe(1);
  });

  it('does not bind a key to a request that failed, so the corrected request can use it', async () => {
    const body = enterpriseBody();
    const key = `reg-${body.creditCode}`;
    const bad = await register(stack.app, { ...body, regionCode: '419999' }, key);
    expect(bad.status).toBe(422);
    const good = await register(stack.app, body, key);
    expect(good.status).toBe(201);
  });

  it('rejects a malformed key naming the header', async () => {
    const res = await register(stack.app, enterpriseBody(), 'x'.repeat(201));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'header:Idempotency-Key', rule: 'idempotency_key_format' });
  });
});
