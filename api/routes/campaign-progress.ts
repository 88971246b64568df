import { z } from 'zod';
import type { Db } from '../../db/pool';
import { CAMPAIGN_ID_PATTERN } from '../../domain/campaign';
import { LegalDateSchema } from '../../domain/calendar';
import { endpoint, Problem } from '../routing';
import { asOfRefusal, campaignProgressOf, todayInChina } from '../services/campaign-progress';
import { progressCsv, progressXlsx, SHEETS } from '../services/campaign-progress-export';

const EXAMPLE_ID = 'campaign-411000-2026';

const Params = z.object({ campaignId: z.string().regex(CAMPAIGN_ID_PATTERN, 'must be a campaign id (campaign-<division>-<year>)').meta({ example: EXAMPLE_ID }) });

const Query = z
  .object({
    asOf: LegalDateSchema.optional().meta({
      description: 'The ledger’s date (统计截止日期, China time): exits, cases and survey rows as they stood at the end of it, so a report drawn again shows the same figures. Default today; never after today.',
      example: '2026-06-30',
    }),
    format: z.enum(['json', 'csv', 'xlsx']).optional().meta({ description: `csv: one table (UTF-8 with BOM, for Excel); xlsx: the sheets ${Object.values(SHEETS).join('、')}` }),
  })
  .strict();

const Figures = z.object({ capacity: z.number(), enterprises: z.number().int(), facilities: z.number().int() });

const Line = z
  .object({
    industry: z.string(),
    unit: z.string().meta({ description: 'The facilities’ own unit (万吨/年, MW, …): figures in different units are never added' }),
    target: Figures.nullable().meta({ description: 'null: the target list has no line for this industry and unit' }),
    retired: Figures.extend({
      byHow: z.object({ dismantled: z.number(), sealed: z.number(), emergency_backup: z.number() }).meta({ description: 'Capacity by way of exit: 拆除, 封存 (counts as exited, 30号文 (九)), 关而不拆转应急备用 (counts, marked)' }),
    }),
    remaining: Figures.nullable(),
    share: z.number().nullable().meta({ description: 'retired ÷ target capacity; null without a target' }),
  })
  .meta({ id: 'ProgressLine' });

const Reason = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('pace'), industry: z.string(), unit: z.string(), share: z.number(), laggingBelow: z.number() }),
    z.object({ kind: z.literal('overdue'), cases: z.number().int() }),
    z.object({ kind: z.literal('milestones'), milestones: z.array(z.string()) }),
  ])
  .meta({ id: 'LagReason', description: 'pace: a target line below the pace; overdue: cases past their deadline; milestones: the sub-division’s own campaign of the year let these milestones lapse' });

const Cases = z.object({ open: z.number().int(), overdue: z.number().int() });

const LINE_EXAMPLE = {
  industry: 'cement',
  unit: '万吨/年',
  target: { capacity: 200, enterprises: 2, facilities: 3 },
  retired: { capacity: 20, enterprises: 1, facilities: 1, byHow: { dismantled: 0, sealed: 20, emergency_backup: 0 } },
  remaining: { capacity: 180, enterprises: 1, facilities: 2 },
  share: 0.1,
};

const ProgressView = z
  .object({
    campaignId: z.string(),
    division: z.string(),
    name: z.string(),
    year: z.number().int(),
    asOf: z.string(),
    policy: z.object({ id: z.string(), version: z.string() }),
    pace: z
      .object({
        from: z.string(),
        by: z.string(),
        expectedShare: z.number(),
        factor: z.number(),
        laggingBelow: z.number(),
        isDefault: z.boolean().meta({ description: 'The factor is exitflow’s default (policy `defaults`), not the plan’s' }),
      })
      .meta({ description: 'The exit window (组织退出) and the share of it elapsed at the end of asOf; a line lags below factor × expectedShare' }),
    totals: z.array(Line),
    cases: Cases,
    subdivisions: z.array(
      z.object({ division: z.string(), name: z.string(), own: z.boolean().meta({ description: 'The campaign’s own level (本级), not a sub-division' }), lines: z.array(Line), cases: Cases, lagging: z.boolean(), reasons: z.array(Reason) }),
    ),
    lagging: z.array(z.object({ division: z.string(), name: z.string(), reasons: z.array(Reason) })),
  })
  .meta({
    id: 'CampaignProgress',
    example: {
      campaignId: EXAMPLE_ID,
      division: '411000',
      name: '许昌市',
      year: 2026,
      asOf: '2026-06-30',
      policy: { id: 'henan', version: 'henan-2021.1' },
      pace: { from: '2026-01-01', by: '2026-10-31', expectedShare: 0.5954, factor: 0.8, laggingBelow: 0.4763, isDefault: true },
      totals: [LINE_EXAMPLE],
      cases: { open: 4, overdue: 1 },
      subdivisions: [{ division: '411082', name: '长葛市', own: false, lines: [LINE_EXAMPLE], cases: { open: 2, overdue: 1 }, lagging: true, reasons: [{ kind: 'pace', industry: 'cement', unit: '万吨/年', share: 0.1, laggingBelow: 0.4763 }, { kind: 'overdue', cases: 1 }] }],
      lagging: [{ division: '411082', name: '长葛市', reasons: [{ kind: 'pace', industry: 'cement', unit: '万吨/年', share: 0.1, laggingBelow: 0.4763 }, { kind: 'overdue', cases: 1 }] }],
    },
  });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** What the ledger's downloads hold. */
const LEDGER_CSV = 'CSV (UTF-8 with a BOM, for Excel), one table: a row per sub-division (and the total) and industry line, with 统计截止日期、范围、行政区划代码、地区, target, exited (其中拆除、封存、关而不拆转应急备用), remaining capacity, enterprises and facilities, 完成比例, the sub-division’s open and overdue cases, 进展较慢 and 原因';
const LEDGER_XLSX = `XLSX workbook, sheets ${Object.values(SHEETS).join('、')}: the totals per industry and unit, the same per sub-division with its cases and lag, the lagging sub-divisions with why, and the basis (policy, cut-off date, exit window, pace)`;

export function campaignProgressEndpoints(db: Db) {
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/campaigns/:campaignId/progress',
      summary: 'The campaign’s progress ledger (进展台账): capacity exited against the target list per industry and unit, by sub-division, overdue cases, and the sub-divisions that lag',
      description:
        'For operators and officials whose jurisdiction covers the campaign’s division. Sealed capacity counts as exited (30号文 (九)); emergency backup counts, marked. A sub-division lags below the pace of the elapsed exit window (the policy’s `campaign.laggingBelowPaceShare`, a marked default) or with cases past their deadline. `format=csv` or `format=xlsx` for Excel.',
      tags: ['campaigns'],
      auth: true,
      params: Params,
      query: Query,
      responses: {
        200: { description: 'The ledger as of `asOf` (JSON; CSV as text/csv with `format=csv`; XLSX with `format=xlsx`)', schema: ProgressView, alsoAs: { 'text/csv': LEDGER_CSV, [XLSX]: LEDGER_XLSX } },
        404: { description: 'No such campaign', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, query, principal }) {
        const today = todayInChina();
        const asOf = query.asOf ?? today;
        const refusal = asOfRefusal(asOf, today);
        if (refusal) throw refusal;
        const progress = await campaignProgressOf(db, params.campaignId, principal, asOf);
        const file = `progress-${params.campaignId}-${asOf}`;
        if (query.format === 'csv') return { status: 200, body: undefined, raw: progressCsv(progress), headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}.csv"` } };
        if (query.format === 'xlsx') return { status: 200, body: undefined, raw: await progressXlsx(progress), headers: { 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="${file}.xlsx"` } };
        return { status: 200, body: progress };
      },
    }),
  ];
}
