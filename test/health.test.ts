import request from 'supertest';
import { eventually, startStack, type Stack } from './support/stack';
import { createPool } from '../db/pool';
import { createApp } from '../api/app';
import { freePort } from '../scripts/lib/ports';

describe('GET /health', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is 200 when Temporal, a worker, PostgreSQL and SMTP all answer', async () => {
    // A worker that has just started is counted once its first poll reaches the task queue.
    const res = await eventually(async () => {
      const r = await request(stack.app).get('/health');
      return r.body.failing.length === 0 ? r : undefined;
    }, 20_000, 'health 200');
    expect(res.body.failing).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.body.checks.worker.detail).toMatch(/poller/);
    expect(Object.keys(res.body.checks).sort()).toEqual(['database', 'smtp', 'temporal', 'worker']);
    // /health is kept as the readiness check's older name.
    const ready = await request(stack.app).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['database', 'smtp', 'temporal', 'worker']);
  });

  it('is 503 naming SMTP while the mail server is down, and 200 again when it is back', async () => {
    // A fresh API each time: a passing SMTP check is remembered for a while (next test).
    await stack.sink.stop();
    const down = await request(createApp(stack.appDeps)).get('/health');
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['smtp']);
    expect(down.body.checks.smtp.detail).toMatch(/ECONNREFUSED|connect/i);
    await stack.sink.start();
    expect((await request(createApp(stack.appDeps)).get('/health')).status).toBe(200);
  });

  it('answers readiness polls without opening an SMTP connection each time', async () => {
    let verified = 0;
    const mailer = { ...stack.mailer, verify: () => (verified++, stack.mailer.verify()) };
    const app = createApp({ ...stack.appDeps, mailer });
    await Promise.all([1, 2, 3].map(() => request(app).get('/health/ready')));
    for (const path of ['/health/ready', '/health', '/health/ready']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.body.checks.smtp.status).toBe('pass');
    }
    expect(verified).toBe(1);
  });

  it('is alive (GET /health/live) without asking anything it depends on', async () => {
    const port = await freePort();
    const db = createPool(`postgres://postgres@127.0.0.1:${port}/nowhere`, 1);
    let verified = 0;
    const mailer = { ...stack.mailer, verify: async () => void verified++ };
    const res = await request(createApp({ ...stack.appDeps, db, mailer })).get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'pass' });
    expect(verified).toBe(0);
    await db.end();
  });

  it('is 503 naming PostgreSQL when the database cannot be reached', async () => {
    const port = await freePort();
    const db = createPool(`postgres://postgres@127.0.0.1:${port}/nowhere`, 1);
    const app = createApp({ ...stack.appDeps, db });
    const res = await request(app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['database']);
    await db.end();
  });
});

describe('GET /health with no worker on the task queue', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ withoutWorker: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is 503 naming the worker', async () => {
    const res = await request(stack.app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['worker']);
    expect(res.body.checks.worker.detail).toContain(stack.taskQueue);
  });
});
