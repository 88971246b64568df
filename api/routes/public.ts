import { z } from 'zod';
import type { Db } from '../../db/pool';
import { isKnownDivision } from '../../domain/divisions';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import { PublicList } from '../../domain/policy';
import { endpoint, Problem } from '../routing';
import { ApiProblem } from '../problem';
import { publishedList, toCsv } from '../services/public-lists';

const ListParams = z.object({ kind: PublicList.shape.kind });
const ListQuery = z
  .object({
    region: z
      .string()
      .regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code')
      .refine(isKnownDivision, 'is not a division code in GB/T 2260')
      .meta({ description: 'The publishing region (includes its sub-regions), e.g. 410000 for Henan', example: '410100' }),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    format: z.enum(['json', 'csv']).optional().meta({ description: 'csv: UTF-8 with BOM for Excel; also chosen by `Accept: text/csv`' }),
  })
  .strict();

const PublishedListView = z
  .object({
    kind: z.string(),
    region: z.string(),
    regionName: z.string(),
    year: z.number().nullable(),
    policy: z.object({ id: z.string(), version: z.string() }),
    columns: z.array(z.object({ key: z.string(), zh: z.string() })),
    rows: z.array(z.record(z.string(), z.string())),
  })
  .meta({ id: 'PublishedList' });

export function publicEndpoints(db: Db) {
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/public/lists/:kind',
      summary: 'Published lists (公示名单): yellow, red, over-standard emitters, serious, the exit announcement',
      description: 'No token needed. Each list shows only what the region’s policy allows to be published. Rate limited.',
      tags: ['public'],
      auth: false,
      params: ListParams,
      query: ListQuery,
      responses: {
        200: { description: 'The list (JSON, or CSV with `format=csv`)', schema: PublishedListView },
        404: { description: 'The region’s policy publishes no such list', schema: Problem, contentType: 'application/problem+json' },
        429: { description: 'Too many requests', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, query, req }) {
        const list = await publishedList(db, params.kind, query.region, query.year ?? null);
        if (!list) {
          throw new ApiProblem(404, 'list_not_published', 'This region does not publish that list', '该地区不公示此类名单', `the policy for ${query.region} publishes no ${params.kind} list`);
        }
        const csv = query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
        if (!csv) return { status: 200, body: list };
        const filename = `${params.kind}-${query.region}${query.year ? `-${query.year}` : ''}.csv`;
        return { status: 200, body: undefined, raw: toCsv(list), headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` } };
      },
    }),
  ];
}
