import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import type { Principal } from '../../domain/roles';
import { text } from '../../domain/text';
import { appendAudit } from './audit';

/** What may be uploaded: photos and PDF documents, at most 10 MiB each. */
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

/** Magic numbers, so a file is what its Content-Type says. */
const SIGNATURES: Record<(typeof EVIDENCE_TYPES)[number], (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

export function contentMatchesType(type: string, content: Buffer): boolean {
  const check = SIGNATURES[type as (typeof EVIDENCE_TYPES)[number]];
  return check ? check(content) : false;
}

export const EvidenceQuery = z
  .object({
    phase: z.enum(['before', 'during', 'after', 'document']).meta({ description: '拆除前/中/后 photos, or a document' }),
    filename: text({ max: 200 }).optional(),
    description: text({ min: 0, max: 500, multiline: true }).optional(),
  })
  .strict();
export type EvidenceQuery = z.infer<typeof EvidenceQuery>;

export const Evidence = z
  .object({
    evidenceId: z.string(),
    caseId: z.string(),
    sha256: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    filename: z.string().nullable(),
    phase: z.string(),
    description: z.string().nullable(),
    uploadedAt: z.string(),
  })
  .meta({ id: 'Evidence', description: 'Stored evidence; acceptance cites it by id and SHA-256' });
export type Evidence = z.infer<typeof Evidence>;

const toEvidence = (r: Record<string, any>): Evidence => ({
  evidenceId: r.evidence_id,
  caseId: r.case_id,
  sha256: r.sha256,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  filename: r.filename,
  phase: r.phase,
  description: r.description,
  uploadedAt: r.uploaded_at.toISOString(),
});

/**
 * The id of one file attached to one case, unique per (case, content) as the table's key must be.
 * The earlier form, `ev-<24 hex of the file's SHA-256>-<last 12 characters of the case id>`, collided
 * for two cases whose ids end alike (same case number) and blocked the second upload for good; ids of
 * that form are still served (EVIDENCE_ID_PATTERN).
 */
export function evidenceIdFor(caseId: string, sha256: string): string {
  return `ev-${createHash('sha256').update(`${caseId}\n${sha256}`).digest('hex').slice(0, 32)}`;
}

/** An evidence id of either form: today's, or the earlier one that rows stored before keep. */
export const EVIDENCE_ID_PATTERN = /^ev-(?:[0-9a-f]{32}|[0-9a-f]{24}-[A-Za-z0-9-]{1,12})$/;

/** Store a file once per case and content (the same photo twice is one piece of evidence), audited. */
export async function storeEvidence(db: Db, c: { caseId: string; region: string }, content: Buffer, type: string, meta: EvidenceQuery, actor: Principal, requestId: string): Promise<{ evidence: Evidence; created: boolean }> {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const evidenceId = evidenceIdFor(c.caseId, sha256);
  return inTransaction(db, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO evidence (evidence_id, case_id, sha256, content_type, size_bytes, filename, phase, description, uploaded_by, content)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (case_id, sha256) DO NOTHING RETURNING *`,
      [evidenceId, c.caseId, sha256, type, content.length, meta.filename ?? null, meta.phase, meta.description ?? null, JSON.stringify(actor), content],
    );
    if (inserted.rows[0]) {
      await appendAudit(tx, { requestId, actor, action: 'case.evidence', target: c.caseId, region: c.region, result: 201, detail: { sha256, phase: meta.phase, sizeBytes: content.length } });
      return { evidence: toEvidence(inserted.rows[0]), created: true };
    }
    const { rows } = await tx.query(`SELECT * FROM evidence WHERE case_id = $1 AND sha256 = $2`, [c.caseId, sha256]);
    return { evidence: toEvidence(rows[0]), created: false };
  });
}

export async function listEvidence(db: Db, caseId: string): Promise<Evidence[]> {
  const { rows } = await db.query(`SELECT evidence_id, case_id, sha256, content_type, size_bytes, filename, phase, description, uploaded_at FROM evidence WHERE case_id = $1 ORDER BY uploaded_at, evidence_id`, [caseId]);
  return rows.map(toEvidence);
}

export async function evidenceContent(db: Db, caseId: string, evidenceId: string): Promise<{ type: string; content: Buffer; sha256: string; filename: string | null } | undefined> {
  const { rows } = await db.query(`SELECT content_type, content, sha256, filename FROM evidence WHERE case_id = $1 AND evidence_id = $2`, [caseId, evidenceId]);
  return rows[0] ? { type: rows[0].content_type, content: rows[0].content, sha256: rows[0].sha256, filename: rows[0].filename } : undefined;
}
