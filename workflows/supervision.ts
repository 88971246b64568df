import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { nameOf, timed, UiState, withSummaries } from './ui-metadata';
import { assigneeZh, stepTimerSummary, supervisionCurrentDetails } from './ui-texts';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { HolidayCalendarData } from '../domain/calendar';
import { campaignEscalationDivision } from '../domain/campaign';
import { deadlineInstant, reminderDates, rollToWorkingDay, yearOf } from '../domain/deadlines';
import { callerKey } from '../domain/inputs';
import { divisionPath } from '../domain/jurisdiction';
import { policyById, type Policy } from '../domain/policy';
import {
  closureRefusal,
  mayReportFollowUp,
  maySupervise,
  reasonZh,
  summonsRefusal,
  SUPERVISION_UPDATE_SCHEMAS,
  SupervisionInput as SupervisionInputSchema,
  type CloseItem,
  type IssueNotice,
  type RecordSummons,
  type ReportFollowUp,
  type SupervisionAction,
  type SupervisionRefusal,
} from '../domain/supervision';
import { reminderInstantMs } from './deadline-clock';
import { SA } from './search-attributes';
import {
  SUPERVISION_UPDATES,
  supervisionStateQuery,
  type SummonsState,
  type SupervisionInput,
  type SupervisionResult,
  type SupervisionState,
} from './supervision-messages';
import { nowIso, today } from './time';

// PostgreSQL or SMTP being down is waited out, as for a case (workflows/activities.ts).
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const acts = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry }));
/** Notices wait for PostgreSQL to store that they left rather than send twice (activities/after-send.ts). */
const outbound = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30 seconds', retry }));

function reject(r: SupervisionRefusal): never {
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

type Parsed<A extends SupervisionAction> = z.output<(typeof SUPERVISION_UPDATE_SCHEMAS)[A]>;
const by = (a: { id: string; name: string; role: string; jurisdiction?: string }) => ({ id: a.id, name: a.name, role: a.role, ...(a.jurisdiction ? { jurisdiction: a.jurisdiction } : {}) });

/** One supervision item: its input, pinned policy, state, and the steps its updates and its watch share. */
class Item {
  calendar: HolidayCalendarData | undefined;
  /** Bumped by a summons, a follow-up or the closure, to wake the watch. */
  version = 0;
  /** What Temporal UI shows of the item now (patch 'ui-metadata'). */
  readonly ui = new UiState();
  readonly running = new Map<string, Promise<SupervisionResult>>();

  constructor(
    readonly input: SupervisionInput,
    readonly policy: Policy,
    readonly state: SupervisionState,
  ) {}

  key(step: string): string {
    return `${this.input.itemId}/${step}`;
  }

  /** The summons whose follow-up deadline is still watched (unanswered, not lapsed). */
  watched(): SummonsState | undefined {
    const s = this.state.summons.at(-1);
    return s && !s.answeredOn && !s.lapsedOn && this.state.status !== 'closed' ? s : undefined;
  }

  /** Deadline and overdue mark, derived from the summons, as the state and the search attributes show them. */
  show(): void {
    const s = this.state;
    s.followUpBy = this.watched()?.followUpBy ?? null;
    // Overdue while a lapsed follow-up deadline is unanswered and the item open: what operators chase.
    s.overdue = s.status !== 'closed' && s.summons.some((x) => x.lapsedOn && !x.answeredOn);
    upsertSearchAttributes([
      { key: SA.stage, value: s.status },
      { key: SA.deadline, value: s.followUpBy ? new Date(deadlineInstant(s.followUpBy)) : null },
      { key: SA.overdue, value: s.overdue },
    ]);
    const office = (code: string) => assigneeZh({ role: 'coordination_office', jurisdiction: code }, nameOf);
    this.ui.show(supervisionCurrentDetails(s.status, s.followUpBy, s.overdue, office(this.input.region), office(this.input.supervisor)), s.status === 'closed' ? 'none' : 'office');
  }

  snapshot() {
    const { results: _r, ...state } = this.state;
    return { status: this.state.status, overdue: this.state.overdue, followUpBy: this.state.followUpBy, state: state as Record<string, unknown>, seq: this.state.events };
  }

  async record(kind: string, step: string, detail: Record<string, unknown> = {}, actor: Record<string, unknown> | null = null, notice?: Parameters<Activities['recordSupervisionEvent']>[0]['notice']): Promise<void> {
    this.show();
    this.state.events++;
    await acts.recordSupervisionEvent({ itemId: this.input.itemId, idempotencyKey: this.key(step), kind, detail, actor, occurredAt: nowIso(), snapshot: this.snapshot(), ...(notice ? { notice } : {}) });
  }

  title(): string {
    return `${this.input.region}${this.input.year}年度淘汰落后产能工作督办事项（${reasonZh(this.input.reason)}）`;
  }

  tell(step: string, to: { jurisdiction: string; roles: string[] }[], subject: string, text: string): Promise<unknown> {
    return outbound.notifySupervisionAuthorities({ itemId: this.input.itemId, idempotencyKey: this.key(step), to, subject, text });
  }

  // ---- the updates -------------------------------------------------------------------------------

  scoped(action: string, raw: { idempotencyKey?: unknown; actor?: unknown }): string {
    const actor = raw?.actor as Parameters<typeof callerKey>[0] | undefined;
    return `${action}/${String(raw?.idempotencyKey)}/${actor && typeof actor === 'object' ? callerKey(actor) : ''}`;
  }

  /** Refuse before anything is recorded: bad input, the wrong office, a closed item, bad dates. */
  validate<A extends SupervisionAction>(action: A, raw: unknown): void {
    const parsed = SUPERVISION_UPDATE_SCHEMAS[action].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const zh = (issue as { params?: { zh?: string } }).params?.zh;
      reject({ code: 'invalid_input', message: `${issue.path.join('.')}: ${issue.message}`, messageZh: zh ?? '输入不符合要求', field: issue.path.join('.') || '(body)' });
    }
    const input = parsed.data as Parsed<A>;
    const key = this.scoped(action, input);
    if (this.state.results[key] || this.running.has(key)) return; // a repeat answers with the first result
    const who = { role: input.actor.role as never, jurisdiction: input.actor.jurisdiction };
    if (action === 'reportFollowUp') {
      const d = mayReportFollowUp(who, this.input.region);
      if (!d.allowed) reject({ code: 'not_the_region_office', message: d.reason, messageZh: '只有被督办地区的淘汰落后产能工作办公室可以报告整改情况', field: 'actor' });
    } else {
      const d = maySupervise(who, this.input.supervisor);
      if (!d.allowed) reject({ code: 'not_the_supervisor', message: d.reason, messageZh: '只有督办单位（上一级淘汰落后产能工作办公室）或其上级可以办理', field: 'actor' });
    }
    if (!this.state.ready) reject({ code: 'item_not_ready', message: 'the supervision item is still being recorded; retry', messageZh: '督办事项尚在登记，请稍后重试' });
    if (this.state.status === 'closed') reject({ code: 'item_closed', message: `the supervision item was closed on ${this.state.closure?.closedOn}`, messageZh: '该督办事项已办结' });
    const refusal =
      action === 'recordSummons' ? summonsRefusal(input as RecordSummons, today()) : action === 'closeItem' ? closureRefusal(this.input.reason, input as CloseItem) : undefined;
    if (refusal) reject(refusal);
  }

  register(): void {
    this.on('issueNotice', (i) => this.issueNotice(i));
    this.on('recordSummons', (i) => this.recordSummons(i));
    this.on('reportFollowUp', (i) => this.reportFollowUp(i));
    this.on('closeItem', (i) => this.close(i));
  }

  /** One update: validated, answered once per caller-scoped key (a repeat gets the first answer). */
  private on<A extends SupervisionAction>(action: A, act: (input: Parsed<A>) => Promise<SupervisionResult>): void {
    const def = SUPERVISION_UPDATES[action] as unknown as UpdateDefinition<SupervisionResult, [unknown]>;
    setHandler(
      def,
      async (raw) => {
        const key = this.scoped(action, raw as never);
        const first = this.state.results[key] ?? this.running.get(key);
        if (first) return first;
        const p = act(SUPERVISION_UPDATE_SCHEMAS[action].parse(raw) as Parsed<A>).then((r) => {
          this.state.results[key] = r;
          this.running.delete(key);
          return r;
        });
        this.running.set(key, p);
        return p;
      },
      { validator: (raw) => this.validate(action, raw) },
    );
  }

  result(action: string, idempotencyKey: string, extra: Partial<SupervisionResult> = {}): SupervisionResult {
    const s = this.state;
    return { action, idempotencyKey, itemId: s.itemId, status: s.status, overdue: s.overdue, followUpBy: s.followUpBy, ...extra };
  }

  /** 通报: kept, mailed to the region's government and coordination office; published if asked. */
  async issueNotice(i: IssueNotice): Promise<SupervisionResult> {
    const n = this.state.notices.length + 1;
    const noticeId = this.key(`notice/${n}`);
    const notice = { noticeId, issuedOn: today(), text: i.text, publish: i.publish, issuedBy: by(i.actor) };
    this.state.notices.push(notice);
    const subject = `【通报】${this.title()}`;
    await Promise.all([
      this.record('notice', `notice/${n}`, { noticeId, publish: i.publish }, i.actor, notice),
      this.tell(`notice/${n}/region`, [{ jurisdiction: this.input.region, roles: ['approving_government', 'coordination_office'] }], subject, `${i.text}\n\n（督办单位：${this.input.supervisor}；依据工信部联产业〔2017〕30号（二十））`),
    ]);
    return this.result('issueNotice', i.idempotencyKey, { noticeId });
  }

  /** 约谈: recorded, and its follow-up deadline watched from now on (it replaces an earlier one). */
  async recordSummons(i: RecordSummons): Promise<SupervisionResult> {
    const n = this.state.summons.length + 1;
    const years = [yearOf(today()), yearOf(i.followUpBy)];
    this.calendar = await acts.holidayCalendar([...new Set([years[0]!, years[1]!, years[1]! + 1])]);
    const due = rollToWorkingDay(i.followUpBy, this.calendar);
    const summons: SummonsState = {
      summonsId: this.key(`summons/${n}`),
      heldOn: i.heldOn,
      summoned: i.summoned,
      minutesRef: i.minutesRef,
      followUpBy: due,
      ...(due !== i.followUpBy ? { rolledFrom: i.followUpBy } : {}),
      recordedBy: by(i.actor),
      remindersSent: [],
      lapsedOn: null,
      answeredOn: null,
    };
    this.state.summons.push(summons);
    this.state.status = 'summoned';
    this.version++;
    await this.record('summons', `summons/${n}`, { summonsId: summons.summonsId, heldOn: i.heldOn, minutesRef: i.minutesRef, followUpBy: due }, i.actor);
    return this.result('recordSummons', i.idempotencyKey, { summonsId: summons.summonsId });
  }

  /** 整改情况: the region's office reports; the watch stops. */
  async reportFollowUp(i: ReportFollowUp): Promise<SupervisionResult> {
    const answered = this.state.summons.at(-1);
    const late = !!answered?.lapsedOn && !answered.answeredOn;
    if (answered && !answered.answeredOn) answered.answeredOn = today();
    this.state.followUps.push({ reportedOn: today(), text: i.text, reportedBy: by(i.actor), late });
    this.state.status = 'follow_up_reported';
    this.version++;
    await this.record('follow_up', `follow-up/${this.state.followUps.length}`, { late, summonsId: answered?.summonsId ?? null }, i.actor);
    return this.result('reportFollowUp', i.idempotencyKey, { late });
  }

  /** 办结: the supervisor's conclusion (and, for concealed capacity, the accountability outcome). */
  async close(i: CloseItem): Promise<SupervisionResult> {
    this.state.closure = { closedOn: today(), conclusion: i.conclusion, accountability: i.accountability ?? null, closedBy: by(i.actor) };
    this.state.status = 'closed';
    this.version++;
    await this.record('closed', 'closed', { conclusion: i.conclusion, accountability: i.accountability ?? null }, i.actor);
    return this.result('closeItem', i.idempotencyKey);
  }

  // ---- the watch ---------------------------------------------------------------------------------

  async remind(s: SummonsState, daysBefore: number): Promise<void> {
    s.remindersSent.push(daysBefore);
    const step = `${s.summonsId.slice(this.input.itemId.length + 1)}/reminder/${daysBefore}`;
    await Promise.all([
      this.record('reminder', step, { summonsId: s.summonsId, followUpBy: s.followUpBy, daysBefore }),
      this.tell(
        `${step}/region`,
        [{ jurisdiction: this.input.region, roles: ['coordination_office'] }],
        `【督办提醒】${this.title()}：整改情况应于${s.followUpBy}前报告，剩余${daysBefore}天`,
        `约谈（${s.heldOn}，纪要${s.minutesRef}）要求于${s.followUpBy}前报告整改情况（剩余${daysBefore}天）。逾期未报告的，将报督办单位及其上级。\nReminder: the follow-up report of ${this.input.itemId} is due ${s.followUpBy}.`,
      ),
    ]);
  }

  /** The follow-up deadline lapsed unanswered: the item is overdue; the supervisor and the office above it hear. */
  async escalate(s: SummonsState): Promise<void> {
    s.lapsedOn = s.followUpBy;
    const up = campaignEscalationDivision(this.policy, this.input.supervisor);
    const step = `${s.summonsId.slice(this.input.itemId.length + 1)}/overdue`;
    const subject = `【逾期未报】${this.title()}：整改情况报告期限${s.followUpBy}已届满`;
    const text = [
      `${this.input.region}未在约谈（${s.heldOn}，纪要${s.minutesRef}）确定的期限${s.followUpBy}前报告整改情况，督办事项已标记为逾期。`,
      '依据工信部联产业〔2017〕30号（二十），请督办单位依规进一步督办、问责。',
      `Escalation: the follow-up report of ${this.input.itemId} was due ${s.followUpBy} and has not arrived.`,
    ].join('\n');
    const to = [{ jurisdiction: this.input.supervisor, roles: ['coordination_office'] }, ...(up !== this.input.supervisor ? [{ jurisdiction: up, roles: ['coordination_office'] }] : [])];
    await Promise.all([this.record('overdue', step, { summonsId: s.summonsId, followUpBy: s.followUpBy, up }), this.tell(`${step}/supervisor`, to, subject, text)]);
  }

  /** Until closed: sleep towards the next reminder or the lapse of the watched deadline; an update wakes it. */
  async run(): Promise<void> {
    while (this.state.status !== 'closed') {
      const version = this.version;
      const s = this.watched();
      let next: { at: number; fire: () => Promise<void>; summary: string } | undefined;
      if (s) {
        const r = reminderDates(s.followUpBy, this.policy.reminders.campaign, { notBefore: today(), cal: this.calendar }).find((x) => !s.remindersSent.includes(x.daysBefore));
        next = r ? { at: reminderInstantMs(r.date), fire: () => this.remind(s, r.daysBefore), summary: stepTimerSummary(`整改情况报告期限 ${s.followUpBy} 前${r.daysBefore}天提醒`, r.date) } : undefined;
        const lapse = Date.parse(deadlineInstant(s.followUpBy));
        if (!next || lapse < next.at) next = { at: lapse, fire: () => this.escalate(s), summary: `整改情况报告期限 ${s.followUpBy} 届满` };
      }
      if (!next) await condition(() => this.version !== version);
      else if (next.at > Date.now()) await timed(() => this.version !== version, Math.max(1, next.at - Date.now()), next.summary);
      else await next.fire();
    }
  }
}

function initialState(input: SupervisionInput): SupervisionState {
  const { itemId, supervisor, region, campaignId, year, policy, reason } = input;
  return { itemId, supervisor, region, campaignId, year, policy, reason, ready: false, status: 'open', overdue: false, followUpBy: null, notices: [], summons: [], followUps: [], closure: null, results: {}, events: 0 };
}

/**
 * One supervision item (督办事项) of a lagging region: opened by its campaign (or by the office that
 * found concealed capacity), acted on by the supervising office (通报, 约谈, 办结) and by the region's
 * office (整改情况); a summons' follow-up deadline is reminded and, unanswered, escalated one level
 * above the supervisor. Ends when the item is closed. Every side effect is an activity.
 */
export async function supervisionWorkflow(input: SupervisionInput): Promise<SupervisionState> {
  // A campaign or the API starts it; a malformed start is a bug of the starter, not a retryable task.
  const checked = SupervisionInputSchema.safeParse(input);
  if (!checked.success) throw ApplicationFailure.create({ type: 'invalid_supervision_input', message: checked.error.message, nonRetryable: true });
  const policy = policyById(input.policy.id, input.policy.version);
  // A pinned policy that is not shipped is a deployment error: fail the task, fix, and it resumes.
  if (!policy) throw new Error(`policy ${input.policy.id}@${input.policy.version} is not shipped with this worker`);
  const state = initialState(input);
  const item = new Item(input, policy, state);
  setHandler(supervisionStateQuery, () => state);
  item.register();

  upsertSearchAttributes([
    { key: SA.region, value: input.region },
    { key: SA.regionPath, value: divisionPath(input.region) },
    { key: SA.policyVersion, value: `${input.policy.id}@${input.policy.version}` },
  ]);
  item.show();
  await acts.recordSupervisionOpened({ ...input, reason: input.reason as { kind: string } & Record<string, unknown>, openedBy: input.openedBy, snapshot: item.snapshot() });
  state.ready = true;

  await item.run();
  await condition(allHandlersFinished);
  return state;
}
