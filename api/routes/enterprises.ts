import { z } from 'zod';
import { CreditCode, Enterprise, RegisterEnterprise } from '../../domain/enterprise';
import { mayRead, mayRegisterEnterprise } from '../../domain/roles';
import type { Db } from '../../db/pool';
import { authorise } from '../auth';
import { pagingQuery } from '../paging';
import { endpoint, Problem } from '../routing';
import { problems } from '../problem';
import { listEnterprises, readEnterprise, registerEnterprise } from '../services/enterprises';
import { DIVISION_CODE_PATTERN } from '../../domain/jurisdiction';
import { Industry } from '../../domain/model';

const EnterpriseListQuery = z
  .object({
    region: z.string().regex(DIVISION_CODE_PATTERN, 'must be a 6-digit division code').optional(),
    industry: Industry.optional(),
    ...pagingQuery(),
  })
  .strict();

const EXAMPLE: z.input<typeof RegisterEnterprise> = {
  creditCode: '91410100MA4000X7QR',
  name: '郑州市某某钢铁有限公司',
  regionCode: '410102',
  industry: 'steel',
  address: '河南省郑州市中原区建设路1号',
  contact: { name: '王经理', email: 'compliance@steel.example.cn', phone: '0371-12345678' },
  facilities: [{ id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' }],
};

/** The enterprise above as the API shows it, its blast furnace subject of a running case. */
const ENTERPRISE_EXAMPLE: z.infer<typeof Enterprise> = {
  ...(EXAMPLE as z.infer<typeof RegisterEnterprise>),
  registeredAt: '2026-02-26T02:15:00.000Z',
  facilities: [
    { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年', status: 'in_case', statusCaseId: 'case-410102-91410100MA4000X7QR-ZZGX-2026-003', statusChangedAt: '2026-03-02T01:00:00.000Z' },
  ],
};

const EnterprisePage = z
  .object({ items: z.array(Enterprise), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({ id: 'EnterprisePage', example: { items: [ENTERPRISE_EXAMPLE], page: 1, pageSize: 50, total: 1 } });

export function enterpriseEndpoints(db: Db) {
  return [
    endpoint({
      method: 'post',
      path: '/api/v1/enterprises',
      summary: 'Register an enterprise (企业登记) with its facilities',
      tags: ['enterprises'],
      auth: true,
      body: RegisterEnterprise.meta({ ...RegisterEnterprise.meta(), example: EXAMPLE }),
      responses: {
        201: { description: 'Registered', schema: Enterprise, example: { ...ENTERPRISE_EXAMPLE, facilities: ENTERPRISE_EXAMPLE.facilities.map((f) => ({ ...f, status: 'active', statusCaseId: null, statusChangedAt: null })) } },
        409: { description: 'Already registered', schema: Problem, contentType: 'application/problem+json' },
        422: { description: 'A rule is broken; among them, a facility whose capacity exited (sealed or retired) is never registered again (facility_retired), nor in another region (facility_transfer)', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ body, principal, req }) {
        authorise(mayRegisterEnterprise(principal, body.regionCode));
        const enterprise = await registerEnterprise(db, body, principal, String(req.id));
        return { status: 201, body: enterprise, headers: { Location: `/api/v1/enterprises/${enterprise.creditCode}` } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/enterprises',
      summary: 'List enterprises by region (incl. sub-regions) and industry',
      tags: ['enterprises'],
      auth: true,
      query: EnterpriseListQuery,
      responses: { 200: { description: 'One page of the enterprises the caller may see', schema: EnterprisePage } },
      async handler({ query, principal }) {
        return { status: 200, body: await listEnterprises(db, query, principal) };
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/enterprises/:creditCode',
      summary: 'Read an enterprise, each facility with its status (active, in_case, sealed, retired)',
      tags: ['enterprises'],
      auth: true,
      params: z.object({ creditCode: CreditCode }),
      responses: {
        200: { description: 'The enterprise', schema: Enterprise, example: ENTERPRISE_EXAMPLE },
        404: { description: 'Not registered', schema: Problem, contentType: 'application/problem+json' },
      },
      async handler({ params, principal }) {
        const enterprise = await readEnterprise(db, params.creditCode);
        if (!enterprise) throw problems.notFound('enterprise', params.creditCode);
        authorise(mayRead(principal, enterprise.regionCode, enterprise.creditCode));
        return { status: 200, body: enterprise };
      },
    }),
  ];
}
