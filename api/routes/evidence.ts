import { z } from 'zod';
import type { Db } from '../../db/pool';
import { mayAttachEvidence, mayRead } from '../../domain/roles';
import { authorise } from '../auth';
import { endpoint, Problem } from '../routing';
import { problems } from '../problem';
import { caseScope, type CaseScope } from '../services/case-list';
import { contentMatchesType, Evidence, EVIDENCE_ID_PATTERN, EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, EvidenceQuery, evidenceContent, listEvidence, storeEvidence } from '../services/evidence';

const CaseParams = z.object({ caseId: z.string().min(1).max(120) });

const CASE_ID = 'case-410102-91410100MA4000X7QR-ZZGX-2026-003';
/** A photo of the blast furnace before dismantling, as stored (the one api/routes/actions.ts's examples cite). */
const PHOTO_EXAMPLE: z.infer<typeof Evidence> = {
  evidenceId: `ev-${'3f2a'.repeat(8)}`,
  caseId: CASE_ID,
  sha256: '3f2a'.repeat(16),
  contentType: 'image/jpeg',
  sizeBytes: 2_483_117,
  filename: '2号高炉拆除前.jpg',
  phase: 'before',
  description: '2号高炉拆除前全景，东南角拍摄',
  uploadedAt: '2026-11-28T02:40:00.000Z',
};
const DOCUMENT_EXAMPLE: z.infer<typeof Evidence> = {
  evidenceId: `ev-${'7d41'.repeat(8)}`,
  caseId: CASE_ID,
  sha256: '7d41'.repeat(16),
  contentType: 'application/pdf',
  sizeBytes: 318_442,
  filename: '拆除施工合同.pdf',
  phase: 'document',
  description: null,
  uploadedAt: '2026-11-28T02:42:00.000Z',
};

const EvidenceList = z.object({ items: z.array(Evidence) }).meta({ id: 'EvidenceList', example: { items: [PHOTO_EXAMPLE, DOCUMENT_EXAMPLE] } });

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/** `attachment` with the name in RFC 8187 form, so Chinese file names survive and nothing in them can break the header. */
function attachment(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

export function evidenceEndpoints(db: Db) {
  return [
    endpoint({
      method: 'post',
      path: '/api/v1/cases/:caseId/evidence',
      summary: 'Attach evidence (证据): a photo or document, stored with its SHA-256',
      description: `Send the file itself as the body (${EVIDENCE_TYPES.join(', ')}; at most ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB). The same file twice is stored once.`,
      tags: ['evidence'],
      auth: true,
      upload: { types: EVIDENCE_TYPES, maxBytes: EVIDENCE_MAX_BYTES, description: 'A photo (JPEG, PNG or WebP) or a PDF document, the file itself as the body; its phase, name and description in the query' },
      params: CaseParams,
      query: EvidenceQuery,
      responses: {
        201: { description: 'Stored', schema: Evidence, example: PHOTO_EXAMPLE },
        200: { description: 'This file was already attached to the case', schema: Evidence, example: PHOTO_EXAMPLE },
        404: { description: 'No such case', schema: Problem, contentType: 'application/problem+json' },
      },
      async authorise({ params, principal }) {
        const scope = await caseScope(db, params.caseId);
        authorise(mayAttachEvidence(principal, scope.region, scope.creditCode));
        return scope;
      },
      async handler({ query, file, principal, req, authorised }) {
        const scope = authorised as CaseScope;
        const { content, type } = file!;
        if (!contentMatchesType(type, content)) {
          throw problems.validation([{ field: '(body)', rule: 'file_matches_type', message: `the file is not a ${type}`, messageZh: '文件内容与类型不符' }]);
        }
        const { evidence, created } = await storeEvidence(db, scope, content, type, query, principal, String(req.id));
        return { status: created ? 201 : 200, body: evidence, headers: { Location: `/api/v1/cases/${encodeURIComponent(scope.caseId)}/evidence/${evidence.evidenceId}` } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/cases/:caseId/evidence',
      summary: 'The evidence attached to a case',
      tags: ['evidence'],
      auth: true,
      params: CaseParams,
      responses: { 200: { description: 'Oldest first', schema: EvidenceList } },
      async handler({ params, principal }) {
        const scope = await caseScope(db, params.caseId);
        authorise(mayRead(principal, scope.region, scope.creditCode));
        return { status: 200, body: { items: await listEvidence(db, scope.caseId) } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/cases/:caseId/evidence/:evidenceId',
      summary: 'Download one piece of evidence',
      tags: ['evidence'],
      auth: true,
      params: CaseParams.extend({ evidenceId: z.string().regex(EVIDENCE_ID_PATTERN, 'must be an evidence id') }),
      responses: {
        200: {
          description: 'The file as an attachment (Content-Disposition), with its SHA-256 in `Repr-Digest`',
          schema: z.string().meta({ format: 'binary', description: `The file as uploaded, with its own Content-Type (${EVIDENCE_TYPES.join(', ')})` }),
          contentType: 'application/octet-stream',
        },
      },
      async handler({ params, principal }) {
        const scope = await caseScope(db, params.caseId);
        authorise(mayRead(principal, scope.region, scope.creditCode));
        const found = await evidenceContent(db, scope.caseId, params.evidenceId);
        if (!found) throw problems.notFound('evidence', params.evidenceId);
        return {
          status: 200,
          body: undefined,
          raw: found.content,
          headers: {
            'Content-Type': found.type,
            // Uploaded by enterprises: a file is never rendered in the API's origin (a PDF's scripts,
            // an image a browser might sniff as HTML), only saved.
            'Content-Disposition': attachment(found.filename ?? `${params.evidenceId}.${EXTENSIONS[found.type] ?? 'bin'}`),
            'Content-Security-Policy': "sandbox; default-src 'none'",
            'X-Content-Type-Options': 'nosniff',
            'Repr-Digest': `sha-256=:${Buffer.from(found.sha256, 'hex').toString('base64')}:`,
            ETag: `"${found.sha256}"`,
          },
        };
      },
    }),
  ];
}
