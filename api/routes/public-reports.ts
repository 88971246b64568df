import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { OpenCase } from '../../domain/case';
import { toLegalDate } from '../../domain/deadlines';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import {
  ConcludeReport,
  conclusionRefusal,
  mayHandleReport,
  mayReadReport,
  mayRecordReport,
  plain,
  RecordedReport,
  RecordVerification,
  REPORT_CHANNELS,
  TransferReport,
  REPORT_OUTCOMES,
  REPORT_SECRET_PATTERN,
  REPORT_STATUSES,
  ReportSubmission,
  reportWorkflowId,
  TRACKING_NUMBER_PATTERN,
} from '../../domain/public-reports';
import { actorOf, mayRead, type Principal } from '../../domain/roles';
import { REPORT_UPDATES, type ReportResult } from '../../workflows/public-report-messages';
import { authorise } from '../auth';
import { IDEMPOTENCY_HEADER } from '../idempotency';
import { pagingQuery } from '../paging';
import { ApiProblem, problems } from '../problem';
import { endpoint, Problem, type AnyEndpoint } from '../routing';
import { appendAudit } from '../services/audit';
import { openCase } from '../services/cases';
import { findEnterprise } from '../services/enterprises';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from '../services/evidence';
import {
  fileReport,
  listReports,
  publicStatus,
  reportEvents,
  reportEvidence,
  reportEvidenceContent,
  reporterOf,
  reportOr404,
  reportSummary,
  reportWithSecret,
  storeReportEvidence,
} from '../services/public-reports';
import { DEFAULT_UPDATE_TIMEOUT_MS, isUpdateTimeout, updateRejectionProblem, updateTimedOut } from '../updates';

/**
 * The secret travels in a header only: a URL's query lands in access logs, proxies and browser
 * histories; the header is redacted from the API's logs (config/logger.ts).
 */
export const REPORT_SECRET_HEADER = 'X-Report-Secret';
export const PUBLIC_REPORTS_PATH = '/api/v1/public/reports';

const EXAMPLE_ID = 'JB-410122-20261130-0001';
const TrackingParams = z.object({ trackingNumber: z.string().regex(TRACKING_NUMBER_PATTERN, 'must be a tracking number (JB-<division>-<YYYYMMDD>-<n>)').meta({ example: EXAMPLE_ID }) });
const ReportParams = z.object({ reportId: z.string().regex(TRACKING_NUMBER_PATTERN, 'must be a tracking number (JB-<division>-<YYYYMMDD>-<n>)').meta({ example: EXAMPLE_ID }) });
const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

const FILED_EXAMPLE = { trackingNumber: EXAMPLE_ID, secret: 'q3V0n9cS1xk2Jb7mW4pYtA', receivedOn: '2026-11-30', statusUrl: `/api/v1/public/reports/${EXAMPLE_ID}` };
const EVIDENCE_EXAMPLE = { evidenceId: 'rev-5d41402abc4b2a76b9719d911017c592', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', contentType: 'image/jpeg', sizeBytes: 482113 };
const ReportEvidence = z.object({ evidenceId: z.string(), sha256: z.string(), contentType: z.string(), sizeBytes: z.number() }).meta({ id: 'ReportEvidence', example: EVIDENCE_EXAMPLE });
const SUMMARY_EXAMPLE = {
  reportId: EXAMPLE_ID,
  region: '410122',
  regionName: '河南省 郑州市 中牟县',
  channel: 'online',
  externalRef: null,
  receivedOn: '2026-11-30',
  enterpriseName: '中牟县某铸造有限公司',
  creditCode: null,
  industry: 'foundry',
  dimension: 'technology',
  realName: true,
  status: 'verifying',
  outcome: null,
  assignee: { role: 'enforcement_official', department: 'industry_it', jurisdiction: '410122' },
  dueDate: '2026-12-21',
  overdue: false,
  caseId: null,
};
const RESULT_EXAMPLE = { action: 'recordVerification', idempotencyKey: '2f6c1b0e-verify-JB-0001', reportId: EXAMPLE_ID, status: 'verifying', outcome: null, dueDate: '2026-12-21', overdue: false, caseId: null };

const SUBMISSION_EXAMPLE = {
  region: '410122',
  address: '河南省郑州市中牟县某镇工业园东区',
  enterpriseName: '中牟县某铸造有限公司',
  industry: 'foundry',
  dimension: 'technology',
  equipment: '1台3吨中频炉，夜间生产',
  capacity: 2,
  unit: '万吨/年',
  description: '该厂使用已列入淘汰类的中频炉生产建筑用钢，白天停工、夜间生产，未见封存。',
  reporter: { name: '张某', phone: '13800000000', email: 'reporter@example.com' },
};

const SubmissionBody = ReportSubmission.meta({
  id: 'PublicReport',
  description: '`reporter` is optional: without it the report is anonymous; with a name it is a real-name report (实名举报), which must be verified and answered. Plain text only.',
  example: SUBMISSION_EXAMPLE,
});
const RecordedBody = RecordedReport.meta({
  id: 'RecordedPublicReport',
  description: `A report from another channel (${REPORT_CHANNELS.filter((c) => c !== 'online').join(', ')}), recorded by an official.`,
  example: { ...SUBMISSION_EXAMPLE, channel: 'hotline_12345', externalRef: '12345-2026-113000871', receivedOn: '2026-11-30' },
});

const Filed = z
  .object({
    trackingNumber: z.string().meta({ example: EXAMPLE_ID }),
    secret: z.string().meta({ description: `Keep it: with the tracking number it opens the status and the reply (header ${REPORT_SECRET_HEADER}). Shown once; only its hash is stored.`, example: 'q3V0n9cS1xk2Jb7mW4pYtA' }),
    receivedOn: z.string(),
    statusUrl: z.string(),
  })
  .meta({ id: 'FiledReport', example: FILED_EXAMPLE });

const PublicStatus = z
  .object({
    trackingNumber: z.string(),
    status: z.enum(REPORT_STATUSES),
    receivedOn: z.string(),
    verificationDueDate: z.string().nullable().meta({ description: '核查期限 (legal date, Asia/Shanghai)' }),
    outcome: z.enum(REPORT_OUTCOMES).nullable(),
    reply: z.string().nullable().meta({ description: 'The answer (答复), once concluded' }),
    repliedOn: z.string().nullable(),
  })
  .meta({ id: 'PublicReportStatus', example: { trackingNumber: EXAMPLE_ID, status: 'closed', receivedOn: '2026-11-30', verificationDueDate: '2026-12-21', outcome: 'confirmed', reply: `您的举报（受理编号 ${EXAMPLE_ID}）已办结：经核查，举报反映的问题属实，已依法立案查处。\n感谢您对淘汰落后产能工作的支持。`, repliedOn: '2026-12-10' } });


const Summary = z
  .object({
    reportId: z.string(),
    region: z.string(),
    regionName: z.string(),
    channel: z.string(),
    externalRef: z.string().nullable(),
    receivedOn: z.string(),
    enterpriseName: z.string(),
    creditCode: z.string().nullable(),
    industry: z.string().nullable(),
    dimension: z.string().nullable(),
    realName: z.boolean(),
    status: z.enum(REPORT_STATUSES),
    outcome: z.string().nullable(),
    assignee: z.object({ role: z.string(), department: z.string().nullable(), jurisdiction: z.string() }).nullable(),
    dueDate: z.string().nullable(),
    overdue: z.boolean(),
    caseId: z.string().nullable(),
  })
  .meta({ id: 'ReportSummary', example: SUMMARY_EXAMPLE });
const Page = z.object({ items: z.array(Summary), page: z.number(), pageSize: z.number(), total: z.number() }).meta({ id: 'ReportPage', example: { items: [SUMMARY_EXAMPLE], page: 1, pageSize: 50, total: 1 } });
const View = Summary.extend({
  address: z.string(),
  equipment: z.string().nullable(),
  capacity: z.number().nullable(),
  unit: z.string().nullable(),
  description: z.string().meta({ description: 'As the reporter wrote it (plain text)' }),
  reporter: z
    .object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() })
    .nullable()
    .optional()
    .meta({ description: 'Only for the verifying department’s officials (each reading audited); absent for everyone else, null for an anonymous report' }),
  verifications: z.array(z.record(z.string(), z.unknown())),
  reply: z.string().nullable(),
  evidence: z.array(z.object({ evidenceId: z.string(), sha256: z.string(), contentType: z.string(), sizeBytes: z.number(), filename: z.string().nullable(), uploadedAt: z.string() })),
  history: z.array(z.object({ kind: z.string(), at: z.string(), detail: z.unknown(), actor: z.unknown() })),
  caseDraft: z.record(z.string(), z.unknown()).meta({ description: 'The report’s facts as a POST …/cases body starts (prefill)' }),
}).meta({
  id: 'Report',
  example: {
    ...SUMMARY_EXAMPLE,
    address: '河南省郑州市中牟县某镇工业园东区',
    equipment: '1台3吨中频炉，夜间生产',
    capacity: 2,
    unit: '万吨/年',
    description: '该厂使用已列入淘汰类的中频炉生产建筑用钢，白天停工、夜间生产，未见封存。',
    reporter: { name: '张某', phone: '13800000000', email: null },
    verifications: [{ verifiedOn: '2026-12-03', method: 'on_site', findings: '现场核查：厂区内有1台3吨中频炉，有近期生产痕迹。', recordedBy: { id: 'zm-gx-01', name: '中牟县工信局 周执法', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410122' } }],
    reply: null,
    evidence: [{ ...EVIDENCE_EXAMPLE, filename: 'night.jpg', uploadedAt: '2026-11-30T13:05:11.000Z' }],
    history: [{ kind: 'routed', at: '2026-11-30T13:02:40.000Z', detail: { assignee: { role: 'enforcement_official', department: 'industry_it', jurisdiction: '410122' }, dueDate: '2026-12-21' }, actor: null }],
    caseDraft: { dimension: 'technology', department: 'industry_it', noticeServedOn: '2026-12-04', legalBasis: `举报受理编号 ${EXAMPLE_ID}; 工信部联产业〔2017〕30号` },
  },
});

const Result = z
  .object({
    action: z.string(),
    idempotencyKey: z.string(),
    reportId: z.string(),
    status: z.enum(REPORT_STATUSES),
    outcome: z.enum(REPORT_OUTCOMES).nullable(),
    dueDate: z.string().nullable(),
    overdue: z.boolean(),
    caseId: z.string().nullable(),
  })
  .meta({ id: 'ReportResult', example: RESULT_EXAMPLE });

const httpBody = <S extends z.ZodObject>(schema: S) => schema.omit({ actor: true, idempotencyKey: true } as never).strict();
const VerificationBody = httpBody(RecordVerification).meta({ id: 'ReportVerification', example: { verifiedOn: '2026-12-03', method: 'on_site', findings: '现场核查：厂区内有1台3吨中频炉，炉体温热，有近期生产痕迹。' } });
const TransferBody = httpBody(TransferReport).meta({ id: 'ReportTransfer', example: { dimension: 'environment', reason: '经初步核实，举报反映的是超标排放问题，属生态环境部门职责。' } });
const ConclusionBody = z
  .discriminatedUnion('outcome', ConcludeReport.options.filter((o) => o.shape.outcome.value !== 'confirmed').map((o) => httpBody(o)) as never)
  .meta({
    id: 'ReportConclusion',
    description: 'unfounded or not_pursued with `reasons`; already_known with the `caseId` of the case that handles it. A real-name report is never `not_pursued` and is concluded only after a verification. Confirming is POST …/cases.',
    example: { outcome: 'unfounded', reasons: '现场核查未发现举报所述设备，该厂已于2025年拆除中频炉并通过验收。', replyNote: '如有新的线索，欢迎继续举报。' },
  });
const ConfirmBody = z
  .object({ case: OpenCase, replyNote: plain({ max: 2000, multiline: true }).optional() })
  .strict()
  .meta({
    id: 'ReportConfirmation',
    description: 'The case to open, as the body of POST /cases (the enterprise must be registered with the facilities), and the note added to the reply.',
    example: { case: { creditCode: '91410100MA4000X7QR', caseNumber: 'ZMGX-2026-031', dimension: 'technology', department: 'industry_it', legalBasis: '《产业结构调整指导目录（2019年本）》淘汰类; 工信部联产业〔2017〕30号', noticeServedOn: '2026-12-04', facilityIds: ['IF-1'] } },
  });

const ListQuery = z
  .object({
    region: z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code').optional().meta({ description: 'Includes its sub-divisions' }),
    status: z.enum(REPORT_STATUSES).optional(),
    overdue: booleanString.optional(),
    ...pagingQuery(),
  })
  .strict();

export interface ReportEndpointDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  updateTimeoutMs?: number;
  /** Seals and opens who reported (db/reporter-identity.ts). */
  reporterKey: Buffer;
}

const notFoundProblem = { description: 'No such report (or, on the public endpoints, a secret that does not fit: the same answer)', schema: Problem, contentType: 'application/problem+json' };

function reader(p: Principal): void {
  if (p.role === 'enterprise') throw problems.forbidden('an enterprise does not see reports');
  if (p.role !== 'operator' && !p.jurisdiction) throw problems.forbidden(`${p.role} ${p.sub} has no jurisdiction`);
}

const assigneeOf = (row: Record<string, any>) => {
  if (!row.assignee_role) throw problems.conflict('report_not_ready', `report ${row.report_id} is still being routed; retry`, '举报正在分办，请稍后重试');
  return { role: row.assignee_role as string, department: row.assignee_department as string | null, jurisdiction: row.assignee_jurisdiction as string };
};

export function publicReportEndpoints(deps: ReportEndpointDeps): AnyEndpoint[] {
  const timeoutMs = deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS;

  /** Send one update to the report's workflow; a refusal as problem+json. */
  async function update(reportId: string, action: keyof typeof REPORT_UPDATES, args: Record<string, unknown>, command: string | undefined): Promise<ReportResult> {
    try {
      return await deps.temporal.withDeadline(Date.now() + timeoutMs, () =>
        deps.temporal.workflow.getHandle(reportWorkflowId(reportId)).executeUpdate(REPORT_UPDATES[action] as never, { args: [args], updateId: `${action}-${command ?? randomUUID()}` } as never) as Promise<ReportResult>,
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw updateRejectionProblem(err, { conflict: ['report_closed', 'report_not_ready'], forbidden: ['not_the_verifier'] });
      if (err instanceof WorkflowNotFoundError) throw problems.conflict('report_closed', `report ${reportId} is concluded`, '该举报已办结');
      if (isUpdateTimeout(err)) throw updateTimedOut(`report ${reportId}`, timeoutMs);
      throw err;
    }
  }

  async function audited(req: { id: unknown; get(h: string): string | undefined }, principal: Principal, action: string, row: Record<string, any>, result: ReportResult, command: string | undefined, reason?: string): Promise<ReportResult> {
    const idempotencyKey = req.get(IDEMPOTENCY_HEADER) ?? result.idempotencyKey;
    await inTransaction(deps.db, (tx) =>
      appendAudit(tx, { requestId: String(req.id), actor: principal, action, target: row.report_id, region: row.region, reason, result: 200, detail: { ...result, idempotencyKey, ...(command ? { command } : {}) } }),
    );
    return { ...result, idempotencyKey };
  }

  const handlerAction = (path: string, summary: string, description: string, body: z.ZodType, example: object, run: (ctx: { row: Record<string, any>; body: any; principal: Principal; command: string | undefined; req: any }) => Promise<ReportResult>) =>
    endpoint({
      method: 'post',
      path: `/api/v1/reports/:reportId/${path}`,
      summary,
      description,
      tags: ['reports'],
      auth: true,
      params: ReportParams,
      body,
      responses: { 200: { description: 'Taken; where the report stands now', schema: Result, example }, 404: notFoundProblem },
      async authorise({ params, principal }) {
        const row = await reportOr404(deps.db, params.reportId);
        authorise(mayHandleReport(principal, assigneeOf(row)));
        return row;
      },
      async handler({ body: input, principal, req, command, authorised }) {
        return { status: 200, body: await run({ row: authorised as Record<string, any>, body: input, principal, command, req }) };
      },
    });

  return [
    // ---- the public (no token) ----------------------------------------------------------------
    endpoint({
      method: 'post',
      path: PUBLIC_REPORTS_PATH,
      summary: 'File a report (举报) of backward capacity, anonymously or with your name: answers with a tracking number and a secret',
      description:
        'No token. Where (division, address), which enterprise, what (industry, equipment, capacity, the standard it breaks) and, optionally, who reports. Plain text only. Photos or documents follow with POST …/{trackingNumber}/evidence. Rate limited per address (PUBLIC_REPORT_RATE_LIMIT_PER_HOUR).',
      tags: ['public'],
      auth: false,
      body: SubmissionBody,
      responses: { 201: { description: 'Received; verification has started', schema: Filed }, 429: { description: 'Too many requests', schema: Problem, contentType: 'application/problem+json' } },
      async handler({ body, req }) {
        const now = new Date();
        const filed = await fileReport(deps, body, { channel: 'online', receivedOn: toLegalDate(now.toISOString()), recordedBy: null, requestId: String(req.id) }, now);
        const statusUrl = `${PUBLIC_REPORTS_PATH}/${filed.trackingNumber}`;
        return { status: 201, body: { ...filed, statusUrl }, headers: { Location: statusUrl, 'Cache-Control': 'no-store' } };
      },
    }),
    endpoint({
      method: 'get',
      path: `${PUBLIC_REPORTS_PATH}/:trackingNumber`,
      summary: 'The status of a report and the reply, for the reporter (tracking number and secret)',
      description: `The secret goes in the ${REPORT_SECRET_HEADER} header. Without it, or with a wrong one, the answer is the same 404 as for a tracking number that does not exist.`,
      tags: ['public'],
      auth: false,
      params: TrackingParams,
      responses: { 200: { description: 'Status, dates, outcome and reply', schema: PublicStatus }, 404: notFoundProblem, 429: { description: 'Too many requests', schema: Problem, contentType: 'application/problem+json' } },
      async handler({ params, req }) {
        const row = await reportWithSecret(deps.db, params.trackingNumber, secretOf(req.get(REPORT_SECRET_HEADER)));
        return { status: 200, body: publicStatus(row), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    endpoint({
      method: 'post',
      path: `${PUBLIC_REPORTS_PATH}/:trackingNumber/evidence`,
      summary: 'Add a photo or document to your report (tracking number and secret)',
      description: `The file itself as the body (${EVIDENCE_TYPES.join(', ')}; at most ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB, its content must match its type); at most 10 files a report; the same file twice is kept once. Secret in ${REPORT_SECRET_HEADER}.`,
      tags: ['public'],
      auth: false,
      upload: { types: EVIDENCE_TYPES, maxBytes: EVIDENCE_MAX_BYTES },
      params: TrackingParams,
      query: z.object({ filename: plain({ max: 200 }).optional() }).strict(),
      responses: {
        201: { description: 'Stored', schema: ReportEvidence },
        200: { description: 'This file was already attached', schema: ReportEvidence },
        404: notFoundProblem,
        409: { description: 'The report is concluded', schema: Problem, contentType: 'application/problem+json' },
      },
      async authorise({ params, req }) {
        return reportWithSecret(deps.db, params.trackingNumber, secretOf(req.get(REPORT_SECRET_HEADER)));
      },
      async handler({ params, file, query }) {
        const { created, ...stored } = await storeReportEvidence(deps.db, params.trackingNumber, file!.content, file!.type, query.filename);
        return { status: created ? 201 : 200, body: stored };
      },
    }),

    // ---- officials --------------------------------------------------------------------------------
    endpoint({
      method: 'post',
      path: '/api/v1/reports',
      summary: 'Record a report that came by another channel (12345, the 地条钢 hotline, the provincial platform, a petition, a letter, the media)',
      description: 'By an enforcement official or the coordination office whose jurisdiction covers the reported division; audited. Answers with the tracking number and the secret to pass on to the reporter.',
      tags: ['reports'],
      auth: true,
      body: RecordedBody,
      responses: { 201: { description: 'Recorded; verification has started', schema: Filed } },
      async handler({ body, principal, req }) {
        authorise(mayRecordReport(principal, body.region));
        const { channel, externalRef, receivedOn, ...report } = body;
        const filed = await fileReport(deps, report, { channel, externalRef, receivedOn, recordedBy: principal, requestId: String(req.id) }, new Date());
        const self = `/api/v1/reports/${filed.trackingNumber}`;
        return { status: 201, body: { ...filed, statusUrl: `${PUBLIC_REPORTS_PATH}/${filed.trackingNumber}` }, headers: { Location: self } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/reports',
      summary: 'Reports in my jurisdiction (举报), newest first; the verification deadline and whether it lapsed',
      tags: ['reports'],
      auth: true,
      query: ListQuery,
      responses: { 200: { description: 'A page of reports (no reporter identities)', schema: Page } },
      async handler({ query, principal }) {
        reader(principal);
        return { status: 200, body: await listReports(deps.db, principal, query) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/reports/:reportId',
      summary: 'Read a report: what was reported, its evidence, verification, conclusion, reply and history; the reporter only for the verifying department',
      description: 'Officials whose jurisdiction covers the reported division (the office above included) read the report and its history; who reported is shown only to the verifying department’s officials, and each reading is audited.',
      tags: ['reports'],
      auth: true,
      params: ReportParams,
      responses: { 200: { description: 'The report', schema: View }, 404: notFoundProblem },
      async handler({ params, principal, req }) {
        reader(principal);
        const row = await reportOr404(deps.db, params.reportId);
        authorise(mayReadReport(principal, row.region));
        const handles = row.assignee_role && mayHandleReport(principal, assigneeOf(row)).allowed;
        const [evidence, history, reporter] = await Promise.all([
          reportEvidence(deps.db, row.report_id),
          reportEvents(deps.db, row.report_id),
          handles ? reporterOf(deps.db, deps.reporterKey, row.report_id, principal, String(req.id), row.region) : Promise.resolve(undefined),
        ]);
        const state = row.state as Record<string, any>;
        return {
          status: 200,
          body: {
            ...reportSummary(row),
            address: row.address,
            equipment: row.equipment ?? null,
            capacity: row.capacity === null ? null : Number(row.capacity),
            unit: row.unit ?? null,
            description: row.description,
            ...(reporter !== undefined ? { reporter } : {}),
            verifications: state.verifications ?? [],
            reply: row.reply ?? null,
            evidence,
            history,
            caseDraft: {
              ...(row.credit_code ? { creditCode: row.credit_code } : {}),
              ...(row.dimension ? { dimension: row.dimension } : {}),
              ...(row.assignee_department ? { department: row.assignee_department } : {}),
              noticeServedOn: toLegalDate(new Date().toISOString()),
              legalBasis: `举报受理编号 ${row.report_id}; 工信部联产业〔2017〕30号`,
            },
          },
        };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/reports/:reportId/evidence/:evidenceId',
      summary: 'A photo or document the reporter sent',
      tags: ['reports'],
      auth: true,
      params: ReportParams.extend({ evidenceId: z.string().regex(/^rev-[0-9a-f]{32}$/, 'must be a report evidence id') }),
      responses: {
        200: {
          description: 'The file as the reporter sent it, as an attachment, with its SHA-256 in X-Content-SHA256',
          schema: z.string().meta({ format: 'binary', description: `The file with its own Content-Type (${EVIDENCE_TYPES.join(', ')})` }),
          contentType: 'application/octet-stream',
        },
        404: notFoundProblem,
      },
      async handler({ params, principal }) {
        reader(principal);
        const row = await reportOr404(deps.db, params.reportId);
        authorise(mayReadReport(principal, row.region));
        const file = await reportEvidenceContent(deps.db, params.reportId, params.evidenceId);
        if (!file) throw problems.notFound('evidence', params.evidenceId);
        return { status: 200, body: null, raw: file.content, headers: { 'Content-Type': file.type, 'Content-Disposition': 'attachment', 'X-Content-SHA256': file.sha256 } };
      },
    }),
    handlerAction('verifications', 'Record the verification (核查): when, how, what was found', 'By the verifying department (its officials at the assigned division or above). Required before a real-name report is concluded.', VerificationBody, RESULT_EXAMPLE, async ({ row, body, principal, command, req }) => {
      const result = await update(row.report_id, 'recordVerification', { ...body, actor: actorOf(principal), idempotencyKey: command ?? `request:${randomUUID()}` }, command);
      return audited(req, principal, 'report.recordVerification', row, result, command, body.findings);
    }),
    handlerAction(
      'transfers',
      'Hand the report to the department that enforces the standard it concerns (转办), in the same locality, with the same deadline',
      'By the verifying department. The new department gets it on its inbox (the verification deadline still runs from receipt); the handing department’s entry is withdrawn. 422 `same_department` when the standard is already this department’s.',
      TransferBody,
      { ...RESULT_EXAMPLE, action: 'transferReport' },
      async ({ row, body, principal, command, req }) => {
        const result = await update(row.report_id, 'transferReport', { ...body, actor: actorOf(principal), idempotencyKey: command ?? `request:${randomUUID()}` }, command);
        return audited(req, principal, 'report.transfer', row, result, command, body.reason);
      },
    ),
    handlerAction(
      'conclusions',
      'Conclude a report: unfounded, already known (linked to the case handling it) or, anonymous only, not pursued; the reporter gets the reply',
      'By the verifying department. 422 `real_name_must_be_verified` for a real-name report closed as not_pursued, `verification_required` for a real-name report not yet verified; 409 `report_closed` once concluded.',
      ConclusionBody,
      { ...RESULT_EXAMPLE, action: 'concludeReport', status: 'closed', outcome: 'unfounded' },
      async ({ row, body, principal, command, req }) => {
        if (body.outcome === 'already_known') {
          const { rows } = await deps.db.query(`SELECT region_code, credit_code FROM cases WHERE case_id = $1`, [body.caseId]);
          if (!rows[0]) throw problems.validation([{ field: 'caseId', rule: 'case_exists', message: `case ${body.caseId} does not exist`, messageZh: '案件不存在' }]);
          authorise(mayRead(principal, rows[0].region_code, rows[0].credit_code));
        }
        const result = await update(row.report_id, 'concludeReport', { ...body, actor: actorOf(principal), idempotencyKey: command ?? `request:${randomUUID()}` }, command);
        return audited(req, principal, `report.conclude.${body.outcome}`, row, result, command, body.reasons);
      },
    ),
    handlerAction(
      'cases',
      'Confirm a report: open a case from it (the same path as POST /cases) and link the report to it; capacity the region had not surveyed counts as concealed',
      'By the verifying department. The case is opened as POST /cases opens it (the official must be allowed to open it); then the report is concluded `confirmed` with the case. Confirmed capacity that no campaign survey of the year listed opens a concealed-capacity supervision item (隐瞒不报) against the region’s campaign.',
      ConfirmBody,
      { ...RESULT_EXAMPLE, action: 'concludeReport', status: 'closed', outcome: 'confirmed', caseId: 'case-410122-91410100MA4000X7QR-ZMGX-2026-031' },
      async ({ row, body, principal, command, req }) => {
        // Refused before a case is opened, by the rule the workflow applies (so no case is left without its report).
        if (row.status === 'closed') throw problems.conflict('report_closed', `report ${row.report_id} is concluded`, '该举报已办结');
        const refusal = conclusionRefusal({ realName: row.real_name, verified: ((row.state as { verifications?: unknown[] }).verifications ?? []).length > 0 }, { outcome: 'confirmed' });
        if (refusal) throw new ApiProblem(422, refusal.code, 'The action breaks a rule', refusal.messageZh, refusal.message, [{ field: refusal.field ?? 'outcome', rule: refusal.code, message: refusal.message, messageZh: refusal.messageZh }]);
        const enterprise = await findEnterprise(deps.db, body.case.creditCode);
        const opened = await openCase(deps, body.case, principal, String(req.id), new Date(), { waitForNotice: false, fingerprint: command });
        const facilities = enterprise!.facilities.filter((f) => body.case.facilityIds.includes(f.id)).map((f) => ({ id: f.id, name: f.name, capacity: Number(f.capacity), unit: f.unit }));
        const result = await update(
          row.report_id,
          'concludeReport',
          {
            outcome: 'confirmed',
            caseId: opened.caseId,
            enterprise: { regionCode: enterprise!.regionCode, creditCode: enterprise!.creditCode, name: enterprise!.name, industry: enterprise!.industry },
            facilities,
            ...(body.replyNote ? { replyNote: body.replyNote } : {}),
            actor: actorOf(principal),
            idempotencyKey: command ?? `request:${randomUUID()}`,
          },
          command,
        );
        return audited(req, principal, 'report.conclude.confirmed', row, result, command);
      },
    ),
  ];
}

/** A header that cannot be a secret is no secret (the same 404 follows). */
function secretOf(h: string | undefined): string | undefined {
  return h && REPORT_SECRET_PATTERN.test(h) ? h : undefined;
}


