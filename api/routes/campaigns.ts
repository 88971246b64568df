import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { CAMPAIGN_STAGES, mayCompleteMilestone, mayReadCampaign, MILESTONE_KINDS } from '../../domain/campaign';
import { actorOf } from '../../domain/roles';
import { text } from '../../domain/text';
import { campaignStateQuery, completeMilestone } from '../../workflows/campaign-messages';
import { authorise } from '../auth';
import { endpoint, Problem } from '../routing';
import { problems } from '../problem';
import { countedPage, pagingQuery } from '../paging';
import { startCampaign } from '../services/campaigns';
import { divisionFullName } from '../../domain/divisions';
import { divisionPrefix } from '../../domain/jurisdiction';
import { sendUpdateCommand, updateRejectionProblem } from '../updates';

const EXAMPLE_ID = 'campaign-410100-2027';

/** campaign-<division>-<year> (domain/campaign.ts campaignWorkflowId). */
export const CampaignParams = z.object({ campaignId: z.string().regex(/^campaign-\d{6}-\d{4}$/, 'must be a campaign id (campaign-<division>-<year>)').meta({ example: EXAMPLE_ID }) });
export const divisionOf = (campaignId: string) => campaignId.slice('campaign-'.length, 'campaign-'.length + 6);

const StartCampaign = z
  .object({
    division: z.string().regex(/^\d{6}$/, 'must be a 6-digit division code').meta({ description: 'GB/T 2260 division code of the province, city or county (行政区划代码)' }),
    year: z.number().int().min(2000).max(2099).meta({ description: 'The campaign year: this year or the next' }),
  })
  .strict()
  .meta({ id: 'StartCampaign', example: { division: '410100', year: 2027 } });

const HENAN = { id: 'henan', version: 'henan-2021.1' };
const TEMPORAL_UI = `http://localhost:8233/namespaces/default/workflows/${EXAMPLE_ID}`;
const OFFICE = { id: 'office-410100', name: '郑州市淘汰落后产能工作领导小组办公室', role: 'coordination_office' };
const pending = { status: 'pending', completedOn: null, completedBy: null, note: null, lapsedOn: null } as const;

/** Zhengzhou's 2027 milestones in July: plans and survey done, the exit (拆除或封存) under way. */
const MILESTONES_EXAMPLE = [
  { id: 'plans_filed', kind: 'plans_filed', nameZh: '工作方案和联系人报送', due: '2027-06-30', status: 'completed', completedOn: '2027-06-25', completedBy: OFFICE, note: '工作方案已报省领导小组办公室', lapsedOn: null },
  { id: 'survey', kind: 'survey', nameZh: '摸底排查完成、目标计划公示', due: '2027-06-30', status: 'completed', completedOn: '2027-06-29', completedBy: OFFICE, note: '摸底排查完成，目标计划已在市政府门户网站公示', lapsedOn: null },
  {
    id: 'report:target_plan_to_province',
    kind: 'report',
    nameZh: '年度淘汰落后产能目标计划',
    due: '2027-06-30',
    report: { from: '各省辖市、济源示范区、省直管县（市）', to: '省淘汰落后产能工作领导小组办公室' },
    status: 'completed',
    completedOn: '2027-06-30',
    completedBy: OFFICE,
    note: null,
    lapsedOn: null,
  },
  { id: 'exit_by', kind: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: '2027-11-01', rolledFrom: '2027-10-31', ...pending },
  { id: 'acceptance', kind: 'acceptance', nameZh: '现场检查和考核验收完成', due: '2027-11-01', rolledFrom: '2027-10-30', ...pending },
  {
    id: 'report:summary_to_province',
    kind: 'report',
    nameZh: '依法依规推动落后产能退出年度工作总结',
    due: '2027-11-01',
    rolledFrom: '2027-10-31',
    report: { from: '各省辖市、济源示范区、省直管县（市）', to: '省淘汰落后产能工作领导小组办公室' },
    ...pending,
  },
];

const StartedCampaign = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    year: z.number(),
    policy: z.object({ id: z.string(), version: z.string() }),
    links: z.object({ self: z.string(), temporalUi: z.string() }),
  })
  .meta({ id: 'StartedCampaign', example: { campaignId: EXAMPLE_ID, division: '410100', year: 2027, policy: HENAN, links: { self: `/api/v1/campaigns/${EXAMPLE_ID}`, temporalUi: TEMPORAL_UI } } });

const MilestoneView = z
  .object({
    id: z.string(),
    kind: z.enum(MILESTONE_KINDS),
    nameZh: z.string(),
    due: z.string().meta({ description: 'Legal date (Asia/Shanghai), rolled forward off rest days' }),
    rolledFrom: z.string().optional().meta({ description: 'The plan’s own date, when it fell on a rest day' }),
    report: z.object({ from: z.string(), to: z.string(), copyTo: z.array(z.string()).optional() }).optional(),
    status: z.enum(['pending', 'completed', 'overdue']),
    completedOn: z.string().nullable(),
    completedBy: z.object({ id: z.string(), name: z.string(), role: z.string() }).nullable(),
    note: z.string().nullable(),
    lapsedOn: z.string().nullable(),
  })
  .meta({ id: 'CampaignMilestone' });

const CampaignView = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    year: z.number(),
    policy: z.object({ id: z.string(), version: z.string() }),
    live: z.boolean().meta({ description: 'true: the running workflow answered; false: the worker or Temporal did not answer in time and this is the read model (PostgreSQL), which may lag by a step' }),
    stage: z.enum(CAMPAIGN_STAGES),
    next: z.object({ id: z.string(), nameZh: z.string(), due: z.string() }).nullable(),
    overdue: z.boolean(),
    milestones: z.array(MilestoneView),
    links: z.object({ temporalUi: z.string() }),
  })
  .meta({
    id: 'Campaign',
    example: {
      campaignId: EXAMPLE_ID,
      division: '410100',
      year: 2027,
      policy: HENAN,
      live: true,
      stage: 'exit',
      next: { id: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: '2027-11-01' },
      overdue: false,
      milestones: MILESTONES_EXAMPLE,
      links: { temporalUi: TEMPORAL_UI },
    },
  });

const CompleteMilestoneBody = z
  .object({
    milestoneId: z.string().min(1).max(80).meta({ description: 'A milestone id from GET /api/v1/campaigns/{campaignId}' }),
    note: text({ max: 2000, multiline: true }).optional(),
  })
  .strict()
  .meta({ id: 'CompleteMilestone', example: { milestoneId: 'survey', note: '摸底排查完成，目标计划已在市政府门户网站公示' } });

const Completion = z
  .object({
    milestoneId: z.string(),
    idempotencyKey: z.string(),
    completedOn: z.string(),
    late: z.boolean().meta({ description: 'Completed after its due date lapsed (it was escalated)' }),
    stage: z.enum(CAMPAIGN_STAGES),
    next: z.string().nullable(),
  })
  .meta({ id: 'MilestoneCompletion', example: { milestoneId: 'survey', idempotencyKey: '0b7e4d2a-survey-410100-2027', completedOn: '2027-06-29', late: false, stage: 'survey', next: 'report:target_plan_to_province' } });

const ListQuery = z
  .object({
    division: z.string().regex(/^\d{6}$/, 'must be a 6-digit division code').optional().meta({ description: 'This division and the divisions inside it' }),
    year: z.coerce.number().int().min(2000).max(2099).optional(),
    overdue: z.enum(['true', 'false']).optional().meta({ description: 'Only campaigns with (true) or without (false) a lapsed milestone' }),
    ...pagingQuery(50, 200),
  })
  .strict();

const CampaignSummary = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    divisionName: z.string(),
    year: z.number().int(),
    policy: z.object({ id: z.string(), version: z.string() }),
    stage: z.enum(CAMPAIGN_STAGES),
    next: z.object({ id: z.string(), nameZh: z.string(), due: z.string() }).nullable(),
    overdue: z.boolean(),
    milestones: z.object({ total: z.number().int(), completed: z.number().int(), overdue: z.number().int() }),
  })
  .meta({ id: 'CampaignSummary' });

const CampaignList = z
  .object({ items: z.array(CampaignSummary), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
  .meta({
    id: 'CampaignList',
    example: {
      items: [
        {
          campaignId: EXAMPLE_ID,
          division: '410100',
          divisionName: '河南省 郑州市',
          year: 2027,
          policy: HENAN,
          stage: 'exit',
          next: { id: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: '2027-11-01' },
          overdue: false,
          milestones: { total: 6, completed: 3, overdue: 0 },
        },
      ],
      page: 1,
      pageSize: 50,
      total: 1,
    },
  });

export interface CampaignEndpointDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
  updateTimeoutMs?: number;
}

const LIVE_STATE_WAIT_MS = 3_000;

export function campaignEndpoints(deps: CampaignEndpointDeps) {
  const uiLink = (id: string) => `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(id)}`;
  const recorded = async (campaignId: string) => (await deps.db.query(`SELECT * FROM campaigns WHERE campaign_id = $1`, [campaignId])).rows[0];
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns',
      summary: 'Campaigns (年度工作) the caller may read: their own division’s and those inside it, newest year first, the wider division first',
      description: 'Operators see every campaign; an official those whose division lies within their jurisdiction; an enterprise none (403). From the read model (PostgreSQL), which may lag the workflow by a step.',
      tags: ['campaigns'],
      auth: true,
      query: ListQuery,
      responses: { 200: { description: 'A page of campaigns', schema: CampaignList } },
      async handler({ query, principal }) {
        if (principal.role === 'enterprise') throw problems.forbidden('an enterprise does not see campaigns');
        if (principal.role !== 'operator' && !principal.jurisdiction) throw problems.forbidden(`${principal.role} ${principal.sub} has no jurisdiction`);
        const values: unknown[] = [];
        const add = (v: unknown) => `$${values.push(v)}`;
        const where: string[] = [];
        if (principal.role !== 'operator') where.push(`division LIKE ${add(`${divisionPrefix(principal.jurisdiction!)}%`)}`);
        if (query.division) where.push(`division LIKE ${add(`${divisionPrefix(query.division)}%`)}`);
        if (query.year !== undefined) where.push(`year = ${add(query.year)}`);
        if (query.overdue !== undefined) where.push(`overdue = ${add(query.overdue === 'true')}`);
        const from = `FROM campaigns ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
        const count = { sql: `SELECT count(*)::int AS total ${from}`, values: [...values] };
        // The wider division first within a year: a province (xx0000), then its cities (xxxx00), then counties.
        const order = `year DESC, (division LIKE '%0000') DESC, (division LIKE '%00') DESC, division`;
        const page = { sql: `SELECT * ${from} ORDER BY ${order} LIMIT ${add(query.pageSize)} OFFSET ${add((query.page - 1) * query.pageSize)}`, values };
        const { total, rows } = await countedPage(deps.db, count, page);
        const items = rows.map((row) => {
          const milestones = (row.milestones ?? []) as { id: string; nameZh: string; due: string; status: string }[];
          const next = milestones.find((m) => m.id === row.next_milestone);
          return {
            campaignId: row.campaign_id,
            division: row.division,
            divisionName: divisionFullName(row.division) ?? row.division,
            year: row.year,
            policy: { id: row.policy_id, version: row.policy_version },
            stage: row.stage,
            next: next ? { id: next.id, nameZh: next.nameZh, due: next.due } : null,
            overdue: row.overdue,
            milestones: { total: milestones.length, completed: milestones.filter((m) => m.status === 'completed').length, overdue: milestones.filter((m) => m.status === 'overdue').length },
          };
        });
        return { status: 200, body: { items, page: query.page, pageSize: query.pageSize, total } };
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/campaigns',
      summary: 'Start a division’s annual campaign (年度淘汰落后产能工作): its milestones from the region’s policy, reminders and escalation',
      description: 'By the coordination office of the division or a division above it. One campaign per division and year (409 `campaign_exists`).',
      tags: ['campaigns'],
      auth: true,
      body: StartCampaign,
      responses: {
        201: { description: 'Started; the workflow is running', schema: StartedCampaign },
        409: { description: 'The division’s campaign for the year is already started', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ body, principal, req, command }) {
        const started = await startCampaign(deps, body, principal, String(req.id), new Date(), command);
        const self = `/api/v1/campaigns/${started.campaignId}`;
        return { status: 201, body: { ...started, links: { self, temporalUi: uiLink(started.campaignId) } }, headers: { Location: self } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId',
      summary: 'Read a campaign: stage, next milestone and every milestone with its status (live workflow state, else the read model)',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      responses: {
        200: { description: 'The campaign', schema: CampaignView },
        404: { description: 'No such campaign', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, principal }) {
        authorise(mayReadCampaign(principal, divisionOf(params.campaignId)));
        const row = await recorded(params.campaignId);
        if (!row) throw problems.notFound('campaign', params.campaignId);
        // The deadline ends the gRPC call itself, so no query outlives the request.
        const state = await deps.temporal.withDeadline(Date.now() + LIVE_STATE_WAIT_MS, () => deps.temporal.workflow.getHandle(params.campaignId).query(campaignStateQuery)).catch(() => undefined);
        const live = state?.ready ? state : undefined;
        const milestones = (live?.milestones ?? row.milestones) as Record<string, unknown>[];
        const recordedNext = milestones.find((m) => m.id === row.next_milestone);
        return {
          status: 200,
          body: {
            campaignId: row.campaign_id,
            division: row.division,
            year: row.year,
            policy: { id: row.policy_id, version: row.policy_version },
            live: live !== undefined,
            stage: live?.stage ?? row.stage,
            next: live ? live.next : recordedNext ? { id: String(recordedNext.id), nameZh: String(recordedNext.nameZh), due: String(recordedNext.due) } : null,
            overdue: live?.overdue ?? row.overdue,
            milestones: milestones.map(({ remindersSent: _r, ...m }) => m),
            links: { temporalUi: uiLink(row.campaign_id) },
          },
        };
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/campaigns/:campaignId/milestone-completions',
      summary: 'The division’s coordination office completes a milestone (确认完成); a lapsed one is recorded as late',
      description: 'Temporal update `completeMilestone`. 403 unless the caller is the coordination office of the campaign’s own division; 409 when the milestone is already completed; 422 for an unknown milestone.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      body: CompleteMilestoneBody,
      responses: {
        200: { description: 'Completed; where the campaign stands now', schema: Completion },
        404: { description: 'No such campaign', schema: Problem, contentType: 'application/problem+json' },
      },
      async authorise({ params, principal }) {
        const row = await recorded(params.campaignId);
        if (!row) throw problems.notFound('campaign', params.campaignId);
        authorise(mayCompleteMilestone(principal, row.division));
        return row;
      },
      async handler({ params, body, principal, req, command }) {
        const result = await sendUpdateCommand(deps, {
          workflowId: params.campaignId,
          update: completeMilestone,
          input: (idempotencyKey) => ({ ...body, actor: actorOf(principal), idempotencyKey }),
          command,
          req,
          principal,
          what: `campaign ${params.campaignId}`,
          rejected: (err) => updateRejectionProblem(err, { conflict: ['milestone_already_completed', 'campaign_not_ready'], forbidden: ['not_the_division_office'] }),
          ended: () => problems.conflict('campaign_ended', `campaign ${params.campaignId} has ended (every milestone completed)`, '本年度工作已结束'),
          audit: { action: 'campaign.completeMilestone', region: divisionOf(params.campaignId), reason: body.note, detail: (r) => ({ milestoneId: r.milestoneId, late: r.late }) },
        });
        return { status: 200, body: result };
      },
    }),
  ];
}
