import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { futureFact } from '../domain/calendar';
import { sealingRefusal } from '../domain/exit';
import { PLATFORMS } from '../domain/platforms';
import { callerKey, INPUT_SCHEMAS, type InputRejection, type InputResult, type ParsedInput } from '../domain/inputs';
import { covers } from '../domain/jurisdiction';
import { ACTION_ROLES, DECISION_OF_ACTION, STAGE_ACTIONS, type Action } from '../domain/stages';
import { mayDecide, pendingOf, type Role } from '../domain/roles';
import { acceptanceRefusal, deciderFor, extensionRefusal } from '../domain/authority';
import type { Department } from '../domain/model';
import * as clocks from './deadline-clock';
import { CASE_UPDATES } from './messages';
import type { CaseRuntime } from './runtime';
import { today } from './runtime';

/**
 * Officials' and enterprises' inputs, one update each. The validator refuses what the case cannot
 * take now (a refused update leaves no history); the handler either hands the input to the flow
 * and answers once the flow has acted on it, or (for inputs that only change state) acts itself.
 * The same idempotency key twice returns the first answer and has one effect.
 */

function reject(r: InputRejection): never {
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

/**
 * Only the body that takes a step takes it (domain/roles.ts mayDecide; the API checks the same
 * first): the pending decision's assignee, else the body the pinned policy names.
 */
function checkDecider(ctx: CaseRuntime, action: Action, actor: ParsedInput<Action>['actor'], messageZh: string): void {
  const step = DECISION_OF_ACTION[action];
  if (!step) return;
  const p = ctx.state.pendingDecisions.find((d) => d.kind === step);
  const assignee = p ? { kind: p.kind, assigneeRole: p.assigneeRole, assigneeDepartment: p.assigneeDepartment, jurisdiction: p.jurisdiction } : pendingOf(step, deciderFor(ctx.authority, step));
  const decision = mayDecide({ role: actor.role as Role, department: actor.department as Department | undefined, jurisdiction: actor.jurisdiction }, assignee);
  if (!decision.allowed) reject({ code: 'not_the_decider', message: decision.reason, messageZh, field: 'actor.role' });
}

function notInFuture(field: string, date: string): void {
  const problem = futureFact(field, date, today());
  if (problem) reject({ code: problem.rule, message: problem.message, messageZh: problem.messageZh, field });
}

type Check<A extends Action> = (ctx: CaseRuntime, input: ParsedInput<A>) => void;

/** Rules beyond stage and role, per input. */
const CHECKS: { [A in Action]?: Check<A> } = {
  requestExtension(ctx, input) {
    const clock = ctx.state.clocks.rectification;
    const periodRunning = !!clock && !clock.lapsed && (!!clock.suspendedOn || Date.now() <= clocks.dueMs(clock));
    const refusal = extensionRefusal(ctx.policy, ctx.input.dimension, { months: input.months, requestedBefore: ctx.state.extensionsRequested, periodRunning, deadline: ctx.state.rectificationDeadline });
    if (refusal) reject(refusal);
  },
  decideExtension(ctx, input) {
    checkDecider(ctx, 'decideExtension', input.actor, '无权作出该延期决定');
    const requested = [...ctx.state.actions].reverse().find((a) => a.action === 'requestExtension')?.months;
    if (input.approve && input.months !== undefined && requested !== undefined && input.months > requested) {
      reject({ code: 'decision_exceeds_request', message: `${input.months} months exceeds the ${requested} requested`, messageZh: '批准的延期超过申请的期限', field: 'months' });
    }
  },
  decideClosure(ctx, input) {
    checkDecider(ctx, 'decideClosure', input.actor, '无权作出关闭决定');
    if (input.outcome === 'close_with_reasons' && !input.reason) {
      reject({ code: 'reason_required', message: 'declining closure requires the reasons', messageZh: '不予关闭的，应当说明理由', field: 'reason' });
    }
  },
  recordDismantling(ctx, input) {
    notInFuture('dismantledOn', input.dismantledOn);
  },
  recordSealing(ctx, input) {
    notInFuture('sealedOn', input.sealedOn);
    const options = ctx.policy.technology.coalPowerOptions;
    if (input.coalPowerOption && (!options?.includes(input.coalPowerOption) || ctx.input.enterprise.industry !== 'coal_power')) {
      reject({ code: 'coal_power_option_not_applicable', message: 'only coal power under a policy with coal-power options may be kept as emergency backup', messageZh: '仅适用于有煤电分类处置政策地区的煤电机组', field: 'coalPowerOption' });
    }
    const notEnough = sealingRefusal(ctx.policy, input, ctx.input.facilities);
    if (notEnough) reject(notEnough);
    const missing = ctx.policy.technology.sealMeasures.filter((m) => !input.measures.includes(m));
    if (missing.length) {
      reject({ code: 'seal_measures_incomplete', message: `sealing needs all of: ${missing.join(', ')}`, messageZh: '封存须同时断水、断电、拆除动力装置、封存主体设备', field: 'measures' });
    }
  },
  approveExtendedOperation(ctx, input) {
    const options = ctx.policy.technology.coalPowerOptions;
    if (!options?.includes('extended_operation') || ctx.input.enterprise.industry !== 'coal_power') {
      reject({ code: 'coal_power_option_not_applicable', message: 'only coal power under a policy with coal-power options may run on (延寿运行)', messageZh: '仅适用于有煤电分类处置政策地区的煤电机组', field: 'until' });
    }
    checkDecider(ctx, 'approveExtendedOperation', input.actor, '无权批准延寿运行');
    if (ctx.state.closureOrdered) reject({ code: 'closure_ordered', message: 'a unit ordered closed cannot run on', messageZh: '已责令关闭的机组不得延寿运行', field: 'until' });
    // GD 二(五)1 分类处置: one classification per unit; extended operation is not renewed at its end.
    if (ctx.state.extendedOperationUntil) reject({ code: 'extended_operation_used', message: `extended operation was approved until ${ctx.state.extendedOperationUntil}; it is not approved again`, messageZh: '延寿运行已批准过一次，期满后须退出', field: 'until' });
    if (input.until <= today()) reject({ code: 'until_not_in_future', message: 'extended operation must end after today', messageZh: '延寿运行截止日期须晚于今日', field: 'until' });
  },
  recordSealedReinspection(ctx) {
    if (!ctx.state.pendingDecisions.some((d) => d.kind === 'sealed_reinspection')) {
      reject({ code: 'no_reinspection_due', message: 'no periodic re-inspection is due', messageZh: '当前没有待办的定期复查', stage: ctx.state.stage });
    }
  },
  recordAcceptance(ctx, input) {
    checkDecider(ctx, 'recordAcceptance', input.actor, '无权作出验收意见');
    if (ctx.state.closureOrdered && !ctx.state.resettlementPlan) {
      reject({ code: 'resettlement_plan_required', message: 'a closed case needs the worker resettlement plan before acceptance', messageZh: '验收前须报送职工安置方案', field: 'resettlementPlan' });
    }
    const refusal = acceptanceRefusal(ctx.policy, input);
    if (refusal) reject(refusal);
  },
  recordPunishmentAcknowledgement(ctx, input) {
    // Joint punishment follows a closure order or a lapsed exit deadline (30号文 (十七)).
    if (!ctx.state.closureOrdered && !Object.keys(ctx.state.acknowledgements).length) {
      reject({ code: 'no_joint_punishment', message: 'no joint punishment: closure was not ordered and no exit deadline lapsed', messageZh: '未责令关闭且未逾期退出，无联合惩戒', stage: ctx.state.stage });
    }
    if (!(PLATFORMS as readonly string[]).includes(input.platform)) {
      reject({ code: 'unknown_platform', message: `platform must be one of ${PLATFORMS.join(', ')}`, messageZh: '平台不存在', field: 'platform' });
    }
  },
  suspendClock(ctx) {
    if (ctx.state.clockSuspended) reject({ code: 'clock_already_suspended', message: 'the clock is already stopped', messageZh: '期限已中止', stage: ctx.state.stage });
    if (!Object.keys(ctx.state.clocks).length) reject({ code: 'no_running_clock', message: 'no deadline is running', messageZh: '当前没有进行中的期限', stage: ctx.state.stage });
  },
  resumeClock(ctx) {
    if (!ctx.state.clockSuspended) reject({ code: 'clock_not_suspended', message: 'the clock is not stopped', messageZh: '期限未中止', stage: ctx.state.stage });
  },
};

/** Officials act within their jurisdiction; an enterprise only on its own case (the API checks too). */
function whoMayAct(ctx: CaseRuntime, actor: ParsedInput<Action>['actor']): void {
  if (actor.role === 'enterprise') {
    if (actor.creditCode !== ctx.input.creditCode) reject({ code: 'not_this_enterprise', message: 'an enterprise acts only on its own cases', messageZh: '企业只能办理本企业的案件', field: 'actor.creditCode' });
    return;
  }
  if (actor.jurisdiction && !covers(actor.jurisdiction, ctx.input.enterprise.regionCode)) {
    reject({ code: 'outside_jurisdiction', message: `region ${ctx.input.enterprise.regionCode} is outside jurisdiction ${actor.jurisdiction}`, messageZh: '超出管辖范围', field: 'actor.jurisdiction' });
  }
}

function validate<A extends Action>(ctx: CaseRuntime, action: A, raw: unknown): ParsedInput<A> {
  const parsed = INPUT_SCHEMAS[action].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    reject({ code: 'invalid_input', message: `${issue.path.join('.')}: ${issue.message}`, messageZh: '输入不符合要求', field: issue.path.join('.') });
  }
  const input = parsed.data as ParsedInput<A>;
  // The lapse of the rectification period answers a late extension request better than the stage does.
  if (action === 'requestExtension' && ctx.state.rectificationLapsedOn) CHECKS.requestExtension!(ctx, input as ParsedInput<'requestExtension'>);
  const accepts = STAGE_ACTIONS[ctx.state.stage];
  if (!accepts.includes(action)) {
    reject({ code: 'stage_does_not_accept', message: `stage ${ctx.state.stage} does not accept ${action}; it accepts: ${accepts.join(', ') || 'nothing'}`, messageZh: `当前阶段不接受该操作`, stage: ctx.state.stage, accepts: [...accepts] });
  }
  if (!ACTION_ROLES[action].includes(input.actor.role)) {
    reject({ code: 'actor_not_allowed', message: `${input.actor.role} may not ${action}`, messageZh: '无权执行该操作', field: 'actor.role' });
  }
  whoMayAct(ctx, input.actor);
  if (ctx.has(action)) reject({ code: 'input_pending', message: `another ${action} is being handled`, messageZh: '同类操作正在处理中', stage: ctx.state.stage });
  (CHECKS[action] as Check<A> | undefined)?.(ctx, input);
  return input;
}

/** Inputs that only change state; every other input is handed to the flow. */
const DIRECT: { [A in Action]?: (ctx: CaseRuntime, input: ParsedInput<A>) => Promise<Record<string, unknown>> } = {
  async suspendClock(ctx, input) {
    const on = today();
    for (const c of Object.values(ctx.state.clocks)) if (c) clocks.suspend(c, on);
    ctx.state.clockSuspended = true;
    ctx.clocks.version++;
    ctx.clocks.show(ctx.state.activeClock);
    const remaining = Object.fromEntries(Object.entries(ctx.state.clocks).map(([k, c]) => [k, c!.remainingDays]));
    return { ground: input.ground, suspendedOn: on, remainingDays: remaining };
  },
  async resumeClock(ctx) {
    const on = today();
    const due = ctx.state.pendingDecisions.at(-1)?.dueDate;
    for (const c of Object.values(ctx.state.clocks)) if (c) clocks.resume(c, on, ctx.state.calendar);
    ctx.state.clockSuspended = false;
    ctx.clocks.version++;
    ctx.clocks.show(ctx.state.activeClock);
    await ctx.decisions.reschedule(due);
    return { resumedOn: on, deadline: ctx.state.deadline };
  },
  async recordPunishmentAcknowledgement(ctx, input) {
    ctx.state.acknowledgements[input.platform] = input.acknowledgement;
    return { platform: input.platform, acknowledgement: input.acknowledgement };
  },
  async submitResettlementPlan(ctx, input) {
    ctx.state.resettlementPlan = { workers: input.workers, planRef: input.planRef };
    return { workers: input.workers, planRef: input.planRef, approvedBy: input.approvedBy ?? null };
  },
};

/**
 * The input as the handler works with it (defaults filled, text trimmed). The validator has already
 * refused whatever breaks today's rules; an input accepted under earlier, looser rules (replayed
 * from a recorded history, where validators do not run) keeps the effect it had: each field is
 * taken parsed where it still parses, as sent where it does not. No replay fails on a rule that
 * tightened after the input was accepted.
 */
function accepted(action: Action, raw: unknown): ParsedInput<Action> {
  const schema = INPUT_SCHEMAS[action];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as ParsedInput<Action>;
  const sent = (raw ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(schema.shape).map(([k, field]) => {
      const f = (field as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(sent[k]);
      return [k, f.success ? f.data : sent[k]];
    }),
  ) as ParsedInput<Action>;
}

function summary(ctx: CaseRuntime, action: Action, key: string): InputResult {
  const s = ctx.state;
  return { action, idempotencyKey: key, stage: s.stage, deadline: s.deadline, overdue: s.overdue, clockSuspended: s.clockSuspended };
}

export function registerInputs(ctx: CaseRuntime): void {
  const running = new Map<string, Promise<InputResult>>();
  // Keys are scoped per input and per caller: the same key on two inputs, or from two callers, is
  // two requests (one caller's command is never answered with another's result). Cases started
  // before the patch scope by input only, as they did.
  ctx.state.keysPerCaller ??= patched('input-keys-per-caller');
  const scoped = (action: Action, raw: { idempotencyKey?: unknown; actor?: unknown }) => {
    const key = `${action}/${String(raw?.idempotencyKey)}`;
    if (!ctx.state.keysPerCaller) return key;
    const actor = raw?.actor as Parameters<typeof callerKey>[0] | undefined;
    return `${key}/${actor && typeof actor === 'object' ? callerKey(actor) : ''}`;
  };
  const seen = (action: Action, raw: { idempotencyKey?: unknown }) => typeof raw?.idempotencyKey === 'string' && (scoped(action, raw) in ctx.state.results || running.has(scoped(action, raw)));

  for (const action of Object.keys(CASE_UPDATES) as Action[]) {
    const handle = async (input: ParsedInput<Action>): Promise<InputResult> => {
      const { actor, reason, idempotencyKey } = input;
      ctx.state.actions.push({ at: new Date().toISOString(), action, idempotencyKey, actor: { id: actor.id, name: actor.name, role: actor.role }, ...(reason ? { reason } : {}), ...('months' in input ? { months: input.months } : {}) });
      const direct = DIRECT[action] as ((c: CaseRuntime, i: unknown) => Promise<Record<string, unknown>>) | undefined;
      if (direct) {
        const detail = await direct(ctx, input);
        await ctx.record(action, { ...detail, reason: reason ?? null }, actor, `action/${action}/${idempotencyKey}`);
      } else {
        const entry = ctx.put(action, input);
        await condition(() => ctx.answered(entry));
      }
      return summary(ctx, action, idempotencyKey);
    };
    setHandler(
      CASE_UPDATES[action] as unknown as UpdateDefinition<InputResult, [{ idempotencyKey: string }]>,
      async (raw: { idempotencyKey: string }) => {
        const key = scoped(action, raw);
        const first = ctx.state.results[key] ?? running.get(key);
        if (first) return first;
        const p = handle(accepted(action, raw)).then((r) => {
          ctx.state.results[key] = r;
          running.delete(key);
          return r;
        });
        running.set(key, p);
        return p;
      },
      {
        validator: (raw: { idempotencyKey?: unknown }) => {
          if (seen(action, raw)) return; // a repeat by the same caller answers with the first result
          validate(ctx, action, raw);
        },
      },
    );
  }
}
