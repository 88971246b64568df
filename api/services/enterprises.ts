import { countedPage } from '../paging';
import type { Db } from '../../db/pool';
import { readableSql } from './visibility';
import { inTransaction } from '../../db/pool';
import { refusedFacilities, type StoredFacilityStatus } from '../../domain/capacity-exit';
import type { Enterprise, FacilityWithStatus, RegisterEnterprise, RegisteredEnterprise } from '../../domain/enterprise';
import type { Principal } from '../../domain/roles';
import { divisionPrefix } from '../../domain/jurisdiction';
import { TERMINAL_STAGES } from '../../domain/stages';
import { ApiProblem, problems, type FieldError } from '../problem';
import { appendAudit } from './audit';

interface EnterpriseRow {
  credit_code: string;
  name: string;
  region_code: string;
  industry: Enterprise['industry'];
  address: string | null;
  legal_representative: string | null;
  contact_name: string;
  contact_email: string;
  contact_phone: string | null;
  registered_at: Date;
  facilities: RegisteredEnterprise['facilities'];
}

function toRegistered(r: EnterpriseRow): RegisteredEnterprise {
  return {
    creditCode: r.credit_code,
    name: r.name,
    regionCode: r.region_code,
    industry: r.industry,
    ...(r.address ? { address: r.address } : {}),
    ...(r.legal_representative ? { legalRepresentative: r.legal_representative } : {}),
    contact: { name: r.contact_name, email: r.contact_email, ...(r.contact_phone ? { phone: r.contact_phone } : {}) },
    facilities: r.facilities,
    registeredAt: r.registered_at.toISOString(),
  };
}

/** Timestamps inside json_build_object come as PostgreSQL writes them; the API writes ISO 8601 in UTC. */
const isoOrNull = (v: string | null) => (v === null ? null : new Date(v).toISOString());

function toEnterprise(r: EnterpriseRow): Enterprise {
  const facilities = (r.facilities as FacilityWithStatus[]).map((f) => ({ ...f, statusChangedAt: isoOrNull(f.statusChangedAt) }));
  return { ...toRegistered(r), facilities };
}

/** A facility's category, only where it has one (the field is optional, never null). */
const CATEGORY = `CASE WHEN f.category IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('category', f.category) END`;

const FACILITIES_JSON = `COALESCE((SELECT json_agg(jsonb_build_object('id', f.facility_id, 'name', f.name, 'kind', f.kind, 'capacity', f.capacity, 'unit', f.unit) || ${CATEGORY} ORDER BY f.facility_id)
                  FROM facilities f WHERE f.credit_code = e.credit_code), '[]') AS facilities`;

const TERMINAL = `ARRAY[${TERMINAL_STAGES.map((s) => `'${s}'`).join(', ')}]::text[]`;

/**
 * The facilities with their status: sealed or retired as stored (the case whose capacity exited
 * set it), else in_case while a case that has not ended names the facility, else active.
 */
const FACILITIES_WITH_STATUS_JSON = `COALESCE((
  SELECT json_agg(jsonb_build_object('id', f.facility_id, 'name', f.name, 'kind', f.kind, 'capacity', f.capacity, 'unit', f.unit,
                    'status', CASE WHEN f.status <> 'active' THEN f.status WHEN running.case_id IS NOT NULL THEN 'in_case' ELSE 'active' END,
                    'statusCaseId', CASE WHEN f.status <> 'active' THEN f.status_case_id ELSE running.case_id END,
                    'statusChangedAt', CASE WHEN f.status <> 'active' THEN f.status_changed_at ELSE running.opened_at END) || ${CATEGORY} ORDER BY f.facility_id)
    FROM facilities f
    LEFT JOIN LATERAL (SELECT c.case_id, c.opened_at FROM cases c
                        WHERE c.credit_code = f.credit_code AND c.stage <> ALL(${TERMINAL})
                          AND c.facilities @> jsonb_build_array(jsonb_build_object('id', f.facility_id))
                        ORDER BY c.opened_at, c.case_id LIMIT 1) running ON true
   WHERE f.credit_code = e.credit_code), '[]') AS facilities`;

export interface EnterpriseFilter {
  region?: string;
  industry?: string;
  page: number;
  pageSize: number;
}

/** Enterprises the caller may see, by region (incl. sub-regions) and industry, ordered by name. */
export async function listEnterprises(db: Db, f: EnterpriseFilter, principal: Principal): Promise<{ items: Enterprise[]; page: number; pageSize: number; total: number }> {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  const readable = readableSql(principal, add, { region: 'e.region_code', creditCode: 'e.credit_code' });
  if (readable) where.push(readable);
  if (f.region) where.push(`e.region_code LIKE ${add(divisionPrefix(f.region) + '%')}`);
  if (f.industry) where.push(`e.industry = ${add(f.industry)}`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const count = { sql: `SELECT count(*)::int AS total FROM enterprises e ${whereSql}`, values: [...values] };
  const page = { sql: `SELECT e.*, ${FACILITIES_WITH_STATUS_JSON} FROM enterprises e ${whereSql} ORDER BY e.name, e.credit_code LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`, values };
  const { total, rows } = await countedPage<EnterpriseRow>(db, count, page);
  return { items: rows.map(toEnterprise), page: f.page, pageSize: f.pageSize, total };
}

/** The enterprise as registered (its facilities without status): what a case is opened on. */
export async function findEnterprise(db: Db, creditCode: string): Promise<RegisteredEnterprise | undefined> {
  const { rows } = await db.query<EnterpriseRow>(
    `SELECT e.*, ${FACILITIES_JSON} FROM enterprises e WHERE e.credit_code = $1`,
    [creditCode],
  );
  return rows[0] ? toRegistered(rows[0]) : undefined;
}

/** The enterprise as the API shows it, each facility with its status. */
export async function readEnterprise(db: Db, creditCode: string): Promise<Enterprise | undefined> {
  const { rows } = await db.query<EnterpriseRow>(
    `SELECT e.*, ${FACILITIES_WITH_STATUS_JSON} FROM enterprises e WHERE e.credit_code = $1`,
    [creditCode],
  );
  return rows[0] ? toEnterprise(rows[0]) : undefined;
}

/**
 * 不得转移 (Henan 2021 二(一); Fuzhou 2021 三(二)): the facilities asked for whose capacity has exited
 * (sealed or retired) and so may not come back, as field errors: `field(i)` names the i-th id in the
 * request. With `regionCode`, a facility placed in another region than its own is a transfer.
 */
export async function exitedFacilityErrors(db: Pick<Db, 'query'>, creditCode: string, ids: readonly string[], field: (i: number) => string, regionCode?: string): Promise<FieldError[]> {
  const { rows } = await db.query<{ id: string; status: StoredFacilityStatus['status']; case_id: string | null; region_code: string }>(
    `SELECT f.facility_id AS id, f.status, f.status_case_id AS case_id, e.region_code
       FROM facilities f JOIN enterprises e USING (credit_code)
      WHERE f.credit_code = $1 AND f.facility_id = ANY($2) AND f.status <> 'active'`,
    [creditCode, ids],
  );
  const stored = rows.map((r) => ({ id: r.id, status: r.status, caseId: r.case_id, regionCode: r.region_code }));
  return refusedFacilities(ids, stored, regionCode).map((r) => ({ field: field(r.index), rule: r.rule, message: r.message, messageZh: r.messageZh }));
}

/** Register an enterprise, its facilities and the audit entry in one transaction; a second registration is 409. */
export async function registerEnterprise(db: Db, e: RegisterEnterprise, actor: Principal, requestId: string): Promise<Enterprise> {
  return inTransaction(db, async (tx) => {
    // A facility whose capacity exited is never registered again, here or in another region.
    const exited = await exitedFacilityErrors(tx, e.creditCode, e.facilities.map((f) => f.id), (i) => `facilities.${i}.id`, e.regionCode);
    if (exited.length) throw problems.validation(exited);
    const inserted = await tx.query<{ registered_at: Date }>(
      `INSERT INTO enterprises (credit_code, name, region_code, industry, address, legal_representative, contact_name, contact_email, contact_phone, registered_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (credit_code) DO NOTHING RETURNING registered_at`,
      [e.creditCode, e.name, e.regionCode, e.industry, e.address ?? null, e.legalRepresentative ?? null, e.contact.name, e.contact.email, e.contact.phone ?? null, JSON.stringify(actor)],
    );
    const row = inserted.rows[0];
    if (!row) {
      throw new ApiProblem(409, 'enterprise_exists', 'Conflict with the current state', '该企业已登记', `enterprise ${e.creditCode} is already registered`, [
        { field: 'creditCode', rule: 'unique', message: 'an enterprise with this credit code is already registered', messageZh: '该统一社会信用代码已登记' },
      ]);
    }
    for (const f of e.facilities) {
      await tx.query(`INSERT INTO facilities (credit_code, facility_id, name, kind, capacity, unit, category) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [e.creditCode, f.id, f.name, f.kind, f.capacity, f.unit, f.category ?? null]);
    }
    await appendAudit(tx, { requestId, actor, action: 'enterprise.register', target: e.creditCode, region: e.regionCode, result: 201 });
    const facilities = e.facilities.map((f) => ({ ...f, status: 'active' as const, statusCaseId: null, statusChangedAt: null }));
    return { ...e, facilities, registeredAt: row.registered_at.toISOString() };
  });
}
