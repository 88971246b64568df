import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
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
import { caseStateQuery, firstStageUpdate, type FirstStage } from '../../workflows/messages';
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

/** What the answer says while the notice is not served yet (a slow or absent worker, or `Prefer: respond-async`). */
const NOT_YET: FirstStage = { stage: 'opened', deadline: null };

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

/**
 * Who started the running case with this id, read from its memo: this very request (its nonce,
 * `openRequest`), an earlier attempt of the same command (its Idempotency-Key fingerprint,
 * `openCommand`), or someone else; `absent` when there is no such workflow.
 */
async function startedBy(temporal: Client, caseId: string, nonce: string, fingerprint: string | undefined): Promise<'this_request' | 'this_command' | 'another' | 'absent'> {
  try {
    const { memo } = await temporal.workflow.getHandle(caseId).describe();
    if (memo?.openRequest === nonce) return 'this_request';
    if (fingerprint && memo?.openCommand === fingerprint) return 'this_command';
    return 'another';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'absent';
    throw err;
  }
}

const caseExists = (caseId: string) =>
  new ApiProblem(409, 'case_exists', 'Conflict with the current state', '该案件已存在', `case ${caseId} was already opened`, [
    { field: 'caseNumber', rule: 'unique', message: 'a case with this notice number is already open for this enterprise', messageZh: '该企业此文书编号的案件已存在' },
  ], { caseId });

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
  // A nonce of this very call in the memo: when the call to Temporal is cut before its answer came
  // back, the memo tells whether the workflow it asked for is the one that runs (never the request
  // id: a client may send its own X-Request-Id twice).
  const nonce = randomUUID();
  const start = {
    workflowId: caseId,
    taskQueue: deps.taskQueue,
    args: [input] as [CaseInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    workflowIdConflictPolicy: 'FAIL' as const,
    memo: {
      enterpriseName: enterprise.name,
      caseNumber: req.caseNumber,
      openRequest: nonce,
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
  };
  // How the workflow came to run for this call, once settled: started now (with the first stage when
  // the update-with-start answered it), or started by an earlier attempt of the same command.
  let outcome: { by: 'this_request'; first?: FirstStage } | { by: 'this_command' } = { by: 'this_request' };
  const until = Date.now() + FIRST_STAGE_WAIT_MS;

  /**
   * The workflow id is taken, or the call was cut before Temporal answered: settle from the memo.
   * Absent: nothing started, so a plain start with the same options (the id keeps it to one workflow,
   * however a late first call and this one race: the loser gets "already started" and looks again).
   */
  const settle = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const by = await startedBy(deps.temporal, caseId, nonce, opts.fingerprint);
      if (by === 'this_request') return;
      if (by === 'this_command') {
        outcome = { by };
        return;
      }
      if (by === 'another') throw caseExists(caseId);
      try {
        await deps.temporal.workflow.start(caseWorkflow, start);
        return;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt > 0) throw err;
      }
    }
  };

  // The transaction holds the case's audit entry (and one pooled connection) until Temporal has
  // answered whether the workflow started, so the entry commits only for a case that runs; the
  // answer is the first response of the start, or the memo read after a failed or cut call. Nothing
  // else happens inside: the live state of a retried command is read after the commit.
  await inTransaction(deps.db, async (tx) => {
    // A retried command whose first attempt committed its audit entry does not write a second one.
    await appendAudit(tx, { requestId, actor, action: 'case.open', target: caseId, region: enterprise.regionCode, result: 201, detail: { caseNumber: req.caseNumber, dimension: req.dimension, ...(opts.fingerprint ? { command: opts.fingerprint } : {}) } });
    try {
      if (!opts.waitForNotice) {
        // `Prefer: respond-async`, a survey's commit, a public report: started, no worker round needed.
        await deps.temporal.workflow.start(caseWorkflow, start);
        return;
      }
      // Update-with-start: one call starts the case and returns the workflow's own answer to
      // `firstStage` once the notice is served (workflows/case.ts), bounded like the wait of old
      // (a deadline on the call, so nothing outlives the request). Temporal answers the start and the
      // update together: with a slow or absent worker the deadline cuts the call before any answer.
      const first = await deps.temporal.withDeadline(until, () =>
        deps.temporal.workflow.executeUpdateWithStart(firstStageUpdate, { startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, start) }),
      );
      outcome = { by: 'this_request', first };
    } catch (err) {
      // Anything but a refusal of the start itself (the id taken) leaves it open whether the workflow
      // started: a deadline, a lost connection, a failure of the update after the start.
      if (err instanceof WorkflowExecutionAlreadyStartedError || opts.waitForNotice) return settle();
      throw err;
    }
  });
  const first =
    outcome.by === 'this_request'
      ? (outcome.first ?? NOT_YET)
      : opts.waitForNotice
        ? // The case this command opened before: its live state, in one query (no wait for the notice).
          await deps.temporal.withDeadline(until, () => deps.temporal.workflow.getHandle(caseId).query(caseStateQuery)).then((s) => ({ stage: s.stage, deadline: s.deadline }), () => NOT_YET)
        : NOT_YET;
  return { caseId, stage: first.stage, deadline: first.deadline, policy: { id: policy.id, version: policy.version } };
}

const nameOfDivision = (code: string): string | undefined => division(code)?.name;
