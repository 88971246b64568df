/**
 * `npm run bench:public`: do officials' reads keep their latency while anonymous callers pull the
 * public lists (公示名单)? One PostgreSQL cluster of its own, the API as the separate process it is in
 * production (`tsx api/main.ts`, so the load generator shares no event loop with it), loopback only.
 *
 * Seeds N cases (default 20,000) in Zhengzhou directly in the read model, all on the yellow list, then
 * per API configuration measures an official's `GET /api/v1/cases` (p50/p99): alone, and while
 * public workers loop over the lists: the unpaged URL everyone links to, random pages, and the whole
 * list as CSV. The public rate limit is lifted (every request comes from 127.0.0.1) so the load
 * reaches PostgreSQL. Every phase is bounded in requests and seconds.
 *
 * Flags: --cases N (20000), --official-requests N (300), --official-concurrency C (4),
 * --public-concurrency C (16), --max-public-requests N (5000), --max-seconds S per loaded phase (60),
 * --unpaged (public callers send no page/pageSize, for an API without paging).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../db/migrate';
import { freePort } from '../scripts/lib/ports';
import { startPgCluster, type PgCluster } from '../scripts/lib/pg-cluster';
import { bearer, officials } from '../test/support/fixtures';
import { startApp, type AppProcess } from './apps';
import { latencies, load1, machine, pool } from './lib';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    'official-requests': { type: 'string', default: '300' },
    'official-concurrency': { type: 'string', default: '4' },
    'public-concurrency': { type: 'string', default: '16' },
    'max-public-requests': { type: 'string', default: '5000' },
    'max-seconds': { type: 'string', default: '60' },
    unpaged: { type: 'boolean', default: false },
  },
});
const CASES = Number(values.cases);
const OFFICIAL_REQUESTS = Number(values['official-requests']);
const OFFICIAL_CONCURRENCY = Number(values['official-concurrency']);
const PUBLIC_CONCURRENCY = Number(values['public-concurrency']);
const MAX_PUBLIC_REQUESTS = Number(values['max-public-requests']);
const MAX_MS = Number(values['max-seconds']) * 1000;

const CITY = '410100';
const DISTRICT = '410102';

/** N enterprises and their cases in one district, rectifying (the yellow list), under the Henan policy they would be pinned to. */
async function seed(url: string, n: number): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by)
       SELECT '9141010P' || lpad(i::text, 9, '0') || 'X', '郑州' || i || '号钢铁有限公司', $1, 'steel', '王', 'a@b.cn', '{}' FROM generate_series(1, ${n}) i`,
      [DISTRICT],
    );
    await db.query(
      `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, deadline_date, opened_by, opened_at)
       SELECT 'case-bench-' || i, 'ZZ-' || i, '9141010P' || lpad(i::text, 9, '0') || 'X', $1, 'steel', 'energy', 'industry_it', '30号文', '2026-03-02',
              '[{"id":"BF-1","name":"1号高炉 450m³","kind":"equipment","capacity":40,"unit":"万吨/年"}]', 'henan', 'henan-2021.1', 'rectification', '2026-09-02', '{}',
              timestamptz '2026-03-02T02:00:00Z' + i * interval '1 minute'
         FROM generate_series(1, ${n}) i`,
      [DISTRICT],
    );
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

interface Outcome {
  ms: number;
  status: number;
  bytes: number;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { headers });
    const bytes = (await res.arrayBuffer()).byteLength;
    return { ms: performance.now() - t0, status: res.status, bytes };
  } catch {
    return { ms: performance.now() - t0, status: 0, bytes: 0 };
  }
}

const statusCounts = (os: Outcome[]) => Object.fromEntries([...new Set(os.map((o) => o.status))].sort().map((s) => [s, os.filter((o) => o.status === s).length]));

/** The officials' side: one Zhengzhou industry official paging through the cases of their city. */
async function officialReads(api: string, token: string, count: number): Promise<Outcome[]> {
  const pages = Math.max(1, Math.floor(CASES / 50));
  return pool(count, OFFICIAL_CONCURRENCY, (i) => get(`${api}/api/v1/cases?pageSize=50&page=${1 + ((i * 37) % pages)}`, { Authorization: token }));
}

/** The public's side: the linked URL, random pages and whole CSV downloads, until `stop()` or a bound is reached. */
function publicLoad(api: string): { stop(): void; done: Promise<Outcome[]> } {
  const out: Outcome[] = [];
  let stopped = false;
  const until = Date.now() + MAX_MS;
  const pages = Math.max(1, Math.floor(CASES / 100));
  const base = `${api}/api/v1/public/lists/yellow?region=${CITY}`;
  const next = (i: number) => {
    if (i % 5 === 0) return `${base}&format=csv`;
    if (values.unpaged || i % 5 === 1) return base;
    return `${base}&page=${1 + ((i * 7919) % pages)}&pageSize=100`;
  };
  let issued = 0;
  const worker = async () => {
    while (!stopped && issued < MAX_PUBLIC_REQUESTS && Date.now() < until) out.push(await get(next(issued++)));
  };
  const done = Promise.all(Array.from({ length: PUBLIC_CONCURRENCY }, worker)).then(() => out);
  return { stop: () => (stopped = true), done };
}

interface PhaseResult {
  config: string;
  quiet: ReturnType<typeof latencies> & { statuses: Record<string, number> };
  loaded: ReturnType<typeof latencies> & { statuses: Record<string, number> };
  public: ReturnType<typeof latencies> & { statuses: Record<string, number>; requests: number; perSecond: number; mb: number };
}

async function phase(config: string, env: NodeJS.ProcessEnv, logDir: string): Promise<PhaseResult> {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  let app: AppProcess | undefined;
  try {
    app = await startApp('api', { ...env, API_PORT: String(port), PUBLIC_BASE_URL: api }, logDir, api);
    const token = await bearer(officials.zhengzhouIndustry);
    await officialReads(api, token, 20); // warm-up: JIT, connections
    const quiet = await officialReads(api, token, OFFICIAL_REQUESTS);
    const load = publicLoad(api);
    await new Promise((r) => setTimeout(r, 1_000)); // let the public load build up
    const t0 = performance.now();
    const loaded = await officialReads(api, token, OFFICIAL_REQUESTS);
    load.stop();
    const pub = await load.done;
    const seconds = (performance.now() - t0 + 1_000) / 1000;
    return {
      config,
      quiet: { ...latencies(quiet.map((o) => o.ms)), statuses: statusCounts(quiet) },
      loaded: { ...latencies(loaded.map((o) => o.ms)), statuses: statusCounts(loaded) },
      public: { ...latencies(pub.map((o) => o.ms)), statuses: statusCounts(pub), requests: pub.length, perSecond: pub.length / seconds, mb: pub.reduce((n, o) => n + o.bytes, 0) / 2 ** 20 },
    };
  } finally {
    await app?.stop();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'exitflow-bench-public-'));
  let cluster: PgCluster | undefined;
  try {
    cluster = await startPgCluster({ database: 'exitflow_bench_public' });
    await migrate(cluster.url);
    const t0 = performance.now();
    await seed(cluster.url, CASES);
    process.stderr.write(`seeded ${CASES} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: cluster.url,
      // The API's Temporal connection is lazy and these reads never use it.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    };
    const before = machine();
    const results = [await phase('defaults (public pool 2, cache 30 s)', env, dir), await phase('public list cache off (public pool 2)', { ...env, PUBLIC_LIST_CACHE_SECONDS: '0' }, dir)];
    const f = (n: number) => n.toFixed(1);
    console.log(`\npublic lists under load — ${new Date().toISOString()}, ${before.cpus} × ${before.model}, ${before.memGiB} GiB, load ${before.load} → ${load1()}`);
    console.log(`${CASES} cases on Zhengzhou's yellow list; official: GET /api/v1/cases (pageSize 50) × ${OFFICIAL_REQUESTS}, concurrency ${OFFICIAL_CONCURRENCY}; public: ${PUBLIC_CONCURRENCY} callers looping${values.unpaged ? ' (unpaged URLs only)' : ''}, ≤ ${MAX_PUBLIC_REQUESTS} requests, ≤ ${MAX_MS / 1000} s\n`);
    console.log('| API configuration | official p50 / p99 ms, alone | official p50 / p99 ms, under public load | official statuses under load | public requests (per s, MB) | public p50 / p99 ms | public statuses |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.config} | ${f(r.quiet.p50)} / ${f(r.quiet.p99)} | ${f(r.loaded.p50)} / ${f(r.loaded.p99)} | ${JSON.stringify(r.loaded.statuses)} | ${r.public.requests} (${f(r.public.perSecond)}/s, ${f(r.public.mb)} MB) | ${f(r.public.p50)} / ${f(r.public.p99)} | ${JSON.stringify(r.public.statuses)} |`,
      );
    }
  } finally {
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
