import { MockActivityEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createSurveyImportActivities } from '../activities/survey-import';
import { createApp } from '../api/app';
import { checkSurvey, commitSurvey, sha256Of } from '../api/services/campaign-survey';
import type { Principal } from '../domain/roles';
import { surveyImportWorkflowId, surveyJobId, type SurveyImportInput } from '../domain/survey';
import { bearer, office, officials, randomCreditCode } from './support/fixtures';
import { writeHistory } from './support/histories';
import { eventually, startStack, type Stack } from './support/stack';
import { surveyRow, surveySheet, XLSX_TYPE as XLSX, type SurveyRow } from './support/survey';

/**
 * A large survey is committed in the background: 202 with the job's address, then the job's
 * progress. The threshold is lowered to 10 rows so that a file of a few dozen rows is "large".
 */
const THRESHOLD = 10;
let stack: Stack;
let app: ReturnType<typeof createApp>;
const ANYANG = office('410500');
const year = new Date().getUTCFullYear() + 1;
const campaignId = `campaign-410500-${year}`;

beforeAll(async () => {
  stack = await startStack();
  app = createApp({ ...stack.appDeps, config: { ...stack.appDeps.config, SURVEY_ASYNC_ROWS: THRESHOLD } });
  const started = await request(app).post('/api/v1/campaigns').set('Authorization', await bearer(ANYANG)).send({ division: '410500', year });
  expect(started.status).toBe(201);
  await eventually(async () => (await stack.db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId])).rowCount || undefined, 30_000, 'campaign recorded');
});
afterAll(async () => {
  await stack?.close();
});

/** A good row: one facility of an Anyang steel enterprise (文峰区), an energy finding, exit this year. */
const row = (over: SurveyRow = {}): SurveyRow => surveyRow({ city: '410500', regionCode: '410502', name: '安阳市某某钢铁有限公司', caseNumberPrefix: 'AYGX' }, over);

/** `pairs` enterprises with two facilities under one notice, then `singles` with one: 2 × pairs + singles rows, pairs + singles cases. */
function rows(pairs: number, singles: number): SurveyRow[] {
  const out: SurveyRow[] = [];
  for (let i = 0; i < pairs; i++) {
    const a = row({ facilityId: 'BF-1' });
    out.push(a, { ...a, facilityId: 'BF-2', facilityName: '2号高炉 450m³', capacity: 40 });
  }
  for (let i = 0; i < singles; i++) out.push(row({ treatment: i % 2 ? 'rectify' : 'exit' }));
  return out;
}

async function commit(who: Principal, content: Buffer, format: 'xlsx' | 'csv', headers: Record<string, string> = {}) {
  let r = request(app).post(`/api/v1/campaigns/${campaignId}/surveys`).query({ mode: 'commit' }).set('Authorization', await bearer(who)).set('Content-Type', format === 'xlsx' ? XLSX : 'text/csv');
  for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
  return r.send(content);
}

const get = async (who: Principal, path: string) => request(app).get(path).set('Authorization', await bearer(who));

/** The job at `location` once it has finished. */
const finished = (location: string) =>
  eventually(async () => {
    const res = await get(ANYANG, location);
    return res.body.status !== 'running' ? res.body : undefined;
  }, 90_000, `${location} finished`);

const count = async (sql: string, params: unknown[]) => Number((await stack.db.query(sql, params)).rows[0].count);
const casesOpenedBySurvey = () => count(`SELECT count(*) FROM audit_log WHERE action = 'case.open' AND detail->>'command' LIKE $1`, [`survey:${campaignId}:%`]);

describe('a survey above the threshold is committed in the background', () => {
  const survey = rows(12, 6);
  let file: Buffer;
  let location: string;

  it('answers 202 with the job’s address; the job completes with every row done, and the cases are open', async () => {
    file = await surveySheet(survey, 'xlsx');
    const res = await commit(ANYANG, file, 'xlsx');
    expect(res.status).toBe(202);
    const jobId = surveyJobId(sha256Of(file));
    location = res.headers.location as string;
    expect(location).toBe(`/api/v1/campaigns/${campaignId}/survey-jobs/${jobId}`);
    expect(res.body).toMatchObject({ jobId, campaignId, fileSha256: sha256Of(file), startedBy: { sub: ANYANG.sub } });
    expect(['running', 'completed']).toContain(res.body.status);
    const started = (await stack.db.query(`SELECT actor, result, detail FROM audit_log WHERE action = 'campaign.survey.job.start' AND target = $1`, [campaignId])).rows;
    expect(started).toEqual([{ actor: expect.objectContaining({ sub: ANYANG.sub }), result: 202, detail: expect.objectContaining({ jobId, workflowId: surveyImportWorkflowId(campaignId, jobId), format: 'xlsx' }) }]);

    const job = await finished(location);
    expect(job).toMatchObject({ status: 'completed', rows: { total: 30, done: 30, failed: 0, alreadyPresent: 0 }, casesOpened: 18, enterprisesRegistered: 18, failures: [], error: null });
    // The job's history joins the replay test (test/replay.test.ts).
    await writeHistory(stack.temporal, surveyImportWorkflowId(campaignId, jobId), undefined, 'survey-import-completed.json');
    expect(job.finishedAt).toEqual(expect.any(String));

    const recorded = (await stack.db.query(`SELECT DISTINCT case_id FROM campaign_survey_rows WHERE campaign_id = $1 AND file_sha256 = $2`, [campaignId, sha256Of(file)])).rows.map((r) => r.case_id);
    expect(recorded).toHaveLength(18);
    // Each case's workflow records it and serves its notice, as for a case opened through POST /cases.
    await eventually(async () => ((await count(`SELECT count(*) FROM cases WHERE case_id = ANY($1)`, [recorded])) === 18 ? true : undefined), 60_000, 'cases recorded');
    const commitAudit = (await stack.db.query(`SELECT detail FROM audit_log WHERE action = 'campaign.survey.commit' AND target = $1`, [campaignId])).rows;
    expect(commitAudit).toEqual([{ detail: expect.objectContaining({ fileSha256: sha256Of(file), done: 30, casesOpened: 18 }) }]);
    const targets = await get(ANYANG, `/api/v1/campaigns/${campaignId}/targets`);
    expect(targets.body.items).toEqual([expect.objectContaining({ industry: 'steel', enterprises: 15, facilities: 27, source: 'survey' })]);
  });

  it('the same file again joins the same job and opens nothing new', async () => {
    const before = await casesOpenedBySurvey();
    const again = await commit(ANYANG, file, 'xlsx');
    expect(again.status).toBe(202);
    expect(again.headers.location).toBe(location);
    expect(again.body).toMatchObject({ status: 'completed', rows: { total: 30, done: 30 } });
    expect(await casesOpenedBySurvey()).toBe(before);
    expect(await count(`SELECT count(*) FROM survey_jobs WHERE campaign_id = $1`, [campaignId])).toBe(1);
    const joined = (await stack.db.query(`SELECT detail FROM audit_log WHERE action = 'campaign.survey.job.join' AND target = $1`, [campaignId])).rows;
    expect(joined).toEqual([{ detail: expect.objectContaining({ jobId: surveyJobId(sha256Of(file)) }) }]);
    // One workflow run: Temporal refused the second start (the id follows from the campaign and the file).
    const runs = [];
    for await (const w of stack.temporal.workflow.list({ query: `WorkflowId = '${surveyImportWorkflowId(campaignId, surveyJobId(sha256Of(file)))}'` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
  });

  it('is readable by whoever may read the campaign: 403 for another city’s office and an enterprise, 404 for no such job', async () => {
    expect((await get(office('410000'), location)).status).toBe(200);
    expect((await get(officials.operator, location)).status).toBe(200);
    const kaifeng = await get(office('410200'), location);
    expect(kaifeng.status).toBe(403);
    expect(kaifeng.body).toMatchObject({ code: 'forbidden' });
    expect((await get({ sub: 'e', name: '企业', role: 'enterprise', creditCode: randomCreditCode('410500') }, location)).status).toBe(403);
    expect((await get(ANYANG, `/api/v1/campaigns/${campaignId}/survey-jobs/0000000000000000`)).status).toBe(404);
  });
});

describe('starting a job', () => {
  it('is for the campaign’s office only, as the synchronous commit is (403 for another city’s office)', async () => {
    const file = await surveySheet(rows(0, THRESHOLD + 2), 'csv');
    const res = await commit(office('410200'), file, 'csv');
    expect(res.status).toBe(403);
    expect(await count(`SELECT count(*) FROM survey_uploads WHERE sha256 = $1`, [sha256Of(file)])).toBe(0);
  });

  it('a small file sent with Prefer: respond-async is a job too; without it, it is committed within the request', async () => {
    const asked = await commit(ANYANG, await surveySheet(rows(0, 3), 'csv'), 'csv', { Prefer: 'respond-async' });
    expect(asked.status).toBe(202);
    expect(asked.headers['preference-applied']).toBe('respond-async');
    expect(await finished(asked.headers.location as string)).toMatchObject({ status: 'completed', rows: { total: 3, done: 3, failed: 0 } });
    const small = await commit(ANYANG, await surveySheet(rows(0, 3), 'csv'), 'csv');
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ mode: 'commit', rows: 3, done: 3 });
  });

  it('a file with bad rows: the job fails naming each bad row with its column and rule, and nothing is stored', async () => {
    const survey = rows(0, 12);
    survey[2] = row({ regionCode: '419999' });
    survey[5] = row({ industry: '钢材' });
    const file = await surveySheet(survey, 'xlsx');
    const res = await commit(ANYANG, file, 'xlsx');
    expect(res.status).toBe(202);
    const job = await finished(res.headers.location as string);
    expect(job).toMatchObject({ status: 'failed', rows: { total: 12, done: 0, failed: 2 }, casesOpened: 0, error: { code: 'survey_rows_invalid' } });
    expect(job.failures).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 4, field: 'regionCode', column: '行政区划代码', rule: 'gbt2260_known', messageZh: '行政区划代码不存在', message: expect.any(String) }),
      expect.objectContaining({ row: 7, field: 'industry', column: '行业', rule: 'invalid_value' }),
    ]));
    expect(new Set(job.failures.map((f: { row: number }) => f.row))).toEqual(new Set([4, 7]));
    expect(await count(`SELECT count(*) FROM campaign_survey_rows WHERE file_sha256 = $1`, [sha256Of(file)])).toBe(0);
    expect(await count(`SELECT count(*) FROM enterprises WHERE credit_code = $1`, [survey[0]!.creditCode])).toBe(0);
  });
});

describe('the import after a crash', () => {
  /**
   * A stored file of 12 rows (two cases of two rows, eight of one) whose first attempt committed its
   * first two cases (four rows), then its worker died; the activity of the job's next attempt.
   */
  async function crashedAfterTwoCases() {
    const file = await surveySheet(rows(2, 8), 'csv');
    const fileSha256 = sha256Of(file);
    const jobId = surveyJobId(fileSha256);
    const input: SurveyImportInput = { campaignId, division: '410500', jobId, fileSha256, format: 'csv', actor: ANYANG, requestId: 'crash-test' };
    await stack.db.query(`INSERT INTO survey_uploads (sha256, format, bytes, size) VALUES ($1, 'csv', $2, $3)`, [fileSha256, file, file.length]);
    await stack.db.query(`INSERT INTO survey_jobs (campaign_id, job_id, workflow_id, file_sha256, status, started_by, request_id) VALUES ($1, $2, $3, $4, 'running', $5, 'crash-test')`, [campaignId, jobId, surveyImportWorkflowId(campaignId, jobId), fileSha256, JSON.stringify(ANYANG)]);
    const deps = { db: stack.db, temporal: stack.temporal, taskQueue: stack.taskQueue };
    const campaign = { campaignId, division: '410500' };
    const checked = await checkSurvey(stack.db, campaign, file, 'csv', new Date());
    const first = await commitSurvey(deps, campaign, { ...checked, rows: checked.rows.slice(0, 4) }, ANYANG, 'crash-test', new Date());
    const activities = createSurveyImportActivities({ db: stack.db, temporal: { client: stack.temporal, taskQueue: stack.taskQueue } });
    const job = async () => (await get(ANYANG, `/api/v1/campaigns/${campaignId}/survey-jobs/${jobId}`)).body;
    return { input, first, activities, job, casesBefore: await casesOpenedBySurvey() };
  }

  it('resumes before any batch was heartbeated: rows the crashed attempt committed count as done, and no case is opened twice', async () => {
    const { input, activities, job, casesBefore } = await crashedAfterTwoCases();
    const outcome = await new MockActivityEnvironment({ attempt: 2 }).run(activities.importSurvey, input);
    expect(outcome).toEqual({ status: 'completed', rowsTotal: 12, done: 12, failed: 0 });
    expect(await casesOpenedBySurvey()).toBe(casesBefore + 8);
    expect(await job()).toMatchObject({ status: 'completed', rows: { total: 12, done: 12, failed: 0, alreadyPresent: 0 }, casesOpened: 10 });
  });

  it('resumes at the heartbeated batch, with its counts', async () => {
    const { input, first, activities, job, casesBefore } = await crashedAfterTwoCases();
    const heartbeatDetails = { nextCase: 2, progress: { rows: 12, done: first.done, failed: 0, casesOpened: first.casesOpened, alreadyPresent: 0, enterprisesRegistered: first.enterprisesRegistered }, failures: [] };
    const outcome = await new MockActivityEnvironment({ attempt: 3, heartbeatDetails }).run(activities.importSurvey, input);
    expect(outcome).toEqual({ status: 'completed', rowsTotal: 12, done: 12, failed: 0 });
    expect(await casesOpenedBySurvey()).toBe(casesBefore + 8);
    expect(await job()).toMatchObject({ status: 'completed', rows: { total: 12, done: 12, failed: 0, alreadyPresent: 0 }, casesOpened: 10, enterprisesRegistered: 10 });
  });
});
