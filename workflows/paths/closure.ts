import { patched } from '@temporalio/workflow';
import { punishmentTargets } from '../../domain/authority';
import { PLATFORMS_BEFORE_POLICY } from '../../domain/platforms';
import type { CaseRuntime } from '../runtime';
import { today, together } from '../runtime';
import { CLOSURE_GROUNDS_ZH, type ClosureGround, type Next } from './next';

/**
 * 提请关闭 → 责令关闭: the department reports the case to the people's government with the power
 * to approve (报经有批准权的人民政府批准, 30号文 (四)–(七)), which decides within its own period.
 * Approved: red list (红牌) and joint punishment (联合惩戒, 30号文 (十三)(十六)(十七)), one push per
 * platform. Declined: a new rectification period, or the case closes with reasons.
 */
export async function closurePhase(ctx: CaseRuntime, why: ClosureGround): Promise<Next> {
  const { state, input } = ctx;
  ctx.clocks.stop('rectification');
  const decider = ctx.decisions.decider('closure');
  // The decision on the government's to-do list and the stage are independent and are written
  // together (a workflow task less); the mail follows the stage, whose deadline it names.
  const [p] = await together('closure-proposal-together', [
    () => ctx.decisions.open('closure', decider, ctx.policy.officialDeadlines.closureDecision, ctx.policy.reminders.closureDecision, { why }),
    () => {
      ctx.clocks.show('decision');
      return ctx.enter('closure_proposed', { why });
    },
  ]);
  await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'closure_proposed', idempotencyKey: `${p.decisionId}/mail/proposed`, detail: { why: CLOSURE_GROUNDS_ZH[why] } });
  await ctx.decisions.wait(p, () => ctx.has('decideClosure', 'declareVoluntaryExit'));
  if (ctx.takeVoluntaryExit()) return { to: 'exit' };

  const d = ctx.take('decideClosure');
  await ctx.decisions.close(p, d.outcome, d.actor);
  await ctx.record('decideClosure', { outcome: d.outcome, months: d.months ?? null, reason: d.reason ?? null }, d.actor, `action/decideClosure/${d.idempotencyKey}`);

  if (d.outcome === 'rectify_again') {
    const months = d.months ?? ctx.rule.rectification?.months ?? 6;
    return { to: 'rectification', from: today(), months, renewed: true };
  }
  if (d.outcome === 'close_with_reasons') {
    state.overdue = false;
    ctx.clocks.show(null);
    await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'closed_with_reasons', idempotencyKey: `${p.decisionId}/mail/closed`, detail: { reason: d.reason ?? '' } });
    await ctx.enter('closed_with_reasons', { reason: d.reason ?? null });
    return { to: 'done' };
  }

  state.closureOrdered = true;
  ctx.clocks.show(null);
  await ctx.enter('closure_ordered', { approvedBy: d.actor.id, revokeLicences: ctx.rule.revokeLicences });
  await ctx.acts.sendCaseMail({ caseId: ctx.caseId, kind: 'closure_order', idempotencyKey: `${p.decisionId}/mail/order` });
  // One idempotent push per platform the policy names for a closure (domain/authority.ts
  // punishmentTargets); cases closed before the patch pushed to every platform.
  const platforms = patched('punishment-targets-by-policy') ? punishmentTargets(ctx.policy, input.dimension, 'closure') : [...PLATFORMS_BEFORE_POLICY];
  await ctx.punish(platforms, 'joint_punishment', { list: 'red', orderedOn: today(), revokeLicences: ctx.rule.revokeLicences }, `${p.decisionId}/push`);
  await ctx.record('joint_punishment', { acknowledgements: state.acknowledgements }, null, `${p.decisionId}/punishment/recorded`);
  return { to: 'exit' };
}
