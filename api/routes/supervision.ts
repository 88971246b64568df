import type { UpdateDefinition } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { isKnownDivision } from '../../domain/divisions';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import { actorOf, type Principal } from '../../domain/roles';
import {
  ACCOUNTABILITY_CATEGORIES,
  CloseItem,
  ConcealedCapacityFinding,
  IssueNotice,
  mayReadSupervision,
  mayReportConcealedCapacity,
  mayReportFollowUp,
  maySupervise,
  RecordSummons,
  ReportFollowUp,
  SUPERVISION_ID_PATTERN,
  SUPERVISION_REASON_KINDS,
  SUPERVISION_STATUSES,
  type SupervisionAction,
} from '../../domain/supervision';
import { SUPERVISION_UPDATES, supervisionStateQuery, type SupervisionResult } from '../../workflows/supervision-messages';
import { authorise } from '../auth';
import { pagingQuery } from '../paging';
import { problems } from '../problem';
import { endpoint, Problem, type AnyEndpoint } from '../routing';
import { campaignOr404, itemOr404, itemSummary, listItems, publicNotices, reportConcealedCapacity } from '../services/supervision';
import { sendUpdateCommand, updateRejectionProblem } from '../updates';
import { CampaignParams } from './campaigns';

const EXAMPLE_ID = 'supervision-410122-2027-milestone-exit_by';
const ItemParams = z.object({ itemId: z.string().regex(SUPERVISION_ID_PATTERN, 'must be a supervision item id (supervision-<region>-<year>-…)').meta({ example: EXAMPLE_ID }) });
const DivisionCode = z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code');
const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The HTTP bodies: the updates' own schemas, without who acts (the token says) and the key (the header says). */
const httpBody = <S extends z.ZodObject>(schema: S) => schema.omit({ actor: true, idempotencyKey: true } as never).strict();

const NoticeBody = httpBody(IssueNotice).meta({
  id: 'SupervisionNotice',
  example: { text: '中牟县2027年度落后产能退出工作进展缓慢，截至10月31日未完成退出任务，现予通报，请于30日内整改到位。', publish: true },
});
const SummonsBody = httpBody(RecordSummons).meta({
  id: 'SupervisionSummons',
  example: { heldOn: '2027-11-05', summoned: [{ name: '王某', title: '中牟县人民政府副县长' }], minutesRef: '郑淘汰办纪〔2027〕3号', followUpBy: '2027-12-05' },
});
const FollowUpBody = httpBody(ReportFollowUp).meta({ id: 'SupervisionFollowUp', example: { text: '已完成2号高炉拆除并通过现场验收，整改到位。' } });
const ClosureBody = httpBody(CloseItem).meta({
  id: 'SupervisionClosure',
  description: `For concealed capacity, \`accountability\` is required: category one of ${ACCOUNTABILITY_CATEGORIES.join(', ')}, and who was held accountable and how.`,
  example: { conclusion: '隐瞒产能属实，设备已拆除。', accountability: { category: 'admonishment', text: '对中牟县工信局分管副局长诫勉谈话' } },
});

const ConcealedBody = ConcealedCapacityFinding.extend({ region: DivisionCode.meta({ description: 'The division where it was found: the campaign’s division or one inside it' }) })
  .strict()
  .meta({
    id: 'ConcealedCapacity',
    example: {
      region: '410122',
      creditCode: '91410100MA4000X7QR',
      enterpriseName: '中牟县某铸造有限公司',
      facilities: [{ name: '1号冲天炉', capacity: 5, unit: '万吨/年' }],
      industry: 'foundry',
      source: 'public_report',
      reference: '举报受理编号 ZZ-2027-0412',
      foundOn: '2027-04-15',
    },
  });

/** 中牟县 let its exit milestone lapse: 郑州市's office issued a notice, then summoned the county. */
const CITY_OFFICE = { id: 'office-410100', name: '郑州市淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410100' };
const TEMPORAL_UI = `http://localhost:8233/namespaces/default/workflows/${EXAMPLE_ID}`;
const SUMMARY_EXAMPLE = {
  itemId: EXAMPLE_ID,
  supervisor: '410100',
  region: '410122',
  regionName: '河南省 郑州市 中牟县',
  campaignId: 'campaign-410122-2027',
  year: 2027,
  reason: { kind: 'milestone_lapsed', milestoneId: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: '2027-11-01' },
  status: 'summoned',
  overdue: false,
  followUpBy: '2027-12-06',
  openedAt: '2027-11-02T00:00:05.000Z',
} as const;
const NOTICE_TEXT = '中牟县2027年度落后产能退出工作进展缓慢，截至10月31日未完成退出任务，现予通报，请于30日内整改到位。';
const CONCEALED_ID = 'supervision-410122-2027-concealed-91410100MA4000X7QR-2027-04-15';
const RESULT_KEY = '9d3b6e21-supervision-410122-2027';
/** The concealed 冲天炉 of the body's example, reported by the city's office: an item of 中牟县 supervised by 郑州市. */
const OPENED_EXAMPLE = {
  itemId: CONCEALED_ID,
  supervisor: '410100',
  region: '410122',
  campaignId: 'campaign-410100-2027',
  created: true,
  links: { self: `/api/v1/supervision-items/${CONCEALED_ID}`, temporalUi: `http://localhost:8233/namespaces/default/workflows/${CONCEALED_ID}` },
};

const OpenedItem = z
  .object({ itemId: z.string(), supervisor: z.string(), region: z.string(), campaignId: z.string(), created: z.boolean(), links: z.object({ self: z.string(), temporalUi: z.string() }) })
  .meta({ id: 'OpenedSupervisionItem', example: OPENED_EXAMPLE });

const Result = z
  .object({
    action: z.string(),
    idempotencyKey: z.string(),
    itemId: z.string(),
    status: z.enum(SUPERVISION_STATUSES),
    overdue: z.boolean(),
    followUpBy: z.string().nullable().meta({ description: 'The follow-up deadline now watched (legal date), if any' }),
    noticeId: z.string().optional(),
    summonsId: z.string().optional(),
    late: z.boolean().optional(),
  })
  .meta({ id: 'SupervisionResult' });

const Summary = z
  .object({
    itemId: z.string(),
    supervisor: z.string().meta({ description: 'Division whose coordination office supervises' }),
    region: z.string().meta({ description: 'The lagging division' }),
    regionName: z.string(),
    campaignId: z.string(),
    year: z.number(),
    reason: z.record(z.string(), z.unknown()).meta({ description: `kind: ${SUPERVISION_REASON_KINDS.join(' | ')}` }),
    status: z.enum(SUPERVISION_STATUSES),
    overdue: z.boolean(),
    followUpBy: z.string().nullable(),
    openedAt: z.string(),
  })
  .meta({ id: 'SupervisionItemSummary' });
const Page = z
  .object({ items: z.array(Summary), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({ id: 'SupervisionItems', example: { items: [SUMMARY_EXAMPLE], page: 1, pageSize: 50, total: 1 } });
const View = Summary.extend({
  live: z.boolean().meta({ description: 'true: the running workflow answered; false: the read model (PostgreSQL)' }),
  notices: z.array(z.record(z.string(), z.unknown())),
  summons: z.array(z.record(z.string(), z.unknown())),
  followUps: z.array(z.record(z.string(), z.unknown())),
  closure: z.record(z.string(), z.unknown()).nullable(),
  links: z.object({ temporalUi: z.string() }),
}).meta({
  id: 'SupervisionItem',
  example: {
    ...SUMMARY_EXAMPLE,
    live: true,
    notices: [{ noticeId: `${EXAMPLE_ID}/notice/1`, issuedOn: '2027-11-03', text: NOTICE_TEXT, publish: true, issuedBy: CITY_OFFICE }],
    summons: [
      {
        summonsId: `${EXAMPLE_ID}/summons/1`,
        heldOn: '2027-11-05',
        summoned: [{ name: '王某', title: '中牟县人民政府副县长' }],
        minutesRef: '郑淘汰办纪〔2027〕3号',
        followUpBy: '2027-12-06',
        rolledFrom: '2027-12-05',
        recordedBy: CITY_OFFICE,
        lapsedOn: null,
        answeredOn: null,
      },
    ],
    followUps: [],
    closure: null,
    links: { temporalUi: TEMPORAL_UI },
  },
});

const ListQuery = z
  .object({
    supervisor: DivisionCode.optional(),
    region: DivisionCode.optional().meta({ description: 'Includes its sub-divisions' }),
    status: z.enum(SUPERVISION_STATUSES).optional(),
    campaignId: CampaignParams.shape.campaignId.optional(),
    overdue: booleanString.optional(),
    ...pagingQuery(),
  })
  .strict();

const PublicQuery = z
  .object({
    region: DivisionCode.refine(isKnownDivision, 'is not a division code in GB/T 2260').optional().meta({ description: 'Notices naming this division or one inside it' }),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    ...pagingQuery(50, 200),
  })
  .strict();
const PublicNotice = z
  .object({ region: z.string(), regionName: z.string(), issuedBy: z.string().meta({ description: 'Division of the office that issued it' }), issuedByName: z.string(), year: z.number(), issuedOn: z.string(), text: z.string() })
  .meta({ id: 'PublicSupervisionNotice' });
const PublicPage = z
  .object({ items: z.array(PublicNotice), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({
    id: 'PublicSupervisionNotices',
    example: { items: [{ region: '410122', regionName: '河南省 郑州市 中牟县', issuedBy: '410100', issuedByName: '河南省 郑州市', year: 2027, issuedOn: '2027-11-03', text: NOTICE_TEXT }], page: 1, pageSize: 50, total: 1 },
  });

/** Where the item stands after each action's example body. */
const STANDING_AFTER: Record<SupervisionAction, z.input<typeof Result>> = {
  issueNotice: { action: 'issueNotice', idempotencyKey: RESULT_KEY, itemId: EXAMPLE_ID, status: 'open', overdue: false, followUpBy: null, noticeId: `${EXAMPLE_ID}/notice/1` },
  recordSummons: { action: 'recordSummons', idempotencyKey: RESULT_KEY, itemId: EXAMPLE_ID, status: 'summoned', overdue: false, followUpBy: '2027-12-06', summonsId: `${EXAMPLE_ID}/summons/1` },
  reportFollowUp: { action: 'reportFollowUp', idempotencyKey: RESULT_KEY, itemId: EXAMPLE_ID, status: 'follow_up_reported', overdue: false, followUpBy: null, late: false },
  closeItem: { action: 'closeItem', idempotencyKey: RESULT_KEY, itemId: CONCEALED_ID, status: 'closed', overdue: false, followUpBy: null },
};

export interface SupervisionEndpointDeps {
  db: Db;
  /** The public pages' own pool (api/main.ts). */
  publicDb: Db;
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
  updateTimeoutMs?: number;
}

const LIVE_STATE_WAIT_MS = 3_000;

/** Who may send each update, before the body is read (the workflow checks the same). */
const WHO: Record<SupervisionAction, (p: Principal, item: { supervisor: string; region: string }) => ReturnType<typeof maySupervise>> = {
  issueNotice: (p, i) => maySupervise(p, i.supervisor),
  recordSummons: (p, i) => maySupervise(p, i.supervisor),
  closeItem: (p, i) => maySupervise(p, i.supervisor),
  reportFollowUp: (p, i) => mayReportFollowUp(p, i.region),
};

function reader(p: Principal): void {
  if (p.role === 'enterprise') throw problems.forbidden('an enterprise does not see supervision items');
  if (p.role !== 'operator' && !p.jurisdiction) throw problems.forbidden(`${p.role} ${p.sub} has no jurisdiction`);
}

export function supervisionEndpoints(deps: SupervisionEndpointDeps): AnyEndpoint[] {
  const uiLink = (id: string) => `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(id)}`;
  const scope = (row: Record<string, any>) => ({ supervisor: row.supervisor as string, region: row.region as string });

  const action = (a: SupervisionAction, path: string, body: z.ZodType, summary: string, description: string) =>
    endpoint({
      method: 'post',
      path: `/api/v1/supervision-items/:itemId/${path}`,
      summary,
      description: `Temporal update \`${a}\`. ${description} 409 \`item_closed\` once the item is closed.`,
      tags: ['supervision'],
      auth: true,
      params: ItemParams,
      body,
      responses: { 200: { description: 'Taken; where the item stands now', schema: Result, example: STANDING_AFTER[a] }, 404: { description: 'No such item', schema: Problem, contentType: 'application/problem+json' } },
      async authorise({ params, principal }) {
        const row = await itemOr404(deps.db, params.itemId);
        authorise(WHO[a](principal, scope(row)));
        return row;
      },
      async handler({ params, body: input, principal, req, command, authorised }) {
        const row = authorised as Record<string, any>;
        const { text, conclusion } = input as { text?: string; conclusion?: string };
        const result = await sendUpdateCommand(deps, {
          workflowId: params.itemId,
          update: SUPERVISION_UPDATES[a] as UpdateDefinition<SupervisionResult, [never]>,
          input: (idempotencyKey) => ({ ...(input as object), actor: actorOf(principal), idempotencyKey }) as never,
          command,
          req,
          principal,
          what: `supervision item ${params.itemId}`,
          rejected: (err) => updateRejectionProblem(err, { conflict: ['item_closed', 'item_not_ready'], forbidden: ['not_the_supervisor', 'not_the_region_office'] }),
          ended: () => problems.conflict('item_closed', `supervision item ${params.itemId} is closed`, '该督办事项已办结'),
          audit: { action: `supervision.${a}`, region: row.region, reason: conclusion ?? text, detail: (r) => r },
        });
        return { status: 200, body: result };
      },
    });

  return [
    endpoint({
      method: 'post',
      path: '/api/v1/campaigns/:campaignId/concealed-capacity',
      summary: 'Report concealed capacity (隐瞒产能) found in the campaign’s division: opens a supervision item for accountability (问责)',
      description:
        'By the coordination office of the campaign’s division or above. The item is the region’s, supervised by the office one level above it; it closes with the accountability outcome. The same finding again answers its item (200); another finding of the same enterprise and day is 409 `supervision_item_exists`.',
      tags: ['supervision'],
      auth: true,
      params: CampaignParams,
      body: ConcealedBody,
      responses: {
        201: { description: 'Opened; the item’s workflow is running', schema: OpenedItem },
        200: { description: 'The same finding was reported before: its item', schema: OpenedItem, example: { ...OPENED_EXAMPLE, created: false } },
        404: { description: 'No such campaign', schema: Problem, contentType: 'application/problem+json' },
      },
      async authorise({ params, principal }) {
        const campaign = await campaignOr404(deps.db, params.campaignId);
        authorise(mayReportConcealedCapacity(principal, campaign.division, campaign.division));
        return campaign;
      },
      async handler({ body, principal, req, command, authorised }) {
        const started = await reportConcealedCapacity(deps, authorised as Awaited<ReturnType<typeof campaignOr404>>, body, principal, String(req.id), new Date(), command);
        const self = `/api/v1/supervision-items/${started.itemId}`;
        return { status: started.created ? 201 : 200, body: { ...started, links: { self, temporalUi: uiLink(started.itemId) } }, headers: { Location: self } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/supervision-items',
      summary: 'Supervision items (督办事项) the caller’s jurisdiction covers, as supervisor or as the region, newest first',
      description: 'Operators see every item; an official sees items whose region or supervising division lies within their jurisdiction.',
      tags: ['supervision'],
      auth: true,
      query: ListQuery,
      responses: { 200: { description: 'A page of items', schema: Page } },
      async handler({ query, principal }) {
        reader(principal);
        return { status: 200, body: await listItems(deps.db, principal, query) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/supervision-items/:itemId',
      summary: 'Read a supervision item: its reason, notices (通报), summons (约谈) and their follow-up deadlines, follow-ups and closure (live workflow state, else the read model)',
      tags: ['supervision'],
      auth: true,
      params: ItemParams,
      responses: { 200: { description: 'The item', schema: View }, 404: { description: 'No such item', schema: Problem, contentType: 'application/problem+json' } },
      async handler({ params, principal }) {
        reader(principal);
        const row = await itemOr404(deps.db, params.itemId);
        authorise(mayReadSupervision(principal, scope(row)));
        const state = await deps.temporal.withDeadline(Date.now() + LIVE_STATE_WAIT_MS, () => deps.temporal.workflow.getHandle(params.itemId).query(supervisionStateQuery)).catch(() => undefined);
        const live = state?.ready ? state : undefined;
        const s = (live ?? row.state) as Record<string, any>;
        return {
          status: 200,
          body: {
            ...itemSummary(row),
            ...(live ? { status: live.status, overdue: live.overdue, followUpBy: live.followUpBy } : {}),
            live: live !== undefined,
            notices: s.notices ?? [],
            summons: s.summons ?? [],
            followUps: s.followUps ?? [],
            closure: s.closure ?? null,
            links: { temporalUi: uiLink(params.itemId) },
          },
        };
      },
    }),
    action('issueNotice', 'notices', NoticeBody, 'Issue a notice (通报) naming the lagging region: mailed to its government and coordination office, published if asked', 'By the supervising office or an office above it.'),
    action('recordSummons', 'summons', SummonsBody, 'Record a summons (约谈): when, who, the minutes, and the follow-up deadline the item then watches', 'By the supervising office or an office above it. `heldOn` not after today; `followUpBy` after today (rolled forward off rest days). The region’s office is reminded before the deadline; unanswered, the supervisor and the office above it are told and the item is overdue.'),
    action('reportFollowUp', 'follow-ups', FollowUpBody, 'The region’s coordination office reports its rectification (整改情况); the watch stops', 'By the coordination office of the item’s region only.'),
    action('closeItem', 'closure', ClosureBody, 'Close the item (办结) with a conclusion; concealed capacity with its accountability outcome (问责)', 'By the supervising office or an office above it. Concealed capacity without `accountability` is 422 `accountability_required`.'),
    endpoint({
      method: 'get',
      path: '/api/v1/public/supervision-notices',
      summary: 'Published supervision notices (通报): region, date and text',
      description: 'Only notices their office chose to publish; no names of officials.',
      tags: ['public'],
      auth: false,
      query: PublicQuery,
      responses: { 200: { description: 'A page of published notices, newest first', schema: PublicPage } },
      async handler({ query }) {
        return { status: 200, body: await publicNotices(deps.publicDb, query), headers: { 'Cache-Control': 'public, max-age=60' } };
      },
    }),
  ];
}

