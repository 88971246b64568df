import type { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { mayReadCampaign } from '../../domain/campaign';
import { toLegalDate } from '../../domain/deadlines';
import { Industry, INDUSTRY_NAMES_ZH } from '../../domain/model';
import { mayManageSurvey, SURVEY_COLUMNS } from '../../domain/survey';
import { text } from '../../domain/text';
import { authorise } from '../auth';
import { problems } from '../problem';
import { endpoint, Problem } from '../routing';
import { checkSurvey, commitSurvey, countSurveyRows, listTargets, setTarget, summary, surveyProblem, type CampaignRef } from '../services/campaign-survey';
import { readSurveyJob, startSurveyJob, surveyJobPath } from '../services/survey-jobs';
import { CSV_TYPE, surveyTemplate, XLSX_TYPE } from '../services/survey-sheet';
import { CampaignParams, divisionOf } from './campaigns';

/** A survey of a few thousand rows is well under this; a workbook with pictures is not a survey. */
export const SURVEY_MAX_BYTES = 10 * 2 ** 20;

const TemplateQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();
const SurveyQuery = z.object({ mode: z.enum(['dry-run', 'commit']).meta({ description: 'dry-run: check every row, store nothing; commit: register, open cases, write the target list' }) }).strict();
const TargetsQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

/** The survey sheet's columns, as the template heads them. */
const SURVEY_SHEET = `one row per facility under the columns ${SURVEY_COLUMNS.map((c) => c.zh).join('、')} (the template's first row; its second row, the keys, may stay)`;
const FILE_SHA256 = '3f9a0c1de2b4a5f67b1e0a9c2d4f6e8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e';
const TARGETS_EXAMPLE = [
  { industry: 'steel', unit: '万吨/年', capacity: 120, enterprises: 3, facilities: 4 },
  { industry: 'cement', unit: '万吨/年', capacity: 60, enterprises: 1, facilities: 1 },
] as const;

/** 42 rows of Zhengzhou's survey: 31 enterprises, 33 cases, 5 of them exits this year. */
const DRY_RUN_EXAMPLE = { mode: 'dry-run', fileSha256: FILE_SHA256, rows: 42, enterprises: 31, cases: 33, exits: 5, targets: TARGETS_EXAMPLE } as const;

const TargetLine = z.object({ industry: Industry, unit: z.string(), capacity: z.number(), enterprises: z.number().int(), facilities: z.number().int() });
const SurveyCounts = z.object({
  fileSha256: z.string(),
  rows: z.number().int(),
  enterprises: z.number().int(),
  cases: z.number().int(),
  exits: z.number().int().meta({ description: 'Rows whose treatment is exit this year (当年退出)' }),
  targets: z.array(TargetLine).meta({ description: 'The target list these rows make (exits per industry and unit)' }),
});
const RowFailure = z.object({ row: z.number().int(), field: z.string(), column: z.string(), rule: z.string(), message: z.string(), messageZh: z.string().optional() });
const SurveyResult = SurveyCounts.extend({
  mode: z.enum(['dry-run', 'commit']),
  done: z.number().int().optional().meta({ description: 'commit: rows recorded with the case opened for them' }),
  failed: z.number().int().optional().meta({ description: 'commit: rows whose case could not be opened (see failures)' }),
  casesOpened: z.number().int().optional(),
  alreadyPresent: z.number().int().optional().meta({ description: 'commit: rows the campaign had already recorded (the same file again opens nothing new)' }),
  enterprisesRegistered: z.number().int().optional(),
  failures: z.array(RowFailure).optional(),
}).meta({ id: 'SurveyResult', example: DRY_RUN_EXAMPLE });

const JOB_EXAMPLE_ID = '3f9a0c1de2b4a5f6';
const SurveyJobParams = CampaignParams.extend({ jobId: z.string().regex(/^[0-9a-f]{16}$/, 'must be a survey job id (16 hex digits)').meta({ example: JOB_EXAMPLE_ID }) });
const SurveyJob = z
  .object({
    jobId: z.string().meta({ description: 'The first 16 hex digits of the file’s SHA-256: the same file is the same job' }),
    campaignId: z.string(),
    status: z.enum(['running', 'completed', 'failed']).meta({ description: 'completed: every row is done, failed (its case could not be opened; see failures) or already present. failed: the file has rows that break rules (nothing was stored; see failures), or the import gave up (see error; upload the same file again to retry)' }),
    fileSha256: z.string(),
    rows: z.object({
      total: z.number().int().nullable().meta({ description: 'Survey rows in the file (null until it has been read)' }),
      done: z.number().int().meta({ description: 'Rows recorded with the case opened for them' }),
      failed: z.number().int().meta({ description: 'Rows that break a rule, or whose case could not be opened (see failures)' }),
      alreadyPresent: z.number().int().meta({ description: 'Rows the campaign had recorded from an earlier file' }),
    }),
    casesOpened: z.number().int(),
    enterprisesRegistered: z.number().int(),
    failures: z.array(RowFailure).meta({ description: 'The failed rows (at most 1,000 listed): row, column (key and Chinese header), rule, and why in English and Chinese' }),
    error: z.object({ code: z.string(), message: z.string(), messageZh: z.string() }).nullable(),
    startedBy: z.record(z.string(), z.unknown()),
    startedAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({
    id: 'SurveyJob',
    description: 'A survey committed in the background: how far it has come',
    example: {
      jobId: JOB_EXAMPLE_ID,
      campaignId: 'campaign-410100-2027',
      status: 'running',
      fileSha256: `${JOB_EXAMPLE_ID}7b1e0a9c2d4f6e8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e`,
      rows: { total: 5000, done: 1200, failed: 1, alreadyPresent: 0 },
      casesOpened: 600,
      enterprisesRegistered: 2500,
      failures: [{ row: 88, field: 'caseNumber', column: '文书编号', rule: 'unique', message: 'a case with this notice number is already open for this enterprise', messageZh: '该企业此文书编号的案件已存在' }],
      error: null,
      startedBy: { sub: 'office-410100', role: 'coordination_office', jurisdiction: '410100' },
      startedAt: '2027-03-02T01:30:00.000Z',
      updatedAt: '2027-03-02T01:31:10.000Z',
      finishedAt: null,
    },
  });

/** RFC 7240: `Prefer: respond-async` asks for the background job whatever the file's size. */
const prefersAsync = (prefer: string | undefined) => (prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'respond-async');

const Target = TargetLine.extend({
  industryZh: z.string(),
  source: z.enum(['survey', 'office']),
  reason: z.string().nullable(),
  setBy: z.record(z.string(), z.unknown()).nullable(),
  setAt: z.string(),
}).meta({ id: 'CampaignTarget' });
const OFFICE = { sub: 'office-410100', name: '郑州市淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410100' };
const TARGET_SET_EXAMPLE = { ...TARGETS_EXAMPLE[0], industryZh: '钢铁', source: 'office', reason: '复核后补录一家企业的2号高炉', setBy: OFFICE, setAt: '2027-07-02T03:20:00.000Z' } as const;
const TargetList = z
  .object({ campaignId: z.string(), items: z.array(Target) })
  .meta({
    id: 'CampaignTargetList',
    example: {
      campaignId: 'campaign-410100-2027',
      items: [TARGET_SET_EXAMPLE, { ...TARGETS_EXAMPLE[1], industryZh: '水泥', source: 'survey', reason: null, setBy: null, setAt: '2027-06-28T08:05:00.000Z' }],
    },
  });

const SetTarget = z
  .object({
    unit: text({ max: 32 }),
    capacity: z.number().nonnegative().finite(),
    enterprises: z.number().int().nonnegative(),
    facilities: z.number().int().nonnegative(),
    reason: text({ min: 2, max: 2000, multiline: true }).meta({ description: 'Why the office sets or corrects the target (kept in the audit trail)' }),
  })
  .strict()
  .meta({ id: 'SetCampaignTarget', example: { unit: '万吨/年', capacity: 120, enterprises: 3, facilities: 4, reason: '复核后补录一家企业的2号高炉' } });

export interface CampaignSurveyDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** A commit of more rows than this is a background job (config SURVEY_ASYNC_ROWS). */
  asyncRows?: number;
}

export const DEFAULT_SURVEY_ASYNC_ROWS = 500;

const problem = (description: string) => ({ description, schema: Problem, contentType: 'application/problem+json' });

export function campaignSurveyEndpoints(deps: CampaignSurveyDeps) {
  const asyncRows = deps.asyncRows ?? DEFAULT_SURVEY_ASYNC_ROWS;
  /** The campaign as recorded (404 when there is none), for routes that need it to exist. */
  const campaignOf = async (campaignId: string): Promise<CampaignRef> => {
    const { rows } = await deps.db.query<{ campaign_id: string; division: string }>(`SELECT campaign_id, division FROM campaigns WHERE campaign_id = $1`, [campaignId]);
    if (!rows[0]) throw problems.notFound('campaign', campaignId);
    return { campaignId: rows[0].campaign_id, division: rows[0].division };
  };
  const byTheOffice = async ({ params, principal }: { params: { campaignId: string }; principal: Parameters<typeof mayManageSurvey>[0] }) => {
    const campaign = await campaignOf(params.campaignId);
    authorise(mayManageSurvey(principal, campaign.division));
    return campaign;
  };
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/survey-template',
      summary: 'The survey template (摸底排查表): Chinese column headers, a row of keys and an example row, as XLSX or CSV',
      description: 'Industries, dimensions, departments, kinds and treatments may be written as their codes or their Chinese names. The CSV is UTF-8 with a BOM.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      query: TemplateQuery,
      responses: {
        200: {
          description: 'The template (text/csv with ?format=csv)',
          schema: z.string().meta({ format: 'binary', description: `XLSX workbook: sheet 摸底排查 with ${SURVEY_SHEET} and an example row; sheet 填写说明 explains each column (required or not, the codes it takes)` }),
          contentType: XLSX_TYPE,
          alsoAs: { [CSV_TYPE]: `CSV (UTF-8 with a BOM, for Excel): ${SURVEY_SHEET}, and an example row` },
        },
      },
      async handler({ params, query, principal }) {
        authorise(mayReadCampaign(principal, divisionOf(params.campaignId)));
        const content = await surveyTemplate(query.format, divisionOf(params.campaignId), toLegalDate(new Date().toISOString()));
        const type = query.format === 'csv' ? `${CSV_TYPE}; charset=utf-8` : XLSX_TYPE;
        return { status: 200, body: undefined, raw: content, headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="survey-${params.campaignId}.${query.format}"` } };
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/campaigns/:campaignId/surveys',
      summary: 'Upload the survey (摸底排查) as XLSX or CSV: a dry run checks every row; a commit registers enterprises, opens the cases and writes the target list',
      description:
        'By the coordination office of the campaign’s division or above. Every row is checked with the schemas of POST /api/v1/enterprises and POST /api/v1/cases, and must lie in the campaign’s division; ' +
        'any bad row is a 422 `survey_rows_invalid` naming each row, column and rule (nothing is stored, in either mode). ' +
        'A commit opens each case (one per enterprise and notice number) through the path of POST /api/v1/cases and records each row; a row the campaign already recorded is `alreadyPresent`, so the same file twice opens nothing new. ' +
        `A commit of more than ${asyncRows} rows (SURVEY_ASYNC_ROWS), or one sent with \`Prefer: respond-async\`, is a background job: the file is stored and the answer is 202 with the job in the body and its address in \`Location\` ` +
        '(GET /api/v1/campaigns/{campaignId}/survey-jobs/{jobId}); the job checks the rows as above (a bad row fails the job and stores nothing) and reports rows done and failed as it commits. The same file again joins the same job.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      query: SurveyQuery,
      upload: { types: [XLSX_TYPE, CSV_TYPE], maxBytes: SURVEY_MAX_BYTES, description: `The filled survey template (GET …/survey-template) as XLSX (its first sheet) or CSV (UTF-8): ${SURVEY_SHEET}` },
      responses: {
        200: {
          description: 'Dry run: the counts and the target list the file makes. Commit: the same, with rows done, failed, cases opened and rows already present',
          schema: SurveyResult,
          // The schema's example is a dry run; this is the commit of the same file.
          example: { ...DRY_RUN_EXAMPLE, mode: 'commit', done: 42, failed: 0, casesOpened: 33, alreadyPresent: 0, enterprisesRegistered: 31, failures: [] },
        },
        202: { description: 'Commit of a large file (or with `Prefer: respond-async`): the background job, started or joined (the same file again); `Location` is its address', schema: SurveyJob },
        404: problem('No such campaign'),
        422: problem('Rows break rules (`survey_rows_invalid`: each in `errors` with row, column and rule), or the file cannot be read'),
      },
      authorise: byTheOffice,
      async handler({ query, file, authorised, principal, req, command }) {
        const campaign = authorised as CampaignRef;
        const format = file!.type === CSV_TYPE ? 'csv' : 'xlsx';
        const inBackground = prefersAsync(req.get('prefer'));
        if (query.mode === 'commit' && (inBackground || (await countSurveyRows(file!.content, format, asyncRows)) > asyncRows)) {
          const { job } = await startSurveyJob(deps, campaign, { content: file!.content, format }, principal, String(req.id), command);
          const headers: Record<string, string> = { Location: surveyJobPath(campaign.campaignId, job.jobId) };
          if (inBackground) headers['Preference-Applied'] = 'respond-async';
          return { status: 202, body: job, headers };
        }
        const now = new Date();
        const checked = await checkSurvey(deps.db, campaign, file!.content, format, now);
        if (checked.errorCount > 0) throw surveyProblem(checked);
        if (query.mode === 'dry-run') return { status: 200, body: { mode: 'dry-run', ...summary(checked) } };
        const result = await commitSurvey(deps, campaign, checked, principal, String(req.id), now, {
          command,
          onProgress: (p) => req.log.info({ campaignId: campaign.campaignId, ...p }, 'survey commit progress'),
        });
        return { status: 200, body: { mode: 'commit', ...result } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/survey-jobs/:jobId',
      summary: 'A survey committed in the background (摸底排查导入任务): status, rows total, done and failed, the failed rows with column and rule, started and finished',
      description: 'Readable by whoever may read the campaign. The job is started by a commit of a large survey (POST /api/v1/campaigns/{campaignId}/surveys answers 202 with this address in `Location`).',
      tags: ['campaigns'],
      auth: true,
      params: SurveyJobParams,
      responses: { 200: { description: 'The job as far as it has come', schema: SurveyJob }, 404: problem('No such job for this campaign') },
      async handler({ params, principal }) {
        authorise(mayReadCampaign(principal, divisionOf(params.campaignId)));
        const job = await readSurveyJob(deps.db, params.campaignId, params.jobId);
        if (!job) throw problems.notFound('survey job', params.jobId);
        return { status: 200, body: job };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/targets',
      summary: 'The campaign’s target list (年度淘汰目标计划): per industry and unit, capacity, enterprises and facilities, from the survey or set by the office',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      query: TargetsQuery,
      responses: {
        200: { description: 'The target list (CSV with ?format=csv)', schema: TargetList, alsoAs: { [CSV_TYPE]: 'CSV (UTF-8 with a BOM, for Excel), a row per industry and unit under the columns 行业、industry、单位、产能、企业数、设施数、来源、理由、设定时间' } },
        404: problem('No such campaign'),
      },
      async handler({ params, query, principal }) {
        authorise(mayReadCampaign(principal, divisionOf(params.campaignId)));
        const campaign = await campaignOf(params.campaignId);
        const items = (await listTargets(deps.db, campaign.campaignId)).map((t) => ({ ...t, industryZh: INDUSTRY_NAMES_ZH[t.industry as Industry] ?? t.industry }));
        if (query.format === 'json') return { status: 200, body: { campaignId: campaign.campaignId, items } };
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('目标计划');
        ws.addRow(['行业', 'industry', '单位', '产能', '企业数', '设施数', '来源', '理由', '设定时间']);
        for (const t of items) ws.addRow([t.industryZh, t.industry, t.unit, t.capacity, t.enterprises, t.facilities, t.source, t.reason ?? '', t.setAt]);
        const raw = Buffer.from(await wb.csv.writeBuffer({ formatterOptions: { writeBOM: true } }));
        return { status: 200, body: undefined, raw, headers: { 'Content-Type': `${CSV_TYPE}; charset=utf-8`, 'Content-Disposition': `attachment; filename="targets-${campaign.campaignId}.csv"` } };
      },
    }),
    endpoint({
      method: 'put',
      path: '/api/v1/campaigns/:campaignId/targets/:industry',
      summary: 'The office sets or corrects one line of the target list (industry and unit), with a reason; audited',
      description: 'By the coordination office of the campaign’s division or above. The line’s source becomes `office`; a later survey commit does not overwrite it.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams.extend({ industry: Industry }),
      body: SetTarget,
      responses: { 200: { description: 'The line as set', schema: Target, example: TARGET_SET_EXAMPLE }, 404: problem('No such campaign') },
      authorise: byTheOffice,
      async handler({ params, body, authorised, principal, req, command }) {
        const target = await setTarget(deps.db, authorised as CampaignRef, { ...body, industry: params.industry }, principal, String(req.id), command);
        return { status: 200, body: { ...target, industryZh: INDUSTRY_NAMES_ZH[params.industry] } };
      },
    }),
  ];
}
