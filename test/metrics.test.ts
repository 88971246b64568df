import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../api/app';
import { routePattern } from '../api/metrics';
import { startApp, type AppProcess } from '../bench/apps';
import { freePort } from '../scripts/lib/ports';
import { createPool } from '../db/pool';
import { WorkerMetrics } from '../worker/metrics';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { eventually, processEnv, startStack, type Stack } from './support/stack';

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

let stack: Stack;
let auth: string;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  auth = await bearer(officials.zhengzhouIndustry);
});
afterAll(async () => {
  await stack?.close();
});

describe("the API's /metrics", () => {
  it('counts requests by route pattern (never the raw URL), unmatched paths, and Idempotency-Key replays', async () => {
    const app = createApp(stack.appDeps);
    // A well-formed id of a case that does not exist (case-<region>-<credit code>-<number>).
    const caseId = `case-410102-${enterpriseBody().creditCode}-NONE-${Date.now()}`;
    expect((await request(app).get(`/api/v1/cases/${caseId}`).set('Authorization', auth)).status).toBe(404);
    expect((await request(app).get('/no/such/page')).status).toBe(404);
    const body = enterpriseBody();
    const register = () => request(app).post('/api/v1/enterprises').set('Authorization', auth).set('Idempotency-Key', `metrics-${body.creditCode}`).send(body);
    expect((await register()).status).toBe(201);
    const again = await register();
    expect(again.headers['idempotent-replayed']).toBe('true');

    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'exitflow_http_requests_total', { method: 'GET', route: '/api/v1/cases/:caseId', status: '404' })).toBe(1);
    expect(sample(text, 'exitflow_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(text, 'exitflow_http_requests_total', { method: 'POST', route: '/api/v1/enterprises', status: '201' })).toBe(2);
    expect(sample(text, 'exitflow_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/enterprises', status: '201' })).toBe(2);
    expect(sample(text, 'exitflow_http_idempotent_replays_total', { method: 'POST', route: '/api/v1/enterprises' })).toBe(1);
    expect(text).not.toContain(caseId);
    // The process's own metrics come with them.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('counts refusals of the public rate limiter', async () => {
    const app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, PUBLIC_RATE_LIMIT_PER_MINUTE: 1 } });
    await request(app).get('/api/v1/public/lists');
    const refused = await request(app).get('/api/v1/public/lists');
    expect(refused.status).toBe(429);
    const text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'exitflow_http_rate_limited_total', { limiter: 'public' })).toBe(1);
    expect(sample(text, 'exitflow_http_requests_total', { method: 'GET', route: '/api/v1/public/*', status: '429' })).toBe(1);
  });

  it('answers only the bearer of METRICS_TOKEN when one is configured', async () => {
    const token = 'metrics-token-for-the-test-0123456789';
    const app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, METRICS_TOKEN: token } });
    expect((await request(app).get('/metrics')).status).toBe(401);
    expect((await request(app).get('/metrics').set('Authorization', 'Bearer not-the-token')).status).toBe(401);
    expect((await request(app).get('/metrics').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('labels a request answered by mounted middleware with its mount, and one no route matched as unmatched', () => {
    expect(routePattern({ baseUrl: '', route: { path: '/api/v1/cases/:caseId' } } as never)).toBe('/api/v1/cases/:caseId');
    expect(routePattern({ baseUrl: '/api/v1/public', route: undefined } as never)).toBe('/api/v1/public/*');
    expect(routePattern({ baseUrl: '', route: undefined } as never)).toBe('unmatched');
  });
});

describe("the worker's metrics", () => {
  it('counts a failed activity attempt by its type, and rethrows its error', async () => {
    const metrics = new WorkerMetrics();
    const { inbound } = metrics.activityInterceptor()({ info: { activityType: 'sendCaseMail' } } as never);
    const refused = new Error('relay refused');
    await expect(inbound!.execute!({ args: [], headers: {} }, async () => Promise.reject(refused))).rejects.toBe(refused);
    await inbound!.execute!({ args: [], headers: {} }, async () => 'ok');
    const text = await metrics.text();
    expect(sample(text, 'exitflow_activities_total', { activity_type: 'sendCaseMail', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'exitflow_activities_total', { activity_type: 'sendCaseMail', outcome: 'completed' })).toBe(1);
  });

  it('still answers when PostgreSQL does not, saying so (exitflow_metrics_database_up 0, no backlog gauges)', async () => {
    const unreachable = createPool(`postgres://exitflow@127.0.0.1:${await freePort()}/exitflow`, 1, { connectionTimeoutMs: 500 });
    try {
      const text = await new WorkerMetrics(unreachable).text();
      expect(sample(text, 'exitflow_metrics_database_up')).toBe(0);
      expect(sample(text, 'exitflow_outbox_waiting')).toBeUndefined();
    } finally {
      await unreachable.end();
    }
  });
});

describe("the worker's /metrics (the worker as its own process)", () => {
  let worker: AppProcess | undefined;
  let logDir: string;
  let metricsUrl: string;

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(tmpdir(), 'exitflow-metrics-'));
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    worker = await startApp(
      'worker',
      processEnv(stack, {
        WORKER_METRICS_PORT: String(port),
      }),
      logDir,
    );
    // The worker bundles its workflows at start (tens of seconds on a busy machine).
    await eventually(
      async () => {
        if (worker!.child.exitCode !== null) throw new Error(`the worker exited: ${readFileSync(path.join(logDir, 'worker.log'), 'utf8').slice(-2000)}`);
        const res = await fetch(`${metricsUrl}/health`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      110_000,
      'the worker process serving /health',
    );
  }, 120_000);

  afterAll(async () => {
    await worker?.stop(10_000);
    rmSync(logDir, { recursive: true, force: true });
  });

  it("serves the Temporal SDK's metrics and exitflow's in one scrape", async () => {
    // A case opened through the API runs on the worker process: activities, a stage in the read model.
    const e = enterpriseBody();
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(e.creditCode));
    expect(opened.status).toBe(201);
    // The case moves on (opened → rectification) while this runs: each try reads the stage it is in now.
    let stage = '';
    let last = '';
    const text = await eventually(
      async () => {
        stage = (await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [opened.body.caseId])).rows[0].stage;
        last = await (await fetch(`${metricsUrl}/metrics`)).text();
        const ready = sample(last, 'exitflow_activities_total', { activity_type: 'recordStage', outcome: 'completed' }) && /^temporal_(local_)?activity_execution_latency/m.test(last);
        return ready && (sample(last, 'exitflow_cases', { stage }) ?? 0) >= 1 ? last : undefined;
      },
      30_000,
      'a scrape with the activities and workflow tasks of the case',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the last scrape:\n${last}`);
    });
    // The SDK's (the core's Prometheus exporter, prefix temporal_): slots, pollers, task latencies.
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(text).toMatch(/^temporal_num_pollers\{/m);
    expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency_bucket\{/m);
    // The case's writes and mails run as local activities (patch local-steps): the core reports them apart.
    expect(text).toMatch(/^temporal_local_activity_execution_latency_bucket\{/m);
    expect(text).toMatch(/^temporal_sticky_cache_size\{/m);
    // exitflow's: activities by type and outcome, the backlog read from PostgreSQL.
    expect(sample(text, 'exitflow_activities_total', { activity_type: 'recordStage', outcome: 'completed' })).toBeGreaterThan(0);
    expect(sample(text, 'exitflow_cases', { stage })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'exitflow_cases_overdue', { stage })).toBeDefined();
    expect(sample(text, 'exitflow_outbox_waiting')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'exitflow_metrics_database_up')).toBe(1);
    expect(text).toMatch(/^# TYPE exitflow_decisions_overdue gauge$/m);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
