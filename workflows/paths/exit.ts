import { patched, workflowInfo } from '@temporalio/workflow';
import { legalDeadline, toLegalDate } from '../../domain/deadlines';
import type { CaseRuntime } from '../runtime';
import { nowIso, today } from '../runtime';
import { reminderInstantMs } from '../deadline-clock';
import { punishmentTargets, sealedDismantlingPeriod } from '../../domain/authority';
import { exitInstructionsZh } from '../../domain/exit';
import type { Next } from './next';

/**
 * 产能退出: dismantle (拆除), or seal (封存: cut water and power, remove the power units, seal the main
 * equipment, a public commitment and an announcement) and dismantle within the policy's limit,
 * with periodic re-inspections so sealed capacity cannot revive (30号文 (八), 防止死灰复燃).
 */

/** Re-inspection rounds per workflow run before continue-as-new, to keep the history short. */
export const SEALED_ROUNDS_PER_RUN = 3;

export async function exitPhase(ctx: CaseRuntime): Promise<Next> {
  const { state, policy } = ctx;
  await ctx.decisions.withdrawAll();
  ctx.clocks.stop('rectification');
  // 30号文: capacity ordered closed must exit, and sealed equipment is dismantled within a limit. No
  // separate limit is set for a closed enterprise to dismantle or seal, so the same months
  // (technology.dismantleWithinMonths) run from the closure date: one that does neither is
  // escalated as a late sealed one is. Patched: closed cases recorded before wait without a clock.
  const closedOn = state.closureOrdered ? closureDate(ctx) : null;
  const closureTimed = closedOn !== null && patched('closure-exit-deadline');
  if (closureTimed) ctx.clocks.start('dismantling', { from: closedOn, months: policy.technology.dismantleWithinMonths }, policy.reminders.dismantling);
  // 30号文 (八) 立即拆除 / 立即…封存: eliminated equipment (a technology case, or a coal-power unit whose
  // extended operation has ended) is dismantled or sealed within the policy's time too, reminded and
  // escalated like any deadline. Patched: such cases recorded before waited without a clock.
  const exitFrom = !closureTimed && !state.closureOrdered && !state.voluntaryExit && !ctx.rule.rectification ? (state.extendedOperationUntil ?? ctx.input.noticeServedOn) : null;
  const technologyTimed = exitFrom !== null && patched('technology-exit-deadline');
  if (technologyTimed) ctx.clocks.start('dismantling', { from: exitFrom, months: policy.technology.exitWithinMonths }, policy.reminders.dismantling);
  const timed = closureTimed || technologyTimed;
  ctx.clocks.show(timed ? 'dismantling' : null);
  await ctx.enter('exit_in_progress', { voluntary: state.voluntaryExit, closureOrdered: state.closureOrdered, ...(timed ? { dismantleOrSealBy: state.deadline } : {}) });
  if (!ctx.rule.rectification && !state.voluntaryExit) {
    const notice = await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'exit_notice', idempotencyKey: ctx.key('mail/exit_notice'), detail: { instructions: exitInstructionsZh(policy, timed ? state.deadline : null) } });
    state.noticeMessageId = notice.messageId;
  }
  const until = () => ctx.has('recordDismantling', 'recordSealing', 'approveExtendedOperation');
  if (timed) {
    const outcome = await ctx.clocks.run('dismantling', until, async (r, deadline) => {
      await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'dismantling_reminder', idempotencyKey: ctx.key(`mail/dismantling_reminder/${closureTimed ? 'closure' : 'exit'}/${deadline}/${r.daysBefore}`), detail: { deadline, daysBefore: r.daysBefore, closureOrdered: closureTimed, beforeSealing: !closureTimed } });
    });
    if (outcome === 'lapsed') {
      const lapsedOn = state.clocks.dismantling!.deadline.date;
      await ctx.decisions.escalate('dismantling', ctx.decisions.responsibleDepartment(), lapsedOn, ctx.key(`escalation/dismantling/${closureTimed ? 'closure' : 'exit'}/${lapsedOn}`));
      await punishLateExit(ctx, lapsedOn);
      await ctx.wait(until);
    }
  } else {
    await ctx.wait(until);
  }
  if (ctx.has('approveExtendedOperation')) {
    await extendedOperation(ctx);
    return { to: 'exit' };
  }
  if (ctx.has('recordSealing')) {
    // Sealing meets the exit deadline; the sealed stage runs its own (限时拆除), or none for a unit kept as emergency backup.
    if (technologyTimed) ctx.clocks.stop('dismantling');
    const s = ctx.take('recordSealing');
    ctx.state.sealing = { sealedOn: s.sealedOn, measures: s.measures, announcementUrl: s.announcementUrl, ...(s.coalPowerOption ? { coalPowerOption: s.coalPowerOption } : {}) };
    await ctx.record('recordSealing', { ...ctx.state.sealing, commitmentRef: s.commitmentRef }, s.actor, `action/recordSealing/${s.idempotencyKey}`);
    // 断电: the power supplier is told the supply to the sealed equipment is cut (and stays cut).
    // Patched: sealings recorded before told no one.
    if (s.measures.includes('cut_power') && patched('power-cut-to-supplier')) {
      await ctx.punish(punishmentTargets(policy, ctx.input.dimension, 'power_cut'), 'power_cut', { sealedOn: s.sealedOn }, ctx.key('sealing/power-cut'));
    }
    return { to: 'sealed', resumed: false };
  }
  await takeDismantling(ctx);
  return { to: 'acceptance' };
}

/**
 * 延寿运行 (Guangdong 2023, 一(1) 分类处置): the unit runs on until the approved date, then comes back
 * to exit (dismantle, seal or emergency backup). It may be dismantled or sealed earlier.
 */
async function extendedOperation(ctx: CaseRuntime): Promise<void> {
  const a = ctx.take('approveExtendedOperation');
  ctx.state.extendedOperationUntil = a.until;
  await ctx.record('approveExtendedOperation', { until: a.until, approvalRef: a.approvalRef }, a.actor, `action/approveExtendedOperation/${a.idempotencyKey}`);
  const days = Math.round((Date.parse(`${a.until}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 86_400_000);
  ctx.clocks.start('dismantling', { from: today(), days }, []);
  ctx.clocks.show('dismantling');
  await ctx.enter('extended_operation', { until: ctx.state.deadline, approvalRef: a.approvalRef });
  await ctx.clocks.run('dismantling', () => ctx.has('recordDismantling', 'recordSealing'), async () => {});
  ctx.clocks.stop('dismantling');
}

/**
 * 「对未按期完成落后产能退出的企业」(30号文 (十七), LN/HN 三(八), GD 四(二), FZ 二(六)3): an exit deadline
 * that lapses puts the enterprise on the credit platforms the region names, and the banks tighten its
 * credit (十三). Patched: lapses recorded before pushed nothing.
 */
async function punishLateExit(ctx: CaseRuntime, lapsedOn: string): Promise<void> {
  if (!patched('punishment-on-late-exit')) return;
  await ctx.punish(punishmentTargets(ctx.policy, ctx.input.dimension, 'late_exit'), 'joint_punishment_late_exit', { lapsedOn }, ctx.key(`late-exit/${lapsedOn}/push`));
  await ctx.record('joint_punishment', { late: true, lapsedOn, acknowledgements: ctx.state.acknowledgements }, null, `${ctx.caseId}/late-exit/${lapsedOn}/recorded`);
}

/** The legal date the closure was ordered (the stage entered on the government's approval). */
function closureDate(ctx: CaseRuntime): string {
  const ordered = [...ctx.state.history].reverse().find((h) => h.stage === 'closure_ordered');
  return ordered ? toLegalDate(ordered.at) : today();
}

async function takeDismantling(ctx: CaseRuntime): Promise<void> {
  const d = ctx.take('recordDismantling');
  ctx.state.dismantledOn = d.dismantledOn;
  await ctx.record('recordDismantling', { dismantledOn: d.dismantledOn, evidence: d.evidence }, d.actor, `action/recordDismantling/${d.idempotencyKey}`);
}

export async function sealedPhase(ctx: CaseRuntime, resumed: boolean): Promise<Next> {
  const { state, policy } = ctx;
  const sealedOn = state.sealing!.sealedOn;
  if (!resumed) {
    // 限时拆除: dismantled within the policy's months of sealing — except a coal-power unit kept as
    // emergency backup (Guangdong 关而不拆), which is only re-inspected.
    if (state.sealing!.coalPowerOption !== 'emergency_backup') {
      // The plan's exit date where it fixes one (domain/authority.ts); patched: sealed before, by months.
      const byCampaign = policy.technology.dismantleByCampaignExit && patched('dismantle-by-campaign');
      ctx.clocks.start('dismantling', byCampaign ? sealedDismantlingPeriod(policy, sealedOn) : { from: sealedOn, months: policy.technology.dismantleWithinMonths }, policy.reminders.dismantling);
    }
    ctx.clocks.show(state.clocks.dismantling ? 'dismantling' : null);
    await ctx.enter('sealed', { sealedOn, dismantleBy: state.deadline, coalPowerOption: state.sealing!.coalPowerOption ?? null });
  }
  let dismantled = false;
  let rounds: 'running' | 'continue_as_new' | 'stopped' = 'running';
  const reinspecting = sealedReinspections(ctx, () => dismantled).then((r) => (rounds = r));

  const until = () => ctx.has('recordDismantling') || rounds === 'continue_as_new';
  const outcome = await ctx.clocks.run('dismantling', until, async (r, deadline) => {
    await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'dismantling_reminder', idempotencyKey: ctx.key(`mail/dismantling_reminder/${deadline}/${r.daysBefore}`), detail: { deadline, daysBefore: r.daysBefore } });
  });
  if (outcome === 'lapsed') {
    const lapsedOn = state.clocks.dismantling!.deadline.date;
    await ctx.decisions.escalate('dismantling', ctx.decisions.responsibleDepartment(), lapsedOn, ctx.key(`escalation/dismantling/${lapsedOn}`));
    await punishLateExit(ctx, lapsedOn);
    await ctx.wait(until);
  }
  if (!ctx.has('recordDismantling')) return { to: 'continue_as_new' };
  dismantled = true;
  await reinspecting;
  await takeDismantling(ctx);
  return { to: 'acceptance' };
}

/** 定期复查: every N months of sealing an official checks on site; a revival escalates. */
async function sealedReinspections(ctx: CaseRuntime, stop: () => boolean): Promise<'continue_as_new' | 'stopped'> {
  const { state, policy } = ctx;
  for (let round = 1; ; round++) {
    const n = state.sealedReinspections.length + 1;
    const due = legalDeadline({ from: state.sealing!.sealedOn, months: policy.technology.sealedReinspectionEveryMonths * n }, state.calendar).date;
    if (await ctx.wait(stop, reminderInstantMs(due) - Date.now(), `第${n}次封存设备定期复查 ${due}`)) return 'stopped';
    const p = await ctx.decisions.open('sealed_reinspection', ctx.decisions.decider('sealed_reinspection'), policy.officialDeadlines.reinspectionAfterReport, policy.reminders.reinspection, { round: n });
    await ctx.record('sealed_reinspection_due', { round: n, dueDate: p.dueDate }, null, `${p.decisionId}/due`);
    await ctx.decisions.wait(p, () => ctx.has('recordSealedReinspection') || stop());
    if (!ctx.has('recordSealedReinspection')) {
      await ctx.decisions.close(p, 'withdrawn', null, 'withdrawn');
      return 'stopped';
    }
    const r = ctx.take('recordSealedReinspection');
    await ctx.decisions.close(p, r.intact ? 'intact' : 'revived', r.actor);
    state.sealedReinspections.push({ on: today(), intact: r.intact });
    await ctx.record('recordSealedReinspection', { round: n, intact: r.intact, findings: r.findings ?? null, at: nowIso() }, r.actor, `action/recordSealedReinspection/${r.idempotencyKey}`);
    // 死灰复燃: sealed capacity found producing again is escalated at once.
    if (!r.intact) await ctx.decisions.escalate('revival', ctx.decisions.responsibleDepartment(), today(), `${p.decisionId}/revival`);
    if (round >= SEALED_ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) return 'continue_as_new';
  }
}

/** 验收: on-site check with a written opinion and evidence before, during and after; then exited. */
export async function acceptancePhase(ctx: CaseRuntime): Promise<Next> {
  const { state, input, policy } = ctx;
  ctx.clocks.stop('dismantling');
  // Seeds set no acceptance period per case; the re-inspection period (an on-site check too) applies.
  const p = await ctx.decisions.open('acceptance', ctx.decisions.decider('acceptance'), policy.officialDeadlines.reinspectionAfterReport, policy.reminders.reinspection);
  ctx.clocks.show('decision');
  await ctx.enter('acceptance', { dismantledOn: state.dismantledOn });
  await ctx.decisions.wait(p, () => ctx.has('recordAcceptance'));
  const a = ctx.take('recordAcceptance');
  await ctx.decisions.close(p, 'accepted', a.actor);
  const exitedOn = today();
  await ctx.acts.recordRetiredCapacity({
    caseId: ctx.caseId,
    regionCode: input.enterprise.regionCode,
    industry: input.enterprise.industry,
    exitedOn,
    facilities: input.facilities.map((f) => ({ id: f.id, name: f.name, capacity: f.capacity, unit: f.unit })),
  });
  await ctx.record('recordAcceptance', { opinion: a.opinion ?? null, opinionRef: a.opinionRef ?? null, evidence: a.evidence }, a.actor, `action/recordAcceptance/${a.idempotencyKey}`);
  await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'exit_accepted', idempotencyKey: `${p.decisionId}/mail/accepted`, detail: { exitedOn } });
  state.overdue = false;
  ctx.clocks.show(null);
  await ctx.enter('exited', { exitedOn });
  return { to: 'done' };
}
