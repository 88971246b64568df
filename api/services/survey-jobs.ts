import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import type { Principal } from '../../domain/roles';
import { surveyImportWorkflowId, surveyJobId, type RowError, type SurveyImportInput, type SurveyJobStatus } from '../../domain/survey';
import { surveyImportWorkflow } from '../../workflows/survey-import';
import { ApiProblem } from '../problem';
import { appendAudit } from './audit';
import { sha256Of, type CampaignRef } from './campaign-survey';
import type { SheetFormat } from './survey-sheet';

/**
 * A survey committed in the background (a survey job): the API stores the file and starts the
 * survey-import workflow, whose activity commits the file and keeps the job's progress in survey_jobs
 * (activities/survey-import.ts); this module starts a job and reads it.
 */

export interface SurveyJobDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface SurveyJob {
  jobId: string;
  campaignId: string;
  status: SurveyJobStatus;
  fileSha256: string;
  rows: { total: number | null; done: number; failed: number; alreadyPresent: number };
  casesOpened: number;
  enterprisesRegistered: number;
  failures: RowError[];
  error: { code: string; message: string; messageZh: string } | null;
  startedBy: Record<string, unknown>;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export const surveyJobPath = (campaignId: string, jobId: string) => `/api/v1/campaigns/${campaignId}/survey-jobs/${jobId}`;

interface JobRow {
  job_id: string;
  campaign_id: string;
  status: SurveyJobStatus;
  file_sha256: string;
  rows_total: number | null;
  rows_done: number;
  rows_failed: number;
  already_present: number;
  cases_opened: number;
  enterprises_registered: number;
  failures: RowError[];
  error: SurveyJob['error'];
  started_by: Record<string, unknown>;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toJob = (r: JobRow): SurveyJob => ({
  jobId: r.job_id,
  campaignId: r.campaign_id,
  status: r.status,
  fileSha256: r.file_sha256,
  rows: { total: r.rows_total, done: r.rows_done, failed: r.rows_failed, alreadyPresent: r.already_present },
  casesOpened: r.cases_opened,
  enterprisesRegistered: r.enterprises_registered,
  failures: r.failures,
  error: r.error,
  startedBy: r.started_by,
  startedAt: r.started_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** The campaign's survey job, as far as it has come; undefined when there is none. */
export async function readSurveyJob(db: Db, campaignId: string, jobId: string): Promise<SurveyJob | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT * FROM survey_jobs WHERE campaign_id = $1 AND job_id = $2`, [campaignId, jobId]);
  return rows[0] && toJob(rows[0]);
}

/**
 * Store the file and start its job; the same file again joins the job it already has (its workflow
 * id follows from the campaign and the file: Temporal refuses a second start, nothing new is
 * opened). A job that failed (its workflow gave up) is started afresh by the same file
 * (ALLOW_DUPLICATE_FAILED_ONLY). The job's row and the audit entry commit only if the workflow
 * started or was joined, as a case's open does (api/services/cases.ts).
 */
export async function startSurveyJob(
  deps: SurveyJobDeps,
  campaign: CampaignRef,
  file: { content: Buffer; format: SheetFormat },
  actor: Principal,
  requestId: string,
  command?: string,
): Promise<{ job: SurveyJob; joined: boolean }> {
  const fileSha256 = sha256Of(file.content);
  const jobId = surveyJobId(fileSha256);
  const workflowId = surveyImportWorkflowId(campaign.campaignId, jobId);
  await deps.db.query(`INSERT INTO survey_uploads (sha256, format, bytes, size) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`, [fileSha256, file.format, file.content, file.content.length]);
  const input: SurveyImportInput = { campaignId: campaign.campaignId, division: campaign.division, jobId, fileSha256, format: file.format, actor, requestId, ...(command ? { command } : {}) };
  let joined = false;
  await inTransaction(deps.db, async (tx) => {
    const { rows } = await tx.query<{ file_sha256: string }>(
      `INSERT INTO survey_jobs (campaign_id, job_id, workflow_id, file_sha256, status, started_by, request_id) VALUES ($1, $2, $3, $4, 'running', $5, $6)
       ON CONFLICT (campaign_id, job_id) DO UPDATE SET updated_at = survey_jobs.updated_at RETURNING file_sha256`,
      [campaign.campaignId, jobId, workflowId, fileSha256, JSON.stringify(actor), requestId],
    );
    if (rows[0]!.file_sha256 !== fileSha256) {
      // Two files of one campaign whose SHA-256 share 64 bits: not to be joined, never expected.
      throw new ApiProblem(409, 'survey_job_id_taken', 'Conflict with the current state', '任务编号冲突', `job ${jobId} belongs to another file`);
    }
    try {
      await deps.temporal.workflow.start(surveyImportWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowIdConflictPolicy: 'FAIL',
        staticSummary: `摸底排查导入 ${campaign.campaignId}（${jobId}）`,
        staticDetails: `survey import of ${campaign.campaignId}: file sha256 ${fileSha256}, ${file.content.length} bytes (${file.format}), uploaded by ${actor.sub}`,
      });
      // A new run of a job that failed starts from nothing (its activity does the same, whichever comes first).
      await tx.query(
        `UPDATE survey_jobs SET status = 'running', rows_total = NULL, rows_done = 0, rows_failed = 0, already_present = 0, cases_opened = 0, enterprises_registered = 0,
                failures = '[]', error = NULL, started_by = $3, request_id = $4, started_at = now(), updated_at = now(), finished_at = NULL
          WHERE campaign_id = $1 AND job_id = $2 AND status = 'failed'`,
        [campaign.campaignId, jobId, JSON.stringify(actor), requestId],
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      joined = true;
    }
    await appendAudit(tx, {
      requestId,
      actor,
      action: joined ? 'campaign.survey.job.join' : 'campaign.survey.job.start',
      target: campaign.campaignId,
      region: campaign.division,
      result: 202,
      detail: { jobId, workflowId, fileSha256, bytes: file.content.length, format: file.format, ...(command ? { command } : {}) },
    });
  });
  return { job: (await readSurveyJob(deps.db, campaign.campaignId, jobId))!, joined };
}
