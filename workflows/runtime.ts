import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseInput } from '../domain/case';
import { deadlineInstant } from '../domain/deadlines';
import type { ParsedInput } from '../domain/inputs';
import type { CaseAuthorityContext } from '../domain/authority';
import { policyById, type Policy } from '../domain/policy';
import type { Platform } from '../domain/platforms';
import { STAGE_ACTIONS, type Action, type Stage } from '../domain/stages';
import { caseActivities } from './activities';
import type { CaseState } from './messages';
import { SA } from './search-attributes';
import { CaseClocks } from './case-clocks';
import { CaseDecisions } from './case-decisions';
import { nameOf, timed, UiState } from './ui-metadata';
import { assigneeZh, caseAwaiting, caseCurrentDetails, deadlineTimerSummary, type CaseDetailsFacts } from './ui-texts';
import { stepNameZh } from '../domain/authority';
import { TERMINAL_STAGES } from '../domain/stages';

interface InboxEntry {
  input: unknown;
  /** The epoch in which the main flow took the input; its handler answers once the flow waits again. */
  takenAt?: number;
}

// Shared by the paths; defined apart so the clocks and decisions can use them without a cycle.
export { nowIso, today } from './time';
export { together } from './together';
import { nowIso } from './time';

/**
 * One running case: its state, pinned policy, inbox of accepted inputs, and the steps every path
 * shares (enter a stage, run a deadline, ask an official for a decision, escalate).
 * Time only ever comes from the workflow clock (new Date() is deterministic in the sandbox).
 */
export class CaseRuntime {
  readonly policy: Policy;
  /** Advances every time the flow starts waiting: handlers answer after the flow has moved on. */
  epoch = 0;
  readonly clocks = new CaseClocks(this);
  readonly decisions = new CaseDecisions(this);
  readonly inbox: Partial<Record<Action, InboxEntry>> = {};
  /** What Temporal UI shows of the case now (current details, ExitflowAwaiting). */
  readonly ui = new UiState();
  /** The case's activities: local steps where the case started under 'local-steps' (workflows/PATCHES.md). */
  readonly acts: ReturnType<typeof caseActivities>;

  constructor(
    readonly input: CaseInput,
    readonly state: CaseState,
  ) {
    const policy = policyById(input.policy.id, input.policy.version);
    // A pinned policy that is not shipped is a deployment error: fail the task, fix, and it resumes.
    if (!policy) throw new Error(`policy ${input.policy.id}@${input.policy.version} is not shipped with this worker`);
    this.policy = policy;
    // Decided once per case, before its first command, and carried over continue-as-new.
    this.acts = caseActivities((state.localSteps ??= patched('local-steps')));
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

  /**
   * Wait until `fn` holds, or at most `timeoutMs`: the one place the case sleeps. Its timer carries
   * `summary` (default: what the case is waiting for) and the case's current details are shown first.
   */
  async wait(fn: () => boolean, timeoutMs?: number, summary?: string): Promise<boolean> {
    this.epoch++;
    this.showUi();
    if (timeoutMs === undefined) {
      await condition(fn);
      return true;
    }
    return timed(fn, Math.max(1, timeoutMs), summary ?? this.timerSummary());
  }

  // ---- Temporal UI ---------------------------------------------------------------------------

  /** The case as Temporal UI describes it now: stage, deadline, the open decision. */
  uiFacts(): CaseDetailsFacts {
    const s = this.state;
    const open = s.pendingDecisions.at(-1);
    return {
      stage: s.stage,
      deadline: s.deadline,
      provisional: s.deadlineProvisional,
      overdue: s.overdue,
      suspended: s.clockSuspended,
      activeClock: s.activeClock,
      terminal: TERMINAL_STAGES.includes(s.stage),
      ...(open
        ? { decision: { role: open.assigneeRole, who: assigneeZh({ role: open.assigneeRole, department: open.assigneeDepartment, jurisdiction: open.jurisdiction }, nameOf), step: stepNameZh(open.kind), due: open.dueDate } }
        : {}),
    };
  }

  /** Current details and ExitflowAwaiting (patch 'ui-metadata'); called at every stage change and wait. */
  showUi(): void {
    const f = this.uiFacts();
    this.ui.show(caseCurrentDetails(f), caseAwaiting(f));
  }

  /** A timer's summary when its caller gives none: the deadline the case sleeps towards. */
  timerSummary(): string {
    const f = this.uiFacts();
    if (f.deadline) return deadlineTimerSummary(f.activeClock ?? 'deadline', f.deadline, f.activeClock === 'decision' ? f.decision : undefined);
    return caseCurrentDetails(f);
  }

  /** Let every waiting handler answer (before continue-as-new or the end). */
  async settleHandlers(): Promise<void> {
    this.epoch++;
    await condition(() => Object.values(this.inbox).every((e) => e === undefined));
  }

  // ---- stages --------------------------------------------------------------------------------

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
    this.showUi();
    await this.acts.recordStage({
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
    this.showUi();
    await this.acts.recordStage({
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

  // ---- side effects shared by the paths ------------------------------------------------------

  /** What domain/authority.ts needs to answer who decides for this case. */
  get authority(): CaseAuthorityContext {
    return { policy: this.policy, dimension: this.input.dimension, department: this.input.department, region: this.input.enterprise.regionCode };
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
    const acks = await Promise.all(platforms.map((platform) => this.acts.pushToPlatform({ caseId: this.caseId, platform, kind, payload, idempotencyKey: `${keyPrefix}/${platform}` })));
    platforms.forEach((platform, i) => (this.state.acknowledgements[platform] = acks[i]!.acknowledgement));
  }

}
