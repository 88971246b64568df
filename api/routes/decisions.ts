import { z } from 'zod';
import type { Db } from '../../db/pool';
import { toLegalDate } from '../../domain/deadlines';
import { divisionPrefix } from '../../domain/jurisdiction';
import type { Principal } from '../../domain/roles';
import { countedPage, pagingQuery } from '../paging';
import { endpoint } from '../routing';
import { CaseId } from './cases';

const DecisionsQuery = z
  .object({
    status: z.enum(['open', 'decided', 'withdrawn']).default('open'),
    kind: z.string().regex(/^[a-z_]{1,40}$/, 'must be a decision kind such as extension').optional(),
    caseId: CaseId.optional(),
    ...pagingQuery(),
  })
  .strict();

const PendingDecision = z
  .object({
    decisionId: z.string(),
    kind: z.string(),
    caseId: z.string().nullable().meta({ description: 'The case the decision is on; null for a report’s verification' }),
    reportId: z.string().nullable().meta({ description: 'The public report (举报) to verify, for kind report_verification' }),
    caseNumber: z.string().nullable(),
    enterpriseName: z.string(),
    regionCode: z.string(),
    dimension: z.string().nullable(),
    assigneeRole: z.string(),
    assigneeDepartment: z.string().nullable(),
    jurisdiction: z.string(),
    dueDate: z.string().meta({ description: 'Legal date (Asia/Shanghai) by which the decision is due' }),
    dueAt: z.string(),
    overdue: z.boolean(),
    status: z.string(),
    outcome: z.string().nullable(),
    requestedAt: z.string(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'PendingDecision' });

/** 中原区's industry bureau has an extension request to decide, due in five working days. */
const DECISION_EXAMPLE: z.infer<typeof PendingDecision> = {
  decisionId: 'case-410102-91410100MA4000X7QR-ZZGX-2026-003/extension/1',
  kind: 'extension',
  caseId: 'case-410102-91410100MA4000X7QR-ZZGX-2026-003',
  reportId: null,
  caseNumber: 'ZZGX-2026-003',
  enterpriseName: '郑州市某某钢铁有限公司',
  regionCode: '410102',
  dimension: 'energy',
  assigneeRole: 'enforcement_official',
  assigneeDepartment: 'industry_it',
  jurisdiction: '410102',
  dueDate: '2026-08-27',
  dueAt: '2026-08-27T15:59:59.999Z',
  overdue: false,
  status: 'open',
  outcome: null,
  requestedAt: '2026-08-20T06:12:00.000Z',
  detail: { months: 3, reason: '余热回收改造需跨冬季施工', deadline: '2026-09-02' },
};

const DecisionPage = z
  .object({ items: z.array(PendingDecision), page: z.number(), pageSize: z.number(), total: z.number() })
  .meta({ id: 'DecisionPage', example: { items: [DECISION_EXAMPLE], page: 1, pageSize: 50, total: 1 } });

/** Which decisions a caller may take: their role, their department (if the decision names one), inside their jurisdiction. */
function assignedTo(p: Principal, add: (v: unknown) => string): string {
  if (p.role === 'operator') return 'true';
  if (p.role === 'enterprise' || !p.jurisdiction) return 'false';
  const department = p.department ? `(d.assignee_department IS NULL OR d.assignee_department = ${add(p.department)})` : 'd.assignee_department IS NULL';
  return `d.assignee_role = ${add(p.role)} AND ${department} AND d.jurisdiction LIKE ${add(divisionPrefix(p.jurisdiction) + '%')}`;
}

export function decisionEndpoints(db: Db, now: () => Date = () => new Date()) {
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/decisions',
      summary: 'My decisions inbox (待办): the decisions my role may take in my jurisdiction, soonest due first, overdue marked',
      tags: ['decisions'],
      auth: true,
      query: DecisionsQuery,
      responses: { 200: { description: 'One page of decisions', schema: DecisionPage } },
      async handler({ query, principal }) {
        const values: unknown[] = [];
        const add = (v: unknown) => `$${values.push(v)}`;
        const where = [assignedTo(principal, add), `d.status = ${add(query.status)}`];
        if (query.kind) where.push(`d.kind = ${add(query.kind)}`);
        if (query.caseId) where.push(`d.case_id = ${add(query.caseId)}`);
        // A decision is on a case or, for a report's verification (举报核查), on a report.
        const from = `FROM decisions d LEFT JOIN cases c ON c.case_id = d.case_id LEFT JOIN enterprises e ON e.credit_code = c.credit_code
          LEFT JOIN public_reports r ON r.report_id = d.report_id WHERE ${where.join(' AND ')}`;
        const count = { sql: `SELECT count(*)::int AS total ${from}`, values: [...values] };
        const page = {
          sql: `SELECT d.*, c.case_number, coalesce(c.region_code, r.region) AS region_code, coalesce(c.dimension, r.dimension) AS dimension,
                       coalesce(e.name, r.enterprise_name) AS enterprise_name ${from}
            ORDER BY d.due_at ASC, d.decision_id LIMIT ${add(query.pageSize)} OFFSET ${add((query.page - 1) * query.pageSize)}`,
          values,
        };
        const { total, rows } = await countedPage(db, count, page);
        const at = now().getTime();
        return {
          status: 200,
          body: {
            items: rows.map((r) => ({
              decisionId: r.decision_id,
              kind: r.kind,
              caseId: r.case_id,
              reportId: r.report_id ?? null,
              caseNumber: r.case_number,
              enterpriseName: r.enterprise_name,
              regionCode: r.region_code,
              dimension: r.dimension,
              assigneeRole: r.assignee_role,
              assigneeDepartment: r.assignee_department,
              jurisdiction: r.jurisdiction,
              dueDate: typeof r.due_date === 'string' ? r.due_date : toLegalDate(r.due_date.toISOString()),
              dueAt: r.due_at.toISOString(),
              overdue: r.status === 'open' && r.due_at.getTime() < at,
              status: r.status,
              outcome: r.outcome,
              requestedAt: r.requested_at.toISOString(),
              detail: r.detail,
            })),
            page: query.page,
            pageSize: query.pageSize,
            total,
          },
        };
      },
    }),
  ];
}
