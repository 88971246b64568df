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
        200: { description: 'Newest first', schema: AuditPage },
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
      responses: { 200: { description: 'Newest first', schema: AuditPage } },
      async handler({ query, principal }) {
        const region = regionFor(principal, query.region);
        return { status: 200, body: await listAudit(db, { ...query, regionPrefix: region ? divisionPrefix(region) : undefined }) };
      },
    }),
  ];
}
