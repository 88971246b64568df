import { z } from 'zod';
import { lazy } from './lazy';
import type { Actor } from './inputs';
import { covers } from './jurisdiction';
import { Department, type Dimension } from './model';
import { label } from './text';

/** Who uses exitflow (domain.md, "Who uses the system"). */
export const ROLES = [
  'enforcement_official', // 执法人员, of one department
  'inspector', // 核查人员
  'approving_government', // 有批准权的人民政府
  'coordination_office', // 淘汰落后产能工作协调小组办公室
  'enterprise', // 企业
  'operator', // 运维 (read-only, all regions)
] as const;
export const Role = lazy(() => z.enum(ROLES));
export type Role = z.infer<typeof Role>;

/** The verified identity of a caller, from a signed bearer token's claims. */
export const Principal = lazy(() =>
  z.object({
    sub: label(200),
    name: label(200),
    role: Role,
    department: Department.optional(),
    /** Division code the official acts within; a province covers its cities and counties. */
    jurisdiction: z.string().regex(/^\d{6}$/).optional(),
    /** For enterprise users: their own credit code. */
    creditCode: z.string().regex(/^[0-9A-Z]{18}$/).optional(),
  }),
);
export type Principal = z.infer<typeof Principal>;

export type Decision = { allowed: true } | { allowed: false; reason: string };
const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

function withinJurisdiction(p: Principal, region: string): Decision {
  if (!p.jurisdiction) return deny(`${p.role} ${p.sub} has no jurisdiction`);
  return covers(p.jurisdiction, region) ? allow : deny(`region ${region} is outside jurisdiction ${p.jurisdiction}`);
}

/** Enforcement officials and the coordination office register enterprises within their jurisdiction. */
export function mayRegisterEnterprise(p: Principal, region: string): Decision {
  if (p.role !== 'enforcement_official' && p.role !== 'coordination_office') return deny(`role ${p.role} may not register enterprises`);
  return withinJurisdiction(p, region);
}

/**
 * A case is opened by an enforcement official of a department that enforces its dimension in the
 * enterprise's region (`enforcing`: the region's policy, domain/authority.ts enforcingDepartments),
 * within jurisdiction.
 */
export function mayOpenCase(p: Principal, region: string, dimension: Dimension, department: Department, enforcing: readonly Department[]): Decision {
  if (p.role !== 'enforcement_official') return deny(`role ${p.role} may not open cases`);
  if (!p.department || !enforcing.includes(p.department)) {
    return deny(`department ${p.department ?? '(none)'} does not enforce the ${dimension} standard`);
  }
  if (p.department !== department) return deny(`an official of ${p.department} may not open a case for ${department}`);
  return withinJurisdiction(p, region);
}

/** Reading: operators everywhere; enterprises their own; officials within jurisdiction. */
export function mayRead(p: Principal, region: string, creditCode: string): Decision {
  if (p.role === 'operator') return allow;
  if (p.role === 'enterprise') return p.creditCode === creditCode ? allow : deny('an enterprise sees only its own records');
  return withinJurisdiction(p, region);
}

/** The actor record (who acted) that workflow history and the audit trail carry for a principal. */
export function actorOf(p: Principal): Actor {
  return {
    id: p.sub,
    name: p.name,
    role: p.role,
    ...(p.department ? { department: p.department } : {}),
    ...(p.jurisdiction ? { jurisdiction: p.jurisdiction } : {}),
    ...(p.creditCode ? { creditCode: p.creditCode } : {}),
  };
}

/** A decision waiting on a case (workflows' PendingDecision, the `decisions` table's row). */
export interface PendingDecisionAssignee {
  kind: string;
  assigneeRole: string;
  assigneeDepartment?: string | null;
  /** The deciding authority's division. */
  jurisdiction: string;
}

/** The body a step names, as a pending decision's assignee (for a step with nothing on the to-do list). */
export function pendingOf(kind: string, a: { role: string; department?: Department; jurisdiction: string }): PendingDecisionAssignee {
  return { kind, assigneeRole: a.role, assigneeDepartment: a.department, jurisdiction: a.jurisdiction };
}

/**
 * Whether a caller may take a pending decision: the role it names, the department it names (when it
 * names one), at the division it names or above (a county government cannot decide what the policy
 * gives to the city government). The API answers 403 with the reason; the workflow refuses the same.
 */
export function mayDecide(p: Pick<Principal, 'role' | 'department' | 'jurisdiction'>, d: PendingDecisionAssignee): Decision {
  const who = `${d.assigneeRole}${d.assigneeDepartment ? ` of ${d.assigneeDepartment}` : ''} for ${d.jurisdiction}`;
  if (p.role !== d.assigneeRole) return deny(`the ${d.kind} decision is taken by ${who}, not by ${p.role}`);
  if (d.assigneeDepartment && p.department !== d.assigneeDepartment) return deny(`the ${d.kind} decision is taken by ${who}, not by ${p.department ?? '(no department)'}`);
  if (p.jurisdiction && !covers(p.jurisdiction, d.jurisdiction)) return deny(`the ${d.kind} decision is taken by ${who}, outside jurisdiction ${p.jurisdiction}`);
  return allow;
}

/** Evidence is attached by the enterprise to its own case, or by officials, inspectors and the coordination office within jurisdiction. */
export function mayAttachEvidence(p: Principal, region: string, creditCode: string): Decision {
  if (p.role === 'enterprise') return p.creditCode === creditCode ? allow : deny('an enterprise attaches evidence to its own cases only');
  if (p.role === 'operator' || p.role === 'approving_government') return deny(`role ${p.role} may not attach evidence`);
  return withinJurisdiction(p, region);
}

/** Where a case lies and what it is about, as far as authorising an action on it needs. */
export interface CaseScopeForAuth {
  region: string;
  creditCode: string;
  dimension: Dimension;
  /** The departments that enforce the dimension under the case's pinned policy. */
  enforcing: readonly Department[];
}

/**
 * Whether a caller may send an input to a case: a role the action allows (`allowedRoles`, from
 * domain/stages.ts); an enterprise only on its own case; everyone else within jurisdiction; an
 * enforcement official only for a dimension their department enforces. The workflow then checks
 * the finer authority the pinned policy gives (e.g. Henan: the city government decides extensions).
 */
export function mayAct(p: Principal, allowedRoles: readonly string[], c: CaseScopeForAuth): Decision {
  if (!allowedRoles.includes(p.role)) return deny(`role ${p.role} may not do this (allowed: ${allowedRoles.join(', ')})`);
  if (p.role === 'enterprise') return p.creditCode === c.creditCode ? allow : deny('an enterprise acts only on its own cases');
  if (p.role === 'enforcement_official' && (!p.department || !c.enforcing.includes(p.department))) {
    return deny(`department ${p.department ?? '(none)'} does not enforce the ${c.dimension} standard`);
  }
  return withinJurisdiction(p, c.region);
}
