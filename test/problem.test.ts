import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { appendAudit } from '../api/services/audit';
import { problemHandler } from '../api/problem';
import { createPool, inTransaction } from '../db/pool';

describe('errors from backing services', () => {
  const appThrowing = (err: unknown) => {
    const app = express();
    app.get('/x', () => {
      throw err;
    });
    app.use(problemHandler(pino({ level: 'silent' })));
    return app;
  };

  it.each([
    ['Temporal unreachable, wrapped by the client', Object.assign(new Error('Service error'), { cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }) })],
    ['a Temporal call past its deadline', Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 })],
    ['an update whose answer did not come back', Object.assign(new Error('Timed out waiting for update'), { name: 'WorkflowUpdateRPCTimeoutOrCancelledError' })],
    ['PostgreSQL shutting down', Object.assign(new Error('the database system is shutting down'), { code: '57P03' })],
  ])('%s: 503 problem+json with Retry-After', async (_what, err) => {
    const res = await request(appThrowing(err)).get('/x');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('service_unavailable');
  });

  it('anything else is a 500 without internals', async () => {
    const res = await request(appThrowing(new TypeError('x is undefined'))).get('/x');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('x is undefined');
  });
});

describe('the audit trail under retries', () => {
  it('keeps a command once when two attempts of it race to the audit entry', async () => {
    const db = createPool(process.env.TEST_DATABASE_URL!, 4);
    const target = `case-race-${Date.now()}`;
    const entry = { requestId: 'r', actor: { sub: 'zz-gx-01', name: '李', role: 'enforcement_official' as const, department: 'industry_it' as const, jurisdiction: '410100' }, action: 'case.recordReinspection', target, region: '410102', result: 200, detail: { command: 'f'.repeat(64) } };
    try {
      await Promise.all([1, 2, 3].map(() => inTransaction(db, (tx) => appendAudit(tx, entry))));
      await inTransaction(db, (tx) => appendAudit(tx, { ...entry, detail: {} })); // no command: always written
      await inTransaction(db, (tx) => appendAudit(tx, { ...entry, detail: {} }));
      const { rows } = await db.query(`SELECT count(*)::int AS n, count(detail->>'command')::int AS commands FROM audit_log WHERE target = $1`, [target]);
      expect(rows[0]).toEqual({ n: 3, commands: 1 });
    } finally {
      await db.end();
    }
  });
});
