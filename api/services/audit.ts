import type { PoolClient } from 'pg';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import type { Principal } from '../../domain/roles';

export interface AuditEntry {
  requestId: string;
  actor: Principal;
  action: string;
  target: string;
  /** Division code of the enterprise or case concerned. */
  region: string;
  reason?: string;
  result: number;
  detail?: Record<string, unknown>;
}

/** Append one command to the audit trail, inside the caller's transaction (so it lands with the change or not at all). */
export async function appendAudit(tx: PoolClient, e: AuditEntry): Promise<void> {
  await tx.query(
    // A command retried under its Idempotency-Key carries the same `detail.command`: written once
    // (unique index audit_log_command_idx), however many attempts reach this point.
    `INSERT INTO audit_log (request_id, actor, action, target, region_code, reason, result, detail) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT DO NOTHING`,
    [e.requestId, JSON.stringify(e.actor), e.action, e.target, e.region, e.reason ?? null, e.result, JSON.stringify(e.detail ?? {})],
  );
}

export const AuditEntryView = z
  .object({
    id: z.number(),
    at: z.string(),
    requestId: z.string(),
    actor: z.record(z.string(), z.unknown()),
    action: z.string(),
    target: z.string().nullable(),
    regionCode: z.string().nullable(),
    reason: z.string().nullable(),
    result: z.number(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPage = z.object({ items: z.array(AuditEntryView), page: z.number(), pageSize: z.number() }).meta({ id: 'AuditPage' });

export interface AuditFilter {
  target?: string;
  regionPrefix?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** Audit entries, newest first. */
export async function listAudit(db: Db, f: AuditFilter): Promise<z.infer<typeof AuditPage>> {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (f.target) where.push(`target = ${add(f.target)}`);
  if (f.regionPrefix) where.push(`region_code LIKE ${add(f.regionPrefix + '%')}`);
  if (f.action) where.push(`action = ${add(f.action)}`);
  if (f.from) where.push(`at >= ${add(f.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  if (f.to) where.push(`at < (${add(f.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  const { rows } = await db.query(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
    values,
  );
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      requestId: r.request_id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      regionCode: r.region_code,
      reason: r.reason,
      result: r.result,
      detail: r.detail,
    })),
    page: f.page,
    pageSize: f.pageSize,
  };
}
