import type { ExitMethod } from './capacity-exit';
import { compareLegalDates } from './deadlines';
import { childDivisions, division as divisionOf } from './divisions';
import { divisionPrefix } from './jurisdiction';
import { INDUSTRY_NAMES_ZH, type Industry } from './model';
import { campaignDate, type Policy } from './policy';

/**
 * The progress ledger of a campaign (进展台账): capacity that exited in the campaign year against the
 * year's target list (目标计划), per industry and unit, per sub-division, and which sub-divisions lag
 * (进展较慢, 30号文 (二十): 通报、约谈). Pure: the figures come in, the ledger goes out.
 *
 * Capacity is never added across units (万吨/年 and MW are different things): every figure is per
 * industry and unit. Sealed capacity has exited (30号文 (九)); a coal-power unit kept as emergency
 * backup (关而不拆转应急备用) counts too, and each figure says how much of it was exited which way.
 */

/** One line of the target list: what must exit in an industry, in one unit. */
export interface TargetLine {
  industry: string;
  unit: string;
  capacity: number;
  enterprises: number;
  facilities: number;
}

/** Exited capacity, grouped per region, industry, unit, way of exit and enterprise. */
export interface RetiredRow {
  region: string;
  industry: string;
  unit: string;
  how: ExitMethod;
  creditCode: string;
  capacity: number;
  facilities: number;
}

/** Cases of a region open on the ledger's date, and how many of them were past their deadline. */
export interface CaseCount {
  region: string;
  open: number;
  overdue: number;
}

export interface ProgressInput {
  policy: Policy;
  /** The campaign's division and year. */
  division: string;
  year: number;
  /** The ledger's date (YYYY-MM-DD, Asia/Shanghai): the figures are as they stood at the end of it. */
  asOf: string;
  targets: readonly TargetLine[];
  /** The target list broken down by sub-division (from the survey's rows), where it is known. */
  subdivisionTargets: readonly (TargetLine & { division: string })[];
  retired: readonly RetiredRow[];
  cases: readonly CaseCount[];
  /**
   * The sub-divisions' own campaigns of the same year and the milestones each had let lapse on the
   * ledger's date (by name), where they run one: a sub-division late with its own plan lags too.
   */
  subdivisionCampaigns?: readonly SubdivisionCampaign[];
  /**
   * The target list a sub-division's own campaign of the year holds (its own survey, or a target its
   * office or the office above set: 目标任务分解下达), by its exact code. For an industry and unit it
   * names, it replaces what this campaign's survey found in that sub-division.
   */
  subdivisionOwnTargets?: readonly (TargetLine & { division: string })[];
}

/** A sub-division's campaign and its milestones lapsed (逾期未完成) on the ledger's date. */
export interface SubdivisionCampaign {
  division: string;
  lapsed: readonly string[];
}

export interface Figures {
  capacity: number;
  enterprises: number;
  facilities: number;
}

export interface ProgressLine {
  industry: string;
  unit: string;
  /** null: the target list has no line for this industry and unit. */
  target: Figures | null;
  retired: Figures & { byHow: Record<ExitMethod, number> };
  /** What is left to exit; null without a target. Never below zero. */
  remaining: Figures | null;
  /** retired ÷ target capacity; null without a target or with a target of zero. */
  share: number | null;
}

/** The pace the ledger measures against on its date. */
export interface Pace {
  /** The exit window the share is measured over (组织退出): from, by. */
  from: string;
  by: string;
  /** The part of the window elapsed at the end of `asOf`, 0..1. */
  expectedShare: number;
  /** The policy's `campaign.laggingBelowPaceShare`. */
  factor: number;
  /** A line lags below this share: factor × expected share. */
  laggingBelow: number;
  /** The factor is exitflow's default, not the plan's (the policy's `defaults` names it). */
  isDefault: boolean;
}

export type LagReason =
  | { kind: 'pace'; industry: string; unit: string; share: number; laggingBelow: number }
  | { kind: 'overdue'; cases: number }
  /** Its own campaign let these milestones lapse (their Chinese names), 30号文 (二十) 督办. */
  | { kind: 'milestones'; milestones: string[] };

export interface SubdivisionProgress {
  division: string;
  name: string;
  /** The campaign's own division (本级): cases and exits held at its level, not in a sub-division. */
  own: boolean;
  lines: ProgressLine[];
  cases: { open: number; overdue: number };
  lagging: boolean;
  reasons: LagReason[];
}

export interface Progress {
  division: string;
  name: string;
  year: number;
  asOf: string;
  pace: Pace;
  totals: ProgressLine[];
  cases: { open: number; overdue: number };
  subdivisions: SubdivisionProgress[];
  /** The sub-divisions that lag, with why. */
  lagging: { division: string; name: string; reasons: LagReason[] }[];
}

const EXIT_METHODS: readonly ExitMethod[] = ['dismantled', 'sealed', 'emergency_backup'];

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The exit window of the policy's campaign year and the share of it elapsed at the end of `asOf`.
 * The window opens at `exitFrom` (Liaoning 二(二) 6月1日); where the plan enforces all year
 * (Guangdong 四(二)) or names no start, on January 1.
 */
export function pace(policy: Policy, year: number, asOf: string): Pace {
  const c = policy.campaign;
  const from = c.exitFrom && !c.enforcementAllYear ? campaignDate(c.exitFrom, year) : `${year}-01-01`;
  const by = campaignDate(c.exitBy, year);
  const window = daysBetween(from, by) + 1;
  const elapsed = Math.min(Math.max(daysBetween(from, asOf) + 1, 0), window);
  const expectedShare = window > 0 ? elapsed / window : 1;
  const factor = c.laggingBelowPaceShare;
  return { from, by, expectedShare, factor, laggingBelow: factor * expectedShare, isDefault: policy.defaults.some((d) => d.path === 'campaign.laggingBelowPaceShare') };
}

/**
 * Which sub-division of `division` a region lies in: a province's city, a city's county (by the code's
 * prefix); the division itself for a region held at its own level or in none of its listed children.
 */
export function subdivisionOf(division: string, children: readonly string[], region: string): string {
  return children.find((c) => region.startsWith(divisionPrefix(c))) ?? division;
}

const key = (l: { industry: string; unit: string }) => `${l.industry}\u0000${l.unit}`;

/** Target and exits per industry and unit, in the target list's order, then exits with no target. */
function lines(targets: readonly TargetLine[], retired: readonly RetiredRow[]): ProgressLine[] {
  const keys = [...new Set([...targets.map(key), ...retired.map(key)])];
  return keys.map((k) => {
    const rows = retired.filter((r) => key(r) === k);
    const t = targets.find((x) => key(x) === k);
    const [industry, unit] = k.split('\u0000') as [string, string];
    const byHow = Object.fromEntries(EXIT_METHODS.map((h) => [h, sum(rows.filter((r) => r.how === h).map((r) => r.capacity))])) as Record<ExitMethod, number>;
    const done: Figures = { capacity: sum(rows.map((r) => r.capacity)), enterprises: new Set(rows.map((r) => r.creditCode)).size, facilities: sum(rows.map((r) => r.facilities)) };
    const target = t ? { capacity: t.capacity, enterprises: t.enterprises, facilities: t.facilities } : null;
    const remaining = target
      ? { capacity: round(Math.max(target.capacity - done.capacity, 0)), enterprises: Math.max(target.enterprises - done.enterprises, 0), facilities: Math.max(target.facilities - done.facilities, 0) }
      : null;
    const share = target && target.capacity > 0 ? done.capacity / target.capacity : null;
    return { industry, unit, target, retired: { ...done, byHow }, remaining, share };
  });
}

/** Capacity figures are decimals (万吨/年): summed without binary noise (0.1 + 0.2). */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
const sum = (ns: readonly number[]) => round(ns.reduce((a, b) => a + b, 0));

/** Why a sub-division lags: a target line below the pace, cases past their deadline, milestones of its own campaign lapsed. */
function lagReasons(own: ProgressLine[], overdue: number, lapsed: readonly string[], p: Pace): LagReason[] {
  const slow: LagReason[] = own
    .filter((l): l is ProgressLine & { share: number } => l.share !== null && l.share < p.laggingBelow)
    .map((l) => ({ kind: 'pace', industry: l.industry, unit: l.unit, share: l.share, laggingBelow: p.laggingBelow }));
  const late: LagReason[] = overdue > 0 ? [{ kind: 'overdue', cases: overdue }] : [];
  const milestones: LagReason[] = lapsed.length ? [{ kind: 'milestones', milestones: [...lapsed] }] : [];
  return [...slow, ...late, ...milestones];
}

/** The ledger of a campaign as of its date. */
export function campaignProgress(input: ProgressInput): Progress {
  const { division, policy, year, asOf } = input;
  const p = pace(policy, year, asOf);
  const children = childDivisions(division);
  const codes = children.map((c) => c.code);
  const where = (region: string) => subdivisionOf(division, codes, region);

  const subdivisions = [...children.map((c) => ({ code: c.code, name: c.name, own: false })), { code: division, name: `${nameOf(division)}本级`, own: true }].map(({ code, name, own }) => {
    const targets = input.subdivisionTargets.filter((t) => where(t.division) === code);
    const rows = input.retired.filter((r) => where(r.region) === code);
    const cases = input.cases.filter((c) => where(c.region) === code);
    const counts = { open: sum(cases.map((c) => c.open)), overdue: sum(cases.map((c) => c.overdue)) };
    const set = own ? [] : (input.subdivisionOwnTargets ?? []).filter((t) => t.division === code);
    const surveyed = mergeTargets(targets).filter((t) => !set.some((x) => key(x) === key(t)));
    const ownLines = lines([...surveyed, ...set.map(({ division: _d, ...t }) => t)], rows);
    // The division's own level is the office's own work, not a sub-region to supervise.
    const lapsed = own ? [] : (input.subdivisionCampaigns ?? []).filter((c) => c.division === code).flatMap((c) => c.lapsed);
    const reasons = own ? [] : lagReasons(ownLines, counts.overdue, lapsed, p);
    return { division: code, name, own, lines: ownLines, cases: counts, lagging: reasons.length > 0, reasons };
  });
  // The own level is shown only when something is held there (or there is nothing below: a county).
  const shown = subdivisions.filter((s) => !s.own || children.length === 0 || s.lines.length > 0 || s.cases.open > 0);

  return {
    division,
    name: nameOf(division),
    year,
    asOf,
    pace: p,
    totals: lines(input.targets, input.retired),
    cases: { open: sum(input.cases.map((c) => c.open)), overdue: sum(input.cases.map((c) => c.overdue)) },
    subdivisions: shown,
    lagging: shown.filter((s) => s.lagging).map((s) => ({ division: s.division, name: s.name, reasons: s.reasons })),
  };
}

/** Sub-division target rows (one per surveyed facility or group) summed per industry and unit. */
function mergeTargets(rows: readonly TargetLine[]): TargetLine[] {
  const out = new Map<string, TargetLine>();
  for (const r of rows) {
    const t = out.get(key(r)) ?? { industry: r.industry, unit: r.unit, capacity: 0, enterprises: 0, facilities: 0 };
    out.set(key(r), { ...t, capacity: round(t.capacity + r.capacity), enterprises: t.enterprises + r.enterprises, facilities: t.facilities + r.facilities });
  }
  return [...out.values()];
}

const nameOf = (code: string) => divisionOf(code)?.name ?? code;

/**
 * How exited capacity stood at the end of `asOf`: capacity sealed then and dismantled since was, on
 * that date, sealed (its row now says dismantled). The row counts only when it exited by then.
 */
export function exitMethodAsOf(r: { how: ExitMethod; sealedOn: string | null; dismantledOn: string | null }, asOf: string): ExitMethod {
  if (r.how === 'dismantled' && r.sealedOn && r.dismantledOn && compareLegalDates(r.dismantledOn, asOf) > 0) return 'sealed';
  return r.how;
}

const industryZh = (industry: string) => INDUSTRY_NAMES_ZH[industry as Industry] ?? industry;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Why a sub-division lags, in the words of a 通报 (the ledger's exports and the reports upward). */
export function reasonZh(r: LagReason): string {
  if (r.kind === 'overdue') return `逾期未办结案件${r.cases}件`;
  if (r.kind === 'milestones') return `本级工作逾期未完成：${r.milestones.join('、')}`;
  return `${industryZh(r.industry)}（${r.unit}）退出${percent(r.share)}，低于进度要求${percent(r.laggingBelow)}`;
}
