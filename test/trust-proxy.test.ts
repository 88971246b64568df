import request from 'supertest';
import { createApp } from '../api/app';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

/** The API behind (or not behind) a proxy, allowing one public request a minute per client address. */
const appTrusting = (TRUST_PROXY: string | number | boolean | undefined) => createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, TRUST_PROXY, PUBLIC_RATE_LIMIT_PER_MINUTE: 1 } });
const publicListFrom = (app: ReturnType<typeof createApp>, address: string) => request(app).get('/api/v1/public/lists/yellow').query({ region: '410100' }).set('X-Forwarded-For', address);

describe('TRUST_PROXY: whose address the public rate limit counts', () => {
  it('behind one proxy (TRUST_PROXY=1), two clients are limited separately', async () => {
    const app = appTrusting(1);
    expect((await publicListFrom(app, '203.0.113.7')).status).toBe(200);
    expect((await publicListFrom(app, '203.0.113.7')).status).toBe(429);
    expect((await publicListFrom(app, '198.51.100.4')).status).toBe(200);
  });

  it('unset, X-Forwarded-For is ignored: a client cannot escape the limit by inventing addresses', async () => {
    const app = appTrusting(undefined);
    expect((await publicListFrom(app, '203.0.113.7')).status).toBe(200);
    expect((await publicListFrom(app, '198.51.100.4')).status).toBe(429);
  });
});
