import type { UpdateDefinition } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { allHandlersFinished, ApplicationFailure, condition, ParentClosePolicy, proxyActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { toLegalDate } from '../domain/deadlines';
import { nameOf, timed, UiState, uiMetadata, withSummaries } from './ui-metadata';
import { assigneeZh, reportCurrentDetails, stepTimerSummary, supervisionStaticDetails } from './ui-texts';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { HolidayCalendarData } from '../domain/calendar';
import { campaignEscalationDivision } from '../domain/campaign';
import { deadlineInstant, legalDeadline, reminderDates, yearOf } from '../domain/deadlines';
import { callerKey } from '../domain/inputs';
import { divisionPath, parentCodes } from '../domain/jurisdiction';
import { escalationLadder, policyById, type Policy } from '../domain/policy';
import {
  conclusionRefusal,
  dimensionZh,
  mayHandleReport,
  replyText,
  REPORT_UPDATE_SCHEMAS,
  reportWorkflowId,
  verificationDeadline,
  verificationReminders,
  verificationYears,
  verifierOf,
  type ConcludeReport,
  type RecordVerification,
  type ReportAction,
  type TransferReport,
  type ReportRefusal,
} from '../domain/public-reports';
import { supervisionWorkflowId } from '../domain/supervision';
import { reminderInstantMs } from './deadline-clock';
import { REPORT_UPDATES, reportStateQuery, type ReportInput, type ReportResult, type ReportState } from './public-report-messages';
import { SA } from './search-attributes';
import { supervisionWorkflow } from './supervision';
import { nowIso, today } from './time';

// PostgreSQL or SMTP being down is waited out, as for a case (workflows/activities.ts).
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const acts = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry }));
/** Mails wait for PostgreSQL to store that they left rather than send twice (activities/after-send.ts). */
const outbound = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30 seconds', retry }));

function reject(r: ReportRefusal): never {
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

type Parsed<A extends ReportAction> = z.output<(typeof REPORT_UPDATE_SCHEMAS)[A]>;
const by = (a: { id: string; name: string; role: string; department?: string; jurisdiction?: string }) => ({
  id: a.id,
  name: a.name,
  role: a.role,
  ...(a.department ? { department: a.department } : {}),
  ...(a.jurisdiction ? { jurisdiction: a.jurisdiction } : {}),
});

/** One step of the watch on the verification deadline: a reminder, the lapse, or a level of the ladder. */
interface WatchStep {
  at: number;
  id: string;
  fire: () => Promise<void>;
}

/** One report: its input, pinned policy, state, and the steps its updates and its watch share. */
class Report {
  calendar!: HolidayCalendarData;
  readonly running = new Map<string, Promise<ReportResult>>();
  readonly workflowId: string;
  /** What Temporal UI shows of the report now (patch 'ui-metadata'). */
  readonly ui = new UiState();

  constructor(
    readonly input: ReportInput,
    readonly policy: Policy,
    readonly state: ReportState,
  ) {
    this.workflowId = reportWorkflowId(input.reportId);
  }

  key(step: string): string {
    return `${this.workflowId}/${step}`;
  }

  show(): void {
    const s = this.state;
    upsertSearchAttributes([
      { key: SA.stage, value: s.conclusion ? `report_${s.conclusion.outcome}` : `report_${s.status}` },
      { key: SA.deadline, value: s.dueDate && s.status !== 'closed' ? new Date(deadlineInstant(s.dueDate)) : null },
      { key: SA.overdue, value: s.overdue && s.status !== 'closed' },
    ]);
    this.ui.show(reportCurrentDetails(s.status, s.dueDate, s.overdue, s.assignee ? assigneeZh(s.assignee, nameOf) : null), s.status === 'verifying' ? 'department' : 'none');
  }

  snapshot() {
    const { results: _r, ...state } = this.state;
    const s = this.state;
    return {
      status: s.status,
      outcome: s.conclusion?.outcome ?? null,
      assignee: s.assignee,
      dueDate: s.dueDate,
      overdue: s.overdue,
      caseId: s.conclusion?.caseId ?? null,
      reply: s.reply,
      repliedOn: s.conclusion?.concludedOn ?? null,
      state: state as unknown as Record<string, unknown>,
      seq: s.events,
    };
  }

  async record(kind: string, step: string, detail: Record<string, unknown> = {}, actor: Record<string, unknown> | null = null): Promise<void> {
    this.show();
    this.state.events++;
    await acts.recordReportEvent({ reportId: this.input.reportId, idempotencyKey: this.key(step), kind, detail, actor, occurredAt: nowIso(), snapshot: this.snapshot() });
  }

  title(): string {
    return `举报（受理编号 ${this.input.reportId}，${this.input.region}，${dimensionZh(this.input.dimension)}）`;
  }

  tell(step: string, to: { jurisdiction: string; roles: string[]; departments?: string[] }[], subject: string, text: string): Promise<unknown> {
    return outbound.notifyReportAuthorities({ reportId: this.input.reportId, idempotencyKey: this.key(step), to, subject, text });
  }

  // ---- routing --------------------------------------------------------------------------------

  /** 按职责分工 … 限期核查: the verifying department, the deadline, and the decision on its inbox. */
  async route(): Promise<void> {
    const { input, policy, state } = this;
    this.calendar = await acts.holidayCalendar(verificationYears(input.receivedOn));
    const assignee = verifierOf(policy, input.region, input.dimension ?? undefined);
    const due = verificationDeadline(policy, input.receivedOn, this.calendar);
    state.assignee = assignee;
    state.dueDate = due.date;
    state.decisionId = this.key('report_verification/1');
    state.status = 'verifying';
    upsertSearchAttributes([{ key: SA.department, value: assignee.department }]);
    // On the inbox first, then ready, then recorded: once the read model says `verifying`, the
    // workflow takes the department's updates (the conclusion closes the inbox entry).
    await outbound.requestReportVerification({
      decisionId: state.decisionId,
      reportId: input.reportId,
      kind: 'report_verification',
      assigneeRole: assignee.role,
      assigneeDepartment: assignee.department,
      jurisdiction: assignee.jurisdiction,
      dueDate: due.date,
      dueAt: deadlineInstant(due.date),
      detail: { region: input.region, dimension: input.dimension, channel: input.channel, realName: input.realName },
    });
    state.ready = true;
    await this.record('routed', 'routed', { assignee, dueDate: due.date, period: policy.officialDeadlines.reportVerification, provisional: due.provisional });
  }

  // ---- the updates ----------------------------------------------------------------------------

  scoped(action: string, raw: { idempotencyKey?: unknown; actor?: unknown }): string {
    const actor = raw?.actor as Parameters<typeof callerKey>[0] | undefined;
    return `${action}/${String(raw?.idempotencyKey)}/${actor && typeof actor === 'object' ? callerKey(actor) : ''}`;
  }

  /** Refuse before anything is recorded: bad input, not the verifying department, a closed report, a conclusion the rules forbid. */
  validate<A extends ReportAction>(action: A, raw: unknown): void {
    const parsed = REPORT_UPDATE_SCHEMAS[action].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const zh = (issue as { params?: { zh?: string } }).params?.zh;
      reject({ code: 'invalid_input', message: `${issue.path.join('.')}: ${issue.message}`, messageZh: zh ?? '输入不符合要求', field: issue.path.join('.') || '(body)' });
    }
    const input = parsed.data as Parsed<A>;
    const key = this.scoped(action, input);
    if (this.state.results[key] || this.running.has(key)) return; // a repeat answers with the first result
    if (!this.state.ready || !this.state.assignee) reject({ code: 'report_not_ready', message: 'the report is still being routed; retry', messageZh: '举报正在分办，请稍后重试' });
    const d = mayHandleReport(input.actor, this.state.assignee);
    if (!d.allowed) reject({ code: 'not_the_verifier', message: d.reason, messageZh: '只有负责核查的执法部门可以办理该举报', field: 'actor' });
    if (this.state.status === 'closed') reject({ code: 'report_closed', message: `the report was concluded on ${this.state.conclusion?.concludedOn}`, messageZh: '该举报已办结' });
    if (action === 'transferReport') {
      const t = input as TransferReport;
      const to = verifierOf(this.policy, this.input.region, t.dimension);
      if (to.department === this.state.assignee.department) {
        reject({ code: 'same_department', message: `${to.department} already verifies this report`, messageZh: '该举报已由该部门核查，无需转办', field: 'dimension' });
      }
    } else if (action === 'recordVerification') {
      const v = input as RecordVerification;
      if (v.verifiedOn > today()) reject({ code: 'date_in_future', message: `verifiedOn ${v.verifiedOn} is after today (${today()})`, messageZh: '核查日期不得晚于今日', field: 'verifiedOn' });
      if (v.verifiedOn < this.input.receivedOn) reject({ code: 'verified_before_received', message: `verifiedOn ${v.verifiedOn} is before the report was received (${this.input.receivedOn})`, messageZh: '核查日期不得早于受理日期', field: 'verifiedOn' });
    } else {
      const refusal = conclusionRefusal({ realName: this.input.realName, verified: this.state.verifications.length > 0 }, input as ConcludeReport);
      if (refusal) reject(refusal);
    }
  }

  register(): void {
    this.on('recordVerification', (i) => this.recordVerification(i));
    this.on('concludeReport', (i) => this.conclude(i));
    this.on('transferReport', (i) => this.transfer(i));
  }

  /** One update: validated, answered once per caller-scoped key (a repeat gets the first answer). */
  private on<A extends ReportAction>(action: A, act: (input: Parsed<A>) => Promise<ReportResult>): void {
    const def = REPORT_UPDATES[action] as unknown as UpdateDefinition<ReportResult, [unknown]>;
    setHandler(
      def,
      async (raw) => {
        const key = this.scoped(action, raw as never);
        const first = this.state.results[key] ?? this.running.get(key);
        if (first) return first;
        const p = act(REPORT_UPDATE_SCHEMAS[action].parse(raw) as Parsed<A>).then((r) => {
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

  result(action: string, idempotencyKey: string): ReportResult {
    const s = this.state;
    return { action, idempotencyKey, reportId: s.reportId, status: s.status, outcome: s.conclusion?.outcome ?? null, dueDate: s.dueDate, overdue: s.overdue, caseId: s.conclusion?.caseId ?? null };
  }

  /** 核查: how and when the department checked, and what it found. */
  async recordVerification(i: RecordVerification): Promise<ReportResult> {
    const n = this.state.verifications.length + 1;
    this.state.verifications.push({ verifiedOn: i.verifiedOn, method: i.method, findings: i.findings, recordedBy: by(i.actor) });
    await this.record('verification', `verification/${n}`, { verifiedOn: i.verifiedOn, method: i.method }, i.actor);
    return this.result('recordVerification', i.idempotencyKey);
  }

  /**
   * 转办: the department that enforces the standard the report turns out to concern takes it over, on
   * its inbox with the same deadline (the clock runs from receipt); the handing department's entry
   * is withdrawn. Reminders and escalation from now on name the new department.
   */
  async transfer(i: TransferReport): Promise<ReportResult> {
    const s = this.state;
    const from = s.assignee!;
    const to = verifierOf(this.policy, this.input.region, i.dimension);
    const n = (s.transfers ??= []).length + 1;
    const previous = s.decisionId!;
    s.transfers.push({ from: from.department, to: to.department, dimension: i.dimension, reason: i.reason, transferredOn: today(), transferredBy: by(i.actor) });
    s.assignee = to;
    s.decisionId = this.key(`report_verification/${n + 1}`);
    upsertSearchAttributes([{ key: SA.department, value: to.department }]);
    await acts.closeDecision({ decisionId: previous, outcome: 'transferred', decidedBy: by(i.actor), decidedAt: nowIso(), status: 'withdrawn' });
    await outbound.requestReportVerification({
      decisionId: s.decisionId,
      reportId: this.input.reportId,
      kind: 'report_verification',
      assigneeRole: to.role,
      assigneeDepartment: to.department,
      jurisdiction: to.jurisdiction,
      dueDate: s.dueDate!,
      dueAt: deadlineInstant(s.dueDate!),
      detail: { region: this.input.region, dimension: i.dimension, channel: this.input.channel, realName: this.input.realName, transferredFrom: from.department },
    });
    await this.record('transferred', `transfer/${n}`, { from: from.department, to: to.department, dimension: i.dimension, reason: i.reason }, i.actor);
    return this.result('transferReport', i.idempotencyKey);
  }

  /** 办结: the outcome, the reply the reporter reads, the decision off the inbox; the watch stops. */
  async conclude(i: ConcludeReport): Promise<ReportResult> {
    const s = this.state;
    const caseId = i.outcome === 'confirmed' || i.outcome === 'already_known' ? i.caseId : null;
    const reasons = i.outcome === 'unfounded' || i.outcome === 'not_pursued' ? i.reasons : null;
    s.conclusion = { outcome: i.outcome, concludedOn: today(), caseId, reasons, concludedBy: by(i.actor) };
    s.reply = replyText(i.outcome, this.input.reportId, i.replyNote);
    s.status = 'closed';
    if (i.outcome === 'confirmed') this.confirmed = i;
    await Promise.all([
      this.record('concluded', 'concluded', { outcome: i.outcome, caseId, reasons, late: s.overdue }, i.actor),
      acts.closeDecision({ decisionId: s.decisionId!, outcome: i.outcome, decidedBy: by(i.actor), decidedAt: nowIso() }),
    ]);
    return this.result('concludeReport', i.idempotencyKey);
  }

  confirmed: Extract<ConcludeReport, { outcome: 'confirmed' }> | undefined;

  // ---- the watch ------------------------------------------------------------------------------

  /** Reminders before the deadline, the lapse, then the policy's ladder above the verifying department. */
  watchSteps(): WatchStep[] {
    const s = this.state;
    const who = s.assignee!;
    const due = s.dueDate!;
    const steps: WatchStep[] = reminderDates(due, verificationReminders(this.policy), { notBefore: this.input.receivedOn, cal: this.calendar }).map((r) => ({
      at: reminderInstantMs(r.date),
      id: `reminder/${r.daysBefore}`,
      fire: () => this.remind(r.daysBefore),
    }));
    steps.push({ at: Date.parse(deadlineInstant(due)), id: 'overdue', fire: () => this.lapse() });
    // As a decision is escalated (workflows/case-decisions.ts): the ladder's levels above the assignee.
    for (const step of escalationLadder(this.policy, this.input.region)) {
      if (step.division === who.jurisdiction || !parentCodes(who.jurisdiction).includes(step.division)) continue;
      const at = Date.parse(deadlineInstant(legalDeadline({ from: due, ...step.afterOverdue }, this.calendar).date));
      const roles = [...new Set(step.notify.map((n) => ({ official: 'enforcement_official', coordination_office: 'coordination_office', government: 'approving_government' })[n]))];
      steps.push({ at, id: `escalation/${step.level}`, fire: () => this.escalate(step.level, step.division, roles) });
    }
    return steps.sort((a, b) => a.at - b.at);
  }

  async remind(daysBefore: number): Promise<void> {
    const s = this.state;
    s.remindersSent.push(daysBefore);
    const who = s.assignee!;
    await Promise.all([
      this.record('reminder', `reminder/${daysBefore}`, { dueDate: s.dueDate, daysBefore }),
      this.tell(`reminder/${daysBefore}/assignee`, [{ jurisdiction: who.jurisdiction, roles: [who.role], departments: [who.department] }], `【核查提醒】${this.title()}应于${s.dueDate}前核查办结，剩余${daysBefore}天`, `${this.title()}的核查期限为${s.dueDate}（剩余${daysBefore}天）。逾期未办结的，将提请上一级督办。\nReminder: report ${this.input.reportId} is to be verified by ${s.dueDate}.`),
    ]);
  }

  /** The deadline lapsed unanswered: overdue; the department and the coordination office one level up hear (30号文 (二十) 督办). */
  async lapse(): Promise<void> {
    const s = this.state;
    s.overdue = true;
    s.escalations.push('responsible');
    const who = s.assignee!;
    const up = parentCodes(who.jurisdiction)[0] ?? who.jurisdiction;
    const subject = `【逾期未核查】${this.title()}：核查期限${s.dueDate}已届满`;
    const text = `${this.title()}未在期限${s.dueDate}内核查办结，已标记为逾期，请督促办理。${this.input.realName ? '该举报为实名举报，须核查并答复。' : ''}\nEscalation: report ${this.input.reportId} was due ${s.dueDate}.`;
    await Promise.all([
      this.record('overdue', 'overdue', { dueDate: s.dueDate, up }),
      this.tell('overdue/responsible', [{ jurisdiction: who.jurisdiction, roles: [who.role], departments: [who.department] }], subject, text),
      this.tell('overdue/up', [{ jurisdiction: up, roles: ['coordination_office'] }], subject, text),
    ]);
  }

  async escalate(level: string, division: string, roles: string[]): Promise<void> {
    const s = this.state;
    s.escalations.push(level);
    const subject = `【督办】${this.title()}逾期未核查（期限${s.dueDate}）`;
    const text = `${this.title()}逾期未核查办结（期限${s.dueDate}），现报${division}督办。\nEscalation (${level}): report ${this.input.reportId} was due ${s.dueDate}.`;
    await Promise.all([this.record('escalation', `escalation/${level}`, { level, division, roles }), this.tell(`escalation/${level}`, [{ jurisdiction: division, roles }], subject, text)]);
  }

  /** A watch step's timer in words: a reminder, the lapse, or an escalation one level up. */
  stepSummary(step: WatchStep): string {
    const due = this.state.dueDate ?? '';
    if (step.id.startsWith('reminder/')) return stepTimerSummary(`核查期限 ${due} 前${step.id.slice(9)}天提醒`, toLegalDate(new Date(step.at).toISOString()));
    if (step.id === 'overdue') return `核查期限 ${due} 届满`;
    const level = ({ county: '县级', city: '市级', province: '省级' } as Record<string, string>)[step.id.slice(11)] ?? step.id.slice(11);
    return stepTimerSummary(`逾期未核查：报${level}督办`, toLegalDate(new Date(step.at).toISOString()));
  }

  /** Until concluded: sleep towards the next step of the watch; the conclusion wakes it. */
  async watch(): Promise<void> {
    const closed = () => this.state.status === 'closed';
    for (const step of this.watchSteps()) {
      if (closed()) return;
      const wait = step.at - Date.now();
      if (wait > 0 && (await timed(closed, wait, this.stepSummary(step)))) return;
      await step.fire();
    }
    await condition(closed);
  }

  // ---- after the conclusion -------------------------------------------------------------------

  /**
   * 瞒报 (LN 四(三)): confirmed capacity the region's campaign survey of the year did not list is
   * concealed, and counts against the region in the campaign's supervision. Started here as a child
   * (ABANDON: the item outlives the report) rather than by the API after the update: the report's
   * workflow already holds the confirmation durably, so a crash between the two cannot lose the
   * finding, and the item's id (region, year, enterprise, day) makes a second start a no-op.
   */
  async checkConcealed(c: NonNullable<Report['confirmed']>): Promise<void> {
    const year = yearOf(today());
    const found = await acts.surveyedCapacity({ region: c.enterprise.regionCode, year, creditCode: c.enterprise.creditCode, facilityIds: c.facilities.map((f) => f.id) });
    const facilities = c.facilities.filter((f) => found.unsurveyed.includes(f.id));
    if (!facilities.length) return;
    if (!found.campaign) {
      this.state.concealed = { itemId: null, campaignId: null, facilities: facilities.map((f) => f.id) };
      await this.record('concealed', 'concealed', { campaign: null, facilities: facilities.map((f) => f.id) });
      return;
    }
    const campaign = found.campaign;
    const campaignPolicy = policyById(campaign.policy.id, campaign.policy.version) ?? this.policy;
    const reason = {
      kind: 'concealed_capacity' as const,
      creditCode: c.enterprise.creditCode,
      enterpriseName: c.enterprise.name,
      facilities: facilities.map((f) => ({ name: f.name, capacity: f.capacity, unit: f.unit })),
      industry: c.enterprise.industry,
      source: 'public_report' as const,
      reference: `举报受理编号 ${this.input.reportId}`,
      foundOn: today(),
    };
    const region = c.enterprise.regionCode;
    const itemId = supervisionWorkflowId(region, campaign.year, reason);
    try {
      await startChild(supervisionWorkflow, {
        workflowId: itemId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ itemId, supervisor: campaignEscalationDivision(campaignPolicy, region), region, campaignId: campaign.campaignId, year: campaign.year, policy: campaign.policy, reason, openedBy: this.state.conclusion!.concludedBy, openedAt: nowIso() }],
        staticSummary: uiMetadata() ? `督办：${nameOf(region) ?? region} 隐瞒落后产能（${c.enterprise.name}，举报 ${this.input.reportId}）` : `督办：${region} 隐瞒落后产能（举报 ${this.input.reportId}）`,
        ...(uiMetadata() ? { staticDetails: supervisionStaticDetails(region, campaignEscalationDivision(campaignPolicy, region), campaign.campaignId, campaignPolicy, nameOf), memo: { divisionNames: workflowInfo().memo?.divisionNames ?? {} } } : {}),
      });
    } catch (err) {
      // The same concealment already reported (by the office, or another report the same day): that item counts it.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    this.state.concealed = { itemId, campaignId: campaign.campaignId, facilities: facilities.map((f) => f.id) };
    await this.record('concealed', 'concealed', { itemId, campaignId: campaign.campaignId, facilities: facilities.map((f) => f.id) });
  }

  /** 逐一回复: the reply is always read through the status lookup; mailed too where an address was given. */
  async reply(): Promise<void> {
    if (!this.input.contactGiven) return;
    const sent = await outbound.mailReportReply({ reportId: this.input.reportId, idempotencyKey: this.key('reply') });
    this.state.replyMailed = sent.mailed;
    await this.record('replied', 'replied', { mailed: sent.mailed, outcome: this.state.conclusion!.outcome });
  }
}

function initialState(input: ReportInput): ReportState {
  const { reportId, region, channel, realName, receivedOn, policy } = input;
  return {
    reportId, region, channel, realName, receivedOn, policy,
    ready: false, status: 'received', assignee: null, dueDate: null, decisionId: null, overdue: false,
    remindersSent: [], escalations: [], verifications: [], conclusion: null, reply: null, replyMailed: false, concealed: null, results: {}, events: 0,
  };
}

/**
 * One public report (举报) from receipt to reply: routed to the department that enforces the reported
 * standard in the reported division, put on its officials' inbox with the policy's verification
 * deadline (working days), reminded, and escalated one level up and along the policy's ladder when it
 * lapses; verified and concluded by that department (unfounded, already known, confirmed into a case,
 * or, for an anonymous report, not pursued); confirmed capacity the region did not survey is counted
 * against its campaign (隐瞒不报); the reporter gets the reply. Every side effect is an activity.
 */
export async function publicReportWorkflow(input: ReportInput): Promise<ReportState> {
  const policy = policyById(input.policy.id, input.policy.version);
  // A pinned policy that is not shipped is a deployment error: fail the task, fix, and it resumes.
  if (!policy) throw new Error(`policy ${input.policy.id}@${input.policy.version} is not shipped with this worker`);
  const state = initialState(input);
  const report = new Report(input, policy, state);
  setHandler(reportStateQuery, () => state);
  report.register();
  upsertSearchAttributes([
    { key: SA.region, value: input.region },
    { key: SA.regionPath, value: divisionPath(input.region) },
    { key: SA.policyVersion, value: `${input.policy.id}@${input.policy.version}` },
    ...(input.dimension ? [{ key: SA.dimension, value: input.dimension }] : []),
  ]);

  await report.route();

  await report.watch();
  await condition(allHandlersFinished);
  if (report.confirmed) await report.checkConcealed(report.confirmed);
  await report.reply();
  return state;
}
