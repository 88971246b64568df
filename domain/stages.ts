import type { Step } from './authority';

/**
 * The stages of one case and which inputs each accepts, as pure data: the case workflow validates
 * updates against it, and the API tells a caller what a case accepts right now.
 */

export const STAGES = [
  'opened', // 立案: the finding is recorded, the notice is being served
  'rectification', // 限期整改: yellow list (黄牌), production continues
  'suspended_production', // 停产整顿/停产整改: production stopped at once (30号文 (六)(七))
  'extension_requested', // 延期申请: the enterprise asked for more time, the decider has not answered
  'reinspection', // 复查: rectification reported done, the department checks on site
  'compliant', // 整改达标: off the yellow list (terminal)
  'closure_proposed', // 提请关闭: awaiting the approving government's decision (报经有批准权的人民政府批准)
  'closure_ordered', // 责令关闭: red list (红牌) and joint punishment (联合惩戒)
  'exit_in_progress', // 退出中: to be dismantled (拆除) or sealed (封存)
  'sealed', // 已封存: four seal measures in place, re-inspected periodically, dismantled by a deadline
  'extended_operation', // 延寿运行: a coal-power unit runs on until an approved date, then exits (Guangdong)
  'acceptance', // 验收: on-site check and written opinion
  'exited', // 已退出: capacity retired (terminal)
  'closed_with_reasons', // 不予关闭并说明理由: the government declined closure and closed the case (terminal)
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES_ZH: Record<Stage, string> = {
  opened: '立案',
  rectification: '限期整改',
  suspended_production: '停产整顿',
  extension_requested: '延期申请待批',
  reinspection: '整改复查',
  compliant: '整改达标',
  closure_proposed: '提请关闭',
  closure_ordered: '责令关闭',
  exit_in_progress: '退出中',
  sealed: '已封存',
  extended_operation: '延寿运行',
  acceptance: '退出验收',
  exited: '已退出',
  closed_with_reasons: '不予关闭（说明理由）',
};

export const TERMINAL_STAGES: readonly Stage[] = ['compliant', 'exited', 'closed_with_reasons'];

/** Every input a case takes, each a Temporal update of the same name (workflows/messages.ts). */
export const ACTIONS = [
  'requestExtension',
  'decideExtension',
  'reportRectificationDone',
  'recordReinspection',
  'proposeClosure',
  'decideClosure',
  'recordPunishmentAcknowledgement',
  'submitResettlementPlan',
  'recordDismantling',
  'recordSealing',
  'recordSealedReinspection',
  'recordAcceptance',
  'approveExtendedOperation',
  'suspendClock',
  'resumeClock',
  'declareVoluntaryExit',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Administrative review or litigation stops the clock in any stage that has one. */
const CLOCK = ['suspendClock', 'resumeClock'] as const;
/** Voluntary exit (主动退出) short-circuits every stage before the exit itself. */
const VOLUNTARY = ['declareVoluntaryExit'] as const;
/** Once closure is ordered, these may arrive until the case has exited. */
const AFTER_CLOSURE = ['recordPunishmentAcknowledgement', 'submitResettlementPlan'] as const;

export const STAGE_ACTIONS: Record<Stage, readonly Action[]> = {
  opened: [],
  rectification: ['requestExtension', 'reportRectificationDone', 'proposeClosure', ...CLOCK, ...VOLUNTARY],
  suspended_production: ['requestExtension', 'reportRectificationDone', 'proposeClosure', ...CLOCK, ...VOLUNTARY],
  extension_requested: ['decideExtension', ...CLOCK, ...VOLUNTARY],
  reinspection: ['recordReinspection', ...CLOCK, ...VOLUNTARY],
  compliant: [],
  closure_proposed: ['decideClosure', ...CLOCK, ...VOLUNTARY],
  closure_ordered: [...AFTER_CLOSURE],
  exit_in_progress: ['recordDismantling', 'recordSealing', 'approveExtendedOperation', ...AFTER_CLOSURE, ...CLOCK],
  extended_operation: ['recordDismantling', 'recordSealing', ...CLOCK],
  sealed: ['recordSealedReinspection', 'recordDismantling', ...AFTER_CLOSURE, ...CLOCK],
  acceptance: ['recordAcceptance', ...AFTER_CLOSURE, ...CLOCK],
  exited: [],
  closed_with_reasons: [],
};

/** Who may send each input (roles of domain/roles.ts); the workflow checks the decider's authority further. */
export const ACTION_ROLES: Record<Action, readonly string[]> = {
  requestExtension: ['enterprise'],
  decideExtension: ['approving_government', 'enforcement_official'],
  reportRectificationDone: ['enterprise'],
  recordReinspection: ['enforcement_official', 'inspector'],
  proposeClosure: ['enforcement_official'],
  decideClosure: ['approving_government', 'enforcement_official'],
  recordPunishmentAcknowledgement: ['coordination_office', 'enforcement_official'],
  submitResettlementPlan: ['enterprise', 'coordination_office'],
  recordDismantling: ['enterprise', 'enforcement_official', 'inspector'],
  recordSealing: ['enforcement_official', 'inspector'],
  recordSealedReinspection: ['enforcement_official', 'inspector'],
  recordAcceptance: ['coordination_office', 'enforcement_official', 'approving_government'],
  approveExtendedOperation: ['approving_government', 'enforcement_official'],
  suspendClock: ['enforcement_official', 'coordination_office'],
  resumeClock: ['enforcement_official', 'coordination_office'],
  declareVoluntaryExit: ['enterprise', 'enforcement_official'],
};

/**
 * Inputs that take a step only the body the policy names may take (domain/authority.ts deciderFor):
 * the pending decision's assignee (role, department, division) when one is on the to-do list, else
 * the body the case's pinned policy names. Re-inspections are recorded by the department's
 * inspectors as well as its officials, so they are not among them.
 */
export const DECISION_OF_ACTION: Partial<Record<Action, Step>> = {
  decideExtension: 'extension',
  decideClosure: 'closure',
  recordAcceptance: 'acceptance',
  approveExtendedOperation: 'extended_operation',
};

export function acceptedActions(stage: Stage): readonly Action[] {
  return STAGE_ACTIONS[stage];
}
