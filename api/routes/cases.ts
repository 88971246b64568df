import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { OpenCase } from '../../domain/case';
import { mayAttachEvidence, mayRead } from '../../domain/roles';
import type { Db } from '../../db/pool';
import { caseStateQuery } from '../../workflows/messages';
import { authorise } from '../auth';
import { endpoint, Problem } from '../routing';
import { problems } from '../problem';
import { openCase } from '../services/cases';
import type { Stage } from '../../domain/stages';
import { actionsFor } from './actions';
import { allListedCases, caseScope, CaseListQuery, CasePage, CaseSummary, listCases, toCaseSummary } from '../services/case-list';
import { CASES_SHEET, CASE_EXPORT_HEADINGS, casesCsv, casesXlsx } from '../services/case-list-export';
import { caseMessages, CaseMessages } from '../services/case-messages';
import type { CaseState } from '../../workflows/messages';
import type { Action } from '../../domain/stages';

/** case-<region>-<credit code>-<case number> (domain/case.ts caseWorkflowId), as a plain pattern OpenAPI can carry. */
export const CaseId = z.string().regex(/^case-\d{6}-[0-9A-Z]{18}-[A-Za-z0-9-]{1,40}$/, 'must be a case id (case-<region>-<credit code>-<case number>)');

const CASE_ID = 'case-410102-91410100MA4000X7QR-ZZGX-2026-003';
const HENAN = { id: 'henan', version: 'henan-2021.1' };

/** A case of 中原区 on energy use, half-way through its rectification period (整改期). */
const SUMMARY_EXAMPLE: z.infer<typeof CaseSummary> = {
  caseId: CASE_ID,
  caseNumber: 'ZZGX-2026-003',
  creditCode: '91410100MA4000X7QR',
  enterpriseName: '郑州市某某钢铁有限公司',
  regionCode: '410102',
  industry: 'steel',
  dimension: 'energy',
  department: 'industry_it',
  stage: 'rectification',
  deadline: '2026-09-02',
  overdue: false,
  focusIndustry: true,
  openedAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T01:00:02.000Z',
};

const OpenedCase = z
  .object({
    caseId: z.string(),
    stage: z.string().meta({ description: 'The stage once the notice is served (rectification, suspended_production, exit_in_progress, closure_proposed); opened if the worker is slow' }),
    deadline: z.string().nullable().meta({ description: 'The first legal deadline (Asia/Shanghai), e.g. the rectification deadline' }),
    policy: z.object({ id: z.string(), version: z.string() }),
    links: z.object({ self: z.string(), temporalUi: z.string() }),
  })
  .meta({
    id: 'OpenedCase',
    example: {
      caseId: CASE_ID,
      stage: 'rectification',
      deadline: '2026-09-02',
      policy: HENAN,
      links: { self: `/api/v1/cases/${CASE_ID}`, temporalUi: `http://localhost:8233/namespaces/default/workflows/${CASE_ID}` },
    },
  });

const CaseView = CaseSummary.extend({
  /** false when the workflow could not be asked (worker or Temporal down): stage and history come from the read model. */
  live: z.boolean().meta({ description: 'true: stage, deadline and history are the running workflow\'s; false: the worker or Temporal did not answer in time and they come from the read model (PostgreSQL), which may lag by a step' }),
  noticeServedOn: z.string(),
  policy: z.object({ id: z.string(), version: z.string() }),
  history: z.array(z.object({ at: z.string(), stage: z.string(), deadline: z.string().nullable().optional().meta({ description: 'The deadline the case ran against on entering the stage (legal date), if any' }) })),
  links: z.object({ temporalUi: z.string() }),
  mayAttachEvidence: z.boolean().meta({ description: 'Whether this caller may attach evidence to the case (POST …/evidence)' }),
  clockSuspended: z.boolean().meta({ description: 'Whether administrative review or litigation has stopped the case\'s clocks (行政复议/诉讼); false when not live' }),
  deadlines: z
    .array(
      z.object({
        kind: z.enum(['rectification', 'decision', 'dismantling']),
        date: z.string().meta({ description: 'The legal date (Asia/Shanghai) after rolling off rest days' }),
        rolledFrom: z.string().nullable().meta({ description: 'The calendar date before it rolled forward off a weekend or public holiday (节假日顺延), if it did' }),
        provisional: z.boolean().meta({ description: 'A year it spans has no official holiday calendar yet; recomputed once it is published' }),
        suspendedOn: z.string().nullable(),
        remindersSent: z.array(z.string()).meta({ description: 'The reminders sent before it (legal dates)' }),
        lapsed: z.boolean(),
      }),
    )
    .meta({ description: 'The deadlines the case runs (its period, an official\'s decision, dismantling), from the live workflow; empty when not live' }),
  actions: z.array(z.string()).meta({ description: 'The actions (domain/stages.ts) this caller may take on the case now: its stage accepts them, the caller\'s role and reach allow them, and a decision is the caller\'s to take' }),
})
  .meta({
    id: 'Case',
    example: {
      ...SUMMARY_EXAMPLE,
      live: true,
      noticeServedOn: '2026-03-02',
      policy: HENAN,
      history: [
        { at: '2026-03-02T01:00:00.000Z', stage: 'opened' },
        { at: '2026-03-02T01:00:02.000Z', stage: 'rectification' },
      ],
      links: { temporalUi: `http://localhost:8233/namespaces/default/workflows/${CASE_ID}` },
      mayAttachEvidence: true,
      clockSuspended: false,
      deadlines: [{ kind: 'rectification', date: '2026-09-02', rolledFrom: '2026-08-30', provisional: false, suspendedOn: null, remindersSent: [], lapsed: false }],
      actions: ['proposeClosure', 'suspendClock', 'declareVoluntaryExit'],
    },
  });

export interface CaseEndpointDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
}

/** How long reading a case waits for the workflow's own answer before showing the read model. */
const LIVE_STATE_WAIT_MS = 3_000;

async function liveState(temporal: Client, caseId: string) {
  // The deadline ends the gRPC call itself: a query raced against a timer would stay in flight
  // (waiting for a worker) after the answer has gone, and outlive the request.
  return temporal.withDeadline(Date.now() + LIVE_STATE_WAIT_MS, () => temporal.workflow.getHandle(caseId).query(caseStateQuery)).catch(() => undefined);
}

/** The stages the read model recorded, oldest first (the same shape as the workflow's history). */
async function recordedHistory(db: Db, caseId: string): Promise<{ at: string; stage: string; deadline: string | null }[]> {
  const { rows } = await db.query<{ occurred_at: Date; stage: string; deadline: string | null }>(
    `SELECT occurred_at, stage, detail->>'deadline' AS deadline FROM case_events WHERE case_id = $1 AND stage IS NOT NULL ORDER BY occurred_at, id`,
    [caseId],
  );
  return rows.filter((r, i) => i === 0 || rows[i - 1]!.stage !== r.stage).map((r) => ({ at: r.occurred_at.toISOString(), stage: r.stage, deadline: r.deadline }));
}

/** The case's clocks as officials read them: each deadline, and the date it rolled forward from. */
function deadlinesOf(state: CaseState | undefined) {
  return Object.values(state?.clocks ?? {}).map((c) => ({
    kind: c.kind,
    date: c.deadline.date,
    rolledFrom: c.deadline.rolledFrom ?? null,
    provisional: c.deadline.provisional,
    suspendedOn: c.suspendedOn,
    remindersSent: c.remindersSent,
    lapsed: c.lapsed,
  }));
}

/**
 * A stopped clock can only be restarted and a running one only stopped: of the two, the caller is
 * offered the one that applies (both while the workflow cannot say whether its clock runs).
 */
function clockActions(actions: Action[], state: CaseState | undefined): Action[] {
  if (!state) return actions;
  return actions.filter((a) => a !== (state.clockSuspended ? 'suspendClock' : 'resumeClock'));
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function caseEndpoints(deps: CaseEndpointDeps) {
  const uiLink = (caseId: string) => `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(caseId)}`;
  return [
    endpoint({
      method: 'post',
      path: '/api/v1/cases',
      summary: 'Open a case (立案): start the case workflow, which records it and serves the notice; answers with the first stage and deadline',
      description: 'Waits (up to 5 s) until the notice is served so the answer carries the stage and the deadline; with `Prefer: respond-async` it answers as soon as the workflow has started (stage `opened`).',
      tags: ['cases'],
      auth: true,
      body: OpenCase.meta({
        ...OpenCase.meta(),
        example: { creditCode: '91410100MA4000X7QR', caseNumber: 'ZZGX-2026-001', dimension: 'energy', department: 'industry_it', legalBasis: '《节约能源法》; 工信部联产业〔2017〕30号', noticeServedOn: '2026-03-02', serious: false, facilityIds: ['BF-2'] },
      }),
      responses: {
        201: { description: 'Opened; the workflow is running', schema: OpenedCase },
        409: { description: 'A case with this notice number is already open', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ body, principal, req, command }) {
        // `Prefer: respond-async` (RFC 7240): answer as soon as the workflow has started, without waiting for the notice.
        const async = /\brespond-async\b/i.test(req.get('prefer') ?? '');
        const opened = await openCase(deps, body, principal, String(req.id), new Date(), { waitForNotice: !async, fingerprint: command });
        const self = `/api/v1/cases/${encodeURIComponent(opened.caseId)}`;
        return { status: 201, body: { ...opened, links: { self, temporalUi: uiLink(opened.caseId) } }, headers: { Location: self, ...(async ? { 'Preference-Applied': 'respond-async' } : {}) } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/cases',
      summary: 'List and filter cases (from the read model): region incl. sub-regions, industry, dimension, stage, overdue, deadline, name; or export the filtered list (CSV, XLSX)',
      description: `\`format=csv\` or \`format=xlsx\`: every case of the filtered list (not one page), in the list's order, as a download for Excel; the same cases the caller may list, no more. Columns: ${CASE_EXPORT_HEADINGS.join('、')}.`,
      tags: ['cases'],
      auth: true,
      query: CaseListQuery,
      responses: {
        200: {
          description: 'One page of cases the caller may see (JSON); with `format=csv` or `format=xlsx` the whole filtered list as a file',
          schema: CasePage,
          example: { items: [SUMMARY_EXAMPLE], page: 1, pageSize: 50, total: 1 },
          alsoAs: { 'text/csv': `The filtered cases, UTF-8 with BOM, columns ${CASE_EXPORT_HEADINGS.join('、')}`, [XLSX]: `The sheet ${CASES_SHEET}, the same columns` },
        },
      },
      async handler({ query, principal }) {
        if (!query.format || query.format === 'json') return { status: 200, body: await listCases(deps.db, query, principal) };
        const cases = await allListedCases(deps.db, query, principal);
        const now = new Date();
        const file = `cases-${now.toISOString().slice(0, 10)}`;
        if (query.format === 'csv') return { status: 200, body: undefined, raw: casesCsv(cases), headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}.csv"` } };
        return { status: 200, body: undefined, raw: await casesXlsx(cases, now), headers: { 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="${file}.xlsx"` } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/cases/:caseId',
      summary: 'Read a case: its record and live workflow state',
      tags: ['cases'],
      auth: true,
      params: z.object({ caseId: CaseId }),
      responses: {
        200: { description: 'The case', schema: CaseView },
        404: { description: 'No such case', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, principal }) {
        const { rows } = await deps.db.query(
          `SELECT c.*, e.name AS enterprise_name FROM cases c JOIN enterprises e USING (credit_code) WHERE c.case_id = $1`,
          [params.caseId],
        );
        const row = rows[0];
        if (!row) throw problems.notFound('case', params.caseId);
        authorise(mayRead(principal, row.region_code, row.credit_code));
        const summary = toCaseSummary(row);
        // The live workflow state is newer than the read model; while the worker or Temporal cannot
        // answer, the read model still shows where the case stands.
        const state = await liveState(deps.temporal, params.caseId);
        const history = state?.history ?? (await recordedHistory(deps.db, params.caseId));
        const stage = state?.stage ?? summary.stage;
        return {
          status: 200,
          body: {
            ...summary,
            live: state !== undefined,
            stage,
            deadline: state ? state.deadline : summary.deadline,
            overdue: state?.overdue ?? summary.overdue,
            noticeServedOn: row.notice_served_on,
            policy: { id: row.policy_id, version: row.policy_version },
            history,
            links: { temporalUi: uiLink(row.case_id) },
            mayAttachEvidence: mayAttachEvidence(principal, row.region_code, row.credit_code).allowed,
            clockSuspended: state?.clockSuspended ?? false,
            deadlines: deadlinesOf(state),
            actions: clockActions(await actionsFor(deps.db, params.caseId, stage as Stage, principal), state),
          },
        };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/cases/:caseId/messages',
      operationId: 'getCaseMessages',
      summary: 'What the case told the world and what it answered: mails sent (notices, reminders, escalations), escalations recorded (督办), platform acknowledgements (联合惩戒, credit platforms)',
      description: 'Read by whoever may read the case. An enterprise reads the recipients masked.',
      tags: ['cases'],
      auth: true,
      params: z.object({ caseId: CaseId }),
      responses: {
        200: { description: 'Oldest first', schema: CaseMessages },
        404: { description: 'No such case', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, principal }) {
        const scope = await caseScope(deps.db, params.caseId);
        authorise(mayRead(principal, scope.region, scope.creditCode));
        return { status: 200, body: await caseMessages(deps.db, params.caseId, principal) };
      },
    }),
  ];
}
