import { z } from 'zod';
import type { Db } from '../../db/pool';
import { exitMethodText } from '../../domain/capacity-exit';
import { divisionFullName } from '../../domain/divisions';
import { divisionPrefix } from '../../domain/jurisdiction';
import { LIST_MEMBERSHIP, publishedPerDepartment, type CaseListKind, type ListKind } from '../../domain/lists';
import { DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH, type Dimension, type Industry } from '../../domain/model';
import { PublicList, policyById, policyFor, type Policy } from '../../domain/policy';
import { EditionCache } from './edition-cache';

export type { ListKind };
export type Field = z.infer<typeof PublicList>['shows'][number];
type ListRule = z.infer<typeof PublicList>;

export interface Column {
  key: string;
  zh: string;
  field: Field;
}

/** The columns each published field contributes, with the headers officials and Excel users read, in the order they appear. */
const COLUMNS: readonly Column[] = [
  { field: 'enterprise', key: 'enterpriseName', zh: '企业名称' },
  { field: 'enterprise', key: 'creditCode', zh: '统一社会信用代码' },
  { field: 'region', key: 'regionCode', zh: '行政区划代码' },
  { field: 'region', key: 'regionName', zh: '所在地区' },
  { field: 'industry', key: 'industry', zh: '行业' },
  { field: 'dimension', key: 'dimension', zh: '不达标类别' },
  { field: 'equipment', key: 'equipment', zh: '设备（生产线）' },
  { field: 'capacity', key: 'capacity', zh: '产能' },
  { field: 'exit_method', key: 'exitMethod', zh: '退出方式' },
  { field: 'deadline', key: 'deadline', zh: '整改期限' },
];

/** One pinned policy's rule for a list: the cases pinned to that policy appear under it, and show what it allows. */
export interface PublishingRule {
  policy: Pick<Policy, 'id' | 'version'>;
  rule: ListRule;
}

/** What one list of one region and year is made of, before any row is read. */
export interface Edition {
  kind: ListKind;
  region: string;
  year: number | null;
  rules: PublishingRule[];
  columns: Column[];
}

export interface PublishedPage {
  kind: ListKind;
  region: string;
  regionName: string;
  year: number | null;
  /** The pinned policies whose rules the list follows. */
  policies: { id: string; version: string }[];
  columns: { key: string; zh: string }[];
  rows: Record<string, string>[];
  page: number;
  pageSize: number;
  total: number;
}

const pinKey = (p: { id: string; version: string }) => `${p.id}@${p.version}`;

/**
 * The columns of a list whose rows come from several policies: every column some rule shows. A row
 * then fills only the columns its own policy shows (publishedRow), so a policy that publishes the
 * deadline gets it published, and one that does not never has it leaked by a neighbour's rule.
 * (Showing only the columns all rules share would withhold what a policy requires to be published.)
 */
export function editionColumns(rules: readonly PublishingRule[]): Column[] {
  const shown = new Set(rules.flatMap((r) => r.rule.shows));
  return COLUMNS.filter((c) => shown.has(c.field));
}

const facilitiesText = (fs: { name: string }[]) => fs.map((f) => f.name).join('；');
const capacityText = (fs: { capacity: number; unit: string }[]) => fs.map((f) => `${f.capacity} ${f.unit}`).join('；');

/** Every column of a row of the list query, before the policy decides which leave the building. */
function allCells(r: Record<string, any>): Record<string, string> {
  return {
    enterpriseName: r.enterprise_name,
    creditCode: r.credit_code,
    regionCode: r.region_code,
    regionName: divisionFullName(r.region_code) ?? '',
    industry: INDUSTRY_NAMES_ZH[r.industry as Industry] ?? r.industry,
    dimension: DIMENSION_NAMES_ZH[r.dimension as Dimension] ?? r.dimension,
    equipment: facilitiesText(r.facilities ?? []),
    capacity: capacityText(r.facilities ?? []),
    exitMethod: r.how ? exitMethodText(r.how, r.sealed_on ?? null) : '',
    deadline: r.deadline_date ?? '',
  };
}

/** A row as published: the list's columns, blank where the row's own pinned policy does not show the field. */
export function publishedRow(cells: Record<string, string>, columns: readonly Column[], shows: ReadonlySet<Field>): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.key, shows.has(c.field) ? (cells[c.key] ?? '') : '']));
}

/** Which cases a list shows, whatever their policy, as domain/lists.ts says: stage, dimension, seriousness. */
function kindCondition(kind: CaseListKind, add: (v: unknown) => string): string {
  const m = LIST_MEMBERSHIP[kind];
  const conditions = [
    ...(m.dimension ? [`c.dimension = ${add(m.dimension)}`] : []),
    ...(m.seriousOnly ? ['c.serious'] : []),
    ...(m.stages ? [`c.stage = ANY(${add(m.stages)})`] : []),
    ...(m.entered ? [`EXISTS (SELECT 1 FROM case_events ev WHERE ev.case_id = c.case_id AND ev.stage = ${add(m.entered)})`] : []),
  ];
  return conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
}

interface ListSql {
  select: string;
  from: string;
  where: string;
  /** The order of the list, unique per row, so a download can continue after the last row it sent. */
  keys: string[];
  values: unknown[];
}

/**
 * The query behind a list. A case is on it only under its own pinned policy (政策版本): that policy
 * publishes the kind and, for the yellow and red lists, names the case's department among its
 * publishers. The region asked for only says where to look, never whose rules apply, so a province
 * cannot publish a city's case on a list the city's policy keeps unpublished.
 */
function listSql(e: Edition): ListSql {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const pinned = e.rules
    .map(({ policy, rule }) => `(c.policy_id = ${add(policy.id)} AND c.policy_version = ${add(policy.version)}${publishedPerDepartment(e.kind) ? ` AND c.department = ANY(${add(rule.publishedBy)})` : ''})`)
    .join(' OR ');
  const within = add(divisionPrefix(e.region) + '%');
  const pinnedColumns = 'c.policy_id, c.policy_version';
  if (e.kind === 'exit_announcement') {
    // retired_capacity holds a case once per unit: the row of its first unit stands for the case,
    // with the facilities of every unit (each capacity in its own unit) and how it exited (拆除/封存/关而不拆).
    const everyFacility = `(SELECT jsonb_agg(f ORDER BY u.unit, x.n) FROM retired_capacity u, jsonb_array_elements(u.facilities) WITH ORDINALITY AS x(f, n) WHERE u.case_id = r.case_id)`;
    return {
      select: `r.case_id, e.credit_code, r.region_code, r.industry, c.dimension, ${everyFacility} AS facilities, r.how, r.sealed_on, NULL::date AS deadline_date, ${pinnedColumns}, e.name AS enterprise_name`,
      from: `retired_capacity r JOIN cases c USING (case_id) JOIN enterprises e ON e.credit_code = c.credit_code`,
      where: `r.region_code LIKE ${within} AND (${pinned})${e.year ? ` AND r.year = ${add(e.year)}` : ''} AND NOT EXISTS (SELECT 1 FROM retired_capacity u WHERE u.case_id = r.case_id AND u.unit < r.unit)`,
      keys: ['r.exited_on', 'e.name', 'r.case_id'],
      values,
    };
  }
  const yearOpened = e.year ? ` AND extract(year FROM c.opened_at AT TIME ZONE 'Asia/Shanghai') = ${add(e.year)}` : '';
  return {
    // The deadline column is the 整改期限, not the deadline the case runs against now (during an
    // extension request or a re-inspection that is the official's decision due date).
    select: `c.case_id, c.credit_code, c.region_code, c.industry, c.dimension, c.facilities, c.rectification_deadline AS deadline_date, ${pinnedColumns}, e.name AS enterprise_name`,
    from: `cases c JOIN enterprises e USING (credit_code)`,
    where: `c.region_code LIKE ${within} AND (${pinned}) AND ${kindCondition(e.kind, add)}${yearOpened}`,
    keys: ['e.name', 'c.case_id'],
    values,
  };
}

/** A cell Excel will not run as a formula (CSV injection) and that survives commas, quotes and newlines. */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line, CRLF-terminated (RFC 4180). */
export const csvLine = (cells: string[]) => cells.map(csvCell).join(',') + '\r\n';

/** UTF-8 byte-order mark, so Excel opens the Chinese correctly. */
export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** How long a started download's next batch waits for a connection of the busy public pool. */
const STARTED_DOWNLOAD_WAIT_MS = 30_000;

/** Run `read`, trying again while the pool is busy (its connection timeout), for at most STARTED_DOWNLOAD_WAIT_MS. */
export async function waitingForPool<T>(read: () => Promise<T>): Promise<T> {
  const until = Date.now() + STARTED_DOWNLOAD_WAIT_MS;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      const busy = /timeout exceeded when trying to connect/.test(String((err as Error)?.message));
      if (!busy || Date.now() > until) throw err;
    }
  }
}

/** Rows of a CSV download read per query: a bounded batch, so memory stays flat however long the list. */
export const CSV_BATCH_ROWS = 5_000;
/** At most this many rows are cached across all editions (a few MB). */
const CACHE_MAX_ROWS = 50_000;

/**
 * The published lists (公示名单) of every region, read from the pool given (the public's own in
 * production) and cached briefly: a list is an edition published for everyone, so the same page
 * asked for again within the cache time is answered from memory. Changes reach the public within
 * `cacheSeconds`.
 */
export class PublicLists {
  private readonly cache: EditionCache;

  constructor(
    private readonly db: Db,
    opts: { cacheSeconds: number },
  ) {
    this.cache = new EditionCache(opts.cacheSeconds * 1000, CACHE_MAX_ROWS);
  }

  /**
   * The list of a region and year, or undefined when no policy that governs cases there publishes
   * that kind: neither the region's own policy nor any policy a case of the region is pinned to.
   * (A province whose own policy lacks a list still publishes its cities' cases on it when their
   * policies do.)
   */
  async edition(kind: ListKind, region: string, year: number | null): Promise<Edition | undefined> {
    const governing = await this.cache.get(`policies|${region}`, () => this.governingPolicies(region));
    const rules = governing.flatMap((policy) => {
      const rule = policy.publicLists.find((l) => l.kind === kind);
      return rule ? [{ policy: { id: policy.id, version: policy.version }, rule }] : [];
    });
    if (rules.length === 0) return undefined;
    return { kind, region, year, rules, columns: editionColumns(rules) };
  }

  /** One page of a list, with the total, as JSON shows it. */
  async page(e: Edition, page: number, pageSize: number): Promise<PublishedPage> {
    const key = editionKey(e);
    const [total, rows] = await Promise.all([
      this.cache.get(`total|${key}`, () => this.count(e)),
      this.cache.get(`page|${key}|${page}|${pageSize}`, () => this.rows(e, { offset: (page - 1) * pageSize, limit: pageSize }), (r) => r.length),
    ]);
    return {
      kind: e.kind,
      region: e.region,
      regionName: divisionFullName(e.region) ?? e.region,
      year: e.year,
      policies: e.rules.map((r) => ({ id: r.policy.id, version: r.policy.version })),
      columns: e.columns.map(({ key: k, zh }) => ({ key: k, zh })),
      rows,
      page,
      pageSize,
      total,
    };
  }

  /**
   * The whole list as CSV for Excel, in batches of CSV_BATCH_ROWS read one after the other, each
   * continuing after the last row of the one before (keyset, not OFFSET). Each batch is its own
   * short query, so a slow downloader holds no connection between batches and the small public
   * pool stays free; the price is that a case changing mid-download may be missed or show its new
   * state, as it would a moment later anyway. The header comes with the first batch, so a failing
   * first query is still answered as a problem, not as an empty file.
   */
  async *csv(e: Edition): AsyncGenerator<Buffer> {
    const key = editionKey(e);
    let head: Buffer | undefined = Buffer.concat([BOM, Buffer.from(csvLine(e.columns.map((c) => c.zh)), 'utf8')]);
    let after: unknown[] | undefined;
    for (;;) {
      const read = () => this.cache.get(`csv|${key}|${JSON.stringify(after ?? null)}`, () => this.csvBatch(e, after), (b) => b.rows);
      // Once the download has started, a batch waits its turn for the busy public pool rather than
      // cut the download off; only the first batch is refused at once (503, before any byte is sent).
      const batch = head ? await read() : await waitingForPool(read);
      const out: Buffer = head ? Buffer.concat([head, batch.bytes]) : batch.bytes;
      head = undefined;
      if (out.length > 0) yield out;
      if (batch.rows < CSV_BATCH_ROWS || !batch.last) return;
      after = batch.last;
    }
  }

  /** The region's own policy (so a list exists before its first case) and every policy a case there is pinned to. */
  private async governingPolicies(region: string): Promise<Policy[]> {
    const { rows } = await this.db.query<{ policy_id: string; policy_version: string }>(
      `SELECT DISTINCT policy_id, policy_version FROM cases WHERE region_code LIKE $1`,
      [divisionPrefix(region) + '%'],
    );
    // A pin no shipped policy answers to publishes nothing: unknown rules are not guessed.
    const pinned = rows.map((r) => policyById(r.policy_id, r.policy_version)).filter((p): p is Policy => p !== undefined);
    const byKey = new Map([policyFor(region), ...pinned].map((p) => [pinKey(p), p]));
    return [...byKey.values()];
  }

  private async count(e: Edition): Promise<number> {
    const q = listSql(e);
    const { rows } = await this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${q.from} WHERE ${q.where}`, q.values);
    return rows[0]?.total ?? 0;
  }

  /** Rows of the list in its order, published under each row's own policy. */
  private async rows(e: Edition, at: { offset: number; limit: number }): Promise<Record<string, string>[]> {
    const q = listSql(e);
    const add = (v: unknown) => `$${q.values.push(v)}`;
    const { rows } = await this.db.query(`SELECT ${q.select} FROM ${q.from} WHERE ${q.where} ORDER BY ${q.keys.join(', ')} LIMIT ${add(at.limit)} OFFSET ${add(at.offset)}`, q.values);
    return this.publish(e, rows);
  }

  /** Every row of the list as it is now, uncached, batch by batch in the list's order: what a publication freezes (list-editions.ts). */
  async *everyRow(e: Edition): AsyncGenerator<Record<string, string>[]> {
    let after: unknown[] | undefined;
    for (;;) {
      const batch = await this.rowBatch(e, after);
      if (batch.rows.length > 0) yield batch.rows;
      if (batch.rows.length < CSV_BATCH_ROWS || !batch.last) return;
      after = batch.last;
    }
  }

  private async csvBatch(e: Edition, after: unknown[] | undefined): Promise<{ bytes: Buffer; rows: number; last: unknown[] | undefined }> {
    const batch = await this.rowBatch(e, after);
    const text = batch.rows.map((r) => csvLine(e.columns.map((c) => r[c.key] ?? ''))).join('');
    return { bytes: Buffer.from(text, 'utf8'), rows: batch.rows.length, last: batch.last };
  }

  /** Rows of the list continuing after the keys `after` (keyset, not OFFSET), at most CSV_BATCH_ROWS. */
  private async rowBatch(e: Edition, after: unknown[] | undefined): Promise<{ rows: Record<string, string>[]; last: unknown[] | undefined }> {
    const q = listSql(e);
    const add = (v: unknown) => `$${q.values.push(v)}`;
    // The first key alone as well, so the planner can start an index scan there.
    const continueAfter = after ? ` AND ${q.keys[0]} >= ${add(after[0])} AND (${q.keys.join(', ')}) > (${after.map(add).join(', ')})` : '';
    const keyColumns = q.keys.map((k, i) => `${k} AS key_${i}`).join(', ');
    const { rows } = await this.db.query(
      `SELECT ${q.select}, ${keyColumns} FROM ${q.from} WHERE ${q.where}${continueAfter} ORDER BY ${q.keys.join(', ')} LIMIT ${add(CSV_BATCH_ROWS)}`,
      q.values,
    );
    const last = rows.at(-1);
    return { rows: this.publish(e, rows), last: last && q.keys.map((_, i) => last[`key_${i}`]) };
  }

  private publish(e: Edition, rows: Record<string, any>[]): Record<string, string>[] {
    const shows = new Map(e.rules.map((r) => [pinKey(r.policy), new Set(r.rule.shows)]));
    const none = new Set<Field>();
    return rows.map((r) => publishedRow(allCells(r), e.columns, shows.get(pinKey({ id: r.policy_id, version: r.policy_version })) ?? none));
  }
}

const editionKey = (e: Edition) => `${e.kind}|${e.region}|${e.year ?? ''}`;
