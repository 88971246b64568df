import { patched } from '@temporalio/workflow';
import { extendedDeadline } from '../../domain/deadlines';
import type { CaseRuntime } from '../runtime';
import { today } from '../runtime';
import type { Next } from './next';

/**
 * 限期整改 / 停产整顿: the enterprise rectifies within the period (energy and quality 6 months,
 * 30号文 (四)(六); environment and safety as the department sets, (五)(七)). It may apply once for
 * an extension where the policy allows (energy: at most 3 months), report rectification done for a
 * re-inspection, or let the period lapse, which escalates and proposes closure.
 */
export async function rectificationPhase(ctx: CaseRuntime, step: Extract<Next, { to: 'rectification' }>): Promise<Next> {
  const { state } = ctx;
  // 30号文 (六)(七): quality and safety stop production at once (责令停产整改 / 立即停产停业整顿);
  // environment (五) and Fuzhou safety: the department's choice at opening (停产整治 / 停产停业整顿).
  const suspended = ctx.rule.suspension === 'immediate' || (ctx.rule.suspension === 'department_decides' && ctx.input.measure === 'suspend_production');
  const stage = suspended ? 'suspended_production' : 'rectification';
  state.productionSuspended = stage === 'suspended_production';
  ctx.clocks.start('rectification', { from: step.from, months: step.months }, ctx.policy.reminders.rectification);
  ctx.clocks.sync();
  state.rectificationLapsedOn = null;
  ctx.clocks.show('rectification');
  if (step.renewed) {
    state.overdue = false;
    await ctx.enter(stage, { months: step.months, from: step.from, renewed: true });
    await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'rectification_renewed', idempotencyKey: ctx.key(`mail/rectification_renewed/${state.history.length}`), detail: { deadline: state.rectificationDeadline } });
  } else {
    // The notice is served first (it names the deadline); the yellow-list stage follows.
    const notice = await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'rectification_notice', idempotencyKey: ctx.key('mail/rectification_notice'), detail: { deadline: state.rectificationDeadline } });
    state.noticeMessageId = notice.messageId;
    await ctx.enter(stage, { months: step.months, from: step.from, renewed: false });
  }

  for (;;) {
    const outcome = await ctx.clocks.run(
      'rectification',
      () => ctx.has('requestExtension', 'reportRectificationDone', 'proposeClosure', 'declareVoluntaryExit'),
      async (r, deadline) => {
        await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'rectification_reminder', idempotencyKey: ctx.key(`mail/rectification_reminder/${deadline}/${r.daysBefore}`), detail: { deadline, daysBefore: r.daysBefore } });
      },
    );
    if (ctx.takeVoluntaryExit()) return { to: 'exit' };
    if (outcome === 'lapsed') {
      state.rectificationLapsedOn = state.clocks.rectification!.deadline.date;
      await ctx.decisions.escalate('rectification', ctx.decisions.responsibleDepartment(), state.rectificationDeadline!, ctx.key(`escalation/rectification/${state.rectificationDeadline}`));
      // Where the plan names closure only for serious cases, the lapsed case stays with the department
      // (overdue, escalated), which proposes closure or re-inspects. Patched: lapses recorded before
      // went to closure whatever the policy.
      if (ctx.rule.lapseGoesToClosure || !patched('lapse-closure-by-policy')) return { to: 'closure', why: 'lapsed' };
      continue;
    }
    if (ctx.has('proposeClosure')) {
      const p = ctx.take('proposeClosure');
      await ctx.record('proposeClosure', { reason: p.reason }, p.actor, `action/proposeClosure/${p.idempotencyKey}`);
      return { to: 'closure', why: 'proposed' };
    }
    if (ctx.has('requestExtension')) {
      const exit = await extensionStep(ctx);
      if (exit) return exit;
      ctx.clocks.show('rectification');
      await ctx.enter(stage, { afterExtension: true });
      continue;
    }
    return reinspectionStep(ctx);
  }
}

/** 延期: the decider answers within its own period; approval moves the deadline and every timer. */
async function extensionStep(ctx: CaseRuntime): Promise<Next | null> {
  const { state } = ctx;
  const rule = ctx.rule.extension!;
  const req = ctx.take('requestExtension');
  state.extensionsRequested++;
  const original = state.clocks.rectification!.deadline;
  const decider = ctx.decisions.decider('extension');
  const p = await ctx.decisions.open('extension', decider, rule.decisionWithin, ctx.policy.reminders.extensionDecision, { months: req.months, deadline: original.date, reason: req.reason ?? null });
  ctx.clocks.show('decision');
  await ctx.enter('extension_requested', { months: req.months, requestedBy: req.actor.id });
  await ctx.decisions.wait(p, () => ctx.has('decideExtension', 'declareVoluntaryExit'));
  if (ctx.takeVoluntaryExit()) return { to: 'exit' };

  const d = ctx.take('decideExtension');
  await ctx.decisions.close(p, d.approve ? 'approved' : 'rejected', d.actor);
  if (d.approve) {
    const months = d.months ?? req.months;
    // 30号文 (四): counted from the original calendar deadline, at most capMonths (checked on request).
    const clock = state.clocks.rectification!;
    clock.basis = { from: original.rolledFrom ?? original.date, months };
    clock.deadline = extendedDeadline(original, months, state.calendar);
    clock.remindersSent = [];
    clock.lapsed = false;
    ctx.clocks.version++;
    state.extensionsGranted++;
    ctx.clocks.sync();
    // Henan 二(二)1: 并向省发展改革委、工业和信息化厅报备.
    const province = `${ctx.input.enterprise.regionCode.slice(0, 2)}0000`;
    const departments = rule.filings.map((f) => (f === 'provincial_development_reform' ? 'development_reform' : 'industry_it'));
    if (departments.length) {
      await ctx.acts.notifyAuthorities({
        caseId: ctx.caseId,
        idempotencyKey: `${p.decisionId}/filing`,
        jurisdiction: province,
        roles: ['enforcement_official'],
        departments,
        subject: `【延期整改报备】${ctx.input.enterprise.name}（${ctx.input.caseNumber}）整改期限延至${clock.deadline.date}`,
        text: `${ctx.input.enterprise.name}的能耗整改期限经批准延期${months}个月，由${original.date}延至${clock.deadline.date}，特此报备。\nFiling: extension of ${months} months approved, new deadline ${clock.deadline.date}.`,
      });
    }
  }
  await ctx.record('decideExtension', { approved: d.approve, months: d.months ?? req.months, deadline: state.rectificationDeadline, reason: d.reason ?? null }, d.actor, `action/decideExtension/${d.idempotencyKey}`);
  await ctx.acts.sendCaseMail({
    caseId: ctx.caseId,
    kind: 'extension_decision',
    idempotencyKey: ctx.key(`mail/extension_decision/${state.extensionsRequested}`),
    detail: { approved: d.approve, months: d.months ?? req.months, deadline: state.rectificationDeadline, reason: d.reason ?? null, extensionsLeft: Math.max(0, rule.maxCount - state.extensionsRequested) },
  });
  return null;
}

/** 复查: the department checks on site within its own period; pass → compliant, fail → closure. */
async function reinspectionStep(ctx: CaseRuntime): Promise<Next> {
  const { state } = ctx;
  const report = ctx.take('reportRectificationDone');
  const p = await ctx.decisions.open('reinspection', ctx.decisions.decider('reinspection'), ctx.policy.officialDeadlines.reinspectionAfterReport, ctx.policy.reminders.reinspection, { evidence: report.evidence });
  ctx.clocks.show('decision');
  await ctx.enter('reinspection', { reportedBy: report.actor.id, evidence: report.evidence });
  await ctx.decisions.wait(p, () => ctx.has('recordReinspection', 'declareVoluntaryExit'));
  if (ctx.takeVoluntaryExit()) return { to: 'exit' };

  const r = ctx.take('recordReinspection');
  await ctx.decisions.close(p, r.passed ? 'passed' : 'failed', r.actor);
  await ctx.record('recordReinspection', { passed: r.passed, findings: r.findings ?? null }, r.actor, `action/recordReinspection/${r.idempotencyKey}`);
  await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'reinspection_result', idempotencyKey: `${p.decisionId}/mail/result`, detail: { passed: r.passed } });
  if (!r.passed) return { to: 'closure', why: 'reinspection_failed' };

  const resumeProduction = state.productionSuspended;
  state.productionSuspended = false;
  state.overdue = false;
  ctx.clocks.stop('rectification');
  ctx.clocks.show(null);
  await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'compliant', idempotencyKey: ctx.key('mail/compliant'), detail: { resumeProduction } });
  await ctx.enter('compliant', { reinspectedBy: r.actor.id, findings: r.findings ?? null, resumeProduction, on: today() });
  return { to: 'done' };
}
