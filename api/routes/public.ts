import type { Request, RequestHandler } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { isKnownDivision } from '../../domain/divisions';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import { PublicList } from '../../domain/policy';
import { endpoint, Problem } from '../routing';
import { ApiProblem, parseOr422 } from '../problem';
import { pagingQuery } from '../paging';
import type { ListEditions } from '../services/list-editions';
import type { Edition, ListKind, PublicLists } from '../services/public-lists';

export const PUBLIC_LIST_PATH = '/api/v1/public/lists/:kind';

const ListParams = z.object({ kind: PublicList.shape.kind });
const ListQuery = z
  .object({
    region: z
      .string()
      .regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code')
      .refine(isKnownDivision, 'is not a division code in GB/T 2260')
      .meta({ description: 'The publishing region (includes its sub-regions), e.g. 410000 for Henan', example: '410100' }),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    format: z.enum(['json', 'csv']).optional().meta({ description: 'csv: the whole list, streamed, UTF-8 with BOM for Excel; also chosen by `Accept: text/csv`' }),
    // Pages the JSON only: the CSV download is the whole list (what Excel users need), streamed in bounded batches.
    ...pagingQuery(100, 500),
  })
  .strict();

const PublishedListView = z
  .object({
    kind: z.string(),
    region: z.string(),
    regionName: z.string(),
    year: z.number().nullable(),
    policies: z.array(z.object({ id: z.string(), version: z.string() })).meta({ description: 'The pinned policies whose rules the list follows: each case is published under its own' }),
    columns: z.array(z.object({ key: z.string(), zh: z.string() })),
    rows: z.array(z.record(z.string(), z.string())).meta({ description: 'A cell is empty where the row’s own policy does not publish that column' }),
    page: z.number(),
    pageSize: z.number(),
    total: z.number(),
    editionId: z.string().optional().meta({ description: 'target_list: the published edition shown (once the office has published one)' }),
    publishedAt: z.string().optional().meta({ description: 'target_list: when the edition shown was published (公示日期)' }),
  })
  .meta({
    id: 'PublishedList',
    // Zhengzhou's yellow list (黄牌, 限期整改): a steel works given until 2 September to bring its energy use within the limit.
    example: {
      kind: 'yellow',
      region: '410100',
      regionName: '河南省 郑州市',
      year: 2026,
      policies: [{ id: 'henan', version: 'henan-2021.1' }],
      columns: [
        { key: 'enterpriseName', zh: '企业名称' },
        { key: 'creditCode', zh: '统一社会信用代码' },
        { key: 'regionCode', zh: '行政区划代码' },
        { key: 'regionName', zh: '所在地区' },
        { key: 'industry', zh: '行业' },
        { key: 'dimension', zh: '不达标类别' },
        { key: 'deadline', zh: '整改期限' },
      ],
      rows: [{ enterpriseName: '郑州市某某钢铁有限公司', creditCode: '91410100MA4000X7QR', regionCode: '410102', regionName: '河南省 郑州市 中原区', industry: '钢铁', dimension: '能耗', deadline: '2026-09-02' }],
      page: 1,
      pageSize: 100,
      total: 1,
    },
  });

/** What the list's CSV download holds. */
const LIST_CSV = 'CSV (UTF-8 with a BOM, for Excel) of the whole list: a header row of the Chinese column names (`columns[].zh`), then one row per entry, streamed';

const notPublished = (region: string, kind: ListKind) =>
  new ApiProblem(404, 'list_not_published', 'This region does not publish that list', '该地区不公示此类名单', `no policy governing cases in ${region} publishes a ${kind} list`);

async function editionOr404(lists: PublicLists, kind: ListKind, region: string, year: number | undefined): Promise<Edition> {
  const edition = await lists.edition(kind, region, year ?? null);
  if (!edition) throw notPublished(region, kind);
  return edition;
}

/**
 * The target list, once its office has published it (POST /campaigns/{id}/publications), is the latest
 * edition: the list as published, not as the cases' stages make it now. Before that it is derived.
 */
const publishedTargetList = (editions: ListEditions | undefined, kind: ListKind, region: string, year: number | undefined) =>
  kind === 'target_list' && editions ? editions.latest(kind, region, year ?? null) : Promise.resolve(undefined);

const wantsCsv = (req: Request) => req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

export function publicEndpoints(lists: PublicLists, editions?: ListEditions) {
  return [
    endpoint({
      method: 'get',
      path: PUBLIC_LIST_PATH,
      summary: 'Published lists (公示名单): yellow, red, over-standard emitters, serious, the exit announcement',
      description:
        'No token needed. Each case appears only if its own pinned policy publishes the list, showing only the fields that policy allows. JSON is paged; CSV (`format=csv`) is the whole list, streamed. Cached for a short while. Rate limited.',
      tags: ['public'],
      auth: false,
      params: ListParams,
      query: ListQuery,
      responses: {
        200: { description: 'One page of the list (JSON), or the whole list (CSV with `format=csv`)', schema: PublishedListView, alsoAs: { 'text/csv': LIST_CSV } },
        404: { description: 'No policy governing cases in the region publishes such a list', schema: Problem, contentType: 'application/problem+json' },
        429: { description: 'Too many requests', schema: Problem, contentType: 'application/problem+json' },
      },
      // The CSV download is served by publicCsvDownload, mounted before this route: a reply here is one JSON body.
      async handler({ params, query }) {
        const published = await publishedTargetList(editions, params.kind, query.region, query.year);
        if (published) return { status: 200, body: await editions!.page(published, query.page, query.pageSize) };
        const edition = await editionOr404(lists, params.kind, query.region, query.year);
        return { status: 200, body: await lists.page(edition, query.page, query.pageSize) };
      },
    }),
  ];
}

/**
 * The CSV download of PUBLIC_LIST_PATH, streamed batch by batch with backpressure (a list of a
 * whole province is never one string in memory). Mounted ahead of the endpoint (api/app.ts),
 * because an endpoint's reply is one body; requests for JSON pass through to the endpoint. Once the
 * first bytes are sent a failure can no longer become a problem: the response is cut off, so a
 * client sees a failed download, never a silently shortened list.
 */
export function publicCsvDownload(lists: PublicLists, editions?: ListEditions): RequestHandler {
  return async (req, res, next) => {
    if (!wantsCsv(req)) return next();
    try {
      const params = parseOr422(ListParams, req.params, 'path');
      const query = parseOr422(ListQuery, req.query, 'query');
      const published = await publishedTargetList(editions, params.kind, query.region, query.year);
      const chunks = published ? editions!.csv(published) : lists.csv(await editionOr404(lists, params.kind, query.region, query.year));
      const first = await chunks.next();
      const filename = `${params.kind}-${query.region}${query.year ? `-${query.year}` : ''}.csv`;
      res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` });
      await pipeline(Readable.from(rest(first, chunks), { objectMode: false }), res);
    } catch (err) {
      if (!res.headersSent) return next(err);
      req.log?.warn({ err }, 'public list download cut off');
      res.destroy();
    }
  };
}

async function* rest(first: IteratorResult<Buffer>, chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  if (first.done) return;
  yield first.value;
  yield* chunks;
}
