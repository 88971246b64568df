import { z } from 'zod';
import { lazy } from './lazy';
import type { HolidayCalendarData } from './calendar';
import { reportIsSentBy } from './campaign-reports';
import { rollToWorkingDay } from './deadlines';
import { Actor } from './inputs';
import { covers, DIVISION_CODE_PATTERN, divisionPrefix, parentCodes } from './jurisdiction';
import { campaignDate, type CampaignDate, type Policy } from './policy';
import type { Decision, Principal } from './roles';
import { text } from './text';

/**
 * The annual campaign (年度工作方案) of one division: its milestones (里程碑) from the pinned policy's
 * `campaign.*` dates, who runs it and who hears when one lapses. Pure and workflow-safe: the dates
 * are a function of the policy, the year and the official calendar handed in.
 */

export const MILESTONE_KINDS = ['plans_filed', 'survey', 'exit_from', 'exit_by', 'acceptance', 'report'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

const KIND_NAMES_ZH: Record<Exclude<MilestoneKind, 'report'>, string> = {
  plans_filed: '工作方案和联系人报送', // 30号文 (十九) 每年3月底前; LN 四(七)
  survey: '摸底排查完成、目标计划公示', // 摸底排查
  exit_from: '组织退出开始', // LN 二(二) 组织退出阶段
  exit_by: '落后产能退出完成（拆除或封存）',
  acceptance: '现场检查和考核验收完成', // 验收
};

export interface Milestone {
  /** `plans_filed`, `survey`, … or `report:<report id>`; unique within a campaign. */
  id: string;
  kind: MilestoneKind;
  nameZh: string;
  /** The legal date it falls due, rolled forward off rest days like a case deadline (民法典 第203条). */
  due: string;
  /** The plan's own date, when it fell on a rest day and `due` rolled off it. */
  rolledFrom?: string;
  /** For a report (报送): who sends it, to whom, and who is copied. */
  report?: { from: string; to: string; copyTo?: string[] };
}

/** `campaign-<division>-<year>`: one campaign per division and year, readable in Temporal UI. */
export function campaignWorkflowId(division: string, year: number): string {
  return `campaign-${division}-${year}`;
}

export const CAMPAIGN_ID_PATTERN = /^campaign-\d{6}-\d{4}$/;

/**
 * Why a division cannot run a campaign under `policy`, or undefined when it can.
 *
 * Which levels: the plans address every level below the one that writes them — 30号文 (十九) the
 * provinces; Henan the 省辖市 and 省直管县（市）; Liaoning 各市; Fuzhou 各县（市）、区; Guangdong 各地级以上市
 * — and each level's coordination office (淘汰落后产能办) runs its own year. So a province, city or
 * county (6-digit GB/T 2260 code) may run one, as long as the policy covers all of it: Fuzhou's plan
 * (region '3501') runs Fuzhou and its counties, not Fujian province, whose year is the national one.
 */
export function campaignRefusal(policy: Policy, division: string): { code: string; message: string; messageZh: string } | undefined {
  if (!DIVISION_CODE_PATTERN.test(division)) return { code: 'division_code', message: `${division} is not a 6-digit division code`, messageZh: '行政区划代码应为6位数字' };
  const prefix = divisionPrefix(division);
  if (!prefix.startsWith(policy.region)) {
    return { code: 'division_not_covered', message: `${policy.version} does not cover ${division} (only divisions inside ${policy.region || 'the country'})`, messageZh: '该行政区划不在此工作方案的范围内' };
  }
  return undefined;
}

function milestone(kind: Exclude<MilestoneKind, 'report'>, date: CampaignDate, year: number, cal: HolidayCalendarData): Milestone {
  return dated({ id: kind, kind, nameZh: KIND_NAMES_ZH[kind], due: campaignDate(date, year) }, cal);
}

/** Roll the plan's date forward to a working day, keeping the plan's own date when it moved. */
function dated(m: Milestone, cal: HolidayCalendarData): Milestone {
  const due = rollToWorkingDay(m.due, cal);
  return due === m.due ? m : { ...m, due, rolledFrom: m.due };
}

/** Whether a report of the plan concerns this division (a report `withinDivision` '4101' is Zhengzhou's own). */
function reportApplies(report: Policy['campaign']['reports'][number], division: string): boolean {
  return !report.withinDivision || division.startsWith(report.withinDivision);
}

/**
 * The year's milestones of a division's campaign, in date order: plans filed (where the plan names a
 * date), survey done and target list published, exit from (a window, Liaoning) and by, acceptance,
 * and every report that concerns the division (January reports fall in the next year); with
 * `byLevel`, only those its level sends (domain/campaign-reports.ts reportIsSentBy).
 */
export function campaignMilestones(policy: Policy, division: string, year: number, cal: HolidayCalendarData, opts: { byLevel?: boolean } = {}): Milestone[] {
  const refusal = campaignRefusal(policy, division);
  if (refusal) throw new RangeError(refusal.message);
  const c = policy.campaign;
  const out: Milestone[] = [];
  if (c.plansFiledBy) out.push(milestone('plans_filed', c.plansFiledBy, year, cal));
  out.push(milestone('survey', c.surveyBy, year, cal));
  if (c.exitFrom) out.push(milestone('exit_from', c.exitFrom, year, cal));
  out.push(milestone('exit_by', c.exitBy, year, cal));
  out.push(milestone('acceptance', c.acceptanceBy, year, cal));
  // `byLevel`: only the reports this division's level sends (a city does not carry the province's report
  // to the ministries); without it, as campaigns started before that reading had them (workflows/PATCHES.md).
  const sends = opts.byLevel ? (r: (typeof c.reports)[number]) => reportIsSentBy(policy, r, division) : (r: (typeof c.reports)[number]) => reportApplies(r, division);
  for (const r of c.reports.filter(sends)) {
    const report = { from: r.from, to: r.to, ...(r.copyTo.length ? { copyTo: [...r.copyTo] } : {}) };
    out.push(dated({ id: `report:${r.id}`, kind: 'report', nameZh: r.nameZh, due: campaignDate(r.by, year), report }, cal));
  }
  const rank = (m: Milestone) => MILESTONE_KINDS.indexOf(m.kind);
  // Stable: the plan's own order among reports due the same day.
  return out.map((m, i) => ({ m, i })).sort((a, b) => a.m.due.localeCompare(b.m.due) || rank(a.m) - rank(b.m) || a.i - b.i).map(({ m }) => m);
}

export type MilestoneStatus = 'pending' | 'completed' | 'overdue';

/** A campaign's stage (阶段), from its earliest unfinished milestone; reports alone left: reporting. */
export const CAMPAIGN_STAGES = ['planning', 'survey', 'exit', 'acceptance', 'reporting', 'completed'] as const;
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];

const STAGE_OF_KIND: Record<MilestoneKind, CampaignStage> = {
  plans_filed: 'planning',
  survey: 'survey',
  exit_from: 'exit',
  exit_by: 'exit',
  acceptance: 'acceptance',
  report: 'reporting',
};

/** `milestones` in date order, with their status. */
export function campaignStage(milestones: readonly { kind: MilestoneKind; status: MilestoneStatus }[]): CampaignStage {
  const open = milestones.filter((m) => m.status !== 'completed');
  if (!open.length) return 'completed';
  return STAGE_OF_KIND[(open.find((m) => m.kind !== 'report') ?? open[0]!).kind];
}

/**
 * Whose coordination office hears when a milestone lapses: one level up, as for a case (30号文 (二十)
 * 督办). A county the province administers directly (省直管县（市）, the policy's `directlyAdministered`;
 * 省直辖县级 xx90xx) answers to the province; a province to its own office (nobody above it is on exitflow).
 */
export function campaignEscalationDivision(policy: Policy, division: string): string {
  const province = `${division.slice(0, 2)}0000`;
  if (policy.directlyAdministered.includes(division) || (division !== province && division.slice(2, 4) === '90')) return province;
  return parentCodes(division)[0] ?? division;
}

/** A campaign is started by the coordination office of its division or of a division above it. */
export function mayStartCampaign(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role !== 'coordination_office') return { allowed: false, reason: `role ${p.role} may not start a campaign (the coordination office does)` };
  if (!p.jurisdiction || !covers(p.jurisdiction, division)) return { allowed: false, reason: `division ${division} is outside jurisdiction ${p.jurisdiction ?? '(none)'}` };
  return { allowed: true };
}

/** A milestone is completed by the division's own coordination office, which answers for it. */
export function mayCompleteMilestone(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role !== 'coordination_office') return { allowed: false, reason: `role ${p.role} may not complete campaign milestones (the coordination office of ${division} does)` };
  if (p.jurisdiction !== division) return { allowed: false, reason: `milestones of ${division} are completed by its own coordination office, not by ${p.jurisdiction ?? '(no jurisdiction)'}` };
  return { allowed: true };
}

/** A campaign is read by operators and by officials whose jurisdiction covers its division. */
export function mayReadCampaign(p: Pick<Principal, 'role' | 'jurisdiction'>, division: string): Decision {
  if (p.role === 'operator') return { allowed: true };
  if (p.role === 'enterprise') return { allowed: false, reason: 'an enterprise does not see campaigns' };
  if (!p.jurisdiction || !covers(p.jurisdiction, division)) return { allowed: false, reason: `division ${division} is outside jurisdiction ${p.jurisdiction ?? '(none)'}` };
  return { allowed: true };
}

/** The update `completeMilestone`: which milestone, a note, who, and the key a repeat is known by. */
export const CompleteMilestone = lazy(() =>
  z.object({
    milestoneId: z.string().min(1).max(80),
    note: text({ max: 2000, multiline: true }).optional(),
    actor: Actor,
    idempotencyKey: z.string().min(1).max(200),
  }),
);
export type CompleteMilestone = z.infer<typeof CompleteMilestone>;
