import type { PoolClient } from 'pg';
import type { Principal } from '../../domain/roles';

export interface AuditEntry {
  requestId: string;
  actor: Principal;
  action: string;
  target: string;
  reason?: string;
  result: number;
  detail?: Record<string, unknown>;
}

/** Append one command to the audit trail, inside the caller's transaction (so it lands with the change or not at all). */
export async function appendAudit(tx: PoolClient, e: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (request_id, actor, action, target, reason, result, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [e.requestId, JSON.stringify(e.actor), e.action, e.target, e.reason ?? null, e.result, JSON.stringify(e.detail ?? {})],
  );
}
