import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { caseWorkflowId, type CaseInput, type OpenCase } from '../../domain/case';
import { futureFact } from '../../domain/calendar';
import { toLegalDate } from '../../domain/deadlines';
import { enforcingDepartments, measureRefusal } from '../../domain/authority';
import { divisionPath } from '../../domain/jurisdiction';
import { policyFor } from '../../domain/policy';
import type { Decision, Principal } from '../../domain/roles';
import { actorOf, mayOpenCase } from '../../domain/roles';
import { caseWorkflow } from '../../workflows/case';
import { caseStateQuery } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { caseStaticDetails, caseStaticSummary, divisionNamesMemo } from '../../workflows/ui-texts';
import { division } from '../../domain/divisions';
import { authorise } from '../auth';
import { ApiProblem, problems } from '../problem';
import { appendAudit } from './audit';
import { exitedFacilityErrors, findEnterprise } from './enterprises';

export interface CaseServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface OpenedCase {
  caseId: string;
  stage: string;
  /** Legal date of the first deadline, once the notice is served. */
  deadline: string | null;
  policy: { id: string; version: string };
}

/** How long opening waits for the notice to be served, so the answer carries the stage and the deadline. */
const FIRST_STAGE_WAIT_MS = 5_000;

/**
 * Wait until the new case has been recorded and its notice served (it leaves `opened`), so that the
 * caller can act on it at once; a slow or absent worker only delays the answer, never fails it.
 */
async function firstStage(temporal: Client, caseId: string): Promise<{ stage: string; deadline: string | null }> {
  const handle = temporal.workflow.getHandle(caseId);
  const until = Date.now() + FIRST_STAGE_WAIT_MS;
  while (Date.now() < until) {
    // Each query is bounded by the remaining wait (a deadline on the call, not a race with a timer,
    // so no query outlives the request).
    const state = await temporal.withDeadline(until, () => handle.query(caseStateQuery)).catch(() => undefined);
    if (state && state.stage !== 'opened') return { stage: state.stage, deadline: state.deadline };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { stage: 'opened', deadline: null };
}

export interface OpenCaseOptions {
  waitForNotice: boolean;
  /**
   * The command's fingerprint when the caller sent an Idempotency-Key (api/idempotency.ts): kept in
   * the workflow's memo, so a retry of the same command after a crash or an outage (the workflow
   * started, the answer was lost) is answered as the open it is, not as a duplicate.
   */
  fingerprint?: string;
  /**
   * Who may open it, when not an enforcement official opening a finding of their own department
   * (mayOpenCase): a campaign survey committed by the coordination office (domain/survey.ts mayOpenSurveyedCase).
   */
  mayOpen?: (region: string) => Decision;
}

/** Whether the running case was started by this very command (see OpenCaseOptions.fingerprint). */
async function startedBy(temporal: Client, caseId: string, fingerprint: string | undefined): Promise<boolean> {
  if (!fingerprint) return false;
  const description = await temporal.workflow.getHandle(caseId).describe();
  return description.memo?.openCommand === fingerprint;
}

/**
 * Open a case: check the enterprise and the official's power over it, then start the case
 * workflow. The audit entry commits only if the workflow started; a second open of the same
 * notice number is refused by Temporal's workflow-id uniqueness (409).
 */
export async function openCase(deps: CaseServiceDeps, req: OpenCase, actor: Principal, requestId: string, now: Date, opts: OpenCaseOptions = { waitForNotice: true }): Promise<OpenedCase> {
  const servedLater = futureFact('noticeServedOn', req.noticeServedOn, toLegalDate(now.toISOString()));
  if (servedLater) throw problems.validation([servedLater]);
  const enterprise = await findEnterprise(deps.db, req.creditCode);
  if (!enterprise) {
    throw problems.validation([{ field: 'creditCode', rule: 'enterprise_registered', message: 'no enterprise with this credit code is registered', messageZh: '该企业尚未登记' }]);
  }
  const policy = policyFor(enterprise.regionCode);
  const enforcing = enforcingDepartments(policy, req.dimension);
  if (!enforcing.includes(req.department)) {
    throw problems.validation([{ field: 'department', rule: 'department_enforces_dimension', message: `${req.department} does not enforce the ${req.dimension} standard in ${policy.nameZh} (allowed: ${enforcing.join(', ')})`, messageZh: '该部门不负责此类标准的执法' }]);
  }
  authorise(opts.mayOpen ? opts.mayOpen(enterprise.regionCode) : mayOpenCase(actor, enterprise.regionCode, req.dimension, req.department, enforcing));
  const measureProblem = measureRefusal(policy, req);
  if (measureProblem) throw problems.validation([measureProblem]);
  const known = new Set(enterprise.facilities.map((f) => f.id));
  const unknown = req.facilityIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length) {
    throw problems.validation(unknown.map(({ id, i }) => ({ field: `facilityIds.${i}`, rule: 'facility_known', message: `facility ${id} is not registered for this enterprise`, messageZh: '该设施未登记' })));
  }
  // A facility whose capacity exited (sealed or retired) is never the subject of a new case (不得恢复).
  const exited = await exitedFacilityErrors(deps.db, req.creditCode, req.facilityIds, (i) => `facilityIds.${i}`);
  if (exited.length) throw problems.validation(exited);
  const caseId = caseWorkflowId(enterprise.regionCode, req.creditCode, req.caseNumber);
  const { facilityIds, ...finding } = req;
  const input: CaseInput = {
    ...finding,
    caseId,
    enterprise: { name: enterprise.name, regionCode: enterprise.regionCode, industry: enterprise.industry, contactEmail: enterprise.contact.email, contactName: enterprise.contact.name },
    facilities: enterprise.facilities.filter((f) => facilityIds.includes(f.id)),
    policy: { id: policy.id, version: policy.version },
    openedBy: actorOf(actor),
    openedAt: now.toISOString(),
  };
  await inTransaction(deps.db, async (tx) => {
    // A retried command whose first attempt committed its audit entry does not write a second one.
    await appendAudit(tx, { requestId, actor, action: 'case.open', target: caseId, region: enterprise.regionCode, result: 201, detail: { caseNumber: req.caseNumber, dimension: req.dimension, ...(opts.fingerprint ? { command: opts.fingerprint } : {}) } });
    try {
      await deps.temporal.workflow.start(caseWorkflow, {
        workflowId: caseId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        memo: {
          enterpriseName: enterprise.name,
          caseNumber: req.caseNumber,
          ...(opts.fingerprint ? { openCommand: opts.fingerprint } : {}),
          ...divisionNamesMemo([...divisionPath(enterprise.regionCode), input.openedBy.jurisdiction], nameOfDivision),
        },
        // What Temporal UI lists and shows of the case (workflows/ui-texts.ts).
        staticSummary: caseStaticSummary({ enterpriseName: enterprise.name, dimension: req.dimension, caseNumber: req.caseNumber }),
        staticDetails: caseStaticDetails({ enterpriseName: enterprise.name, dimension: req.dimension, caseNumber: req.caseNumber, regionCode: enterprise.regionCode, department: req.department, legalBasis: req.legalBasis, creditCode: req.creditCode, policy }, nameOfDivision),
        typedSearchAttributes: [
          { key: SA.enterprise, value: enterprise.name },
          { key: SA.awaiting, value: 'none' },
          { key: SA.region, value: enterprise.regionCode },
          { key: SA.regionPath, value: divisionPath(enterprise.regionCode) },
          { key: SA.industry, value: enterprise.industry },
          { key: SA.dimension, value: req.dimension },
          { key: SA.department, value: req.department },
          { key: SA.creditCode, value: req.creditCode },
          { key: SA.stage, value: 'opened' },
          { key: SA.overdue, value: false },
          { key: SA.policyVersion, value: `${policy.id}@${policy.version}` },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && (await startedBy(deps.temporal, caseId, opts.fingerprint))) return;
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ApiProblem(409, 'case_exists', 'Conflict with the current state', '该案件已存在', `case ${caseId} was already opened`, [
          { field: 'caseNumber', rule: 'unique', message: 'a case with this notice number is already open for this enterprise', messageZh: '该企业此文书编号的案件已存在' },
        ], { caseId });
      }
      throw err;
    }
  });
  const stage = opts.waitForNotice ? await firstStage(deps.temporal, caseId) : { stage: 'opened', deadline: null };
  return { caseId, ...stage, policy: { id: policy.id, version: policy.version } };
}

const nameOfDivision = (code: string): string | undefined => division(code)?.name;
