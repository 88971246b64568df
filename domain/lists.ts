import type { z } from 'zod';
import type { Dimension } from './model';
import type { PublicList } from './policy/schema';
import type { Stage } from './stages';

/**
 * Which cases each public list (公示名单, 30号文 (二十一)) shows, whatever the region: the one home of
 * "which stages put a case on which list". The policy says who publishes a list and what it shows
 * (Policy.publicLists); this says which cases are on it. Pure and workflow-safe.
 */

export type ListKind = z.infer<typeof PublicList>['kind'];

/**
 * Not compliant and not (yet) ordered closed: rectifying by a deadline (限期整改, 停产整顿), asking for
 * more time, being re-inspected, or awaiting the government's decision on closure. An enterprise stays
 * on the yellow list while its closure is decided: it is still 不达标应限期整改 until the red list
 * (已依法关闭) takes it.
 */
export const STILL_FAILING: readonly Stage[] = ['rectification', 'suspended_production', 'extension_requested', 'reinspection', 'closure_proposed'];

/** Capacity that must exit: the year's elimination target (淘汰目标), from the closure order on. */
export const TO_EXIT: readonly Stage[] = ['closure_ordered', 'exit_in_progress', 'sealed', 'acceptance', 'exited'];

/** What puts a case on a list; every condition given must hold. */
export interface ListMembership {
  /** While the case is in one of these stages. */
  stages?: readonly Stage[];
  /** Once the case has entered this stage, for good (a closure order stays public). */
  entered?: Stage;
  dimension?: Dimension;
  /** Only cases recorded as serious (情节严重). */
  seriousOnly?: boolean;
  /**
   * Each publishing department publishes the cases it opened (30号文 (二十一): 工业和信息化、发展改革、
   * 质量技术监督、安全生产监管主管部门 each 定期公布 its own findings), so a case is on the list only
   * where its policy names the case's department among the list's publishers.
   */
  openedByPublisher?: boolean;
}

/**
 * The lists whose cases follow from the case record. The exit announcement is made of the capacity
 * recorded as retired, not of stages.
 */
export type CaseListKind = Exclude<ListKind, 'exit_announcement'>;

export const LIST_MEMBERSHIP: Readonly<Record<CaseListKind, ListMembership>> = {
  yellow: { stages: STILL_FAILING, openedByPublisher: true }, // 黄牌: 不达标应限期整改的企业名单
  red: { entered: 'closure_ordered', openedByPublisher: true }, // 红牌: 经整改仍不达标、已依法关闭的企业名单
  over_standard: { dimension: 'environment', stages: STILL_FAILING }, // 超标排放企业名单
  serious_over_standard: { dimension: 'environment', seriousOnly: true }, // 超标排放情节严重的企业名单
  environment_penalties: { dimension: 'environment' }, // GD 三(四) 超标排放企业的处罚信息
  target_list: { stages: TO_EXIT }, // 年度淘汰目标计划
};

/** What a case must tell to be placed on a list. */
export interface CaseListFacts {
  stage: Stage;
  dimension: Dimension;
  serious: boolean;
  /** Every stage the case has entered so far, in any order. */
  entered: readonly Stage[];
}

/** Whether a case is on a list of the given kind, its publishing department aside (publishedPerDepartment and the policy). */
export function isOnList(kind: CaseListKind, c: CaseListFacts): boolean {
  const m = LIST_MEMBERSHIP[kind];
  return (
    (m.stages === undefined || m.stages.includes(c.stage)) &&
    (m.entered === undefined || c.entered.includes(m.entered)) &&
    (m.dimension === undefined || m.dimension === c.dimension) &&
    (!m.seriousOnly || c.serious)
  );
}

/** Whether a list shows only the cases its publishing departments opened (the other lists cover every case of their kind). */
export function publishedPerDepartment(kind: ListKind): boolean {
  return kind !== 'exit_announcement' && LIST_MEMBERSHIP[kind].openedByPublisher === true;
}

/**
 * The lists of a year (年度淘汰目标计划, 年度落后产能退出企业名单, a year's penalties); the others stand
 * (黄牌, 红牌, 超标排放): whoever is on them now is on them, whatever year the case was opened in.
 */
const YEARLY_LISTS: readonly ListKind[] = ['target_list', 'exit_announcement', 'environment_penalties'];

/** The year an edition of `kind` published during the campaign of `year` covers: none for a standing list. */
export function listYear(kind: ListKind, year: number): number | null {
  return YEARLY_LISTS.includes(kind) ? year : null;
}
