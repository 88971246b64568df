import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { campaignRefusal, campaignWorkflowId, mayStartCampaign } from '../../domain/campaign';
import { toLegalDate, yearOf } from '../../domain/deadlines';
import { childDivisions, division, isKnownDivision } from '../../domain/divisions';
import { divisionPath } from '../../domain/jurisdiction';
import { policyFor } from '../../domain/policy';
import { actorOf, type Principal } from '../../domain/roles';
import { campaignWorkflow } from '../../workflows/campaign';
import type { CampaignInput } from '../../workflows/campaign-messages';
import { SA } from '../../workflows/search-attributes';
import { campaignStaticDetails, campaignStaticSummary, divisionNamesMemo } from '../../workflows/ui-texts';
import { authorise } from '../auth';
import { ApiProblem, problems } from '../problem';
import { appendAudit } from './audit';

export interface CampaignServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface StartedCampaign {
  campaignId: string;
  division: string;
  year: number;
  policy: { id: string; version: string };
}

/**
 * Start a division's campaign for a year: the division must be one the region's policy covers, the
 * year this one or the next (a past year's milestones would all lapse at once), and the caller the
 * coordination office of the division or above. The audit entry commits only if the workflow
 * started; a second start is refused by Temporal's workflow-id uniqueness (409).
 */
/** How long starting waits for the campaign's first record, so the caller can read and act on it at once. */
const FIRST_RECORD_WAIT_MS = 5_000;

/** Wait (bounded) until the workflow has recorded the campaign; a slow or absent worker only delays the answer. */
async function firstRecord(db: Db, campaignId: string): Promise<void> {
  const until = Date.now() + FIRST_RECORD_WAIT_MS;
  while (Date.now() < until) {
    const { rowCount } = await db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId]);
    if (rowCount) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startCampaign(deps: CampaignServiceDeps, req: { division: string; year: number }, actor: Principal, requestId: string, now: Date, fingerprint?: string): Promise<StartedCampaign> {
  const thisYear = yearOf(toLegalDate(now.toISOString()));
  if (!isKnownDivision(req.division)) throw problems.validation([{ field: 'division', rule: 'division_known', message: `${req.division} is not a GB/T 2260 division`, messageZh: '行政区划代码不存在' }]);
  if (req.year < thisYear || req.year > thisYear + 1) {
    throw problems.validation([{ field: 'year', rule: 'campaign_year', message: `a campaign is started for ${thisYear} or ${thisYear + 1}`, messageZh: `只能启动${thisYear}年或${thisYear + 1}年的工作` }]);
  }
  const policy = policyFor(req.division);
  const refusal = campaignRefusal(policy, req.division);
  if (refusal) throw problems.validation([{ field: 'division', rule: refusal.code, message: refusal.message, messageZh: refusal.messageZh }]);
  authorise(mayStartCampaign(actor, req.division));

  const campaignId = campaignWorkflowId(req.division, req.year);
  const input: CampaignInput = { campaignId, division: req.division, year: req.year, policy: { id: policy.id, version: policy.version }, startedBy: actorOf(actor), startedAt: now.toISOString() };
  await inTransaction(deps.db, async (tx) => {
    await appendAudit(tx, { requestId, actor, action: 'campaign.start', target: campaignId, region: req.division, result: 201, detail: { year: req.year, policy: policy.version, ...(fingerprint ? { command: fingerprint } : {}) } });
    try {
      await deps.temporal.workflow.start(campaignWorkflow, {
        workflowId: campaignId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        memo: { ...(fingerprint ? { startCommand: fingerprint } : {}), ...divisionNamesMemo([...divisionPath(req.division), ...childDivisions(req.division).map((d) => d.code)], nameOfDivision) },
        // What Temporal UI lists and shows of the campaign (workflows/ui-texts.ts).
        staticSummary: campaignStaticSummary(req.division, req.year, nameOfDivision),
        staticDetails: campaignStaticDetails(req.division, req.year, policy, nameOfDivision),
        typedSearchAttributes: [
          { key: SA.awaiting, value: 'office' },
          { key: SA.region, value: req.division },
          { key: SA.regionPath, value: divisionPath(req.division) },
          { key: SA.stage, value: 'planning' },
          { key: SA.overdue, value: false },
          { key: SA.policyVersion, value: `${policy.id}@${policy.version}` },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // The same command retried after its answer was lost: it started the campaign, answer as such.
      if (fingerprint && (await deps.temporal.workflow.getHandle(campaignId).describe()).memo?.startCommand === fingerprint) return;
      throw new ApiProblem(409, 'campaign_exists', 'Conflict with the current state', '该地区本年度工作已启动', `campaign ${campaignId} was already started`, [
        { field: 'year', rule: 'unique', message: `${req.division} already runs its ${req.year} campaign`, messageZh: '该地区本年度工作已启动' },
      ], { campaignId });
    }
  });
  await firstRecord(deps.db, campaignId);
  return { campaignId, division: req.division, year: req.year, policy: { id: policy.id, version: policy.version } };
}

const nameOfDivision = (code: string): string | undefined => division(code)?.name;
