import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { divisionFullName } from '../../domain/divisions';
import { listYear } from '../../domain/lists';
import { INDUSTRY_NAMES_ZH, type Industry } from '../../domain/model';
import { policyById } from '../../domain/policy';
import type { Principal } from '../../domain/roles';
import { ApiProblem } from '../problem';
import { appendAudit } from './audit';
import { BOM, CSV_BATCH_ROWS, csvLine, editionColumns, publishedRow, type ListKind, type PublicLists, type PublishedPage, waitingForPool } from './public-lists';

/**
 * Editions (版本) of the public lists (公示名单): a list published by the coordination office is frozen
 * as it then was, kept for good, and read back exactly as published (issue 12). The target list
 * (年度淘汰目标计划) is published from the campaign's committed survey; every other kind freezes the
 * live list of the campaign's division and year (public-lists.ts).
 */

export interface CampaignOfEdition {
  campaignId: string;
  division: string;
  year: number;
  policyId: string;
  policyVersion: string;
}

/** An edition as listed: what a reader needs to pick one and check a download against it. */
export interface EditionSummary {
  editionId: string;
  kind: ListKind;
  region: string;
  year: number;
  campaignId: string | null;
  publishedAt: string;
  note: string | null;
  rowCount: number;
  sha256: string;
}

interface StoredEdition extends EditionSummary {
  policies: { id: string; version: string }[];
  columns: { key: string; zh: string }[];
}

/** A page of an edition: the live list's shape, with its publication. */
export type EditionPage = PublishedPage & EditionSummary;

interface Content {
  policies: { id: string; version: string }[];
  columns: { key: string; zh: string }[];
  rows: Record<string, string>[];
}

/** Rows of an edition written per statement. */
const INSERT_BATCH = 1_000;

const notPublishedBy = (kind: ListKind, campaign: CampaignOfEdition) =>
  new ApiProblem(404, 'list_not_published', 'This region does not publish that list', '该地区不公示此类名单', `policy ${campaign.policyId}@${campaign.policyVersion} of ${campaign.campaignId} publishes no ${kind} list`);

/**
 * The target list of a campaign: the committed survey's exit rows (当年退出), one row per enterprise
 * with its facilities and their capacity, under the campaign's pinned policy (it says what is shown).
 */
async function targetListContent(db: Db, campaign: CampaignOfEdition): Promise<Content> {
  const policy = policyById(campaign.policyId, campaign.policyVersion);
  const rule = policy?.publicLists.find((l) => l.kind === 'target_list');
  if (!policy || !rule) throw notPublishedBy('target_list', campaign);
  const columns = editionColumns([{ policy, rule }]);
  const shows = new Set(rule.shows);
  const { rows } = await db.query<{ credit_code: string; enterprise_name: string; region_code: string; industry: string; facilities: { name: string; capacity: number; unit: string }[] }>(
    `SELECT s.credit_code, e.name AS enterprise_name, s.region_code, s.industry,
            jsonb_agg(jsonb_build_object('name', coalesce(f.name, s.facility_id), 'capacity', s.capacity, 'unit', s.unit) ORDER BY s.row_number, s.facility_id) AS facilities
       FROM campaign_survey_rows s JOIN enterprises e USING (credit_code)
       LEFT JOIN facilities f ON f.credit_code = s.credit_code AND f.facility_id = s.facility_id
      WHERE s.campaign_id = $1 AND s.treatment = 'exit'
      GROUP BY s.credit_code, e.name, s.region_code, s.industry
      ORDER BY e.name, s.credit_code`,
    [campaign.campaignId],
  );
  const cells = (r: (typeof rows)[number]) => ({
    enterpriseName: r.enterprise_name,
    creditCode: r.credit_code,
    regionCode: r.region_code,
    regionName: divisionFullName(r.region_code) ?? '',
    industry: INDUSTRY_NAMES_ZH[r.industry as Industry] ?? r.industry,
    equipment: r.facilities.map((f) => f.name).join('；'),
    capacity: r.facilities.map((f) => `${f.capacity} ${f.unit}`).join('；'),
  });
  return {
    policies: [{ id: policy.id, version: policy.version }],
    columns: columns.map(({ key, zh }) => ({ key, zh })),
    rows: rows.map((r) => publishedRow(cells(r), columns, shows)),
  };
}

/**
 * Any other list: the live list of the campaign's division as the public reads it now — of the
 * campaign's year for a yearly list, everyone on it now for a standing one (domain/lists.ts listYear).
 */
async function liveListContent(lists: PublicLists, kind: ListKind, campaign: CampaignOfEdition): Promise<Content> {
  const e = await lists.edition(kind, campaign.division, listYear(kind, campaign.year));
  if (!e) throw notPublishedBy(kind, campaign);
  const rows: Record<string, string>[] = [];
  for await (const batch of lists.everyRow(e)) rows.push(...batch);
  return { policies: e.rules.map((r) => ({ ...r.policy })), columns: e.columns.map(({ key, zh }) => ({ key, zh })), rows };
}

/** The CSV of an edition, header first: what its download is, byte for byte, and what its SHA-256 is of. */
const csvHead = (columns: { zh: string }[]) => Buffer.concat([BOM, Buffer.from(csvLine(columns.map((c) => c.zh)), 'utf8')]);
const csvRows = (columns: { key: string }[], rows: Record<string, string>[]) => Buffer.from(rows.map((r) => csvLine(columns.map((c) => r[c.key] ?? ''))).join(''), 'utf8');

const toSummary = (r: Record<string, any>): StoredEdition => ({
  editionId: r.edition_id,
  kind: r.kind,
  region: r.region,
  year: r.year,
  campaignId: r.campaign_id,
  publishedAt: (r.published_at as Date).toISOString(),
  note: r.note,
  rowCount: r.row_count,
  sha256: r.sha256,
  policies: r.policies,
  columns: r.columns,
});
const summaryOf = ({ policies: _p, columns: _c, ...s }: StoredEdition): EditionSummary => s;

export class ListEditions {
  constructor(private readonly db: Db) {}

  /**
   * Publish (公示) the list of `kind` of the campaign's division and year as it is now: its rows and
   * columns stored with a SHA-256 of its CSV, audited. The Idempotency-Key (routing) makes a retried
   * request return the first edition instead of a second one.
   */
  async publish(lists: PublicLists, campaign: CampaignOfEdition, kind: ListKind, note: string | undefined, actor: Principal, requestId: string, command?: string): Promise<EditionSummary> {
    const content = kind === 'target_list' ? await targetListContent(this.db, campaign) : await liveListContent(lists, kind, campaign);
    const sha256 = createHash('sha256').update(csvHead(content.columns)).update(csvRows(content.columns, content.rows)).digest('hex');
    const editionId = `edition-${randomUUID()}`;
    const stored = await inTransaction(this.db, async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO list_editions (edition_id, kind, region, year, campaign_id, published_by, note, policies, columns, row_count, sha256)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING *`,
        [editionId, kind, campaign.division, campaign.year, campaign.campaignId, JSON.stringify(actor), note ?? null, JSON.stringify(content.policies), JSON.stringify(content.columns), content.rows.length, sha256],
      );
      for (let i = 0; i < content.rows.length; i += INSERT_BATCH) {
        await tx.query(
          `INSERT INTO list_edition_rows (edition_id, n, cells) SELECT $1, $2 + x.n, x.cells FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(cells, n)`,
          [editionId, i, JSON.stringify(content.rows.slice(i, i + INSERT_BATCH))],
        );
      }
      await appendAudit(tx, {
        requestId,
        actor,
        action: 'public_list.publish',
        target: editionId,
        region: campaign.division,
        ...(note ? { reason: note } : {}),
        result: 201,
        detail: { kind, campaignId: campaign.campaignId, year: campaign.year, rowCount: content.rows.length, sha256, ...(command ? { command } : {}) },
      });
      return toSummary(rows[0]);
    });
    return summaryOf(stored);
  }

  /** The editions of a list of a region (and year), newest first. */
  async list(kind: ListKind, region: string, year: number | null): Promise<EditionSummary[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM list_editions WHERE kind = $1 AND region = $2 AND ($3::int IS NULL OR year = $3) ORDER BY published_at DESC, edition_id`,
      [kind, region, year],
    );
    return rows.map((r) => summaryOf(toSummary(r)));
  }

  /** The newest edition of a list of a region (and year), if one was ever published. */
  async latest(kind: ListKind, region: string, year: number | null): Promise<StoredEdition | undefined> {
    const { rows } = await this.db.query(
      `SELECT * FROM list_editions WHERE kind = $1 AND region = $2 AND ($3::int IS NULL OR year = $3) ORDER BY published_at DESC, edition_id LIMIT 1`,
      [kind, region, year],
    );
    return rows[0] && toSummary(rows[0]);
  }

  /** One edition of a list; undefined when there is none of that kind with that id. */
  async get(kind: ListKind, editionId: string): Promise<StoredEdition | undefined> {
    const { rows } = await this.db.query(`SELECT * FROM list_editions WHERE kind = $1 AND edition_id = $2`, [kind, editionId]);
    return rows[0] && toSummary(rows[0]);
  }

  /** One page of an edition, as published: rows read by their position, never the whole list. */
  async page(e: StoredEdition, page: number, pageSize: number): Promise<EditionPage> {
    const rows = await this.rowsAt(e.editionId, (page - 1) * pageSize, pageSize);
    return { ...summaryOf(e), regionName: divisionFullName(e.region) ?? e.region, policies: e.policies, columns: e.columns, rows, page, pageSize, total: e.rowCount };
  }

  /** The CSV of an edition in bounded batches: the same bytes whose SHA-256 was stored at publication. */
  async *csv(e: StoredEdition): AsyncGenerator<Buffer> {
    yield csvHead(e.columns);
    // The header is sent first (an edition's rows never change), so each batch waits its turn for the busy public pool.
    for (let at = 0; at < e.rowCount; at += CSV_BATCH_ROWS) yield csvRows(e.columns, await waitingForPool(() => this.rowsAt(e.editionId, at, CSV_BATCH_ROWS)));
  }

  private async rowsAt(editionId: string, offset: number, limit: number): Promise<Record<string, string>[]> {
    const { rows } = await this.db.query<{ cells: Record<string, string> }>(`SELECT cells FROM list_edition_rows WHERE edition_id = $1 AND n > $2 AND n <= $3 ORDER BY n`, [editionId, offset, offset + limit]);
    return rows.map((r) => r.cells);
  }
}
