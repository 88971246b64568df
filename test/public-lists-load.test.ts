import request from 'supertest';
import { createApp } from '../api/app';
import { createPool, type Db } from '../db/pool';
import { bearer, officials } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

// A region-year as large as a province's (20,000 cases), in a district only this file uses:
// 长安区 of Shijiazhuang, Hebei (national policy). Seeded directly in the read model.
const CASES = 20_000;
const city = '130100';
const district = '130102';
let stack: Stack;
const extraPools: Db[] = [];

/** Enterprise names repeat (four cases each), so the list's order must fall back to the case id. */
async function seedLargeList(): Promise<void> {
  await stack.db.query(
    `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by)
     SELECT '9113010T' || lpad(i::text, 9, '0') || 'X', '石家庄' || (i % ${CASES / 4}) || '号钢铁有限公司', $1, 'steel', '王', 'a@b.cn', '{}'
       FROM generate_series(1, ${CASES}) i`,
    [district],
  );
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, deadline_date, opened_by, opened_at)
     SELECT 'case-load-' || i, 'SJZ-' || i, '9113010T' || lpad(i::text, 9, '0') || 'X', $1, 'steel', 'energy', 'industry_it', '30号文', '2026-03-02',
            '[{"id":"BF-1","name":"1号高炉","kind":"equipment","capacity":40,"unit":"万吨/年"}]', 'national', 'national-2017.1', 'rectification', '2026-09-02', '{}', '2026-03-02T02:00:00Z'
       FROM generate_series(1, ${CASES}) i`,
    [district],
  );
}

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  await seedLargeList();
});
afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.end()));
  await stack?.close();
});

function pool(max: number, opts: Parameters<typeof createPool>[2] = {}): Db {
  const p = createPool(process.env.TEST_DATABASE_URL as string, max, opts);
  extraPools.push(p);
  return p;
}

const codes = (body: { rows: { creditCode: string }[] }) => body.rows.map((r) => r.creditCode);

it('pages a public list: pageSize rows, the total, and the next page continues where the first ended', async () => {
  const first = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: city, pageSize: '50' });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ page: 1, pageSize: 50, total: CASES });
  expect(first.body.rows).toHaveLength(50);
  const second = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: city, pageSize: '50', page: '2' });
  expect(second.body).toMatchObject({ page: 2, pageSize: 50, total: CASES });
  const both = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: city, pageSize: '100' });
  expect([...codes(first.body), ...codes(second.body)]).toEqual(codes(both.body));
  expect(new Set(codes(both.body)).size).toBe(100);
  // Unpaged, a list of a province was megabytes; a page is small whatever the region.
  const unasked = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: city });
  expect(unasked.body.rows).toHaveLength(100);
  expect(unasked.text.length).toBeLessThan(100_000);
});

it('downloads the whole of a large list as CSV, streamed, every row once', async () => {
  const res = await request(stack.app).get('/api/v1/public/lists/yellow').query({ region: city, format: 'csv' }).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
  });
  expect(res.status).toBe(200);
  // Sent as it is read (chunked), not built as one body of known length.
  expect(res.headers['transfer-encoding']).toBe('chunked');
  const lines = (res.body as string).split('\r\n');
  expect(lines.at(-1)).toBe('');
  const rows = lines.slice(1, -1);
  expect(rows).toHaveLength(CASES);
  expect(new Set(rows.map((l) => l.split(',')[1])).size).toBe(CASES);
});

it('answers a burst of identical public requests from one reading of PostgreSQL', async () => {
  const db = pool(5);
  const publicDb = pool(2);
  const spies = [jest.spyOn(db, 'query'), jest.spyOn(publicDb, 'query')];
  const app = createApp({ ...stack.appDeps, db, publicDb, config: { ...stack.appDeps.config, PUBLIC_RATE_LIMIT_PER_MINUTE: 10_000 } });
  const statuses = await Promise.all(Array.from({ length: 20 }, () => request(app).get('/api/v1/public/lists/yellow').query({ region: city, pageSize: '200', page: '3' }).then((r) => r.status)));
  expect(statuses).toEqual(Array(20).fill(200));
  const queries = spies.reduce((n, s) => n + s.mock.calls.length, 0);
  spies.forEach((s) => s.mockRestore());
  // The policies pinned in the region, the total, the page: once each.
  expect(queries).toBe(3);
});

it('keeps officials answering (200, not 503) while anonymous requests flood a tiny public pool', async () => {
  // The officials' pool is as small as it can be and gives up on a busy pool after 1 s: without a
  // pool of their own, the public requests would hold these two connections and officials would get 503.
  const db = pool(2, { connectionTimeoutMs: 1_000 });
  const publicDb = pool(1, { connectionTimeoutMs: 1_000 });
  const app = createApp({ ...stack.appDeps, db, publicDb, config: { ...stack.appDeps.config, PUBLIC_RATE_LIMIT_PER_MINUTE: 10_000, PUBLIC_LIST_CACHE_SECONDS: 0 } });
  const token = await bearer(officials.operator);
  // Connected before the flood, so only waiting for a busy pool can fail an official's read.
  expect((await request(app).get('/api/v1/cases').query({ region: city, pageSize: '20' }).set('Authorization', token)).status).toBe(200);
  let flooding = true;
  // Distinct pages and whole CSV downloads, uncached: each one reaches PostgreSQL.
  const flood = Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      request(app)
        .get('/api/v1/public/lists/yellow')
        .query(i % 6 === 0 ? { region: city, format: 'csv' } : { region: city, page: String(i), pageSize: '500' })
        .then((r) => r.status),
    ),
  ).finally(() => {
    flooding = false;
  });
  const officialStatuses: number[] = [];
  while (flooding || officialStatuses.length < 5) {
    const res = await request(app).get('/api/v1/cases').query({ region: city, pageSize: '20' }).set('Authorization', token);
    officialStatuses.push(res.status);
  }
  const publicStatuses = await flood;
  expect(officialStatuses.filter((s) => s !== 200)).toEqual([]);
  // The public may be told to come back (503 with Retry-After), never given an error.
  expect(publicStatuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
});

it('cancels a statement that outlives the pool’s statement timeout, answered 503 with Retry-After', async () => {
  const publicDb = pool(1, { statementTimeoutMs: 1 });
  await expect(publicDb.query('SELECT pg_sleep(0.2)')).rejects.toMatchObject({ code: '57014' });
  const app = createApp({ ...stack.appDeps, publicDb });
  const res = await request(app).get('/api/v1/public/lists/yellow').query({ region: city, page: '40' });
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body.code).toBe('service_unavailable');
});
