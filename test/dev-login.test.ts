import request from 'supertest';
import { createApp } from '../api/app';
import { startStack, type Stack } from './support/stack';

/**
 * Development sign-in mints any identity's token: only where tokens are signed with the published
 * development key (anyone can mint them anyway), never in production, never with a key of one's own.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

const government = { sub: 'demo-approving_government-410100', name: '郑州市人民政府', role: 'approving_government', jurisdiction: '410100' };

it('in development, mints a token for a demo identity that the API then accepts', async () => {
  const identities = await request(stack.app).get('/api/v1/dev/identities');
  expect(identities.status).toBe(200);
  expect(identities.body.items).toContainEqual(government);
  const minted = await request(stack.app).post('/api/v1/dev/tokens').send(government);
  expect(minted.status).toBe(200);
  const inbox = await request(stack.app).get('/api/v1/decisions').set('Authorization', `Bearer ${minted.body.token}`);
  expect(inbox.status).toBe(200);
});

it('is refused in production and with a key of one’s own, before the body is read', async () => {
  const production = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-characters' } });
  const ownKey = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, NODE_ENV: 'development', AUTH_JWT_SECRET: 'a-secret-of-our-own-of-at-least-32-characters' } });
  for (const app of [production, ownKey]) {
    const minted = await request(app).post('/api/v1/dev/tokens').send({ not: 'a principal' });
    expect(minted.status).toBe(403);
    expect(minted.body.code).toBe('dev_login_disabled');
    expect((await request(app).get('/api/v1/dev/identities')).status).toBe(403);
  }
});

describe('the console and portal pages', () => {
  it('answer their paths with the app, under the same CSP (no inline scripts)', async () => {
    for (const path of ['/', '/console', '/console/cases/case-410102-914101001B6MP9Y28D-X1']) {
      const res = await request(stack.app).get(path);
      // Without a build (a bare checkout), the paths are 404 problems, never an API route's answer.
      if (res.status === 404) continue;
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    }
  });

  it('never answer for the API, health, docs or the document', async () => {
    expect((await request(stack.app).get('/api/v1/no-such-route')).type).toBe('application/problem+json');
    expect((await request(stack.app).get('/openapi.json')).type).toBe('application/json');
    expect((await request(stack.app).get('/health/live')).type).toBe('application/json');
    expect((await request(stack.app).get('/console-not-the-console')).status).toBe(404);
  });
});
