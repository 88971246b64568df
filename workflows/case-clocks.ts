import type { LegalDeadlineRequest, Reminder } from '../domain/deadlines';
import * as clocks from './deadline-clock';
import type { ClockKind } from './messages';
import type { CaseRuntime } from './runtime';
import { today } from './time';
import { deadlineTimerSummary, reminderTimerSummary } from './ui-texts';

/**
 * A case's clocks (the rectification period, a decision's deadline, the time to dismantle): each
 * kept once in `state.clocks`, and what the case shows of them (its deadline, the rectification
 * deadline, the open decision's due date) published from them by `show` and `sync`, never set by
 * hand elsewhere. Sleeping towards a deadline, its reminders and its lapse live here too.
 */
export class CaseClocks {
  /** Bumped when a deadline moves or stops, to wake the wait that sleeps towards it. */
  version = 0;

  constructor(private readonly ctx: CaseRuntime) {}

  /** Show one clock's deadline as the case's deadline (query, search attribute, read model). */
  show(kind: ClockKind | null): void {
    this.sync();
    const clock = kind ? this.ctx.state.clocks[kind] : undefined;
    this.ctx.state.activeClock = clock ? kind : null;
    this.ctx.state.deadline = clock && !clock.suspendedOn ? clock.deadline.date : null;
    this.ctx.state.deadlineProvisional = clock?.deadline.provisional ?? false;
  }

  /**
   * Publish the dates the case shows from its clocks, after one started or moved (extended, settled,
   * resumed): the rectification deadline (kept once its clock stops, for the yellow list and the
   * record) and the open decision's due date. The only writer of those fields.
   */
  sync(): void {
    const { rectification, decision } = this.ctx.state.clocks;
    if (rectification) this.ctx.state.rectificationDeadline = rectification.deadline.date;
    const open = this.ctx.state.pendingDecisions.at(-1);
    if (decision && open) open.dueDate = decision.deadline.date;
  }

  start(kind: ClockKind, basis: LegalDeadlineRequest, reminderOffsets: readonly number[]): void {
    this.ctx.state.clocks[kind] = clocks.newClock(kind, basis, reminderOffsets, this.ctx.state.calendar);
    if (this.ctx.state.clockSuspended) clocks.suspend(this.ctx.state.clocks[kind]!, today());
    this.version++;
  }

  stop(kind: ClockKind): void {
    delete this.ctx.state.clocks[kind];
    this.version++;
  }

  /** "整改期限 2027-05-31 届满"; for a decision, who decides what by when. */
  private timerSummary(kind: ClockKind, date: string): string {
    return deadlineTimerSummary(kind, date, kind === 'decision' ? this.ctx.uiFacts().decision : undefined);
  }

  /**
   * Sleep towards a clock's deadline until `until()` holds, sending its reminders on the way.
   * Before the deadline fires, a provisional one (a year without an official calendar) is settled
   * with a freshly read calendar. Returns 'lapsed' the first time the deadline passes.
   */
  async run(kind: ClockKind, until: () => boolean, onReminder: (r: Reminder, deadline: string) => Promise<void>): Promise<'until' | 'lapsed'> {
    for (;;) {
      const clock = this.ctx.state.clocks[kind];
      if (until()) return 'until';
      if (!clock || clock.lapsed) {
        await this.ctx.wait(() => until() || (!!this.ctx.state.clocks[kind] && !this.ctx.state.clocks[kind]!.lapsed));
        continue;
      }
      if (clock.suspendedOn) {
        await this.ctx.wait(() => until() || !this.ctx.state.clocks[kind]?.suspendedOn);
        continue;
      }
      const now = Date.now();
      const reminder = clocks.nextReminder(clock, today(), this.ctx.state.calendar);
      const remindAt = reminder ? clocks.reminderInstantMs(reminder.date) : Infinity;
      const target = Math.min(remindAt, clocks.dueMs(clock));
      const version = this.version;
      const summary = reminder && remindAt < clocks.dueMs(clock) ? reminderTimerSummary(kind, clock.deadline.date, reminder.date, reminder.daysBefore, kind === 'decision' ? this.ctx.uiFacts().decision : undefined) : this.timerSummary(kind, clock.deadline.date);
      if (target > now && (await this.ctx.wait(() => until() || this.version !== version, target - now, summary))) continue;
      if (reminder && remindAt <= clocks.dueMs(clock)) {
        clock.remindersSent.push(clocks.reminderKey(clock, reminder));
        await onReminder(reminder, clock.deadline.date);
        continue;
      }
      if (clock.deadline.provisional) {
        this.ctx.state.calendar = await this.ctx.acts.holidayCalendar(clocks.yearsOf(clock));
        const due = this.ctx.state.pendingDecisions.at(-1)?.dueDate;
        const moved = clocks.settle(clock, this.ctx.state.calendar);
        this.show(this.ctx.state.activeClock);
        if (moved) {
          await this.ctx.decisions.reschedule(due);
          await this.ctx.record('deadline_settled', { kind, deadline: clock.deadline.date, provisional: clock.deadline.provisional });
          continue;
        }
      }
      clock.lapsed = true;
      return 'lapsed';
    }
  }
}
