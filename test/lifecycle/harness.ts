import { buildHolidayCalendar } from '../../domain/holidays-source';
import { randomInt, randomUUID, createHash } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createMailer, type Mailer } from '../../activities/mailer';
import { createPool, type Db } from '../../db/pool';
import { caseWorkflowId, type CaseInput } from '../../domain/case';
import { toLegalDate } from '../../domain/deadlines';
import { evidenceUri, type InputOf, type InputRejection, type InputResult } from '../../domain/inputs';
import { divisionPath } from '../../domain/jurisdiction';
import type { Dimension, Department, Industry } from '../../domain/model';
import { policyFor } from '../../domain/policy';
import type { Action } from '../../domain/stages';
import { caseWorkflow } from '../../workflows/case';
import { CASE_UPDATES, caseStateQuery, type CaseState } from '../../workflows/messages';
import { ALL_SEARCH_ATTRIBUTES, SA } from '../../workflows/search-attributes';
import { temporal } from '@temporalio/proto';

const V = temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: V.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: V.INDEXED_VALUE_TYPE_TEXT,
  INT: V.INDEXED_VALUE_TYPE_INT,
  DOUBLE: V.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: V.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: V.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: V.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../scripts/lib/recording-endpoint';
import { randomCreditCode } from '../support/fixtures';
import { workflowBundle } from '../support/stack';
import { writeHistory } from '../support/histories';

/**
 * A time-skipping Temporal test server with a worker running the real activities against the
 * test PostgreSQL, a fresh SMTP sink and a recording endpoint for the external platforms.
 */
export interface Lifecycle {
  env: TestWorkflowEnvironment;
  db: Db;
  sink: SmtpSink;
  platforms: RecordingEndpoint;
  taskQueue: string;
  close(): Promise<void>;
}

export type Activities = ReturnType<typeof createActivities>;

/** `override` replaces some activities (e.g. a calendar that publishes next year's holidays late). */
/** Official holiday calendars of the years the lifecycle tests reach (2027 on is weekends only until published). */
export const TEST_CALENDAR = buildHolidayCalendar([2025, 2026, 2027, 2028, 2029]);

/** One harness per test file: started before its tests, handed to `use`, closed after them. */
export function useLifecycle(use: (lc: Lifecycle) => void, override?: Parameters<typeof startLifecycle>[0]): void {
  let lc: Lifecycle | undefined;
  beforeAll(async () => {
    lc = await startLifecycle(override);
    use(lc);
  });
  afterAll(async () => {
    await lc?.close();
  });
}

export async function startLifecycle(override: (real: Activities) => Partial<Activities> = () => ({})): Promise<Lifecycle> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH! } },
  });
  // The test server knows only the built-in search attributes until told about ours.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_TYPES[k.type]!])),
  });
  const db = createPool(process.env.TEST_DATABASE_URL!, 5);
  const sink = await startSmtpSink();
  const platforms = await startRecordingEndpoint();
  const mailer: Mailer = createMailer(sink.smtpUrl, 'exitflow <noreply@exitflow.local>');
  const taskQueue = `lifecycle-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: (() => {
      const real = createActivities({ db, mailer, publicBaseUrl: 'http://localhost:3000', platformBaseUrl: platforms.url });
      return { ...real, ...override(real) };
    })(),
  });
  const run = worker.run();
  return {
    env,
    db,
    sink,
    platforms,
    taskQueue,
    async close() {
      worker.shutdown();
      await run.catch(() => {});
      await env.teardown();
      await db.end();
      mailer.close();
      await sink.stop();
      await platforms.stop();
    },
  };
}

export interface OpenedCase {
  handle: WorkflowHandleWithFirstExecutionRunId<typeof caseWorkflow>;
  input: CaseInput;
  caseId: string;
  contactEmail: string;
}

export interface CaseOptions {
  regionCode?: string;
  dimension?: Dimension;
  department?: Department;
  industry?: Industry;
  noticeServedOn?: string;
  serious?: boolean;
  rectificationMonths?: number;
  /** The department's choice where the policy leaves it to the department (限制生产 / 停产整治). */
  measure?: 'restrict_production' | 'suspend_production';
  openedBy?: Actor;
}

type Actor = CaseInput['openedBy'];

/** Officials and an enterprise user of Zhengzhou (郑州, 410100), as the inputs name them. */
export const actors = {
  official: { id: 'zz-gx-01', name: '郑州市工信局 李执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410100' },
  ecology: { id: 'zz-sthj-01', name: '郑州市生态环境局 张执法', role: 'enforcement_official', department: 'ecology_environment', jurisdiction: '410100' },
  safety: { id: 'zz-yj-01', name: '郑州市应急管理局 赵执法', role: 'enforcement_official', department: 'emergency_management', jurisdiction: '410100' },
  market: { id: 'zz-sj-01', name: '郑州市市场监管局 钱执法', role: 'enforcement_official', department: 'market_regulation', jurisdiction: '410100' },
  government: { id: 'zz-gov-01', name: '郑州市人民政府', role: 'approving_government', jurisdiction: '410100' },
  office: { id: 'zz-tt-01', name: '郑州市淘汰落后产能办公室', role: 'coordination_office', jurisdiction: '410100' },
  enterprise: (creditCode: string) => ({ id: `ent-${creditCode}`, name: '企业合规负责人', role: 'enterprise', creditCode }),
} satisfies Record<string, Actor | ((c: string) => Actor)>;

/** Today's legal date in the test server's clock. */
export function legalToday(env: TestWorkflowEnvironment): Promise<string> {
  return env.currentTimeMs().then((ms) => toLegalDate(new Date(ms).toISOString()));
}

/** Register an enterprise (SQL, as the API would) and start its case workflow. */
export async function openCase(lc: Lifecycle, opts: CaseOptions = {}): Promise<OpenedCase> {
  const regionCode = opts.regionCode ?? '410102';
  const creditCode = randomCreditCode(`${regionCode.slice(0, 4)}00`);
  const name = `测试钢铁有限公司${randomInt(1000, 9999)}`;
  const contactEmail = `compliance-${creditCode.toLowerCase()}@steel.example.cn`;
  const industry = opts.industry ?? 'steel';
  await lc.db.query(
    `INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,$4,'王经理',$5,'{}')`,
    [creditCode, name, regionCode, industry, contactEmail],
  );
  const facilities = [
    { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' },
    { id: 'CV-1', name: '1号转炉 30t', kind: 'equipment', capacity: 35, unit: '万吨/年' },
  ];
  for (const f of facilities) {
    await lc.db.query(`INSERT INTO facilities (credit_code, facility_id, name, kind, capacity, unit) VALUES ($1,$2,$3,$4,$5,$6)`, [creditCode, f.id, f.name, f.kind, f.capacity, f.unit]);
  }
  const dimension = opts.dimension ?? 'energy';
  const department = opts.department ?? (dimension === 'environment' ? 'ecology_environment' : dimension === 'safety' ? 'emergency_management' : dimension === 'quality' ? 'market_regulation' : 'industry_it');
  const caseNumber = `T-${randomInt(100000, 999999)}`;
  const caseId = caseWorkflowId(regionCode, creditCode, caseNumber);
  const policy = policyFor(regionCode);
  const openedAt = new Date(await lc.env.currentTimeMs()).toISOString();
  const input: CaseInput = {
    creditCode,
    caseNumber,
    dimension,
    department,
    legalBasis: '《中华人民共和国节约能源法》; 工信部联产业〔2017〕30号',
    noticeServedOn: opts.noticeServedOn ?? (await legalToday(lc.env)),
    serious: opts.serious ?? false,
    ...(opts.rectificationMonths ? { rectificationMonths: opts.rectificationMonths } : {}),
    ...(opts.measure ? { measure: opts.measure } : {}),
    caseId,
    enterprise: { name, regionCode, industry, contactEmail, contactName: '王经理' },
    facilities,
    policy: { id: policy.id, version: policy.version },
    openedBy: opts.openedBy ?? actors.official,
    openedAt,
  };
  const handle = await lc.env.client.workflow.start(caseWorkflow, {
    workflowId: caseId,
    taskQueue: lc.taskQueue,
    args: [input],
    memo: { enterpriseName: name, caseNumber },
    typedSearchAttributes: [
      { key: SA.region, value: regionCode },
      { key: SA.regionPath, value: divisionPath(regionCode) },
      { key: SA.industry, value: industry },
      { key: SA.dimension, value: dimension },
      { key: SA.stage, value: 'opened' },
      { key: SA.overdue, value: false },
    ],
  });
  return { handle, input, caseId, contactEmail };
}

/** Send one input; fresh idempotency key unless given. */
export function send<A extends Action>(c: OpenedCase, action: A, input: Omit<InputOf<A>, 'idempotencyKey'> & { idempotencyKey?: string }): Promise<InputResult> {
  const args = [{ idempotencyKey: randomUUID(), ...input } as InputOf<A>];
  return c.handle.executeUpdate(CASE_UPDATES[action] as never, { args } as never) as Promise<InputResult>;
}

/** The rejection an update met (its code and messages), or fails the test when it was accepted. */
export async function rejection(p: Promise<unknown>): Promise<InputRejection> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return err.cause.details?.[0] as InputRejection;
    }
    throw err;
  }
  throw new Error('the update was accepted');
}

export function state(c: OpenedCase): Promise<CaseState> {
  return c.handle.query(caseStateQuery);
}

/** Poll until `pred(state)` holds (activities run in real time; the workflow answers fast). */
export async function until(c: OpenedCase, pred: (s: CaseState) => boolean, what = 'state', timeoutMs = 20_000): Promise<CaseState> {
  const end = Date.now() + timeoutMs;
  let last: CaseState | undefined;
  for (;;) {
    last = await state(c);
    if (pred(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stage ${last.stage}, deadline ${last.deadline}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function events(lc: Lifecycle, caseId: string): Promise<{ kind: string; stage: string; detail: Record<string, unknown> }[]> {
  const { rows } = await lc.db.query(`SELECT kind, stage, detail FROM case_events WHERE case_id = $1 ORDER BY id`, [caseId]);
  return rows;
}

export async function caseRow(lc: Lifecycle, caseId: string): Promise<Record<string, any>> {
  const { rows } = await lc.db.query(`SELECT stage, overdue, to_char(deadline_date, 'YYYY-MM-DD') AS deadline,
            deadline = (deadline_date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS lapses_at_day_end FROM cases WHERE case_id = $1`, [caseId]);
  const { lapses_at_day_end: atDayEnd, ...row } = rows[0] ?? {};
  // The instant is always the end of the legal day (or both are empty).
  if (row.deadline && !atDayEnd) throw new Error(`case ${caseId}: deadline instant is not the end of ${row.deadline}`);
  return row;
}

export async function decisions(lc: Lifecycle, caseId: string): Promise<Record<string, any>[]> {
  const { rows } = await lc.db.query(
    `SELECT decision_id, kind, assignee_role, assignee_department, jurisdiction, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, outcome FROM decisions WHERE case_id = $1 ORDER BY requested_at, decision_id`,
    [caseId],
  );
  return rows;
}

export function mailsTo(lc: Lifecycle, address: string) {
  return lc.sink.messages.filter((m) => m.to.includes(address));
}

export function mailsFor(lc: Lifecycle, caseId: string, kind?: string) {
  return lc.sink.messages.filter((m) => m.headers['x-exitflow-case'] === caseId && (!kind || m.headers['x-exitflow-kind'] === kind));
}

export const DAY = 86_400_000;

/**
 * A photo reference of the shape the API gives (the workflow checks the shape; the API checks that
 * the file is stored for the case with that phase, test/evidence-citations.test.ts).
 */
export function evidence(phase: 'before' | 'during' | 'after') {
  const sha256 = createHash('sha256').update(`${randomUUID()}-${phase}`).digest('hex');
  return { phase, uri: evidenceUri('case-410102-91410100MA4000X7QR-LIFECYCLE', `ev-${sha256.slice(0, 32)}`), sha256 };
}

/**
 * With RECORD_HISTORIES=1, keep the case's history (every run, first to last) as
 * test/histories/<name>[-runN].json for the replay test (test/replay.test.ts).
 */
export async function saveHistory(lc: Lifecycle, c: OpenedCase, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const first = c.handle.firstExecutionRunId;
  const latest = (await c.handle.describe()).runId;
  const runs = [first];
  if (latest !== first) runs.push(latest);
  for (const [i, runId] of runs.entries()) await writeHistory(lc.env.client, c.caseId, runId, runs.length === 1 ? `${name}.json` : `${name}-run${i + 1}.json`);
}
