import { z } from 'zod';
import type { Db } from '../../db/pool';
import { divisionFullName } from '../../domain/divisions';
import { divisionPrefix } from '../../domain/jurisdiction';
import { DIMENSION_NAMES_ZH, INDUSTRY_NAMES_ZH, type Dimension, type Industry } from '../../domain/model';
import { PublicList, policyFor } from '../../domain/policy';
// Stage names as domain/stages.ts defines them.
type Stage = string;

export type ListKind = z.infer<typeof PublicList>['kind'];
type Field = z.infer<typeof PublicList>['shows'][number];

/** Stages in which a case is on the yellow list (黄牌): not compliant, rectifying by a deadline. */
const RECTIFYING: readonly Stage[] = ['rectification', 'suspended_production', 'extension_requested', 'reinspection'];
/** Stages in which an environment case is still an over-standard emitter. */
const OVER_STANDARD: readonly Stage[] = [...RECTIFYING, 'closure_proposed'];
/** Stages of capacity that must exit (the year's elimination target, 淘汰目标). */
const TO_EXIT: readonly Stage[] = ['closure_ordered', 'exit_in_progress', 'sealed', 'acceptance', 'exited'];

/** The columns each published field contributes, with the headers officials and Excel users read. */
const COLUMNS: Record<Field, { key: string; zh: string }[]> = {
  enterprise: [
    { key: 'enterpriseName', zh: '企业名称' },
    { key: 'creditCode', zh: '统一社会信用代码' },
  ],
  region: [
    { key: 'regionCode', zh: '行政区划代码' },
    { key: 'regionName', zh: '所在地区' },
  ],
  industry: [{ key: 'industry', zh: '行业' }],
  dimension: [{ key: 'dimension', zh: '不达标类别' }],
  equipment: [{ key: 'equipment', zh: '设备（生产线）' }],
  capacity: [{ key: 'capacity', zh: '产能' }],
  deadline: [{ key: 'deadline', zh: '整改期限' }],
};

export interface PublishedList {
  kind: ListKind;
  region: string;
  regionName: string;
  year: number | null;
  policy: { id: string; version: string };
  columns: { key: string; zh: string }[];
  rows: Record<string, string>[];
}

const facilitiesText = (fs: { name: string; capacity: number; unit: string }[]) => fs.map((f) => f.name).join('；');
const capacityText = (fs: { capacity: number; unit: string }[]) => fs.map((f) => `${f.capacity} ${f.unit}`).join('；');

/** The query behind each list: which cases (or retired capacity) it shows. */
function listQuery(kind: ListKind, add: (v: unknown) => string, departments: readonly string[], year: number | null): string | undefined {
  // Built lazily: every placeholder added must appear in the query.
  const yearOpened = () => (year ? ` AND extract(year FROM c.opened_at AT TIME ZONE 'Asia/Shanghai') = ${add(year)}` : '');
  const byDepartment = () => ` AND c.department = ANY(${add(departments)})`;
  switch (kind) {
    case 'yellow':
      return `c.stage = ANY(${add(RECTIFYING)})${byDepartment()}${yearOpened()}`;
    case 'red':
      return `EXISTS (SELECT 1 FROM case_events ev WHERE ev.case_id = c.case_id AND ev.stage = 'closure_ordered')${byDepartment()}${yearOpened()}`;
    case 'over_standard':
      return `c.dimension = 'environment' AND c.stage = ANY(${add(OVER_STANDARD)})${yearOpened()}`;
    case 'serious_over_standard':
      return `c.dimension = 'environment' AND c.serious${yearOpened()}`;
    case 'environment_penalties':
      return `c.dimension = 'environment'${yearOpened()}`;
    case 'target_list':
      return `c.stage = ANY(${add(TO_EXIT)})${yearOpened()}`;
    case 'exit_announcement':
      return undefined; // served from retired_capacity
  }
}

/**
 * A public list of a region as its policy allows it to be published: which cases, and of each only
 * the fields the policy's `shows` names. `undefined` when the region's policy publishes no such list.
 */
export async function publishedList(db: Db, kind: ListKind, region: string, year: number | null): Promise<PublishedList | undefined> {
  const policy = policyFor(region);
  const rule = policy.publicLists.find((l) => l.kind === kind);
  if (!rule) return undefined;
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const inRegion = `LIKE ${add(divisionPrefix(region) + '%')}`;
  let rows: Record<string, any>[];
  if (kind === 'exit_announcement') {
    ({ rows } = await db.query(
      `SELECT r.*, e.name AS enterprise_name, e.credit_code, c.dimension, NULL::date AS deadline_date
         FROM retired_capacity r JOIN cases c USING (case_id) JOIN enterprises e ON e.credit_code = c.credit_code
        WHERE r.region_code ${inRegion}${year ? ` AND r.year = ${add(year)}` : ''} ORDER BY r.exited_on, e.name`,
      values,
    ));
  } else {
    const where = listQuery(kind, add, rule.publishedBy, year);
    if (!where) return undefined;
    ({ rows } = await db.query(
      `SELECT c.*, e.name AS enterprise_name FROM cases c JOIN enterprises e USING (credit_code)
        WHERE c.region_code ${inRegion} AND ${where} ORDER BY e.name, c.case_id`,
      values,
    ));
  }
  const columns = rule.shows.flatMap((f) => COLUMNS[f]);
  const full = (r: Record<string, any>): Record<string, string> => ({
    enterpriseName: r.enterprise_name,
    creditCode: r.credit_code,
    regionCode: r.region_code,
    regionName: divisionFullName(r.region_code) ?? '',
    industry: INDUSTRY_NAMES_ZH[r.industry as Industry] ?? r.industry,
    dimension: DIMENSION_NAMES_ZH[r.dimension as Dimension] ?? r.dimension,
    equipment: facilitiesText(r.facilities ?? []),
    capacity: capacityText(r.facilities ?? []),
    deadline: r.deadline_date ?? '',
  });
  return {
    kind,
    region,
    regionName: divisionFullName(region) ?? region,
    year,
    policy: { id: policy.id, version: policy.version },
    columns,
    // Only what the policy allows leaves the building.
    rows: rows.map((r) => {
      const all = full(r);
      return Object.fromEntries(columns.map((c) => [c.key, all[c.key] ?? '']));
    }),
  };
}

/** A cell Excel will not run as a formula (CSV injection) and that survives commas, quotes and newlines. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a byte-order mark, so Excel opens the Chinese correctly; CRLF line ends (RFC 4180). */
export function toCsv(list: PublishedList): Buffer {
  const lines = [list.columns.map((c) => csvCell(c.zh)).join(','), ...list.rows.map((r) => list.columns.map((c) => csvCell(r[c.key] ?? '')).join(','))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}
