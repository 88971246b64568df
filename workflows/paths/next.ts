/** Where a path hands the case on to: the main flow (workflows/case.ts) dispatches on it. */
export type ClosureGround = 'lapsed' | 'reinspection_failed' | 'proposed' | 'serious';

export type Next =
  | { to: 'rectification'; from: string; months: number; renewed: boolean }
  | { to: 'closure'; why: ClosureGround }
  | { to: 'exit' }
  | { to: 'sealed'; resumed: boolean }
  | { to: 'acceptance' }
  | { to: 'continue_as_new' }
  | { to: 'done' };

export const CLOSURE_GROUNDS_ZH: Record<ClosureGround, string> = {
  lapsed: '整改期满仍未整改到位',
  reinspection_failed: '经复查整改后仍不达标',
  proposed: '经执法部门认定仍不达标',
  serious: '超标排放情节严重',
};
