import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/pool';
import { surveyImportWorkflowId, type RowError, type SurveyImportInput } from '../domain/survey';
// The one commit path of a survey (api/services/campaign-survey.ts), shared with the synchronous
// commit: it opens every case through openCase, the path of POST /cases. This activity is its only
// caller outside api/; moving the survey and case services to a room both may import is left for later.
import { checkSurvey, commitSurvey, type CommitCheckpoint, type CommitProgress } from '../api/services/campaign-survey';

/**
 * Opening a case starts its workflow. The worker gives this activity a Temporal client on its own
 * connection (worker/worker.ts), rather than the import workflow starting the cases as child
 * workflows: openCase then stays the one path that checks, audits and starts a case (the same
 * search attributes, memo and fingerprint as POST /cases and the synchronous commit), the cases do
 * not become children of a job that ends in minutes while they run for months, and the job's history
 * stays a few events whatever the file's size (5,000 child starts would need continue-as-new).
 */
export interface SurveyImportDeps {
  db: Db;
  temporal?: { client: Client; taskQueue: string };
}

/** Cases per batch: the job's progress is stored, and heartbeated, after each. */
export const SURVEY_JOB_BATCH = 100;
/** Heartbeats while the file is read and checked (no batch to report yet). */
const HEARTBEAT_MS = 5_000;

export interface SurveyJobOutcome {
  status: 'completed' | 'failed';
  rowsTotal: number;
  done: number;
  failed: number;
}

export interface SurveyJobFailure {
  campaignId: string;
  jobId: string;
  message: string;
}

const nothingStored = (errorCount: number, badRows: number) => ({
  code: 'survey_rows_invalid',
  message: `${errorCount} error(s) in ${badRows} row(s); nothing was stored (fix the rows and upload the file again)`,
  messageZh: '摸底排查表中有不符合规则的行，未存储任何数据；请修改后重新上传',
});

export function createSurveyImportActivities({ db, temporal }: SurveyImportDeps) {
  /**
   * The job's row, as the API wrote it when it started the workflow. The first attempt of a new run
   * (the same file uploaded again after a run failed) starts the row afresh; a retry keeps it.
   */
  async function claimJob(input: SurveyImportInput, firstAttempt: boolean): Promise<void> {
    await db.query(
      `INSERT INTO survey_jobs (campaign_id, job_id, workflow_id, file_sha256, status, started_by, request_id)
       VALUES ($1, $2, $3, $4, 'running', $5, $6)
       ON CONFLICT (campaign_id, job_id) DO UPDATE
          SET status = 'running', rows_total = NULL, rows_done = 0, rows_failed = 0, already_present = 0, cases_opened = 0,
              enterprises_registered = 0, failures = '[]', error = NULL, started_by = EXCLUDED.started_by,
              request_id = EXCLUDED.request_id, started_at = now(), updated_at = now(), finished_at = NULL
        WHERE survey_jobs.status = 'failed' AND $7::boolean`,
      [input.campaignId, input.jobId, surveyImportWorkflowId(input.campaignId, input.jobId), input.fileSha256, JSON.stringify(input.actor), input.requestId, firstAttempt],
    );
  }

  async function storedFile(sha256: string): Promise<Buffer> {
    const { rows } = await db.query<{ bytes: Buffer }>(`SELECT bytes FROM survey_uploads WHERE sha256 = $1`, [sha256]);
    if (!rows[0]) throw ApplicationFailure.nonRetryable(`the uploaded survey ${sha256} is not stored`, 'survey_upload_missing');
    return rows[0].bytes;
  }

  async function storeProgress(input: SurveyImportInput, p: CommitProgress, failures: RowError[], rowsTotal: number): Promise<void> {
    await db.query(
      `UPDATE survey_jobs SET rows_total = $3, rows_done = $4, rows_failed = $5, already_present = $6, cases_opened = $7,
              enterprises_registered = $8, failures = $9, updated_at = now()
        WHERE campaign_id = $1 AND job_id = $2 AND status = 'running'`,
      [input.campaignId, input.jobId, rowsTotal, p.done, p.failed, p.alreadyPresent, p.casesOpened, p.enterprisesRegistered, JSON.stringify(failures)],
    );
  }

  async function finish(input: SurveyImportInput, status: 'completed' | 'failed', error: Record<string, string> | null): Promise<void> {
    await db.query(
      `UPDATE survey_jobs SET status = $3, error = $4, finished_at = now(), updated_at = now() WHERE campaign_id = $1 AND job_id = $2 AND status = 'running'`,
      [input.campaignId, input.jobId, status, error && JSON.stringify(error)],
    );
  }

  return {
    /**
     * Read the stored file, check every row (a bad row fails the job and nothing is stored, as a
     * synchronous commit answers 422), then commit it in batches through the synchronous commit's
     * path, storing and heartbeating the progress after each batch. A retry after a crash resumes at
     * the heartbeated batch: each row is idempotent already (a row recorded in campaign_survey_rows
     * is not opened again, an enterprise registered meanwhile is used, and a case whose workflow
     * started without its row recorded is recognised by its fingerprint in the workflow's memo).
     */
    async importSurvey(input: SurveyImportInput): Promise<SurveyJobOutcome> {
      if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client to open cases with (worker/worker.ts)', 'worker_misconfigured');
      const ctx = Context.current();
      const firstAttempt = ctx.info.attempt === 1;
      let checkpoint = firstAttempt ? undefined : (ctx.info.heartbeatDetails as CommitCheckpoint | undefined);
      await claimJob(input, firstAttempt);
      const beat = setInterval(() => ctx.heartbeat(checkpoint), HEARTBEAT_MS);
      try {
        const campaign = { campaignId: input.campaignId, division: input.division };
        const now = new Date();
        const checked = await checkSurvey(db, campaign, await storedFile(input.fileSha256), input.format, now);
        if (checked.errorCount > 0) {
          const failed = { rows: checked.rowsRead, done: 0, failed: checked.badRows, casesOpened: 0, alreadyPresent: 0, enterprisesRegistered: 0 };
          await storeProgress(input, failed, checked.errors, checked.rowsRead);
          await finish(input, 'failed', nothingStored(checked.errorCount, checked.badRows));
          return { status: 'failed', rowsTotal: checked.rowsRead, done: 0, failed: checked.badRows };
        }
        // A retry that never heartbeated a batch resumes at the start, still counting its own rows as done.
        const resume = checkpoint ?? (firstAttempt ? undefined : { nextCase: 0, progress: { rows: checked.rows.length, done: 0, failed: 0, casesOpened: 0, alreadyPresent: 0, enterprisesRegistered: 0 }, failures: [] });
        if (resume) await storeProgress(input, resume.progress, resume.failures, checked.rowsRead);
        const result = await commitSurvey({ db, temporal: temporal.client, taskQueue: temporal.taskQueue }, campaign, checked, input.actor, input.requestId, now, {
          // The audit entry of the commit is written once, however many attempts reach the end.
          command: input.command ?? `survey-job:${input.jobId}`,
          batchSize: SURVEY_JOB_BATCH,
          resume,
          onBatch: async (reached) => {
            checkpoint = reached;
            ctx.heartbeat(reached);
            await storeProgress(input, reached.progress, reached.failures, checked.rowsRead);
          },
        });
        await storeProgress(input, result, result.failures, checked.rowsRead);
        await finish(input, 'completed', null);
        return { status: 'completed', rowsTotal: checked.rowsRead, done: result.done, failed: result.failed };
      } finally {
        clearInterval(beat);
      }
    },

    /** The job's workflow gave up (its import failed for good): the job reads failed, with why. */
    async recordSurveyJobFailed(f: SurveyJobFailure): Promise<void> {
      await db.query(
        `UPDATE survey_jobs SET status = 'failed', error = $3, finished_at = now(), updated_at = now() WHERE campaign_id = $1 AND job_id = $2 AND status = 'running'`,
        [f.campaignId, f.jobId, JSON.stringify({ code: 'survey_job_failed', message: f.message.slice(0, 2000), messageZh: '导入任务失败；可重新上传同一文件以重试' })],
      );
    },
  };
}
