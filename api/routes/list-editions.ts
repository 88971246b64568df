import type { Request, RequestHandler } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { isKnownDivision } from '../../domain/divisions';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import { PublicList } from '../../domain/policy';
import { mayManageSurvey } from '../../domain/survey';
import { text } from '../../domain/text';
import { authorise } from '../auth';
import { parseOr422, problems } from '../problem';
import { pagingQuery } from '../paging';
import { endpoint, Problem } from '../routing';
import { ListEditions, type CampaignOfEdition } from '../services/list-editions';
import type { PublicLists } from '../services/public-lists';
import { CampaignParams } from './campaigns';

export const EDITION_PATH = '/api/v1/public/lists/:kind/editions/:editionId';

const Publish = z
  .object({
    kind: PublicList.shape.kind,
    note: text({ max: 2000, multiline: true }).optional().meta({ description: 'Why or on what basis the list is published (kept with the edition and in the audit trail)' }),
  })
  .strict()
  .meta({ id: 'PublishList', example: { kind: 'target_list', note: '2027年度淘汰落后产能目标计划，公示期7天' } });

/** Zhengzhou's 2027 target list (年度淘汰目标计划) as published: what each example below shows. */
const SUMMARY_EXAMPLE = {
  editionId: 'edition-8c1f2a4e-5b6d-4e7f-9a0b-1c2d3e4f5a6b',
  kind: 'target_list',
  region: '410100',
  year: 2027,
  campaignId: 'campaign-410100-2027',
  publishedAt: '2027-06-29T02:00:00.000Z',
  note: '2027年度淘汰落后产能目标计划，公示期7天',
  rowCount: 2,
  sha256: 'b7e2c9d40a1f3e5d7c9b0a2e4f6d8c1a3e5b7d9f0c2e4a6b8d0f1e3c5a7b9d2e',
} as const;
const COLUMNS_EXAMPLE = [
  { key: 'enterpriseName', zh: '企业名称' },
  { key: 'creditCode', zh: '统一社会信用代码' },
  { key: 'regionCode', zh: '行政区划代码' },
  { key: 'regionName', zh: '所在地区' },
  { key: 'industry', zh: '行业' },
  { key: 'equipment', zh: '设备（生产线）' },
  { key: 'capacity', zh: '产能' },
];
const ROWS_EXAMPLE = [
  { enterpriseName: '郑州市某某钢铁有限公司', creditCode: '91410100MA4000X7QR', regionCode: '410102', regionName: '河南省 郑州市 中原区', industry: '钢铁', equipment: '2号高炉 450m³', capacity: '40 万吨/年' },
  { enterpriseName: '中牟县某铸造有限公司', creditCode: '91410122MA45C3K2WK', regionCode: '410122', regionName: '河南省 郑州市 中牟县', industry: '铸造', equipment: '1号冲天炉；2号冲天炉', capacity: '3 万吨/年；2 万吨/年' },
];
/** What an edition's CSV holds. */
const EDITION_CSV = 'CSV (UTF-8 with a BOM, for Excel) of the whole edition: a header row of the Chinese column names (`columns[].zh`), then one row per entry; its SHA-256 is `sha256`';

const EditionSummary = z
  .object({
    editionId: z.string(),
    kind: z.string(),
    region: z.string(),
    year: z.number(),
    campaignId: z.string().nullable(),
    publishedAt: z.string().meta({ description: 'When the list was published (公示日期), ISO 8601' }),
    note: z.string().nullable(),
    rowCount: z.number().int(),
    sha256: z.string().meta({ description: 'SHA-256 of the edition’s CSV download (`format=csv`), byte for byte' }),
  })
  .meta({ id: 'ListEditionSummary', example: SUMMARY_EXAMPLE });
const EditionList = z
  .object({ items: z.array(EditionSummary) })
  .meta({ id: 'ListEditions', example: { items: [SUMMARY_EXAMPLE, { ...SUMMARY_EXAMPLE, editionId: 'edition-2a9d7c1b-3e4f-4a5b-8c6d-7e8f9a0b1c2d', publishedAt: '2027-06-20T01:30:00.000Z', note: '征求意见稿', rowCount: 1, sha256: '4c8e1a3f5b7d9e0c2a4f6b8d1e3c5a7f9b0d2e4c6a8f1b3d5e7c9a0f2b4d6e8a' }] } });
const EditionView = EditionSummary.extend({
  regionName: z.string(),
  policies: z.array(z.object({ id: z.string(), version: z.string() })),
  columns: z.array(z.object({ key: z.string(), zh: z.string() })),
  rows: z.array(z.record(z.string(), z.string())),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
}).meta({
  id: 'ListEdition',
  example: { ...SUMMARY_EXAMPLE, regionName: '河南省 郑州市', policies: [{ id: 'henan', version: 'henan-2021.1' }], columns: COLUMNS_EXAMPLE, rows: ROWS_EXAMPLE, page: 1, pageSize: 100, total: 2 },
});

const KindParams = z.object({ kind: PublicList.shape.kind });
const EditionParams = KindParams.extend({ editionId: z.string().regex(/^edition-[0-9a-f-]{36}$/, 'must be an edition id') });
const EditionsQuery = z
  .object({
    region: z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code').refine(isKnownDivision, 'is not a division code in GB/T 2260'),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
  })
  .strict();
const EditionQuery = z
  .object({
    format: z.enum(['json', 'csv']).optional().meta({ description: 'csv: the whole edition, streamed, UTF-8 with BOM; also chosen by `Accept: text/csv`' }),
    ...pagingQuery(100, 500),
  })
  .strict();

const problem = (description: string) => ({ description, schema: Problem, contentType: 'application/problem+json' });

/** The publication date as an HTTP date: an edition never changes after it. */
const lastModified = (publishedAt: string) => new Date(publishedAt).toUTCString();

async function editionOr404(editions: ListEditions, kind: z.infer<typeof KindParams>['kind'], editionId: string) {
  const e = await editions.get(kind, editionId);
  if (!e) throw problems.notFound('edition', editionId);
  return e;
}

export function listEditionEndpoints(deps: { db: Db; lists: PublicLists; editions: ListEditions }) {
  // Publishing writes through the officials' pool; the public reads go through the public one (deps.editions).
  const publisher = new ListEditions(deps.db);
  const byTheOffice = async ({ params, principal }: { params: { campaignId: string }; principal: Parameters<typeof mayManageSurvey>[0] }): Promise<CampaignOfEdition> => {
    const { rows } = await deps.db.query(`SELECT campaign_id, division, year, policy_id, policy_version FROM campaigns WHERE campaign_id = $1`, [params.campaignId]);
    if (!rows[0]) throw problems.notFound('campaign', params.campaignId);
    authorise(mayManageSurvey(principal, rows[0].division));
    return { campaignId: rows[0].campaign_id, division: rows[0].division, year: rows[0].year, policyId: rows[0].policy_id, policyVersion: rows[0].policy_version };
  };
  return [
    endpoint({
      method: 'post',
      path: '/api/v1/campaigns/:campaignId/publications',
      summary: 'Publish (公示) a public list of the campaign’s division and year: it is frozen as it is now into an edition kept for good',
      description:
        'By the coordination office of the campaign’s division or above (as the survey upload). The target list (`target_list`) is made of the committed survey’s exit rows; any other kind freezes the live public list. ' +
        'Audited; send an Idempotency-Key so a retry returns the first edition. The live target list then shows the latest edition.',
      tags: ['campaigns'],
      auth: true,
      params: CampaignParams,
      body: Publish,
      responses: {
        201: { description: 'The edition as stored', schema: EditionSummary },
        404: problem('No such campaign, or its policy publishes no such list'),
      },
      authorise: byTheOffice,
      async handler({ body, authorised, principal, req, command }) {
        const edition = await publisher.publish(deps.lists, authorised as CampaignOfEdition, body.kind, body.note, principal, String(req.id), command);
        return { status: 201, body: edition, headers: { Location: `/api/v1/public/lists/${edition.kind}/editions/${edition.editionId}` } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/public/lists/:kind/editions',
      summary: 'The published editions of a list (公示版本) of a region, newest first',
      description: 'No token needed. Rate limited like the public lists.',
      tags: ['public'],
      auth: false,
      params: KindParams,
      query: EditionsQuery,
      responses: { 200: { description: 'Editions, newest first', schema: EditionList }, 429: problem('Too many requests') },
      async handler({ params, query }) {
        return { status: 200, body: { items: await deps.editions.list(params.kind, query.region, query.year ?? null) } };
      },
    }),
    endpoint({
      method: 'get',
      path: EDITION_PATH,
      summary: 'One edition of a public list exactly as published, with its publication date',
      description: 'No token needed. JSON is paged like the live list; `format=csv` is the whole edition, streamed, with a BOM (its SHA-256 is `sha256`). `Last-Modified` is the publication date.',
      tags: ['public'],
      auth: false,
      params: EditionParams,
      query: EditionQuery,
      responses: {
        200: { description: 'One page of the edition (JSON), or all of it (CSV)', schema: EditionView, alsoAs: { 'text/csv': EDITION_CSV } },
        404: problem('No such edition of that list'),
        429: problem('Too many requests'),
      },
      // The CSV download is served by editionCsvDownload, mounted before this route.
      async handler({ params, query }) {
        const e = await editionOr404(deps.editions, params.kind, params.editionId);
        return { status: 200, body: await deps.editions.page(e, query.page, query.pageSize), headers: { 'Last-Modified': lastModified(e.publishedAt) } };
      },
    }),
  ];
}

const wantsCsv = (req: Request) => req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

/** The CSV download of an edition, streamed batch by batch (as publicCsvDownload); JSON requests pass on. */
export function editionCsvDownload(editions: ListEditions): RequestHandler {
  return async (req, res, next) => {
    if (!wantsCsv(req)) return next();
    try {
      const params = parseOr422(EditionParams, req.params, 'path');
      parseOr422(EditionQuery, req.query, 'query');
      const e = await editionOr404(editions, params.kind, params.editionId);
      res.status(200).set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${e.kind}-${e.region}-${e.year}-${e.publishedAt.slice(0, 10)}.csv"`,
        'Last-Modified': lastModified(e.publishedAt),
      });
      await pipeline(Readable.from(editions.csv(e), { objectMode: false }), res);
    } catch (err) {
      if (!res.headersSent) return next(err);
      req.log?.warn({ err }, 'list edition download cut off');
      res.destroy();
    }
  };
}
