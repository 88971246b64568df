import { patched } from '@temporalio/workflow';
import { assigneeOf, deciderFor, escalationSteps, stepNameZh, type Assignee, type Step } from '../domain/authority';

const LEVEL_ZH = { county: '县级', city: '市级', province: '省级' } as const;
import { deadlineInstant, type Period } from '../domain/deadlines';
import { parentCodes } from '../domain/jurisdiction';
import { divisionAtLevel, type Authority } from '../domain/policy';
import * as clocks from './deadline-clock';
import type { PendingDecision } from './messages';
import { escalationNotice, reminderNotice } from './notices';
import type { CaseRuntime } from './runtime';
import { nowIso, today } from './time';
import { together } from './together';

/**
 * Officials' decisions on a case: who takes each (domain/authority.ts), the to-do list entry with
 * its own deadline and reminders, escalation when it lapses (30号文 (二十) 督办), and escalation of
 * the case's own lapsed deadlines.
 */
export class CaseDecisions {
  constructor(private readonly ctx: CaseRuntime) {}

  /**
   * Who takes a step, as the pinned policy says (domain/authority.ts), in the enterprise's locality.
   * Patched ('authority-from-policy'): decisions opened before it keep the earlier reading
   * (legacyAssignee), so a replayed case assigns its decisions as it did.
   */
  decider(step: Step): Assignee {
    if (patched('authority-from-policy')) return deciderFor(this.ctx.authority, step);
    return legacyAssignee(this.ctx, step);
  }

  /** The department responsible for the case's own deadlines (rectification, dismantling), told when one lapses. */
  responsibleDepartment(): Assignee {
    if (patched('authority-from-policy')) return assigneeOf(this.ctx.authority, 'department');
    return legacyAssignee(this.ctx, 'reinspection');
  }

  /** Put a decision on an official's to-do list with its own deadline and reminders. */
  async open(kind: string, who: Assignee, period: Period, reminderOffsets: readonly number[], detail: Record<string, unknown> = {}): Promise<PendingDecision> {
    const decisionId = this.ctx.key(`${kind}/${this.ctx.next(`decision:${kind}`)}`);
    this.ctx.clocks.start('decision', { from: today(), ...period }, reminderOffsets);
    const dueDate = this.ctx.state.clocks.decision!.deadline.date;
    const pending: PendingDecision = { decisionId, kind, assigneeRole: who.role, jurisdiction: who.jurisdiction, dueDate, overdue: false };
    if (who.department) pending.assigneeDepartment = who.department;
    this.ctx.state.pendingDecisions.push(pending);
    await this.ctx.acts.requestDecision({ ...pending, caseId: this.ctx.caseId, dueAt: deadlineInstant(dueDate), detail });
    return pending;
  }

  /**
   * The open decision's due date moved with its clock (resumed after a suspension, settled with a
   * newer calendar): move it on the officials' to-do list too, or the decisions inbox shows a date
   * the workflow no longer escalates on. `before` is its due date before the clock moved.
   * Patched: runs recorded before this change replay without the extra activity call.
   */
  async reschedule(before: string | undefined): Promise<void> {
    const open = this.ctx.state.pendingDecisions.at(-1);
    if (!open || open.dueDate === before || !patched('decision-due-sync')) return;
    await this.ctx.acts.rescheduleDecision({ decisionId: open.decisionId, dueDate: open.dueDate, dueAt: deadlineInstant(open.dueDate), idempotencyKey: `${open.decisionId}/due/${open.dueDate}` });
  }

  /**
   * Wait for a decision. When its deadline lapses: escalate at once (the assignee and the level
   * above), then follow the policy's ladder (county → city → province) while it stays undecided.
   */
  async wait(p: PendingDecision, until: () => boolean): Promise<void> {
    const who: Assignee = { role: p.assigneeRole, department: p.assigneeDepartment, jurisdiction: p.jurisdiction };
    const outcome = await this.ctx.clocks.run('decision', until, async (r) => {
      const n = reminderNotice(this.ctx, p, r.daysBefore);
      await this.ctx.acts.notifyAuthorities({ caseId: this.ctx.caseId, idempotencyKey: `${p.decisionId}/reminder/${r.daysBefore}`, jurisdiction: p.jurisdiction, roles: [p.assigneeRole], departments: p.assigneeDepartment ? [p.assigneeDepartment] : undefined, ...n });
    });
    if (outcome === 'until') return;
    p.overdue = true;
    await this.escalate(`decision:${p.kind}`, who, p.dueDate, `${p.decisionId}/escalation`);
    for (const step of escalationSteps(this.ctx.authority)) {
      // Steps at or below the assignee's own level add nothing to the first escalation.
      if (step.division === who.jurisdiction || !parentCodes(who.jurisdiction).includes(step.division)) continue;
      const on = clocks.newClock('decision', { from: p.dueDate, ...step.afterOverdue }, [], this.ctx.state.calendar).deadline.date;
      const at = Date.parse(deadlineInstant(on));
      if (await this.ctx.wait(until, at - Date.now(), `${stepNameZh(p.kind)}逾期未决定：${on} 届满报${LEVEL_ZH[step.level]}督办`)) return;
      const n = escalationNotice(this.ctx, `decision:${p.kind}`, p.dueDate, step.level);
      await this.ctx.acts.notifyAuthorities({ caseId: this.ctx.caseId, idempotencyKey: `${p.decisionId}/escalation/${step.level}`, jurisdiction: step.division, roles: step.roles, ...n });
    }
    await this.ctx.wait(until);
  }

  /** Close a decision on the to-do list and take it off the case's pending list. */
  async close(p: PendingDecision, outcome: string, actor: Record<string, unknown> | null, status: 'decided' | 'withdrawn' = 'decided'): Promise<void> {
    this.ctx.state.pendingDecisions = this.ctx.state.pendingDecisions.filter((d) => d.decisionId !== p.decisionId);
    this.ctx.clocks.stop('decision');
    await this.ctx.acts.closeDecision({ decisionId: p.decisionId, outcome, decidedBy: actor, decidedAt: nowIso(), status });
  }

  /** Withdraw every open decision (the case moved on without them, e.g. a voluntary exit). */
  async withdrawAll(): Promise<void> {
    for (const p of [...this.ctx.state.pendingDecisions]) await this.close(p, 'withdrawn', null, 'withdrawn');
  }

  /**
   * A deadline lapsed (30号文 (二十) 督办): mark the case overdue, tell the responsible officials and
   * the coordination office one level up (county → city → province, by division code).
   * The record and the two notices are independent and go out together (two workflow tasks less
   * per escalation, which counts when a day's deadlines lapse at the same midnight).
   */
  async escalate(what: string, responsible: Assignee, lapsedOn: string, key: string): Promise<void> {
    this.ctx.state.overdue = true;
    const up = parentCodes(responsible.jurisdiction)[0] ?? responsible.jurisdiction;
    const n = escalationNotice(this.ctx, what, lapsedOn, null);
    await together('escalation-steps-together', [
      () => this.ctx.record('escalation', { what, lapsedOn, responsible, up }, null, `${key}/recorded`),
      () => this.ctx.acts.notifyAuthorities({ caseId: this.ctx.caseId, idempotencyKey: `${key}/responsible`, jurisdiction: responsible.jurisdiction, roles: [responsible.role], departments: responsible.department ? [responsible.department] : undefined, ...n }),
      () => this.ctx.acts.notifyAuthorities({ caseId: this.ctx.caseId, idempotencyKey: `${key}/up`, jurisdiction: up, roles: ['coordination_office'], ...n }),
    ]);
  }
}

/**
 * Who decided before the 'authority-from-policy' patch: the department and the approving government
 * at the division of the official who opened the case; Henan's city government at the city above
 * the enterprise; acceptance by the opener's coordination office. Kept for cases whose decisions
 * were opened so (workflows/PATCHES.md); retire with the patch.
 */
function legacyAssignee(ctx: CaseRuntime, step: Step): Assignee {
  const j = ctx.input.openedBy.jurisdiction;
  const holding = j && /^\d{6}$/.test(j) ? j : divisionAtLevel(ctx.input.enterprise.regionCode, 'city');
  const rule = ctx.rule;
  const department = ctx.input.department;
  const authority: Authority | 'office' =
    step === 'extension' ? rule.extension!.decider : step === 'closure' ? (rule.closureBy ?? 'approving_government') : step === 'acceptance' ? 'office' : step === 'extended_operation' ? 'approving_government' : 'department';
  if (authority === 'office') return { role: 'coordination_office', jurisdiction: holding };
  if (authority === 'department') return { role: 'enforcement_official', department, jurisdiction: holding };
  if (authority === 'city_government') return { role: 'approving_government', jurisdiction: divisionAtLevel(ctx.input.enterprise.regionCode, 'city') };
  return { role: 'approving_government', jurisdiction: holding };
}
