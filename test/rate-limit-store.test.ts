import { randomInt } from 'node:crypto';
import request from 'supertest';
import { closeRateLimitStores, createApp, rateLimitSchemaReady } from '../api/app';
import { startStack, type Stack } from './support/stack';

/**
 * Several API replicas behind one load balancer: with RATE_LIMIT_STORE=postgres a client's requests
 * count together, whichever replica answers (in memory, each replica would allow the full limit).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.close();
});

// A client address of this run's own (counts in PostgreSQL outlive the test within their minute).
const client = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const replicas = (store: 'memory' | 'postgres') =>
  [1, 2].map(() => createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_RATE_LIMIT_PER_MINUTE: 3, RATE_LIMIT_STORE: store, DATABASE_URL: process.env.TEST_DATABASE_URL! } }));

async function alternate(apps: ReturnType<typeof createApp>[], address: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await request(apps[i % 2]!).get('/api/v1/public/lists/red').query({ region: '410181' }).set('X-Forwarded-For', address);
    statuses.push(res.status);
  }
  return statuses;
}

it('two API instances share the count of one client in PostgreSQL (RATE_LIMIT_STORE=postgres)', async () => {
  const apps = replicas('postgres');
  try {
    await rateLimitSchemaReady(stack.db);
    const address = client();
    expect(await alternate(apps, address)).toEqual([200, 200, 200, 429]);
    // Another client is counted on its own.
    expect((await request(apps[1]!).get('/api/v1/public/lists/red').query({ region: '410181' }).set('X-Forwarded-For', client())).status).toBe(200);
  } finally {
    await Promise.all(apps.map(closeRateLimitStores));
  }
});

it('counts per instance in memory (the default), so each replica allows the whole limit', async () => {
  const apps = replicas('memory');
  expect(await alternate(apps, client())).toEqual([200, 200, 200, 200]);
});
