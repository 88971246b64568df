import { allHandlersFinished, ApplicationFailure, condition, ParentClosePolicy, patched, proxyActivities, setHandler, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import type { HolidayCalendarData } from '../domain/calendar';
import { campaignEscalationDivision, campaignMilestones, campaignStage, CompleteMilestone, mayCompleteMilestone } from '../domain/campaign';
import { isCalendarKnown } from '../domain/calendar';
import { deadlineInstant, reminderDates, rollToWorkingDay } from '../domain/deadlines';
import { callerKey } from '../domain/inputs';
import { divisionPath } from '../domain/jurisdiction';
import { policyById, type Policy } from '../domain/policy';
import { CampaignReports } from './campaign-reports';
import { approveReport, campaignStateQuery, completeMilestone, draftReport, receiveReport, submitReport, type CampaignInput, type CampaignRejection, type CampaignState, type MilestoneCompletion, type MilestoneState } from './campaign-messages';
import { reminderInstantMs } from './deadline-clock';
import { SA } from './search-attributes';
import { supervisionWorkflow } from './supervision';
import { supervisionWorkflowId, type SupervisionReason } from '../domain/supervision';
import { nowIso, today } from './time';
import { nameOf, timed, UiState, uiMetadata, withSummaries } from './ui-metadata';
import { assigneeZh, campaignAwaiting, campaignCurrentDetails, stepTimerSummary, supervisionStaticDetails, supervisionStaticSummary } from './ui-texts';
import { reasonZh } from '../domain/supervision';

// PostgreSQL or SMTP being down is waited out, as for a case (workflows/activities.ts).
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const acts = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry }));
/** Notices wait for PostgreSQL to store that they left rather than send twice (activities/after-send.ts). */
const outbound = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30 seconds', retry }));

function reject(r: CampaignRejection): never {
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

/** One campaign: its pinned policy and calendar, state, and the steps its milestones share. */
class Campaign {
  calendar: HolidayCalendarData | undefined;
  /** Bumped when a milestone is completed, to wake the wait towards the next reminder or lapse. */
  version = 0;
  /** The reports upward, drafted, approved and sent by the campaign (`features.reports`). */
  readonly reports = new CampaignReports(this);
  /** What Temporal UI shows of the campaign now (current details, ExitflowAwaiting; patch 'ui-metadata'). */
  readonly ui = new UiState();

  constructor(
    readonly input: CampaignInput,
    readonly policy: Policy,
    readonly state: CampaignState,
  ) {}

  key(step: string): string {
    return `${this.input.campaignId}/${step}`;
  }

  /** Stage, next milestone and overdue mark, published from the milestones (the only writer of them). */
  show(): void {
    const s = this.state;
    const open = s.milestones.filter((m) => m.status !== 'completed');
    s.stage = campaignStage(s.milestones);
    s.next = open[0] ? { id: open[0].id, nameZh: open[0].nameZh, due: open[0].due } : null;
    s.overdue = open.some((m) => m.status === 'overdue');
    upsertSearchAttributes([
      { key: SA.stage, value: s.stage },
      { key: SA.deadline, value: s.next ? new Date(deadlineInstant(s.next.due)) : null },
      { key: SA.overdue, value: s.overdue },
    ]);
    this.ui.show(campaignCurrentDetails(s.stage, s.next, s.overdue, assigneeZh({ role: 'coordination_office', jurisdiction: this.input.division }, nameOf)), campaignAwaiting(s.next));
  }

  snapshot() {
    const s = this.state;
    return { stage: s.stage, nextMilestone: s.next?.id ?? null, nextDue: s.next?.due ?? null, overdue: s.overdue, milestones: s.milestones, seq: s.events };
  }

  /** An event of the campaign: state shown, read model written (keyed by `step`). */
  async record(kind: string, m: MilestoneState, step: string, detail: Record<string, unknown> = {}, actor: Record<string, unknown> | null = null): Promise<void> {
    this.show();
    this.state.events++;
    await acts.recordCampaignEvent({ campaignId: this.input.campaignId, idempotencyKey: this.key(step), kind, milestoneId: m.id, detail: { due: m.due, ...detail }, actor, occurredAt: nowIso(), snapshot: this.snapshot() });
  }

  /** E-mail the offices `roles` of `jurisdiction`, once per step. */
  async notify(step: string, jurisdiction: string, roles: string[], subject: string, text: string): Promise<void> {
    await outbound.notifyCampaignAuthorities({ campaignId: this.input.campaignId, idempotencyKey: this.key(step), jurisdiction, roles, subject, text });
  }

  /** A milestone the campaign completes by itself (a report sent); late when it had lapsed. */
  completeMilestone(m: MilestoneState, by: { id: string; name: string; role: string }, note: string | null): void {
    m.status = 'completed';
    m.completedOn = today();
    m.completedBy = by;
    m.note = note;
    this.version++;
  }

  wake(): void {
    this.version++;
  }

  private title(m: MilestoneState): string {
    return `${this.input.division} ${this.input.year}年度淘汰落后产能工作「${m.nameZh}」`;
  }

  /** The next reminder of a pending milestone not yet sent, from the policy's `reminders.campaign`. */
  nextReminder(m: MilestoneState) {
    if (m.status !== 'pending') return undefined;
    return reminderDates(m.due, this.policy.reminders.campaign, { notBefore: today(), cal: this.calendar }).find((r) => !m.remindersSent.includes(r.daysBefore));
  }

  async remind(m: MilestoneState, daysBefore: number): Promise<void> {
    m.remindersSent.push(daysBefore);
    const step = `${m.id}/reminder/${m.due}/${daysBefore}`;
    await Promise.all([
      this.record('reminder', m, step, { daysBefore }),
      outbound.notifyCampaignAuthorities({
        campaignId: this.input.campaignId,
        idempotencyKey: this.key(`${step}/office`),
        jurisdiction: this.input.division,
        roles: ['coordination_office'],
        subject: `【工作提醒】${this.title(m)}将于${m.due}到期，剩余${daysBefore}天`,
        text: `${this.title(m)}应于${m.due}前完成（剩余${daysBefore}天）。逾期未完成的，将提请上一级督办。\nReminder: milestone ${m.id} of ${this.input.campaignId} is due ${m.due}.`,
      }),
    ]);
  }

  /**
   * A milestone lapsed (30号文 (二十) 督办): mark it overdue, tell the division's office and the office
   * one level up (domain/campaign.ts campaignEscalationDivision), as a case escalates. It stays open.
   */
  async escalate(m: MilestoneState): Promise<void> {
    m.status = 'overdue';
    m.lapsedOn = m.due;
    const up = campaignEscalationDivision(this.policy, this.input.division);
    const notice = {
      subject: `【逾期督办】${this.title(m)}已于${m.due}到期未完成`,
      text: [
        `${this.title(m)}已于${m.due}到期，尚未完成，已标记为逾期。`,
        '依据工信部联产业〔2017〕30号（二十），对进展缓慢的地区采取通报、约谈等方式督办。',
        `Escalation: milestone ${m.id} of ${this.input.campaignId} lapsed on ${m.due}.`,
      ].join('\n'),
    };
    const step = `${m.id}/overdue/${m.due}`;
    const tell = (who: string, jurisdiction: string) =>
      outbound.notifyCampaignAuthorities({ campaignId: this.input.campaignId, idempotencyKey: this.key(`${step}/${who}`), jurisdiction, roles: ['coordination_office'], ...notice });
    await Promise.all([this.record('overdue', m, step, { up }), tell('responsible', this.input.division), ...(up !== this.input.division ? [tell('up', up)] : [])]);
    // The office above supervises the lapse (督办事项), unless nobody on exitflow is above this division.
    if (this.state.features?.supervision && up !== this.input.division) {
      await this.supervise(this.input.division, up, { kind: 'milestone_lapsed', milestoneId: m.id, nameZh: m.nameZh, due: m.due });
    }
  }

  /**
   * Open a supervision item (workflows/supervision.ts) on `region` for the office of `supervisor`: a
   * workflow of its own that outlives the campaign. Its id is a function of the lag, so the same lag
   * found again opens nothing new.
   */
  async supervise(region: string, supervisor: string, reason: SupervisionReason): Promise<void> {
    const itemId = supervisionWorkflowId(region, this.input.year, reason);
    const items = (this.state.supervision ??= {});
    if (items[itemId]) return;
    try {
      await startChild(supervisionWorkflow, {
        workflowId: itemId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ itemId, supervisor, region, campaignId: this.input.campaignId, year: this.input.year, policy: this.input.policy, reason, openedBy: null, openedAt: nowIso() }],
        ...(uiMetadata()
          ? {
              staticSummary: supervisionStaticSummary(region, this.input.year, reasonZh(reason), nameOf),
              staticDetails: supervisionStaticDetails(region, supervisor, this.input.campaignId, this.policy, nameOf),
              memo: { divisionNames: Object.fromEntries([region, supervisor].flatMap((c) => (nameOf(c) ? [[c, nameOf(c)!]] : []))) },
            }
          : {}),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    items[itemId] = { region, reason: reason.kind, openedOn: today() };
  }

  /**
   * At the end of the day the exit is due and the day acceptance is due (30号文 (二十); LN/HN 四(四)),
   * the sub-divisions that lag on the ledger (domain/progress.ts: below the policy's pace, cases
   * overdue, or lapsed milestones of their own campaign) each get a supervision item of this office.
   */
  async assessPace(m: MilestoneState): Promise<void> {
    (this.state.paceChecked ??= []).push(m.id);
    const lagging = await acts.laggingSubdivisions({ campaignId: this.input.campaignId, asOf: m.due });
    for (const l of lagging.filter((x) => x.division !== this.input.division)) {
      await this.supervise(l.division, this.input.division, { kind: 'pace', asOf: m.due, reasons: l.reasons });
    }
    await this.record('pace_assessed', m, `${m.id}/pace/${m.due}`, { lagging: lagging.map((l) => l.division) });
  }

  /**
   * A milestone whose date was rolled with a calendar that did not yet know its year (the State
   * Council publishes next year's holidays late in the year) is rolled again with a freshly read
   * calendar, at most once a day, before a reminder, draft or lapse goes out for it. Returns whether
   * its date moved (the clock then starts over).
   */
  async settle(m: MilestoneState): Promise<boolean> {
    if (!this.state.features?.settle || !m.provisional || m.settleReadOn === today()) return false;
    m.settleReadOn = today();
    const planned = m.rolledFrom ?? m.due;
    const year = Number(planned.slice(0, 4));
    this.calendar = await acts.holidayCalendar([...new Set([this.input.year, this.input.year + 1, year])]);
    m.provisional = !isCalendarKnown(year, this.calendar);
    const due = rollToWorkingDay(planned, this.calendar);
    if (due === m.due) return false;
    const was = m.due;
    m.due = due;
    if (due === planned) delete m.rolledFrom;
    else m.rolledFrom = planned;
    this.reports.settled(m);
    this.version++;
    await this.record('milestone_settled', m, `${m.id}/settled/${due}`, { from: was, to: due, provisional: m.provisional });
    return true;
  }

  /** Milestones at whose due date the office assesses its sub-divisions' pace, not yet assessed. */
  paceChecks(): MilestoneState[] {
    if (!this.state.features?.supervision) return [];
    const done = this.state.paceChecked ?? [];
    return this.state.milestones.filter((m) => (m.kind === 'exit_by' || m.kind === 'acceptance') && !done.includes(m.id));
  }

  // ---- the update ------------------------------------------------------------------------------

  private scoped(raw: { idempotencyKey?: unknown; actor?: unknown }): string {
    const actor = raw?.actor as Parameters<typeof callerKey>[0] | undefined;
    return `${String(raw?.idempotencyKey)}/${actor && typeof actor === 'object' ? callerKey(actor) : ''}`;
  }

  /** Refuse before anything is recorded: bad input, outside the division's office, unknown or completed milestone. */
  validate(raw: unknown): void {
    const parsed = CompleteMilestone.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      reject({ code: 'invalid_input', message: `${issue.path.join('.')}: ${issue.message}`, messageZh: '输入不符合要求', field: issue.path.join('.') });
    }
    const input = parsed.data;
    if (this.state.results[this.scoped(input)] || this.running.has(this.scoped(input))) return; // a repeat answers with the first result
    const who = mayCompleteMilestone({ role: input.actor.role as never, jurisdiction: input.actor.jurisdiction }, this.input.division);
    if (!who.allowed) reject({ code: 'not_the_division_office', message: who.reason, messageZh: '只有本地区淘汰落后产能工作办公室可以确认完成', field: 'actor' });
    if (!this.state.ready) reject({ code: 'campaign_not_ready', message: 'the campaign is still computing its milestones; retry', messageZh: '工作计划尚在生成，请稍后重试' });
    const m = this.state.milestones.find((x) => x.id === input.milestoneId);
    if (!m) reject({ code: 'unknown_milestone', message: `no milestone ${input.milestoneId}; the campaign has ${this.state.milestones.map((x) => x.id).join(', ')}`, messageZh: '该工作节点不存在', field: 'milestoneId' });
    if (m.status === 'completed') reject({ code: 'milestone_already_completed', message: `milestone ${m.id} was completed on ${m.completedOn}`, messageZh: '该工作节点已确认完成', field: 'milestoneId' });
    if (m.kind === 'report' && this.state.features?.reports) {
      reject({ code: 'report_milestone_completes_when_sent', message: `milestone ${m.id} is completed by sending its report (POST …/reports/${m.id.slice('report:'.length)}/submissions)`, messageZh: '报送类工作节点在报告报送后自动完成', field: 'milestoneId' });
    }
  }

  readonly running = new Map<string, Promise<MilestoneCompletion>>();

  async complete(input: CompleteMilestone): Promise<MilestoneCompletion> {
    const m = this.state.milestones.find((x) => x.id === input.milestoneId)!;
    const late = m.status === 'overdue';
    m.status = 'completed';
    m.completedOn = today();
    m.completedBy = { id: input.actor.id, name: input.actor.name, role: input.actor.role };
    m.note = input.note ?? null;
    this.version++;
    await this.record('completed', m, `${m.id}/completed`, { late, note: m.note }, input.actor);
    return { milestoneId: m.id, idempotencyKey: input.idempotencyKey, completedOn: m.completedOn, late, stage: this.state.stage, next: this.state.next?.id ?? null };
  }

  register(): void {
    setHandler(
      completeMilestone,
      async (raw) => {
        const key = this.scoped(raw);
        const first = this.state.results[key] ?? this.running.get(key);
        if (first) return first;
        const p = this.complete(CompleteMilestone.parse(raw)).then((r) => {
          this.state.results[key] = r;
          this.running.delete(key);
          return r;
        });
        this.running.set(key, p);
        return p;
      },
      { validator: (raw) => this.validate(raw) },
    );
    const guard = (action: 'draft' | 'submit' | 'approve' | 'receive') => ({
      validator: (raw: unknown) => {
        if (this.state.ready && !this.state.features?.reports) reject({ code: 'reports_not_kept', message: 'this campaign was started before exitflow drafted reports; complete its report milestones instead', messageZh: '本年度工作启动时尚不支持在线报送，请直接确认完成报送节点' });
        this.reports.validate(action, raw);
      },
    });
    setHandler(draftReport, (raw) => this.reports.handle('draft', raw), guard('draft'));
    setHandler(submitReport, (raw) => this.reports.handle('submit', raw), guard('submit'));
    setHandler(approveReport, (raw) => this.reports.handle('approve', raw), guard('approve'));
    setHandler(receiveReport, (raw) => this.reports.handle('receive', raw), guard('receive'));
  }

  // ---- time --------------------------------------------------------------------------------------

  /**
   * Until every milestone is completed: sleep towards the earliest reminder or lapse among the open
   * milestones, then send it; a completion wakes the sleep. A lapsed milestone stays open.
   */
  async run(): Promise<void> {
    for (;;) {
      const open = this.state.milestones.filter((m) => m.status !== 'completed');
      const receipts = !!this.state.features?.reports && this.reports.awaitingReceipt();
      // Reports sent inside exitflow wait to be signed for until the end of the following year at most.
      const checks = this.paceChecks();
      if (!open.length && !checks.length && (!receipts || Date.now() >= Date.parse(deadlineInstant(`${this.input.year + 1}-12-31`)))) return;
      let next: { at: number; fire: () => Promise<void>; milestone?: MilestoneState; summary: string } | undefined;
      if (!open.length && !checks.length) next = { at: Date.parse(deadlineInstant(`${this.input.year + 1}-12-31`)), fire: async () => undefined, summary: stepTimerSummary('等待报告签收', `${this.input.year + 1}-12-31`) };
      if (this.state.features?.reports) for (const c of this.reports.timers()) if (!next || c.at < next.at) next = c;
      for (const m of checks) {
        const c = { at: Date.parse(deadlineInstant(m.due)), fire: () => this.assessPace(m), milestone: m, summary: stepTimerSummary(`「${m.nameZh}」到期：评估下级地区进度`, m.due) };
        if (!next || c.at < next.at) next = c;
      }
      for (const m of open) {
        const r = this.nextReminder(m);
        const candidates = [
          ...(r ? [{ at: reminderInstantMs(r.date), fire: () => this.remind(m, r.daysBefore), milestone: m, summary: stepTimerSummary(`「${m.nameZh}」${m.due} 前${r.daysBefore}天提醒`, r.date) }] : []),
          ...(m.status === 'pending' ? [{ at: Date.parse(deadlineInstant(m.due)), fire: () => this.escalate(m), milestone: m, summary: `「${m.nameZh}」期限 ${m.due} 届满` }] : []),
        ];
        for (const c of candidates) if (!next || c.at < next.at) next = c;
      }
      const version = this.version;
      const now = Date.now();
      if (!next) {
        await condition(() => this.version !== version);
        continue;
      }
      if (next.at > now) {
        await timed(() => this.version !== version, Math.max(1, next.at - now), next.summary);
        continue;
      }
      // A date computed without its year's official calendar is settled before anything is sent for it.
      if (next.milestone && (await this.settle(next.milestone))) continue;
      await next.fire();
    }
  }
}

function initialState(input: CampaignInput): CampaignState {
  return { campaignId: input.campaignId, division: input.division, year: input.year, policy: input.policy, ready: false, stage: 'planning', next: null, overdue: false, milestones: [], results: {}, events: 0 };
}

/**
 * The annual campaign of one division (年度淘汰落后产能工作): its milestones from the policy pinned at
 * start (domain/campaign.ts), computed once with the official calendar; reminders before each, and
 * when one lapses, escalation one level up while it stays open for the office to complete. Ends when
 * every milestone is completed. Every side effect is an activity.
 */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignState> {
  const policy = policyById(input.policy.id, input.policy.version);
  // A pinned policy that is not shipped is a deployment error: fail the task, fix, and it resumes.
  if (!policy) throw new Error(`policy ${input.policy.id}@${input.policy.version} is not shipped with this worker`);
  const state = initialState(input);
  // Decided once, at the start (workflows/PATCHES.md): a run started before keeps its earlier reading.
  const reports = patched('campaign-reports');
  state.features = { byLevel: reports, reports, supervision: patched('campaign-supervision'), settle: patched('campaign-milestones-settled') };
  const campaign = new Campaign(input, policy, state);
  setHandler(campaignStateQuery, () => state);
  campaign.register();

  campaign.calendar = await acts.holidayCalendar([input.year, input.year + 1]);
  state.milestones = campaignMilestones(policy, input.division, input.year, campaign.calendar, { byLevel: state.features.byLevel }).map((m) => ({
    ...m,
    status: 'pending',
    completedOn: null,
    completedBy: null,
    note: null,
    lapsedOn: null,
    remindersSent: [],
    // Rolled without its year's official calendar: settled before it fires (Campaign.settle).
    ...(state.features!.settle && !isCalendarKnown(Number((m.rolledFrom ?? m.due).slice(0, 4)), campaign.calendar!) ? { provisional: true } : {}),
  }));
  if (state.features.reports) campaign.reports.init();
  upsertSearchAttributes([
    { key: SA.region, value: input.division },
    { key: SA.regionPath, value: divisionPath(input.division) },
    { key: SA.policyVersion, value: `${input.policy.id}@${input.policy.version}` },
  ]);
  campaign.show();
  await acts.recordCampaignStarted({ campaignId: input.campaignId, division: input.division, year: input.year, policy: input.policy, startedBy: input.startedBy, startedAt: input.startedAt, snapshot: campaign.snapshot() });
  // The reports the year owes are listed from the start (pending until drafted).
  if (state.features.reports) await campaign.reports.mirrorAll();
  // Completions are taken once the record they are written beside exists.
  state.ready = true;

  await campaign.run();
  await condition(allHandlersFinished);
  return state;
}
