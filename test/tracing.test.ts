import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type AppProcess } from '../bench/apps';
import { freePort } from '../scripts/lib/ports';
import { startTracing, tracingEnabled, tracesUrl, workerTracing, workflowClientInterceptors } from '../observability/tracing';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { eventually, processEnv, startStack, type Stack } from './support/stack';

/** One exported span as OTLP/JSON carries it, with its service. */
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const valueOf = (v: AnyValue) => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attrs = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** Stands in for an OpenTelemetry collector: accepts OTLP/HTTP JSON on /v1/traces and keeps the spans. */
async function startCollector() {
  const spans: Span[] = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      contentTypes.add(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        const service = String(attrs(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes: attrs(s.attributes) });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, contentTypes, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('starts nothing: no provider, no client or worker interceptors', () => {
    expect(startTracing('exitflow-test', {})).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(workflowClientInterceptors()).toEqual([]);
    expect(workerTracing()).toBeUndefined();
    expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
  });
});

describe('one request that opens a case is one trace: API → UpdateWithStartWorkflow → RunWorkflow → RunActivity (a local one: the first writes of the case)', () => {
  let stack: Stack;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let api: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let dir: string;
  let apiUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'exitflow-tracing-'));
    [stack, collector] = await Promise.all([startStack({ withoutWorker: true }), startCollector()]);
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const env = processEnv(stack, {
      LOG_FORMAT: 'json',
      API_PORT: String(port),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    // The worker bundles its workflows (with the tracing interceptors) at start: tens of seconds here.
    [worker, api] = await Promise.all([startApp('worker', env, dir), startApp('api', env, dir, apiUrl)]);
    await eventually(
      async () => {
        if (worker!.child.exitCode !== null) throw new Error(`the worker exited: ${readFileSync(path.join(dir, 'worker.log'), 'utf8').slice(-2000)}`);
        const polled = await stack.temporal.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: stack.taskQueue }, taskQueueType: 1 });
        return polled.pollers?.length ? true : undefined;
      },
      150_000,
      'the worker process polling',
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([api?.stop(5_000), worker?.stop(10_000)]);
    await collector?.stop();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the spans of every hop with the same trace id', async () => {
    const auth = await bearer(officials.zhengzhouIndustry);
    const post = (p: string, body: unknown) => fetch(`${apiUrl}${p}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const e = enterpriseBody();
    expect((await post('/api/v1/enterprises', e)).status).toBe(201);
    const opened = await post('/api/v1/cases', openCaseBody(e.creditCode));
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };

    // The API's span of the request (http instrumentation, SERVER kind), and the span of its client's
    // start under it: the case is opened by update-with-start (UpdateWithStartWorkflow:firstStage).
    const request = await eventually(
      async () => collector.spans.find((s) => s.service === 'exitflow-api' && s.kind === 2 && s.attributes['http.method'] === 'POST' && Object.values(s.attributes).includes('/api/v1/cases')),
      30_000,
      "the API's span of POST /api/v1/cases",
    ).catch((err: Error) => {
      throw new Error(`${err.message}; spans received: ${collector.spans.map((s) => `${s.service} ${s.kind} ${s.name} ${JSON.stringify(s.attributes)}`).slice(0, 20).join('\n')}`);
    });
    const inTrace = () => collector.spans.filter((s) => s.traceId === request.traceId);
    const listed = () => inTrace().map((s) => `${s.service} ${s.name}`).join(', ');
    const START = 'UpdateWithStartWorkflow:firstStage';
    const start = await eventually(async () => inTrace().find((s) => s.name === START), 30_000, `${START} in the trace`).catch((err: Error) => {
      throw new Error(`${err.message}; spans of the trace: ${listed()}`);
    });
    expect(start.service).toBe('exitflow-api');
    // The request's own database work (pg instrumentation), in the same trace.
    expect(inTrace().some((s) => s.service === 'exitflow-api' && s.attributes['db.system'] === 'postgresql')).toBe(true);
    // The worker: the workflow schedules an activity (StartActivity) and runs it (RunActivity), same trace.
    const run = await eventually(async () => inTrace().find((s) => s.service === 'exitflow-worker' && s.name.startsWith('RunActivity:')), 60_000, 'RunActivity in the trace').catch((err: Error) => {
      throw new Error(`${err.message}; spans of the trace: ${listed()}`);
    });

    // A case's workflow runs for months; its RunWorkflow span ends (and is exported) when the run does: cancel it.
    await stack.temporal.workflow.getHandle(caseId).cancel();
    const workflow = await eventually(async () => inTrace().find((s) => s.name === 'RunWorkflow:caseWorkflow'), 30_000, 'RunWorkflow in the trace').catch((err: Error) => {
      throw new Error(`${err.message}; spans of the trace: ${listed()}`);
    });
    expect(workflow.service).toBe('exitflow-worker');
    // The chain: the request → UpdateWithStartWorkflow → RunWorkflow → StartActivity → RunActivity.
    const byId = new Map(inTrace().map((s) => [s.spanId, s]));
    const ancestors = (s: Span): string[] => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return parent ? [parent.name, ...ancestors(parent)] : [];
    };
    expect(ancestors(start)).toContain(request.name);
    expect(ancestors(workflow)).toContain(START);
    expect(ancestors(run)).toEqual(expect.arrayContaining([expect.stringMatching(/^StartActivity:/), 'RunWorkflow:caseWorkflow', START]));
    expect([...collector.contentTypes]).toEqual(['application/json']);
  });
});
