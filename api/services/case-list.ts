import { z } from 'zod';
import type { Db } from '../../db/pool';
import { LegalDate } from '../../domain/case';
import { DIVISION_CODE_PATTERN, divisionPrefix } from '../../domain/jurisdiction';
import { Dimension, Industry, type Department } from '../../domain/model';
import { isFocusIndustry, policyById, type Policy } from '../../domain/policy';
import type { Principal } from '../../domain/roles';
import { text } from '../../domain/text';
import { readableSql } from './visibility';
import { problems } from '../problem';
import { countedPage, pagingQuery } from '../paging';

const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CaseListQuery = z
  .object({
    region: z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code').optional().meta({ description: 'Division code; includes its sub-regions (410000 lists all of Henan)' }),
    industry: Industry.optional(),
    dimension: Dimension.optional(),
    stage: z.string().regex(/^[a-z_]{1,40}$/, 'must be a stage name').optional(),
    overdue: booleanString.optional(),
    deadlineBefore: LegalDate.optional(),
    deadlineAfter: LegalDate.optional(),
    q: text({ max: 100 }).optional().meta({ description: 'Text search in the enterprise name' }),
    sort: z.enum(['deadline', '-deadline', 'openedAt', '-openedAt', 'updatedAt', '-updatedAt']).default('-openedAt'),
    format: z
      .enum(['json', 'csv', 'xlsx'])
      .optional()
      .meta({ description: 'json (default): one page; csv (UTF-8 with BOM, for Excel) or xlsx: every case of the filtered list in its order as a download, Chinese column headings, `page` and `pageSize` ignored' }),
    ...pagingQuery(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CaseSummary = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    creditCode: z.string(),
    enterpriseName: z.string(),
    regionCode: z.string(),
    industry: z.string(),
    dimension: z.string(),
    department: z.string(),
    stage: z.string(),
    deadline: z.string().nullable(),
    overdue: z.boolean(),
    /** 重点行业 of the case's pinned policy. */
    focusIndustry: z.boolean(),
    openedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CaseSummary' });

export const CasePage = z
  .object({ items: z.array(CaseSummary), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({ id: 'CasePage' });


/** Whether the case's industry is a focus industry of its pinned policy (false if the pin is not shipped). */
function focusIndustryOf(r: Record<string, any>): boolean {
  const policy = policyById(r.policy_id, r.policy_version);
  return policy ? isFocusIndustry(policy, r.industry) : false;
}

/** A row of `cases` joined with the enterprise's name, as the API shows it. */
export function toCaseSummary(r: Record<string, any>): z.infer<typeof CaseSummary> {
  return {
    caseId: r.case_id,
    caseNumber: r.case_number,
    creditCode: r.credit_code,
    enterpriseName: r.enterprise_name,
    regionCode: r.region_code,
    industry: r.industry,
    dimension: r.dimension,
    department: r.department,
    stage: r.stage,
    deadline: r.deadline_date ?? null,
    overdue: r.overdue,
    focusIndustry: focusIndustryOf(r),
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const SORT_COLUMNS = { deadline: 'c.deadline', openedAt: 'c.opened_at', updatedAt: 'c.updated_at' } as const;


/** The most cases one export holds; a longer list is refused (narrow the filters), never cut short silently. */
export const EXPORT_MAX_ROWS = 10_000;

/** The FROM … WHERE … ORDER BY of the list, its filters the caller's visibility and the query's. */
function listSql(q: CaseListQuery, principal: Principal) {
  const values: unknown[] = [];
  const add = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where: string[] = [];
  const visible = readableSql(principal, add, { region: 'c.region_code', creditCode: 'c.credit_code' });
  if (visible) where.push(visible);
  if (q.region) where.push(`c.region_code LIKE ${add(divisionPrefix(q.region) + '%')}`);
  if (q.industry) where.push(`c.industry = ${add(q.industry)}`);
  if (q.dimension) where.push(`c.dimension = ${add(q.dimension)}`);
  if (q.stage) where.push(`c.stage = ${add(q.stage)}`);
  if (q.overdue !== undefined) where.push(`c.overdue = ${add(q.overdue)}`);
  if (q.deadlineBefore) where.push(`c.deadline_date < ${add(q.deadlineBefore)}::date`);
  if (q.deadlineAfter) where.push(`c.deadline_date >= ${add(q.deadlineAfter)}::date`);
  if (q.q) where.push(`e.name ILIKE ${add(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const desc = q.sort.startsWith('-');
  const column = SORT_COLUMNS[q.sort.replace('-', '') as keyof typeof SORT_COLUMNS];
  const order = `${column} ${desc ? 'DESC' : 'ASC'} NULLS LAST, c.case_id`;
  return { from: `FROM cases c JOIN enterprises e USING (credit_code) ${whereSql}`, order, values, add };
}

/** Cases from the read model, filtered, sorted and paged. */
export async function listCases(db: Db, q: CaseListQuery, principal: Principal) {
  const { from, order, values, add } = listSql(q, principal);
  const count = { sql: `SELECT count(*)::int AS total ${from}`, values: [...values] };
  const page = { sql: `SELECT c.*, e.name AS enterprise_name ${from} ORDER BY ${order} LIMIT ${add(q.pageSize)} OFFSET ${add((q.page - 1) * q.pageSize)}`, values };
  const { total, rows } = await countedPage(db, count, page);
  return { items: rows.map(toCaseSummary), page: q.page, pageSize: q.pageSize, total };
}

/**
 * Every case of the filtered list in the list's order (not one page of it), for an export; a list
 * longer than EXPORT_MAX_ROWS is refused (422 naming `query.format`), so no export is silently cut short.
 */
export async function allListedCases(db: Db, q: CaseListQuery, principal: Principal) {
  const { from, order, values, add } = listSql(q, principal);
  const { rows } = await db.query(`SELECT c.*, e.name AS enterprise_name ${from} ORDER BY ${order} LIMIT ${add(EXPORT_MAX_ROWS + 1)}`, values);
  if (rows.length > EXPORT_MAX_ROWS) {
    throw problems.validation([{ field: 'query.format', rule: 'export_too_large', message: `the list holds more than ${EXPORT_MAX_ROWS} cases; narrow the filters to export it`, messageZh: `符合条件的案件超过${EXPORT_MAX_ROWS}件，请缩小筛选范围后再导出` }]);
  }
  return rows.map(toCaseSummary);
}

export interface CaseScope {
  caseId: string;
  region: string;
  creditCode: string;
  dimension: Dimension;
  department: Department;
  /** The policy pinned when the case opened: every rule about it comes from this one. */
  policy: Policy;
}

/** Where a case lies and whose it is, for authorising an action on it; 404 when there is no such case. */
export async function caseScope(db: Db, caseId: string): Promise<CaseScope> {
  const { rows } = await db.query(`SELECT region_code, credit_code, dimension, department, policy_id, policy_version FROM cases WHERE case_id = $1`, [caseId]);
  const r = rows[0];
  if (!r) throw problems.notFound('case', caseId);
  const policy = policyById(r.policy_id, r.policy_version);
  // A pinned version this API does not ship is a deployment error (API and worker out of step).
  if (!policy) throw new Error(`case ${caseId} is pinned to policy ${r.policy_id}@${r.policy_version}, which this API does not ship`);
  return { caseId, region: r.region_code, creditCode: r.credit_code, dimension: r.dimension, department: r.department, policy };
}
