import { countedPage } from '../paging';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import type { Enterprise, RegisterEnterprise } from '../../domain/enterprise';
import type { Principal } from '../../domain/roles';
import { divisionPrefix } from '../../domain/jurisdiction';
import { ApiProblem } from '../problem';
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
  facilities: Enterprise['facilities'];
}

function toEnterprise(r: EnterpriseRow): Enterprise {
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

const FACILITIES_JSON = `COALESCE((SELECT json_agg(json_build_object('id', f.facility_id, 'name', f.name, 'kind', f.kind, 'capacity', f.capacity, 'unit', f.unit) ORDER BY f.facility_id)
                  FROM facilities f WHERE f.credit_code = e.credit_code), '[]') AS facilities`;

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
  if (principal.role === 'enterprise') where.push(`e.credit_code = ${add(principal.creditCode ?? '')}`);
  else if (principal.role !== 'operator') where.push(principal.jurisdiction ? `e.region_code LIKE ${add(divisionPrefix(principal.jurisdiction) + '%')}` : 'false');
  if (f.region) where.push(`e.region_code LIKE ${add(divisionPrefix(f.region) + '%')}`);
  if (f.industry) where.push(`e.industry = ${add(f.industry)}`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const count = { sql: `SELECT count(*)::int AS total FROM enterprises e ${whereSql}`, values: [...values] };
  const page = { sql: `SELECT e.*, ${FACILITIES_JSON} FROM enterprises e ${whereSql} ORDER BY e.name, e.credit_code LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`, values };
  const { total, rows } = await countedPage<EnterpriseRow>(db, count, page);
  return { items: rows.map(toEnterprise), page: f.page, pageSize: f.pageSize, total };
}

export async function findEnterprise(db: Db, creditCode: string): Promise<Enterprise | undefined> {
  const { rows } = await db.query<EnterpriseRow>(
    `SELECT e.*, ${FACILITIES_JSON} FROM enterprises e WHERE e.credit_code = $1`,
    [creditCode],
  );
  return rows[0] ? toEnterprise(rows[0]) : undefined;
}

/** Register an enterprise, its facilities and the audit entry in one transaction; a second registration is 409. */
export async function registerEnterprise(db: Db, e: RegisterEnterprise, actor: Principal, requestId: string): Promise<Enterprise> {
  return inTransaction(db, async (tx) => {
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
      await tx.query(`INSERT INTO facilities (credit_code, facility_id, name, kind, capacity, unit) VALUES ($1,$2,$3,$4,$5,$6)`, [e.creditCode, f.id, f.name, f.kind, f.capacity, f.unit]);
    }
    await appendAudit(tx, { requestId, actor, action: 'enterprise.register', target: e.creditCode, region: e.regionCode, result: 201 });
    return { ...e, registeredAt: row.registered_at.toISOString() };
  });
}
