import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { withSummaries } from './ui-metadata';
import type { Activities } from '../activities';
import {
  ApproveReport,
  cutOffFor,
  draftDate,
  DraftReport,
  mayApproveReport,
  mayPrepareReport,
  mayReceiveReport,
  ReceiveReport,
  reportRecipientDivision,
  type ReportPerson,
  type ReportState,
  SubmitReport,
} from '../domain/campaign-reports';
import { compareLegalDates } from '../domain/deadlines';
import { callerKey } from '../domain/inputs';
import type { Policy } from '../domain/policy';
import type { CampaignInput, CampaignRejection, CampaignState, MilestoneState } from './campaign-messages';
import { reminderInstantMs } from './deadline-clock';
import { today } from './time';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const acts = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry }));
/** A report's mail waits for PostgreSQL to store that it left rather than send twice (activities/after-send.ts). */
const outbound = withSummaries(proxyActivities<Activities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30 seconds', retry }));

/** What the reports need of their campaign (workflows/campaign.ts). */
export interface ReportHost {
  readonly input: CampaignInput;
  readonly policy: Policy;
  readonly state: CampaignState;
  key(step: string): string;
  record(kind: string, m: MilestoneState, step: string, detail?: Record<string, unknown>, actor?: Record<string, unknown> | null): Promise<void>;
  notify(step: string, jurisdiction: string, roles: string[], subject: string, text: string): Promise<void>;
  /** The report went out: its milestone is completed (late if it had lapsed). */
  completeMilestone(m: MilestoneState, by: ReportPerson, note: string | null): void;
  /** Something the campaign's clock waits on changed (a report signed for). */
  wake(): void;
}

function reject(code: string, message: string, messageZh: string, field?: string): never {
  const r: CampaignRejection = { code, message, messageZh, ...(field ? { field } : {}) };
  throw ApplicationFailure.create({ type: code, message, details: [r], nonRetryable: true });
}

const person = (a: { id: string; name: string; role: string }): ReportPerson => ({ id: a.id, name: a.name, role: a.role });

type Action = 'draft' | 'submit' | 'approve' | 'receive';
const SCHEMAS = { draft: DraftReport, submit: SubmitReport, approve: ApproveReport, receive: ReceiveReport } as const;

/**
 * The reports upward (报送) of one campaign (domain/campaign-reports.ts): each drafted by itself
 * before it falls due (the office may draft again), submitted by the office, approved by the
 * division's government where the plan says so, then sent with its workbook — which completes its
 * milestone — and signed for by the recipient office. Commands on reports run one at a time.
 */
export class CampaignReports {
  /** Commands on reports, one after another (a submit never interleaves with a draft). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<string, Promise<ReportState>>();

  constructor(private readonly host: ReportHost) {}

  get reports(): Record<string, ReportState> {
    return (this.host.state.reports ??= {});
  }

  /** The report of each report milestone, as it starts (pending, drafted by itself on `draftOn`). */
  init(): void {
    const { policy, input } = this.host;
    for (const m of this.host.state.milestones) {
      if (m.kind !== 'report') continue;
      const reportId = m.id.slice('report:'.length);
      const plan = policy.campaign.reports.find((r) => r.id === reportId)!;
      this.reports[reportId] = {
        reportId,
        milestoneId: m.id,
        nameZh: m.nameZh,
        due: m.due,
        draftOn: draftDate(m.due, policy.reminders.campaign),
        status: 'pending',
        recipient: plan.recipient,
        recipientDivision: reportRecipientDivision(policy, plan, input.division),
        approval: plan.approval ? { seal: plan.approval.seal } : null,
        draft: null,
        submitted: null,
        returned: null,
        approved: null,
        sent: null,
        received: null,
      };
    }
    this.host.state.reportResults ??= {};
  }

  private milestone(r: ReportState): MilestoneState {
    return this.host.state.milestones.find((m) => m.id === r.milestoneId)!;
  }

  /** The next report the campaign drafts by itself: at 08:00 on its draft day. */
  timers(): { at: number; fire: () => Promise<void>; summary: string }[] {
    return Object.values(this.reports)
      .filter((r) => r.status === 'pending' && !this.draftFailed.has(r.reportId))
      .map((r) => ({ at: reminderInstantMs(r.draftOn), fire: () => this.serial(() => this.autoDraft(r)), milestone: this.milestone(r), summary: `起草「${r.nameZh}」（${r.draftOn}，${r.due} 前报送）` }));
  }

  /** Reports whose draft by the campaign failed for good: the office drafts them (its command retries). */
  private readonly draftFailed = new Set<string>();

  /**
   * The campaign's own draft. A failure for good (an activity refusing its input) must not stop the
   * campaign's clock: the report waits for the office's draft, and the office is told.
   */
  private async autoDraft(r: ReportState): Promise<void> {
    try {
      await this.draftNow(r, null);
    } catch (err) {
      this.draftFailed.add(r.reportId);
      const why = err instanceof Error ? err.message : String(err);
      await this.host.notify(
        `report/${r.reportId}/draft-failed`,
        this.host.input.division,
        ['coordination_office'],
        `【报告草稿未能生成】${this.title(r)}`,
        `${this.title(r)}未能自动生成草稿，请在系统中重新起草（POST …/reports/${r.reportId}/drafts）。\nThe campaign could not draft report ${r.reportId}: ${why}`,
      );
    }
  }

  /** Its milestone's date was settled: the report falls due then, and is drafted a week before. */
  settled(m: MilestoneState): void {
    const r = Object.values(this.reports).find((x) => x.milestoneId === m.id);
    if (!r) return;
    r.due = m.due;
    r.draftOn = draftDate(m.due, this.host.policy.reminders.campaign);
  }

  /** Reports sent inside exitflow and not yet signed for keep the campaign open. */
  awaitingReceipt(): boolean {
    return Object.values(this.reports).some((r) => r.status === 'sent' && r.recipientDivision !== null);
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.queue.then(f, f);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private title(r: ReportState): string {
    return `${this.host.input.division} ${this.host.input.year}年度「${r.nameZh}」`;
  }

  /** Every report into the read model, as it stands (at the start: each pending). */
  async mirrorAll(): Promise<void> {
    await Promise.all(Object.values(this.reports).map((r) => this.mirror(r)));
  }

  private async mirror(r: ReportState): Promise<void> {
    await acts.recordCampaignReport({ campaignId: this.host.input.campaignId, division: this.host.input.division, year: this.host.input.year, seq: this.host.state.events, report: r });
  }

  private async event(r: ReportState, kind: string, step: string, detail: Record<string, unknown>, actor: Record<string, unknown> | null): Promise<void> {
    await this.host.record(kind, this.milestone(r), step, { reportId: r.reportId, status: r.status, ...detail }, actor);
    await this.mirror(r);
  }

  // ---- the steps -----------------------------------------------------------------------------------

  private async draftNow(r: ReportState, cmd: DraftReport | null): Promise<ReportState> {
    const draft = (r.draft?.draft ?? 0) + 1;
    const cutOff = cmd?.cutOff ?? cutOffFor(today());
    const step = `report/${r.reportId}/draft/${draft}`;
    r.draft = await acts.draftCampaignReport({ campaignId: this.host.input.campaignId, reportId: r.reportId, draft, cutOff, draftedOn: today(), idempotencyKey: this.host.key(step) });
    r.status = 'drafted';
    await this.event(r, 'report_drafted', step, { draft, cutOff }, cmd ? { ...cmd.actor } : null);
    if (!cmd) {
      await this.host.notify(
        `${step}/office`,
        this.host.input.division,
        ['coordination_office'],
        `【报告草稿】${this.title(r)}草稿已生成，请于${r.due}前审核报送`,
        [
          `${this.title(r)}已按${cutOff}的数据生成草稿（第${draft}稿），应于${r.due}前报送${r.approval ? '（须经本级人民政府同意' + (r.approval.seal ? '并盖章' : '') + '）' : ''}。`,
          `Draft ${draft} of report ${r.reportId} (figures as of ${cutOff}) is ready; it is due ${r.due}.`,
        ].join('\n'),
      );
    }
    return r;
  }

  private async send(r: ReportState, by: ReportPerson): Promise<void> {
    const step = `report/${r.reportId}/send`;
    const approval = r.approved ? `经本级人民政府同意${r.approved.sealed ? '并盖章' : ''}${r.approved.documentNumber ? `（${r.approved.documentNumber}）` : ''}。` : '';
    const sent = await outbound.sendCampaignReport({
      campaignId: this.host.input.campaignId,
      reportId: r.reportId,
      draft: r.draft!.draft,
      idempotencyKey: this.host.key(step),
      recipientDivision: r.recipientDivision,
      subject: `【报送】${this.title(r)}`,
      text: [`${this.title(r)}（数据截至${r.draft!.cutOff}）${approval}详见附件。`, `Report ${r.reportId} of ${this.host.input.campaignId}, figures as of ${r.draft!.cutOff}; the workbook is attached.`].join('\n'),
    });
    r.sent = { on: today(), recipients: sent.recipients, messageId: sent.messageId };
    r.status = 'sent';
    const m = this.milestone(r);
    const late = m.status === 'overdue';
    this.host.completeMilestone(m, by, r.submitted?.note ?? null);
    await this.event(r, 'report_sent', step, { draft: r.draft!.draft, cutOff: r.draft!.cutOff, recipients: sent.recipients, late }, null);
  }

  private async submit(r: ReportState, cmd: SubmitReport): Promise<ReportState> {
    r.submitted = { by: person(cmd.actor), on: today(), note: cmd.note ?? null };
    const step = `report/${r.reportId}/submitted/${r.draft!.draft}`;
    if (!r.approval) {
      await this.host.record('report_submitted', this.milestone(r), step, { reportId: r.reportId, draft: r.draft!.draft }, { ...cmd.actor });
      await this.send(r, person(cmd.actor));
      return r;
    }
    r.status = 'awaiting_approval';
    await this.event(r, 'report_submitted', step, { draft: r.draft!.draft }, { ...cmd.actor });
    await this.host.notify(
      `${step}/government`,
      this.host.input.division,
      ['approving_government'],
      `【报告待审】${this.title(r)}请审定${r.approval.seal ? '并盖章' : ''}`,
      [`${this.title(r)}（数据截至${r.draft!.cutOff}）已由淘汰落后产能工作办公室提交，须经本级人民政府同意${r.approval.seal ? '并盖章' : ''}后报送，应于${r.due}前报出。`, `Report ${r.reportId} awaits your approval; it is due ${r.due}.`].join('\n'),
    );
    return r;
  }

  private async approve(r: ReportState, cmd: ApproveReport): Promise<ReportState> {
    const step = `report/${r.reportId}/${cmd.decision}/${r.draft!.draft}`;
    if (cmd.decision === 'return') {
      r.returned = { by: person(cmd.actor), on: today(), reason: cmd.reason! };
      r.status = 'drafted';
      await this.event(r, 'report_returned', step, { draft: r.draft!.draft, reason: cmd.reason }, { ...cmd.actor });
      await this.host.notify(`${step}/office`, this.host.input.division, ['coordination_office'], `【报告退回】${this.title(r)}已退回修改`, `${this.title(r)}已被本级人民政府退回：${cmd.reason}\nReport ${r.reportId} was returned: ${cmd.reason}`);
      return r;
    }
    r.approved = { by: person(cmd.actor), on: today(), sealed: cmd.sealed ?? false, documentNumber: cmd.documentNumber ?? null };
    await this.host.record('report_approved', this.milestone(r), step, { reportId: r.reportId, draft: r.draft!.draft, sealed: r.approved.sealed }, { ...cmd.actor });
    await this.send(r, person(cmd.actor));
    return r;
  }

  private async receive(r: ReportState, cmd: ReceiveReport): Promise<ReportState> {
    r.received = { by: person(cmd.actor), on: today() };
    r.status = 'received';
    this.host.wake();
    await this.event(r, 'report_received', `report/${r.reportId}/received`, { note: cmd.note ?? null }, { ...cmd.actor });
    return r;
  }

  // ---- the updates -----------------------------------------------------------------------------------

  private scoped(action: Action, raw: { idempotencyKey?: unknown; actor?: unknown }): string {
    const actor = raw?.actor as Parameters<typeof callerKey>[0] | undefined;
    return `${action}/${String(raw?.idempotencyKey)}/${actor && typeof actor === 'object' ? callerKey(actor) : ''}`;
  }

  /**
   * Why `cmd` cannot be taken now, as a rejection (thrown); nothing when it can. Run by the validator
   * (before anything is recorded) and again when the command's turn comes.
   */
  private check(action: Action, cmd: DraftReport | SubmitReport | ApproveReport | ReceiveReport): ReportState {
    const { division } = this.host.input;
    if (!this.host.state.ready) reject('campaign_not_ready', 'the campaign is still computing its milestones; retry', '工作计划尚在生成，请稍后重试');
    const r = this.reports[cmd.reportId];
    if (!r) reject('unknown_report', `no report ${cmd.reportId}; the campaign sends ${Object.keys(this.reports).join(', ') || 'none'}`, '本年度工作没有该报告', 'reportId');
    const who = { role: cmd.actor.role as never, jurisdiction: cmd.actor.jurisdiction };
    if (action === 'draft' || action === 'submit') {
      const d = mayPrepareReport(who, division);
      if (!d.allowed) reject('not_the_division_office', d.reason, '只有本地区淘汰落后产能工作办公室可以起草和提交报告', 'actor');
    } else if (action === 'approve') {
      const d = mayApproveReport(who, division);
      if (!d.allowed) reject('not_the_government', d.reason, '只有本级人民政府可以审定报告', 'actor');
    } else {
      const d = mayReceiveReport(who, r.recipientDivision);
      if (!d.allowed) reject('not_the_recipient', d.reason, '只有接收单位的淘汰落后产能工作办公室可以签收', 'actor');
    }
    if (r.status === 'sent' || r.status === 'received') {
      if (action === 'receive' && r.status === 'sent') return r;
      if (action === 'receive') reject('report_already_received', `report ${r.reportId} was received on ${r.received!.on}`, '该报告已签收', 'reportId');
      reject('report_already_sent', `report ${r.reportId} was sent on ${r.sent!.on}`, '该报告已报送', 'reportId');
    }
    if (action === 'receive') reject('report_not_sent', `report ${r.reportId} has not been sent`, '该报告尚未报送', 'reportId');
    if (action === 'draft') {
      if (r.status === 'awaiting_approval') reject('report_awaiting_approval', `report ${r.reportId} is before the government; it must be returned before a new draft`, '报告正在审定中，退回后方可重新起草', 'reportId');
      const cutOff = (cmd as DraftReport).cutOff;
      if (cutOff && compareLegalDates(cutOff, today()) >= 0) reject('cut_off_not_past', `cutOff ${cutOff} is not before today (${today()}): a report's figures are those of a day that has ended`, '统计截止日期应早于今天', 'cutOff');
      return r;
    }
    if (action === 'submit') {
      if (r.status === 'pending') reject('report_not_drafted', `report ${r.reportId} has no draft yet; draft it first`, '报告尚无草稿，请先起草', 'reportId');
      if (r.status === 'awaiting_approval') reject('report_awaiting_approval', `report ${r.reportId} is already before the government`, '报告正在审定中', 'reportId');
      return r;
    }
    // approve
    if (r.status !== 'awaiting_approval') reject('report_not_awaiting_approval', `report ${r.reportId} is not before the government (it is ${r.status})`, '该报告不在待审定状态', 'reportId');
    const a = cmd as ApproveReport;
    if (a.decision === 'approve' && r.approval?.seal && !a.sealed) reject('seal_required', `the plan requires report ${r.reportId} to be sealed (盖章) on approval`, '该报告须经本级人民政府同意后盖章', 'sealed');
    return r;
  }

  validate(action: Action, raw: unknown): void {
    const parsed = SCHEMAS[action].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      reject('invalid_input', `${issue.path.join('.')}: ${issue.message}`, '输入不符合要求', issue.path.join('.'));
    }
    const key = this.scoped(action, parsed.data);
    if (this.host.state.reportResults?.[key] || this.running.has(key)) return; // a repeat answers with the first result
    this.check(action, parsed.data);
  }

  async handle(action: Action, raw: unknown): Promise<ReportState> {
    const cmd = SCHEMAS[action].parse(raw);
    const key = this.scoped(action, cmd);
    const first = this.host.state.reportResults?.[key] ?? this.running.get(key);
    if (first) return first;
    const p = this.serial(async () => {
      const r = this.check(action, cmd);
      if (action === 'draft') return this.draftNow(r, cmd as DraftReport);
      if (action === 'submit') return this.submit(r, cmd as SubmitReport);
      if (action === 'approve') return this.approve(r, cmd as ApproveReport);
      return this.receive(r, cmd as ReceiveReport);
    }).then((r) => {
      const answer = structuredCloneReport(r);
      this.host.state.reportResults![key] = answer;
      return answer;
    });
    this.running.set(key, p);
    try {
      return await p;
    } finally {
      this.running.delete(key);
    }
  }
}

/** The report as it stood when the command was answered (the live one keeps changing). */
function structuredCloneReport(r: ReportState): ReportState {
  return JSON.parse(JSON.stringify(r)) as ReportState;
}
