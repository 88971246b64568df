import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startApp, type AppProcess } from '../bench/apps';
import { buildWorkflowBundles } from '../scripts/build-workflows';
import { createExitflowWorker } from '../worker/worker';
import { bearer, enterpriseBody, officials, openCaseBody } from './support/fixtures';
import { eventually, processEnv, startStack, type Stack } from './support/stack';

/**
 * Production starts the worker on the bundle `npm run build:workflows` wrote (WORKFLOW_BUNDLE_PATH):
 * no webpack at start, and nothing of it in the worker's log.
 */
let stack: Stack;
let dir: string;
let bundlePath: string;
let worker: AppProcess | undefined;
const log = () => readFileSync(path.join(dir, 'worker.log'), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'exitflow-bundle-'));
  bundlePath = path.join(dir, 'dist', 'workflow-bundle.js');
  [stack] = await Promise.all([startStack({ withoutWorker: true }), buildWorkflowBundles(bundlePath)]);
}, 180_000);

afterAll(async () => {
  await worker?.stop(10_000);
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('writes the bundle and its tracing variant', () => {
  expect(existsSync(bundlePath)).toBe(true);
  // The tracing workflow interceptors are in the variant only (a bundle is megabytes: compare booleans, not texts).
  expect(readFileSync(path.join(dir, 'dist', 'workflow-bundle.tracing.js'), 'utf8').includes('OpenTelemetryInboundInterceptor')).toBe(true);
  expect(readFileSync(bundlePath, 'utf8').includes('OpenTelemetryInboundInterceptor')).toBe(false);
});

it('replays the recorded histories (written without tracing) through the tracing bundle: tracing can be switched on for running cases', async () => {
  const histDir = path.join(__dirname, 'histories');
  const files = readdirSync(histDir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(7);
  const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(histDir, f), 'utf8'))) }));
  const failures: string[] = [];
  // The workflow interceptors export through this sink (not called during replay).
  const sinks = { exporter: { export: { fn: () => {} } } };
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: path.join(dir, 'dist', 'workflow-bundle.tracing.js') }, sinks }, histories)) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
});

it('runs a case on a worker process started with WORKFLOW_BUNDLE_PATH, whose log shows no webpack output', async () => {
  const started = Date.now();
  worker = await startApp(
    'worker',
    processEnv(stack, {
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      WORKFLOW_BUNDLE_PATH: bundlePath,
    }),
    dir,
  );
  await eventually(
    async () => {
      if (worker!.child.exitCode !== null) throw new Error(`the worker exited: ${log().slice(-2000)}`);
      return log().includes('worker polling') ? true : undefined;
    },
    60_000,
    'the worker polling',
  );
  const auth = await bearer(officials.zhengzhouIndustry);
  const e = enterpriseBody();
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(e)).status).toBe(201);
  const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(e.creditCode));
  expect(opened.status).toBe(201);
  // The workflow ran its first activities on that worker: the case is in rectification in the read model.
  await eventually(async () => {
    const { rows } = await stack.db.query(`SELECT stage FROM cases WHERE case_id = $1`, [opened.body.caseId]);
    return rows[0]?.stage === 'rectification' ? true : undefined;
  }, 30_000, 'the case in rectification');
  const lines = log();
  expect(JSON.parse(lines.split('\n').find((l) => l.includes('worker polling'))!)).toEqual(expect.objectContaining({ prebuiltBundle: bundlePath }));
  expect(lines).not.toMatch(/webpack|Workflow bundle created|modules by path|asset workflow-bundle|compiled successfully/i);
  // No bundling: polling within seconds of the process starting, not the tens of seconds webpack takes here.
  expect(Date.now() - started).toBeLessThan(60_000);
});

it('refuses to start on a WORKFLOW_BUNDLE_PATH that is not there, saying what to run', async () => {
  await expect(
    createExitflowWorker({
      config: { TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: stack.taskQueue, WORKFLOW_BUNDLE_PATH: path.join(dir, 'missing.js') },
      deps: { db: stack.db, mailer: stack.mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: stack.platforms.url },
    }),
  ).rejects.toThrow(/missing\.js does not exist; run npm run build:workflows/);
});
