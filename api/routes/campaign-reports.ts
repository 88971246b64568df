import type { UpdateDefinition } from '@temporalio/common';
import type { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { reportFileName, reportWorkbook, REPORT_SHEETS, XLSX_TYPE } from '../../activities/report-workbook';
import { campaignRowOf } from '../../db/ledger';
import type { Db } from '../../db/pool';
import { mayReadCampaign } from '../../domain/campaign';
import { ApproveReport, DraftReport, mayApproveReport, mayPrepareReport, mayReceiveReport, ReceiveReport, REPORT_STATUSES, type ReportState, SubmitReport } from '../../domain/campaign-reports';
import { compareLegalDates } from '../../domain/deadlines';
import { actorOf, type Decision, type Principal } from '../../domain/roles';
import { approveReport, draftReport, receiveReport, submitReport } from '../../workflows/campaign-messages';
import { authorise } from '../auth';
import { ApiProblem, parseOr422, problems } from '../problem';
import { endpoint, Problem, type AnyEndpoint } from '../routing';
import { todayInChina } from '../services/campaign-progress';
import { recordedReport, receivedReportsOf, reportOf, reportsOf } from '../services/campaign-reports';
import { sendUpdateCommand, updateRejectionProblem } from '../updates';
import { CampaignParams, divisionOf } from './campaigns';

const EXAMPLE_ID = 'campaign-410700-2027';

const ReportParams = CampaignParams.extend({ reportId: DraftReport.shape.reportId.meta({ description: 'A report id of the campaign’s plan (GET …/reports)', example: 'summary_to_province' }) });

const Person = z.object({ id: z.string(), name: z.string(), role: z.string() });
const Totals = z.array(z.object({ industry: z.string(), unit: z.string(), capacity: z.number(), enterprises: z.number().int(), facilities: z.number().int() }));

const STATE_EXAMPLE: ReportState = {
  reportId: 'summary_to_province',
  milestoneId: 'report:summary_to_province',
  nameZh: '淘汰落后产能工作总结报省',
  due: '2027-10-31',
  draftOn: '2027-10-24',
  status: 'sent',
  recipient: 'office_above',
  recipientDivision: '410000',
  approval: null,
  draft: { draft: 2, cutOff: '2027-10-26', draftedOn: '2027-10-27', totals: [{ industry: 'cement', unit: '万吨/年', capacity: 150, enterprises: 2, facilities: 3 }], openCases: 3, overdueCases: 1 },
  submitted: { by: { id: 'office-410700', name: '新乡市淘汰落后产能办公室', role: 'coordination_office' }, on: '2027-10-27', note: null },
  returned: null,
  approved: null,
  sent: { on: '2027-10-27', recipients: ['ttbgs@henan.example.gov.cn'], messageId: '<3f2a…@exitflow.local>' },
  received: null,
};

const ReportStateView = z
  .object({
    reportId: z.string(),
    milestoneId: z.string(),
    nameZh: z.string(),
    due: z.string().meta({ description: 'Legal date the report falls due (its milestone)' }),
    draftOn: z.string().meta({ description: 'When the campaign drafts it by itself' }),
    status: z.enum(REPORT_STATUSES),
    recipient: z.enum(['office_above', 'own_office', 'ministries']),
    recipientDivision: z.string().nullable().meta({ description: 'The division whose coordination office receives it; null: the ministries (工业和信息化部、国家能源局)' }),
    approval: z.object({ seal: z.boolean() }).nullable().meta({ description: 'The division’s people’s government approves it before it is sent (and seals it, seal: true)' }),
    draft: z
      .object({ draft: z.number().int(), cutOff: z.string(), draftedOn: z.string(), totals: Totals, openCases: z.number().int(), overdueCases: z.number().int() })
      .nullable()
      .meta({ description: 'The current draft: capacity exited per industry and unit as of its cut-off, open and overdue cases' }),
    submitted: z.object({ by: Person, on: z.string(), note: z.string().nullable() }).nullable(),
    returned: z.object({ by: Person, on: z.string(), reason: z.string() }).nullable(),
    approved: z.object({ by: Person, on: z.string(), sealed: z.boolean(), documentNumber: z.string().nullable() }).nullable(),
    sent: z.object({ on: z.string(), recipients: z.array(z.string()), messageId: z.string() }).nullable(),
    received: z.object({ by: Person, on: z.string() }).nullable(),
  })
  .meta({ id: 'CampaignReport', example: STATE_EXAMPLE });

/** The same report at each step: drafted, sent after the government's approval and seal, signed for. */
const DRAFTED_EXAMPLE: ReportState = { ...STATE_EXAMPLE, status: 'drafted', submitted: null, sent: null };
const GOVERNMENT = { id: 'gov-410700', name: '新乡市人民政府', role: 'approving_government' };
const APPROVED_EXAMPLE: ReportState = {
  ...STATE_EXAMPLE,
  approval: { seal: true },
  approved: { by: GOVERNMENT, on: '2027-10-28', sealed: true, documentNumber: '新政文〔2027〕45号' },
  sent: { ...STATE_EXAMPLE.sent!, on: '2027-10-28' },
};
const RECEIVED_EXAMPLE: ReportState = { ...STATE_EXAMPLE, status: 'received', received: { by: { id: 'office-410000', name: '河南省淘汰落后产能工作领导小组办公室', role: 'coordination_office' }, on: '2027-10-28' } };

/** A command's answer: the report as it now stands, with the key a retry is recognised by. */
const ReportResult = ReportStateView.extend({ idempotencyKey: z.string() }).meta({ id: 'CampaignReportResult' });

const ReportList = z
  .object({ campaignId: z.string(), division: z.string(), year: z.number().int(), reports: z.array(ReportStateView) })
  .meta({ id: 'CampaignReports', example: { campaignId: EXAMPLE_ID, division: '410700', year: 2027, reports: [STATE_EXAMPLE] } });

const ReportDetail = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    report: ReportStateView,
    drafts: z.array(z.object({ draft: z.number().int(), cutOff: z.string(), draftedOn: z.string() })).meta({ description: 'Every draft made of it; each stays readable with ?draft=N' }),
    figures: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({
        description:
          'The draft’s figures as stored with it (never recomputed): `ledger` (the progress ledger as of `cutOff`: totals, sub-divisions, lagging), `exits` (each enterprise whose capacity exited, its facilities, capacity, unit and way of exit) and `openCases` (cases open at the cut-off: stage then, deadline, overdue). null before the first draft.',
      }),
  })
  .meta({
    id: 'CampaignReportDetail',
    example: {
      campaignId: EXAMPLE_ID,
      division: '410700',
      report: STATE_EXAMPLE,
      drafts: [
        { draft: 1, cutOff: '2027-10-23', draftedOn: '2027-10-24' },
        { draft: 2, cutOff: '2027-10-26', draftedOn: '2027-10-27' },
      ],
      figures: {
        campaignId: EXAMPLE_ID,
        reportId: 'summary_to_province',
        nameZh: '淘汰落后产能工作总结报省',
        division: '410700',
        divisionName: '新乡市',
        year: 2027,
        draft: 2,
        cutOff: '2027-10-26',
        draftedOn: '2027-10-27',
        policy: { id: 'henan', version: 'henan-2021.1' },
        ledger: { asOf: '2027-10-26', totals: STATE_EXAMPLE.draft!.totals, cases: { open: 3, overdue: 1 }, lagging: [] },
        exits: [
          {
            caseId: 'case-410782-91410700MA47D2F9HT-XXGX-2027-011',
            caseNumber: 'XXGX-2027-011',
            enterprise: '辉县市某某水泥有限公司',
            creditCode: '91410700MA47D2F9HT',
            region: '410782',
            regionName: '辉县市',
            industry: 'cement',
            unit: '万吨/年',
            capacity: 60,
            how: 'dismantled',
            exitedOn: '2027-09-17',
            facilities: [{ id: 'KL-1', name: '1号熟料生产线 2000t/d', kind: 'production_line', capacity: 60, unit: '万吨/年' }],
          },
        ],
        openCases: [
          { caseId: 'case-410782-91410700MA47D2F9HT-XXGX-2027-012', caseNumber: 'XXGX-2027-012', enterprise: '辉县市某某水泥有限公司', creditCode: '91410700MA47D2F9HT', region: '410782', regionName: '辉县市', industry: 'cement', stage: 'exit_in_progress', deadline: '2027-10-20', overdue: true },
        ],
      },
    },
  });

const ReceivedList = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    year: z.number().int(),
    reports: z.array(
      z.object({
        reportId: z.string(),
        nameZh: z.string(),
        from: z.array(
          z.object({
            campaignId: z.string(),
            division: z.string(),
            name: z.string(),
            status: z.enum(['sent', 'received']),
            sentOn: z.string().nullable(),
            receivedOn: z.string().nullable(),
            draft: z.number().int().nullable(),
            cutOff: z.string().nullable(),
            totals: Totals,
            openCases: z.number().int(),
            overdueCases: z.number().int(),
          }),
        ),
        aggregate: z
          .object({ senders: z.number().int(), received: z.number().int(), totals: Totals, openCases: z.number().int(), overdueCases: z.number().int() })
          .meta({ description: 'The senders’ figures added up per industry and unit (never across units)' }),
      }),
    ),
  })
  .meta({
    id: 'ReceivedReports',
    example: {
      campaignId: 'campaign-410000-2027',
      division: '410000',
      year: 2027,
      reports: [
        {
          reportId: 'summary_to_province',
          nameZh: '淘汰落后产能工作总结报省',
          from: [{ campaignId: EXAMPLE_ID, division: '410700', name: '新乡市', status: 'received', sentOn: '2027-10-27', receivedOn: '2027-10-28', draft: 2, cutOff: '2027-10-26', totals: STATE_EXAMPLE.draft!.totals, openCases: 3, overdueCases: 1 }],
          aggregate: { senders: 1, received: 1, totals: STATE_EXAMPLE.draft!.totals, openCases: 3, overdueCases: 1 },
        },
      ],
    },
  });

const DetailQuery = z
  .object({
    draft: z.coerce.number().int().min(1).max(10_000).optional().meta({ description: 'An earlier draft (default: the current one)' }),
    format: z.enum(['json', 'xlsx']).optional().meta({ description: `xlsx: the workbook the mail attached (sheets ${Object.values(REPORT_SHEETS).join('、')}); also with Accept: ${XLSX_TYPE}` }),
  })
  .strict();

/** What the report's XLSX holds. */
const WORKBOOK = `XLSX workbook of the draft, the one the mail attached; sheets: ${Object.values(REPORT_SHEETS).join('、')} (totals per industry and unit, per sub-division, exited enterprises and facilities, cases open at the cut-off, the basis of the figures)`;

const notFound = (what: string) => ({ description: what, schema: Problem, contentType: 'application/problem+json' });

export interface CampaignReportEndpointDeps {
  db: Db;
  temporal: Client;
  updateTimeoutMs?: number;
}

/** A report command: which update, which part of its input the body carries, who may send it. */
interface Command {
  path: 'drafts' | 'submissions' | 'approvals' | 'receipts';
  /** The report as it stands after the command (the answer's example). */
  answer: ReportState;
  update: UpdateDefinition<ReportState, [never]>;
  /** The update's whole input (domain/campaign-reports.ts): the body is checked against it, field by field. */
  input: z.ZodType;
  body: z.ZodType;
  action: string;
  summary: string;
  description: string;
  /** Who may, decided before any workflow is asked (403 before 404 where the campaign id tells the division). */
  authorise(db: Db, principal: Principal, campaignId: string, reportId: string): Promise<Decision>;
  reason(body: Record<string, unknown>): string | undefined;
}

/** The campaign's record, 404 when it was never started. */
async function startedCampaign(db: Db, campaignId: string) {
  const row = await campaignRowOf(db, campaignId);
  if (!row) throw problems.notFound('campaign', campaignId);
  return row;
}

/** Preparing and approving are the campaign's own division's: the id names it, so an outsider is refused before anything is looked up. */
const ofTheDivision = (may: typeof mayPrepareReport) => async (db: Db, principal: Principal, campaignId: string) => {
  authorise(may(principal, divisionOf(campaignId)));
  return may(principal, (await startedCampaign(db, campaignId)).division);
};

const note = { note: SubmitReport.shape.note };

const COMMANDS: Command[] = [
  {
    path: 'drafts',
    answer: DRAFTED_EXAMPLE,
    update: draftReport as UpdateDefinition<ReportState, [never]>,
    input: DraftReport,
    body: z.object({ cutOff: DraftReport.shape.cutOff.meta({ description: 'Figures as they stood at the end of this day (default: yesterday, China time); never after today' }) }).strict().meta({ id: 'DraftCampaignReport', example: { cutOff: '2027-10-26' } }),
    action: 'campaign.draftReport',
    summary: 'The division’s coordination office has a new draft of a report made (起草): the ledger and the tables behind it as of a cut-off, stored with it',
    description: 'Temporal update `draftReport`. 403 unless the caller is the coordination office of the campaign’s own division; 409 once the report has been sent.',
    authorise: ofTheDivision(mayPrepareReport),
    reason: () => undefined,
  },
  {
    path: 'submissions',
    answer: STATE_EXAMPLE,
    update: submitReport as UpdateDefinition<ReportState, [never]>,
    input: SubmitReport,
    body: z.object(note).strict().meta({ id: 'SubmitCampaignReport', example: { note: '请市政府审定' } }),
    action: 'campaign.submitReport',
    summary: 'The office submits the current draft (报送): to its people’s government where the plan asks for approval, else it is sent to the recipient at once',
    description: 'Temporal update `submitReport`. 403 unless the caller is the coordination office of the campaign’s own division; 409 `report_not_drafted`, `report_already_sent`.',
    authorise: ofTheDivision(mayPrepareReport),
    reason: (b) => b.note as string | undefined,
  },
  {
    path: 'approvals',
    answer: APPROVED_EXAMPLE,
    update: approveReport as UpdateDefinition<ReportState, [never]>,
    input: ApproveReport,
    body: z
      .object({ decision: ApproveReport.shape.decision, reason: ApproveReport.shape.reason, sealed: ApproveReport.shape.sealed, documentNumber: ApproveReport.shape.documentNumber })
      .strict()
      .meta({ id: 'ApproveCampaignReport', example: { decision: 'approve', sealed: true, documentNumber: '新政文〔2027〕45号' } }),
    action: 'campaign.approveReport',
    summary: 'The division’s people’s government approves the submitted report (同意, and 盖章 where the plan asks), or returns it with a reason for a new draft',
    description:
      'Temporal update `approveReport`; on approval the report is mailed to the recipient with its XLSX. 403 unless the caller is the approving government of the campaign’s own division; 409 `report_not_awaiting_approval`; 422 `seal_required` where the plan asks for the seal, or a return without a reason.',
    authorise: ofTheDivision(mayApproveReport),
    reason: (b) => b.reason as string | undefined,
  },
  {
    path: 'receipts',
    answer: RECEIVED_EXAMPLE,
    update: receiveReport as UpdateDefinition<ReportState, [never]>,
    input: ReceiveReport,
    body: z.object(note).strict().meta({ id: 'ReceiveCampaignReport', example: { note: '已收到，数据已汇总' } }),
    action: 'campaign.receiveReport',
    summary: 'The recipient’s coordination office signs for a report sent to it (签收)',
    description: 'Temporal update `receiveReport`. 403 unless the caller is the coordination office of the report’s recipient division (a report to the ministries is received outside exitflow); 409 `report_not_sent`.',
    async authorise(db, principal, campaignId, reportId) {
      // The recipient is the division itself or one above it: whoever else asks is refused before anything is looked up.
      authorise(mayReadCampaign(principal, divisionOf(campaignId)));
      await startedCampaign(db, campaignId);
      return mayReceiveReport(principal, (await recordedReport(db, campaignId, reportId)).recipientDivision);
    },
    reason: (b) => b.note as string | undefined,
  },
];

const FORBIDDEN = ['not_the_division_office', 'not_the_government', 'not_the_recipient'];
const CONFLICT = ['report_not_drafted', 'report_not_awaiting_approval', 'report_already_sent', 'report_not_sent', 'campaign_not_ready'];

/** A refused report update as problem+json: the caller (403), the report’s state (409), an unknown report (404), else the rule broken (422). */
function reportRejection(err: WorkflowUpdateFailedError): ApiProblem {
  const p = updateRejectionProblem(err, { conflict: CONFLICT, forbidden: FORBIDDEN });
  if (p.code === 'unknown_report') return new ApiProblem(404, p.code, 'No such report in this campaign', '本年度工作无此报告', p.detail);
  return p;
}

/** A cut-off after today would be a report of the future: refused before the workflow is asked. */
function cutOffRefusal(body: Record<string, unknown>) {
  const cutOff = body.cutOff as string | undefined;
  if (!cutOff || compareLegalDates(cutOff, todayInChina()) <= 0) return;
  throw problems.validation([{ field: 'cutOff', rule: 'not_in_future', message: `cutOff ${cutOff} is after today (China time)`, messageZh: '统计截止日期不能晚于今天' }]);
}

function commandEndpoint(deps: CampaignReportEndpointDeps, c: Command): AnyEndpoint {
  return endpoint({
    method: 'post',
    path: `/api/v1/campaigns/:campaignId/reports/:reportId/${c.path}`,
    summary: c.summary,
    description: c.description,
    tags: ['campaigns'],
    auth: true,
    params: ReportParams,
    body: c.body,
    responses: {
      200: { description: 'Done; the report as it now stands', schema: ReportResult, example: { ...c.answer, idempotencyKey: `7c2e9f10-${c.path}-summary_to_province` } },
      404: notFound('No such campaign, or no such report in it'),
    },
    async authorise({ params, principal }) {
      authorise(await c.authorise(deps.db, principal, params.campaignId, params.reportId));
    },
    async handler({ params, body, principal, req, command }) {
      cutOffRefusal(body as Record<string, unknown>);
      const report = await sendUpdateCommand(deps, {
        workflowId: params.campaignId,
        update: c.update,
        input: (idempotencyKey) => parseOr422(c.input, { reportId: params.reportId, ...(body as object), actor: actorOf(principal), idempotencyKey }) as never,
        command,
        req,
        principal,
        what: `campaign ${params.campaignId}`,
        rejected: reportRejection,
        ended: () => problems.conflict('campaign_ended', `campaign ${params.campaignId} has ended`, '本年度工作已结束'),
        audit: {
          action: c.action,
          region: divisionOf(params.campaignId),
          reason: c.reason(body as Record<string, unknown>),
          detail: (r) => ({ reportId: params.reportId, status: r.status, draft: r.draft?.draft ?? null, ...(c.path === 'approvals' ? { decision: (body as { decision: string }).decision } : {}) }),
        },
      });
      return { status: 200, body: report };
    },
  });
}

/** The workbook of a report's draft (the current one, or `draft`), as the mail attached it. */
async function workbookReply(db: Db, params: { campaignId: string; reportId: string }, principal: Principal, draft: number | undefined) {
  const { figures } = await reportOf(db, params.campaignId, params.reportId, principal, draft);
  if (!figures) throw new ApiProblem(404, 'report_not_drafted', 'The report has no draft yet', '报告尚未起草', `${params.reportId} of ${params.campaignId} has not been drafted`);
  return { status: 200, body: undefined, raw: await reportWorkbook(figures), headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${reportFileName(figures)}"` } };
}

export function campaignReportEndpoints(deps: CampaignReportEndpointDeps): AnyEndpoint[] {
  const { db } = deps;
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/reports',
      summary: 'The campaign’s reports upward (报送) with their status: pending, drafted, awaiting approval, sent, received',
      description: 'For readers of the campaign (its office, the offices above, operators). The campaign workflow’s read model.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      responses: { 200: { description: 'The reports, in due order', schema: ReportList }, 404: notFound('No such campaign') },
      async handler({ params, principal }) {
        const { campaign, reports } = await reportsOf(db, params.campaignId, principal);
        return { status: 200, body: { campaignId: campaign.campaign_id, division: campaign.division, year: campaign.year, reports } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/reports/:reportId.xlsx',
      summary: 'A report’s workbook (the XLSX the mail attached): totals, sub-divisions, exited enterprises and facilities, open cases',
      tags: ['campaigns'],
      auth: true,
      params: ReportParams,
      query: DetailQuery.pick({ draft: true }),
      responses: {
        200: { description: 'The workbook of the current draft, or of `draft`', schema: z.string().meta({ format: 'binary', description: WORKBOOK }), contentType: XLSX_TYPE },
        404: notFound('No such campaign, report or draft, or not drafted yet'),
      },
      async handler({ params, query, principal }) {
        return workbookReply(db, params, principal, query.draft);
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/reports/:reportId',
      summary: 'One report with the figures of its current draft (or of an earlier one), as stored with it',
      description: `JSON, or the workbook the mail attached with \`format=xlsx\` or \`Accept: ${XLSX_TYPE}\` (also at …/{reportId}.xlsx).`,
      tags: ['campaigns'],
      auth: true,
      params: ReportParams,
      query: DetailQuery,
      responses: { 200: { description: 'The report and its draft’s figures', schema: ReportDetail, alsoAs: { [XLSX_TYPE]: WORKBOOK } }, 404: notFound('No such campaign, report or draft') },
      async handler({ req, params, query, principal }) {
        if (query.format === 'xlsx' || (query.format === undefined && req.accepts(['application/json', XLSX_TYPE]) === XLSX_TYPE)) return workbookReply(db, params, principal, query.draft);
        const { campaign, report, drafts, figures } = await reportOf(db, params.campaignId, params.reportId, principal, query.draft);
        return { status: 200, body: { campaignId: campaign.campaign_id, division: campaign.division, report, drafts, figures } };
      },
    }),
    ...COMMANDS.map((c) => commandEndpoint(deps, c)),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/received-reports',
      summary: 'Reports sent to this campaign’s division by its sub-divisions (and its own departments), per report, with their status and their figures added up',
      description: 'For readers of the campaign. Each sender’s figures are those of the draft it sent, as stored with it; the aggregate adds them per industry and unit.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      responses: { 200: { description: 'The received reports of the campaign’s year', schema: ReceivedList }, 404: notFound('No such campaign') },
      async handler({ params, principal }) {
        const { campaign, reports } = await receivedReportsOf(db, params.campaignId, principal);
        return { status: 200, body: { campaignId: campaign.campaign_id, division: campaign.division, year: campaign.year, reports } };
      },
    }),
  ];
}
