import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { evidenceUri, INPUT_SCHEMAS, type EvidenceRef, type InputResult } from '../../domain/inputs';
import { actorOf, mayAct, mayDecide, pendingOf, type Principal } from '../../domain/roles';
import { deciderFor, enforcingDepartments } from '../../domain/authority';
import { acceptedActions, ACTION_ROLES, ACTIONS, DECISION_OF_ACTION, type Action, type Stage } from '../../domain/stages';
import { CASE_UPDATES } from '../../workflows/messages';
import { authorise } from '../auth';
import { IDEMPOTENCY_HEADER } from '../idempotency';
import { endpoint, Problem, type AnyEndpoint } from '../routing';
import { problems, type FieldError } from '../problem';
import { DEFAULT_UPDATE_TIMEOUT_MS, isUpdateTimeout, updateRejectionProblem, updateTimedOut } from '../updates';
import { appendAudit } from '../services/audit';
import { caseScope, type CaseScope } from '../services/case-list';

/** Each input of a case as a sub-resource a REST client POSTs to, with what it does. */
const EXAMPLE_CASE = 'case-410102-91410100MA4000X7QR-ZZGX-2026-003';
const EXAMPLE_SHA256 = { before: '3f2a'.repeat(16), during: '5c7d'.repeat(16), after: '9e1b'.repeat(16) } as const;
/** A cited photo as the upload answered it (Location and SHA-256 of the stored file). */
const PHOTO = (phase: keyof typeof EXAMPLE_SHA256) => ({ phase, uri: evidenceUri(EXAMPLE_CASE, `ev-${EXAMPLE_SHA256[phase].slice(0, 32)}`), sha256: EXAMPLE_SHA256[phase] });

/** Each input of a case as a sub-resource a REST client POSTs to, with what it does and an example body. */
export const ACTION_ROUTES: Record<Action, { path: string; summary: string; example: Record<string, unknown> }> = {
  requestExtension: { path: 'extension-requests', summary: 'Enterprise: apply for an extension of the rectification period (延期申请)', example: { months: 3, reason: '余热回收改造需跨冬季施工' } },
  decideExtension: { path: 'extension-decisions', summary: 'Decide an extension (approve, possibly shorter, or reject)', example: { approve: true, months: 2, reason: '同意延期2个月' } },
  reportRectificationDone: { path: 'rectification-reports', summary: 'Enterprise: report rectification done (整改完成报告)', example: { reason: '已完成电机系统节能改造', evidence: [] } },
  recordReinspection: { path: 'reinspections', summary: 'Record the re-inspection result (复查)', example: { passed: true, findings: '单位产品能耗低于限额标准' } },
  proposeClosure: { path: 'closure-proposals', summary: 'Propose closure to the approving government (提请关闭)', example: { reason: '整改期满仍不达标' } },
  decideClosure: { path: 'closure-decisions', summary: 'Approving government: decide the closure (批准关闭 / 重新整改 / 不予关闭)', example: { outcome: 'approve', reason: '逾期未整改，依法责令关闭' } },
  recordPunishmentAcknowledgement: { path: 'punishment-acknowledgements', summary: 'Record a joint-punishment acknowledgement (联合惩戒回执)', example: { platform: 'banks', acknowledgement: '人行郑州中心支行回执 2026-118' } },
  submitResettlementPlan: { path: 'resettlement-plans', summary: 'Submit the worker resettlement plan (职工安置方案)', example: { workers: 86, planRef: '人社局备案〔2026〕12号' } },
  recordDismantling: { path: 'dismantlings', summary: 'Record dismantling (拆除), with evidence', example: { dismantledOn: '2026-12-01', evidence: [PHOTO('before'), PHOTO('during'), PHOTO('after')] } },
  recordSealing: {
    path: 'sealings',
    summary: 'Record sealing (封存): the seal measures, the public commitment, the announcement',
    example: { sealedOn: '2026-12-01', measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'], commitmentRef: 'https://www.example.gov.cn/commitment/1', announcementUrl: 'https://www.example.gov.cn/announcement/1' },
  },
  recordSealedReinspection: { path: 'sealed-reinspections', summary: 'Record a periodic re-inspection of sealed capacity (封存设备定期复查)', example: { intact: true, findings: '封条完好，未恢复生产' } },
  recordAcceptance: { path: 'acceptances', summary: 'Record the on-site acceptance (验收): written opinion and evidence', example: { opinion: '主体设备已拆除，同意验收', evidence: [PHOTO('before'), PHOTO('during'), PHOTO('after')] } },
  approveExtendedOperation: { path: 'extended-operations', summary: 'Approve extended operation of a coal-power unit until a date (延寿运行, Guangdong), after which it exits', example: { until: '2028-12-31', approvalRef: '粤发改能源〔2026〕8号 分类处置意见' } },
  suspendClock: { path: 'clock-suspensions', summary: 'Stop the clock for administrative review or litigation (行政复议/诉讼)', example: { ground: 'administrative_review', reason: '企业申请行政复议' } },
  resumeClock: { path: 'clock-resumptions', summary: 'Restart the clock with the remaining time', example: { reason: '复议决定维持原处理决定' } },
  declareVoluntaryExit: { path: 'voluntary-exits', summary: 'Declare a voluntary exit (主动退出)', example: { reason: '企业决定主动关停' } },
};

/** Where the example case stands after each action's example body: the example of each action's answer. */
const STANDING_AFTER: Record<Action, { stage: Stage; deadline: string | null; clockSuspended?: boolean }> = {
  requestExtension: { stage: 'extension_requested', deadline: '2026-09-02' },
  decideExtension: { stage: 'rectification', deadline: '2026-11-02' },
  reportRectificationDone: { stage: 'reinspection', deadline: '2026-11-23' },
  recordReinspection: { stage: 'compliant', deadline: null },
  proposeClosure: { stage: 'closure_proposed', deadline: '2026-10-09' },
  decideClosure: { stage: 'closure_ordered', deadline: '2026-12-31' },
  recordPunishmentAcknowledgement: { stage: 'closure_ordered', deadline: '2026-12-31' },
  submitResettlementPlan: { stage: 'exit_in_progress', deadline: '2026-12-31' },
  recordDismantling: { stage: 'acceptance', deadline: '2026-12-22' },
  recordSealing: { stage: 'sealed', deadline: '2027-12-01' },
  recordSealedReinspection: { stage: 'sealed', deadline: '2027-12-01' },
  recordAcceptance: { stage: 'exited', deadline: null },
  approveExtendedOperation: { stage: 'extended_operation', deadline: '2028-12-31' },
  suspendClock: { stage: 'rectification', deadline: null, clockSuspended: true },
  resumeClock: { stage: 'rectification', deadline: '2026-10-15' },
  declareVoluntaryExit: { stage: 'exit_in_progress', deadline: '2026-12-31' },
};

const answerExample = (action: Action) => ({
  action,
  idempotencyKey: '6f1c2a9e-4b7d-4c1e-9a3f-2d8e5b0c7a14',
  overdue: false,
  clockSuspended: false,
  ...STANDING_AFTER[action],
});

const CaseParams = z.object({ caseId: z.string().min(1).max(120) });

const ActionResult = z
  .object({
    action: z.string(),
    idempotencyKey: z.string(),
    stage: z.string(),
    deadline: z.string().nullable(),
    overdue: z.boolean(),
    clockSuspended: z.boolean(),
  })
  .meta({ id: 'ActionResult', description: 'Where the case stands after the action' });

export interface ActionDeps {
  db: Db;
  temporal: Client;
  /** How long an action waits for the case to answer before 503 (API_UPDATE_TIMEOUT_MS). */
  updateTimeoutMs?: number;
}

/**
 * Evidence cited for a step must be a file stored for this case (POST …/evidence first), uploaded for
 * the phase it is cited for (a photo taken before dismantling is not the photo after it), and cited
 * by the URI the API gave it. The body's schema has already refused one file cited twice.
 */
async function checkEvidence(db: Db, caseId: string, body: Record<string, unknown>): Promise<void> {
  const refs = Array.isArray(body.evidence) ? (body.evidence as EvidenceRef[]) : [];
  if (!refs.length) return;
  const { rows } = await db.query(`SELECT evidence_id, sha256, phase FROM evidence WHERE case_id = $1 AND sha256 = ANY($2)`, [caseId, refs.map((r) => r.sha256)]);
  const stored = new Map(rows.map((r) => [r.sha256 as string, r as { evidence_id: string; phase: string }]));
  const errors: FieldError[] = [];
  refs.forEach((r, i) => {
    const s = stored.get(r.sha256);
    if (!s) errors.push({ field: `evidence.${i}.sha256`, rule: 'evidence_stored', message: 'no evidence with this SHA-256 is stored for the case', messageZh: '该案件未上传此证据' });
    else if (s.phase !== r.phase) errors.push({ field: `evidence.${i}.phase`, rule: 'evidence_phase', message: `this file was uploaded as ${s.phase}, not ${r.phase}`, messageZh: '证据的拍摄阶段与上传时登记的不一致' });
    else if (r.uri !== evidenceUri(caseId, s.evidence_id)) errors.push({ field: `evidence.${i}.uri`, rule: 'evidence_uri', message: `must be ${evidenceUri(caseId, s.evidence_id)}, the URI the API gave this file`, messageZh: '证据地址应为上传时返回的地址' });
  });
  if (errors.length) throw problems.validation(errors);
}

/**
 * Who may take a decision the case is waiting for (extension, closure): the role, department and
 * division the pending decision names (domain/roles.ts mayDecide), checked before anything about the
 * body, so a caller who may not take it is told so (403 with the reason), not that the body is wrong.
 */
async function checkDecider(db: Db, scope: CaseScope, action: Action, principal: Principal): Promise<void> {
  const step = DECISION_OF_ACTION[action];
  if (!step) return;
  const { rows } = await db.query(
    `SELECT kind, assignee_role, assignee_department, jurisdiction FROM decisions WHERE case_id = $1 AND kind = $2 AND status = 'open' ORDER BY requested_at DESC LIMIT 1`,
    [scope.caseId, step],
  );
  const open = rows[0];
  // Nothing on the to-do list yet (or a step decided without one, 延寿运行): the body the pinned policy names.
  const assignee = open
    ? { kind: open.kind, assigneeRole: open.assignee_role, assigneeDepartment: open.assignee_department, jurisdiction: open.jurisdiction }
    : pendingOf(step, deciderFor({ policy: scope.policy, dimension: scope.dimension, department: scope.department, region: scope.region }, step));
  authorise(mayDecide(principal, assignee));
}

function actionEndpoint(deps: ActionDeps, action: Action): AnyEndpoint {
  const route = ACTION_ROUTES[action];
  // The caller sends the payload; who acted and the idempotency key come from the token and the header.
  const Body = actionBodySchema(action).meta({ id: `${action[0]!.toUpperCase()}${action.slice(1)}`, example: route.example });
  return endpoint({
    method: 'post',
    path: `/api/v1/cases/:caseId/${route.path}`,
    summary: route.summary,
    description: `Temporal update \`${action}\`. Allowed roles: ${ACTION_ROLES[action].join(', ')}. 409 when the case's stage does not accept it (with the stage and what it accepts); 422 when a rule is broken.`,
    tags: ['case actions'],
    auth: true,
    params: CaseParams,
    body: Body,
    responses: {
      200: { description: 'Accepted; where the case stands now', schema: ActionResult, example: answerExample(action) },
      404: { description: 'No such case', schema: Problem, contentType: 'application/problem+json' },
    },
    async authorise({ params, principal }) {
      const scope = await caseScope(deps.db, params.caseId);
      authorise(mayAct(principal, ACTION_ROLES[action], { region: scope.region, creditCode: scope.creditCode, dimension: scope.dimension, enforcing: enforcingDepartments(scope.policy, scope.dimension) }));
      await checkDecider(deps.db, scope, action, principal);
      return scope;
    },
    async handler({ body, principal, req, authorised, command }) {
      const scope = authorised as CaseScope;
      await checkEvidence(deps.db, scope.caseId, body as Record<string, unknown>);
      // The key the workflow recognises a repeat by: the command's fingerprint (the caller, their
      // Idempotency-Key and the request), or a fresh one for a request sent without a key. Never a
      // value the client chooses alone (such as X-Request-Id): another caller could choose it too.
      const idempotencyKey = command ?? `request:${randomUUID()}`;
      const input = { ...(body as object), actor: actorOf(principal), idempotencyKey };
      // The update id is the fingerprint too: Temporal runs an update id once per case, so a retry
      // after a lost answer (or a 503 below) gets the first outcome instead of a second effect.
      let result: InputResult;
      try {
        result = await deps.temporal.withDeadline(Date.now() + (deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS), () =>
          deps.temporal.workflow.getHandle(scope.caseId).executeUpdate(CASE_UPDATES[action] as never, { args: [input] as never, updateId: `${action}-${command ?? randomUUID()}` }),
        );
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw updateRejectionProblem(err, { conflict: ['stage_does_not_accept'], conflictTitle: 'The case’s stage does not accept this action' });
        if (err instanceof WorkflowNotFoundError) throw problems.conflict('case_ended', `case ${scope.caseId} has ended and takes no more actions`, '案件已结束');
        if (isUpdateTimeout(err)) throw updateTimedOut(`case ${scope.caseId}`, deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS);
        throw err;
      }
      const clientKey = req.get(IDEMPOTENCY_HEADER);
      // Written once per command: a retry whose first attempt got as far as the audit entry adds none.
      await inTransaction(deps.db, (tx) =>
        appendAudit(tx, { requestId: String(req.id), actor: principal, action: `case.${action}`, target: scope.caseId, region: scope.region, reason: (body as { reason?: string }).reason, result: 200, detail: { stage: result.stage, idempotencyKey: clientKey ?? idempotencyKey, ...(command ? { command } : {}) } }),
      );
      return { status: 200, body: { ...result, idempotencyKey: clientKey ?? idempotencyKey } };
    },
  });
}

/** The body schema each action's endpoint validates (tests generate bad input from it). */
export function actionBodySchema(action: Action): z.ZodObject {
  const schema = INPUT_SCHEMAS[action] as unknown as z.ZodObject<{ actor: z.ZodType; idempotencyKey: z.ZodType }>;
  return schema.omit({ actor: true, idempotencyKey: true }).strict();
}

/**
 * The actions a caller may take on a case now (the console shows a form for each, no button for the
 * rest): those its stage accepts, which the caller's role and reach allow (mayAct) and, for a
 * decision, which the pending decision's assignee is (mayDecide), as the action's endpoint authorises them.
 */
export async function actionsFor(db: Db, caseId: string, stage: Stage, principal: Principal): Promise<Action[]> {
  const scope = await caseScope(db, caseId);
  const enforcing = enforcingDepartments(scope.policy, scope.dimension);
  const allowed: Action[] = [];
  for (const action of acceptedActions(stage) ?? []) {
    if (!mayAct(principal, ACTION_ROLES[action], { region: scope.region, creditCode: scope.creditCode, dimension: scope.dimension, enforcing }).allowed) continue;
    const mayTake = await checkDecider(db, scope, action, principal).then(() => true, () => false);
    if (mayTake) allowed.push(action);
  }
  return allowed;
}

export function actionEndpoints(deps: ActionDeps): AnyEndpoint[] {
  return ACTIONS.map((a) => actionEndpoint(deps, a));
}
