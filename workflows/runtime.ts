import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseInput } from '../domain/case';
import { deadlineInstant, toLegalDate, type LegalDeadlineRequest, type Period, type Reminder } from '../domain/deadlines';
import type { ParsedInput } from '../domain/inputs';
import { parentCodes } from '../domain/jurisdiction';
import { assigneeOf, deciderFor, escalationSteps, type Assignee, type CaseAuthorityContext, type Step } from '../domain/authority';
import { divisionAtLevel, policyById, type Authority, type Policy } from '../domain/policy';
import type { Platform } from '../domain/platforms';
import { STAGE_ACTIONS, type Action, type Stage } from '../domain/stages';
import { acts } from './activities';
import * as clocks from './deadline-clock';
import type { CaseState, ClockKind, PendingDecision } from './messages';
import { escalationNotice, reminderNotice } from './notices';
import { SA } from './search-attributes';


interface InboxEntry {
  input: unknown;
  /** The epoch in which the main flow took the input; its handler answers once the flow waits again. */
  takenAt?: number;
}

export const today = (): string => toLegalDate(new Date().toISOString());
export const nowIso = (): string => new Date().toISOString();

/**
 * One running case: its state, pinned policy, inbox of accepted inputs, and the steps every path
 * shares (enter a stage, run a deadline, ask an official for a decision, escalate).
 * Time only ever comes from the workflow clock (new Date() is deterministic in the sandbox).
 */
export class CaseRuntime {
  readonly policy: Policy;
  /** Advances every time the flow starts waiting: handlers answer after the flow has moved on. */
  epoch = 0;
  /** Bumped when a deadline moves or stops, to wake the wait that sleeps towards it. */
  clockVersion = 0;
  readonly inbox: Partial<Record<Action, InboxEntry>> = {};

  constructor(
    readonly input: CaseInput,
    readonly state: CaseState,
  ) {
    const policy = policyById(input.policy.id, input.policy.version);
    // A pinned policy that is not shipped is a deployment error: fail the task, fix, and it resumes.
    if (!policy) throw new Error(`policy ${input.policy.id}@${input.policy.version} is not shipped with this worker`);
    this.policy = policy;
  }

  get caseId(): string {
    return this.input.caseId;
  }

  key(step: string): string {
    return `${this.caseId}/${step}`;
  }

  next(counter: string): number {
    this.state.counters[counter] = (this.state.counters[counter] ?? 0) + 1;
    return this.state.counters[counter]!;
  }

  get rule() {
    return this.policy.dimensions[this.input.dimension];
  }

  // ---- inputs -------------------------------------------------------------------------------

  has(...actions: Action[]): boolean {
    return actions.some((a) => this.inbox[a] !== undefined && this.inbox[a]!.takenAt === undefined);
  }

  put(action: Action, input: unknown): InboxEntry {
    const entry: InboxEntry = { input };
    this.inbox[action] = entry;
    return entry;
  }

  take<A extends Action>(action: A): ParsedInput<A> {
    const entry = this.inbox[action];
    if (!entry || entry.takenAt !== undefined) throw new Error(`no ${action} waiting`);
    entry.takenAt = this.epoch;
    delete this.inbox[action];
    return entry.input as ParsedInput<A>;
  }

  answered(entry: InboxEntry): boolean {
    return entry.takenAt !== undefined && this.epoch > entry.takenAt;
  }

  /** Voluntary exit (主动退出) interrupts any stage before the exit itself. */
  takeVoluntaryExit(): boolean {
    if (!this.has('declareVoluntaryExit')) return false;
    this.take('declareVoluntaryExit');
    this.state.voluntaryExit = true;
    return true;
  }

  async wait(fn: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.epoch++;
    if (timeoutMs === undefined) {
      await condition(fn);
      return true;
    }
    return condition(fn, Math.max(1, timeoutMs));
  }

  /** Let every waiting handler answer (before continue-as-new or the end). */
  async settleHandlers(): Promise<void> {
    this.epoch++;
    await condition(() => Object.values(this.inbox).every((e) => e === undefined));
  }

  // ---- stages --------------------------------------------------------------------------------

  /** Show one clock's deadline as the case's deadline (query, search attribute, read model). */
  show(kind: ClockKind | null): void {
    this.syncDeadlines();
    const clock = kind ? this.state.clocks[kind] : undefined;
    this.state.activeClock = clock ? kind : null;
    this.state.deadline = clock && !clock.suspendedOn ? clock.deadline.date : null;
    this.state.deadlineProvisional = clock?.deadline.provisional ?? false;
  }

  /** Keep the dates the state names in step with the clocks after one moved (settled, resumed, extended). */
  syncDeadlines(): void {
    const { rectification, decision } = this.state.clocks;
    if (rectification) this.state.rectificationDeadline = rectification.deadline.date;
    const open = this.state.pendingDecisions.at(-1);
    if (decision && open) open.dueDate = decision.deadline.date;
  }

  upsertSearchAttributes(): void {
    const d = this.state.deadline;
    upsertSearchAttributes([
      { key: SA.stage, value: this.state.stage },
      { key: SA.deadline, value: d ? new Date(deadlineInstant(d)) : null },
      { key: SA.overdue, value: this.state.overdue },
    ]);
  }

  /** Move to a stage: state, search attributes and the read model (case_events) change together. */
  async enter(stage: Stage, detail: Record<string, unknown> = {}): Promise<void> {
    const at = nowIso();
    this.state.stage = stage;
    this.state.history.push({ at, stage, deadline: this.state.deadline });
    // Inputs the new stage does not accept were overtaken (e.g. by a voluntary exit): answer them.
    for (const [action, entry] of Object.entries(this.inbox) as [Action, InboxEntry][]) {
      if (entry && !STAGE_ACTIONS[stage].includes(action)) {
        entry.takenAt = this.epoch;
        delete this.inbox[action];
      }
    }
    this.upsertSearchAttributes();
    await acts.recordStage({
      caseId: this.caseId,
      stage,
      deadline: this.state.deadline,
      overdue: this.state.overdue,
      rectificationDeadline: this.state.rectificationDeadline,
      occurredAt: at,
      idempotencyKey: this.key(`stage/${this.state.history.length}/${stage}`),
      detail: { provisional: this.state.deadlineProvisional, ...detail },
    });
  }

  /** An event within the current stage (an action, an escalation): read model and search attributes. */
  async record(kind: string, detail: Record<string, unknown>, actor: Record<string, unknown> | null = null, step?: string): Promise<void> {
    this.upsertSearchAttributes();
    await acts.recordStage({
      caseId: this.caseId,
      stage: this.state.stage,
      deadline: this.state.deadline,
      overdue: this.state.overdue,
      rectificationDeadline: this.state.rectificationDeadline,
      occurredAt: nowIso(),
      idempotencyKey: this.key(step ?? `event/${this.next('event')}/${kind}`),
      detail,
      kind,
      actor,
    });
  }

  // ---- clocks --------------------------------------------------------------------------------

  startClock(kind: ClockKind, basis: LegalDeadlineRequest, reminderOffsets: readonly number[]): void {
    this.state.clocks[kind] = clocks.newClock(kind, basis, reminderOffsets, this.state.calendar);
    if (this.state.clockSuspended) clocks.suspend(this.state.clocks[kind]!, today());
    this.clockVersion++;
  }

  stopClock(kind: ClockKind): void {
    delete this.state.clocks[kind];
    this.clockVersion++;
  }

  /**
   * Sleep towards a clock's deadline until `until()` holds, sending its reminders on the way.
   * Before the deadline fires, a provisional one (a year without an official calendar) is settled
   * with a freshly read calendar. Returns 'lapsed' the first time the deadline passes.
   */
  async runClock(kind: ClockKind, until: () => boolean, onReminder: (r: Reminder, deadline: string) => Promise<void>): Promise<'until' | 'lapsed'> {
    for (;;) {
      const clock = this.state.clocks[kind];
      if (until()) return 'until';
      if (!clock || clock.lapsed) {
        await this.wait(() => until() || (!!this.state.clocks[kind] && !this.state.clocks[kind]!.lapsed));
        continue;
      }
      if (clock.suspendedOn) {
        await this.wait(() => until() || !this.state.clocks[kind]?.suspendedOn);
        continue;
      }
      const now = Date.now();
      const reminder = clocks.nextReminder(clock, today(), this.state.calendar);
      const remindAt = reminder ? clocks.reminderInstantMs(reminder.date) : Infinity;
      const target = Math.min(remindAt, clocks.dueMs(clock));
      const version = this.clockVersion;
      if (target > now && (await this.wait(() => until() || this.clockVersion !== version, target - now))) continue;
      if (reminder && remindAt <= clocks.dueMs(clock)) {
        clock.remindersSent.push(clocks.reminderKey(clock, reminder));
        await onReminder(reminder, clock.deadline.date);
        continue;
      }
      if (clock.deadline.provisional) {
        this.state.calendar = await acts.holidayCalendar(clocks.yearsOf(clock));
        const due = this.state.pendingDecisions.at(-1)?.dueDate;
        const moved = clocks.settle(clock, this.state.calendar);
        this.show(this.state.activeClock);
        if (moved) {
          await this.rescheduleOpenDecision(due);
          await this.record('deadline_settled', { kind, deadline: clock.deadline.date, provisional: clock.deadline.provisional });
          continue;
        }
      }
      clock.lapsed = true;
      return 'lapsed';
    }
  }

  // ---- officials' decisions ------------------------------------------------------------------

  /** What domain/authority.ts needs to answer who decides for this case. */
  get authority(): CaseAuthorityContext {
    return { policy: this.policy, dimension: this.input.dimension, department: this.input.department, region: this.input.enterprise.regionCode };
  }

  /**
   * Who takes a step, as the pinned policy says (domain/authority.ts), in the enterprise's locality.
   * Patched ('authority-from-policy'): decisions opened before it keep the earlier reading
   * (legacyAssignee), so a replayed case assigns its decisions as it did.
   */
  decider(step: Step): Assignee {
    if (patched('authority-from-policy')) return deciderFor(this.authority, step);
    return legacyAssignee(this, step);
  }

  /** The department responsible for the case's own deadlines (rectification, dismantling), told when one lapses. */
  responsibleDepartment(): Assignee {
    if (patched('authority-from-policy')) return assigneeOf(this.authority, 'department');
    return legacyAssignee(this, 'reinspection');
  }

  /** Put a decision on an official's to-do list with its own deadline and reminders. */
  async openDecision(kind: string, who: Assignee, period: Period, reminderOffsets: readonly number[], detail: Record<string, unknown> = {}): Promise<PendingDecision> {
    const decisionId = this.key(`${kind}/${this.next(`decision:${kind}`)}`);
    this.startClock('decision', { from: today(), ...period }, reminderOffsets);
    const dueDate = this.state.clocks.decision!.deadline.date;
    const pending: PendingDecision = { decisionId, kind, assigneeRole: who.role, jurisdiction: who.jurisdiction, dueDate, overdue: false };
    if (who.department) pending.assigneeDepartment = who.department;
    this.state.pendingDecisions.push(pending);
    await acts.requestDecision({ ...pending, caseId: this.caseId, dueAt: deadlineInstant(dueDate), detail });
    return pending;
  }

  /**
   * The open decision's due date moved with its clock (resumed after a suspension, settled with a
   * newer calendar): move it on the officials' to-do list too, or the decisions inbox shows a date
   * the workflow no longer escalates on. `before` is its due date before the clock moved.
   * Patched: runs recorded before this change replay without the extra activity call.
   */
  async rescheduleOpenDecision(before: string | undefined): Promise<void> {
    const open = this.state.pendingDecisions.at(-1);
    if (!open || open.dueDate === before || !patched('decision-due-sync')) return;
    await acts.rescheduleDecision({ decisionId: open.decisionId, dueDate: open.dueDate, dueAt: deadlineInstant(open.dueDate), idempotencyKey: `${open.decisionId}/due/${open.dueDate}` });
  }

  /**
   * Wait for a decision. When its deadline lapses: escalate at once (the assignee and the level
   * above), then follow the policy's ladder (county → city → province) while it stays undecided.
   */
  async waitDecision(p: PendingDecision, until: () => boolean): Promise<void> {
    const who: Assignee = { role: p.assigneeRole, department: p.assigneeDepartment, jurisdiction: p.jurisdiction };
    const outcome = await this.runClock('decision', until, async (r) => {
      const n = reminderNotice(this, p, r.daysBefore);
      await acts.notifyAuthorities({ caseId: this.caseId, idempotencyKey: `${p.decisionId}/reminder/${r.daysBefore}`, jurisdiction: p.jurisdiction, roles: [p.assigneeRole], departments: p.assigneeDepartment ? [p.assigneeDepartment] : undefined, ...n });
    });
    if (outcome === 'until') return;
    p.overdue = true;
    await this.escalate(`decision:${p.kind}`, who, p.dueDate, `${p.decisionId}/escalation`);
    for (const step of escalationSteps(this.authority)) {
      // Steps at or below the assignee's own level add nothing to the first escalation.
      if (step.division === who.jurisdiction || !parentCodes(who.jurisdiction).includes(step.division)) continue;
      const at = Date.parse(deadlineInstant(clocks.newClock('decision', { from: p.dueDate, ...step.afterOverdue }, [], this.state.calendar).deadline.date));
      if (await this.wait(until, at - Date.now())) return;
      const n = escalationNotice(this, `decision:${p.kind}`, p.dueDate, step.level);
      await acts.notifyAuthorities({ caseId: this.caseId, idempotencyKey: `${p.decisionId}/escalation/${step.level}`, jurisdiction: step.division, roles: step.roles, ...n });
    }
    await this.wait(until);
  }

  /**
   * Push the case to each platform (联合惩戒 and the bodies told), one idempotent activity each, in
   * parallel; each acknowledgement is kept with the case.
   */
  async punish(platforms: readonly Platform[], kind: string, detail: Record<string, unknown>, keyPrefix: string): Promise<void> {
    const { input } = this;
    const payload = {
      creditCode: input.creditCode,
      enterpriseName: input.enterprise.name,
      regionCode: input.enterprise.regionCode,
      industry: input.enterprise.industry,
      dimension: input.dimension,
      caseNumber: input.caseNumber,
      ...detail,
      facilities: input.facilities.map((f) => ({ id: f.id, name: f.name, capacity: f.capacity, unit: f.unit })),
    };
    const acks = await Promise.all(platforms.map((platform) => acts.pushToPlatform({ caseId: this.caseId, platform, kind, payload, idempotencyKey: `${keyPrefix}/${platform}` })));
    platforms.forEach((platform, i) => (this.state.acknowledgements[platform] = acks[i]!.acknowledgement));
  }

  /** Close a decision on the to-do list and take it off the case's pending list. */
  async closeDecision(p: PendingDecision, outcome: string, actor: Record<string, unknown> | null, status: 'decided' | 'withdrawn' = 'decided'): Promise<void> {
    this.state.pendingDecisions = this.state.pendingDecisions.filter((d) => d.decisionId !== p.decisionId);
    this.stopClock('decision');
    await acts.closeDecision({ decisionId: p.decisionId, outcome, decidedBy: actor, decidedAt: nowIso(), status });
  }

  /** Withdraw every open decision (the case moved on without them, e.g. a voluntary exit). */
  async withdrawDecisions(): Promise<void> {
    for (const p of [...this.state.pendingDecisions]) await this.closeDecision(p, 'withdrawn', null, 'withdrawn');
  }

  /**
   * A deadline lapsed (30号文 (二十) 督办): mark the case overdue, tell the responsible officials and
   * the coordination office one level up (county → city → province, by division code).
   * The record and the two notices are independent and go out together (two workflow tasks less
   * per escalation, which counts when a day's deadlines lapse at the same midnight).
   */
  async escalate(what: string, responsible: Assignee, lapsedOn: string, key: string): Promise<void> {
    this.state.overdue = true;
    const up = parentCodes(responsible.jurisdiction)[0] ?? responsible.jurisdiction;
    const n = escalationNotice(this, what, lapsedOn, null);
    await together('escalation-steps-together', [
      () => this.record('escalation', { what, lapsedOn, responsible, up }, null, `${key}/recorded`),
      () => acts.notifyAuthorities({ caseId: this.caseId, idempotencyKey: `${key}/responsible`, jurisdiction: responsible.jurisdiction, roles: [responsible.role], departments: responsible.department ? [responsible.department] : undefined, ...n }),
      () => acts.notifyAuthorities({ caseId: this.caseId, idempotencyKey: `${key}/up`, jurisdiction: up, roles: ['coordination_office'], ...n }),
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

/**
 * Independent steps run together: their activities are scheduled in one workflow task and their
 * completions come back together, so a case waits for one round instead of one per step. Runs
 * recorded before a site used this replay with the steps in turn: `patchId` names the site
 * (patched()), and is decided before any step starts.
 */
export async function together<T extends unknown[]>(patchId: string, steps: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (patched(patchId)) return (await Promise.all(steps.map((step) => step()))) as T;
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as T;
}
