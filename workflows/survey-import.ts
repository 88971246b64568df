import { proxyActivities } from '@temporalio/workflow';
import { withSummaries } from './ui-metadata';
import type { Activities } from '../activities';
import type { SurveyJobOutcome } from '../activities/survey-import';
import type { SurveyImportInput } from '../domain/survey';

/**
 * The import heartbeats after every batch and while it reads the file: a lost worker is noticed
 * within a minute and the retry resumes at the last batch. It gives up after ten attempts (about
 * ten minutes of an outage), so a job that cannot finish reads failed instead of running forever;
 * uploading the same file again then starts it afresh (WorkflowIdReusePolicy ALLOW_DUPLICATE_FAILED_ONLY).
 */
const importer = withSummaries(proxyActivities<Activities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
}));
// PostgreSQL being down is waited out, as for a case (workflows/activities.ts).
const acts = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } }));

/**
 * A survey (摸底排查表) too large to commit within a request, committed in the background: one
 * activity reads the stored file, checks it and commits it in batches (activities/survey-import.ts);
 * the job's progress is in survey_jobs for GET /api/v1/campaigns/{campaignId}/survey-jobs/{jobId}.
 */
export async function surveyImportWorkflow(input: SurveyImportInput): Promise<SurveyJobOutcome> {
  try {
    return await importer.importSurvey(input);
  } catch (err) {
    const cause = (err as { cause?: Error }).cause;
    await acts.recordSurveyJobFailed({ campaignId: input.campaignId, jobId: input.jobId, message: cause?.message ?? (err as Error).message });
    throw err;
  }
}
