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
  });

  it('is 503 naming SMTP while the mail server is down, and 200 again when it is back', async () => {
    await stack.sink.stop();
    const down = await request(stack.app).get('/health');
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['smtp']);
    expect(down.body.checks.smtp.detail).toMatch(/ECONNREFUSED|connect/i);
    await stack.sink.start();
    expect((await request(stack.app).get('/health')).status).toBe(200);
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
