import { z } from 'zod';
import type { Db } from '../../db/pool';
import { LegalDate } from '../../domain/case';
import { covers, DIVISION_CODE_PATTERN, divisionPrefix } from '../../domain/jurisdiction';
import { mayRead, type Principal } from '../../domain/roles';
import { authorise } from '../auth';
import { pagingQuery } from '../paging';
import { endpoint, Problem } from '../routing';
import { problems } from '../problem';
import { AuditPage, listAudit } from '../services/audit';
import { caseScope } from '../services/case-list';

const Paging = pagingQuery(100, 500);

const CASE_ID = 'case-410102-91410100MA4000X7QR-ZZGX-2026-003';
/** The example case's extension: requested by the enterprise, granted (shorter) by 中原区's industry bureau. */
const AUDIT_EXAMPLE: z.infer<typeof AuditPage> = {
  items: [
    {
      id: 10482,
      at: '2026-08-24T02:31:07.000Z',
      requestId: '2d0c7e51-93b4-4f0a-8d6e-5a1f7c3b9e20',
      actor: { sub: 'official-410102-gx-07', role: 'enforcement_official', department: 'industry_it', jurisdiction: '410102', name: '李科长' },
      action: 'case.decideExtension',
      target: CASE_ID,
      regionCode: '410102',
      reason: '同意延期2个月',
      result: 200,
      detail: { stage: 'rectification', idempotencyKey: '6f1c2a9e-4b7d-4c1e-9a3f-2d8e5b0c7a14' },
    },
    {
      id: 10377,
      at: '2026-08-20T06:12:00.000Z',
      requestId: 'a81f4c02-5e6d-4b19-9c37-0d2e8f6a1b54',
      actor: { sub: 'enterprise-91410100MA4000X7QR', role: 'enterprise', creditCode: '91410100MA4000X7QR', name: '王经理' },
      action: 'case.requestExtension',
      target: CASE_ID,
      regionCode: '410102',
      reason: '余热回收改造需跨冬季施工',
      result: 200,
      detail: { stage: 'extension_requested', idempotencyKey: '0e9b7d13-extension-request' },
    },
  ],
  page: 1,
  pageSize: 100,
};

const RegionAuditQuery = z
  .object({
    region: z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code').optional().meta({ description: 'Defaults to the caller’s jurisdiction; includes sub-regions' }),
    action: z.string().regex(/^[a-z_.]{1,60}$/, 'must be an action name such as case.open').optional(),
    from: LegalDate.optional(),
    to: LegalDate.optional(),
    ...Paging,
  })
  .strict();

/** Operators read every region; officials and the coordination office their jurisdiction; enterprises none. */
function regionFor(p: Principal, requested: string | undefined): string | undefined {
  if (p.role === 'operator') return requested;
  if (p.role === 'enterprise') throw problems.forbidden('enterprises read the audit trail of their own cases only');
  if (!p.jurisdiction) throw problems.forbidden(`${p.role} ${p.sub} has no jurisdiction`);
  const region = requested ?? p.jurisdiction;
  if (!covers(p.jurisdiction, region)) throw problems.forbidden(`region ${region} is outside jurisdiction ${p.jurisdiction}`);
  return region;
}

export function auditEndpoints(db: Db) {
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/cases/:caseId/audit',
      summary: 'The audit trail of one case: who did what, when, why, with which request id',
      tags: ['audit'],
      auth: true,
      params: z.object({ caseId: z.string().min(1).max(120) }),
      query: z.object(Paging).strict(),
      responses: {
        200: { description: 'Newest first', schema: AuditPage, example: AUDIT_EXAMPLE },
        404: { description: 'No such case', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, query, principal }) {
        const scope = await caseScope(db, params.caseId);
        authorise(mayRead(principal, scope.region, scope.creditCode));
        return { status: 200, body: await listAudit(db, { target: params.caseId, ...query }) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/audit',
      summary: 'The audit trail across a region (incl. sub-regions), filtered by action and date',
      tags: ['audit'],
      auth: true,
      query: RegionAuditQuery,
      responses: { 200: { description: 'Newest first', schema: AuditPage, example: AUDIT_EXAMPLE } },
      async handler({ query, principal }) {
        const region = regionFor(principal, query.region);
        return { status: 200, body: await listAudit(db, { ...query, regionPrefix: region ? divisionPrefix(region) : undefined }) };
      },
    }),
  ];
}
