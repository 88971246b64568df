import type { Db } from './pool';
import { ExitMethod } from '../domain/capacity-exit';
import { compareLegalDates } from '../domain/deadlines';
import { childDivisions } from '../domain/divisions';
import { divisionPrefix } from '../domain/jurisdiction';
import { policyById, type Policy } from '../domain/policy';
import { campaignProgress, type CaseCount, exitMethodAsOf, type Progress, type RetiredRow, type SubdivisionCampaign, type TargetLine } from '../domain/progress';
import { TERMINAL_STAGES } from '../domain/stages';

/**
 * The progress ledger of a campaign (issue 12) read from PostgreSQL, computed by domain/progress.ts:
 * the target list (campaign_targets, and the survey's rows per sub-division), capacity exited in the
 * campaign year (retired_capacity), the cases of the division and the sub-divisions' own campaigns,
 * each as it stood at the end of `asOf`, so a ledger drawn for a date shows the same figures when
 * drawn again. The targets are the year's list as it stands (no history of the office's corrections
 * is kept). No principal here: the API authorises before it asks, the campaign's activities are the
 * campaign's own.
 */

export interface CampaignRow {
  campaign_id: string;
  division: string;
  year: number;
  policy_id: string;
  policy_version: string;
}

export type Ledger = Progress & { campaignId: string; policy: { id: string; version: string } };

export async function campaignRowOf(db: Pick<Db, 'query'>, campaignId: string): Promise<CampaignRow | undefined> {
  const { rows } = await db.query<CampaignRow>(`SELECT campaign_id, division, year, policy_id, policy_version FROM campaigns WHERE campaign_id = $1`, [campaignId]);
  return rows[0];
}

/** The campaign's pinned policy, as its workflow runs it. */
export function pinnedPolicy(c: CampaignRow): Policy {
  const policy = policyById(c.policy_id, c.policy_version);
  if (!policy) throw new Error(`campaign ${c.campaign_id} pins policy ${c.policy_id}@${c.policy_version}, which is not shipped`);
  return policy;
}

/** The ledger of campaign `c` at the end of `asOf`. */
export async function ledgerOf(db: Db, c: CampaignRow, asOf: string): Promise<Ledger> {
  const policy = pinnedPolicy(c);
  const within = `${divisionPrefix(c.division)}%`;
  const [targets, subdivisionTargets, subdivisionOwnTargets, retired, cases, subdivisionCampaigns] = await Promise.all([
    targetsOf(db, c.campaign_id),
    surveyedTargetsOf(db, c.campaign_id),
    subdivisionOwnTargetsOf(db, c.division, c.year),
    retiredOf(db, within, c.year, asOf),
    casesOf(db, within, asOf),
    subdivisionCampaignsOf(db, c.division, c.year, asOf),
  ]);
  const progress = campaignProgress({ policy, division: c.division, year: c.year, asOf, targets, subdivisionTargets, subdivisionOwnTargets, retired, cases, subdivisionCampaigns });
  return { campaignId: c.campaign_id, policy: { id: policy.id, version: policy.version }, ...progress };
}

/** The year's target list per industry and unit, as committed by the survey or set by the office. */
async function targetsOf(db: Db, campaignId: string): Promise<TargetLine[]> {
  const { rows } = await db.query(`SELECT industry, unit, capacity, enterprises, facilities FROM campaign_targets WHERE campaign_id = $1 ORDER BY industry, unit`, [campaignId]);
  return rows.map((r) => ({ industry: r.industry, unit: r.unit, capacity: Number(r.capacity), enterprises: r.enterprises, facilities: r.facilities }));
}

/** The survey's facilities proposed to exit this year (treatment 'exit'), per region, industry and unit. */
async function surveyedTargetsOf(db: Db, campaignId: string): Promise<(TargetLine & { division: string })[]> {
  const { rows } = await db.query(
    `SELECT region_code, industry, unit, sum(capacity) AS capacity, count(DISTINCT credit_code)::int AS enterprises, count(*)::int AS facilities
       FROM campaign_survey_rows
      WHERE campaign_id = $1 AND treatment = 'exit'
      GROUP BY region_code, industry, unit ORDER BY region_code, industry, unit`,
    [campaignId],
  );
  return rows.map((r) => ({ division: r.region_code, industry: r.industry, unit: r.unit, capacity: Number(r.capacity), enterprises: r.enterprises, facilities: r.facilities }));
}

/**
 * The target lists of the campaigns run by divisions inside `division` in the same year (their own
 * survey, or a target set or corrected by their office or the office above: 目标任务分解下达). The
 * ledger keeps those of its direct sub-divisions (domain/progress.ts).
 */
async function subdivisionOwnTargetsOf(db: Db, division: string, year: number): Promise<(TargetLine & { division: string })[]> {
  const { rows } = await db.query(
    `SELECT c.division, t.industry, t.unit, t.capacity, t.enterprises, t.facilities
       FROM campaign_targets t JOIN campaigns c USING (campaign_id)
      WHERE c.year = $1 AND c.division LIKE $2 AND c.division <> $3
      ORDER BY c.division, t.industry, t.unit`,
    [year, `${divisionPrefix(division)}%`, division],
  );
  return rows.map((r) => ({ division: r.division, industry: r.industry, unit: r.unit, capacity: Number(r.capacity), enterprises: r.enterprises, facilities: r.facilities }));
}

/** Capacity that first exited in the campaign year by the end of `asOf`, one row per case and unit. */
async function retiredOf(db: Db, within: string, year: number, asOf: string): Promise<RetiredRow[]> {
  const { rows } = await db.query(
    `SELECT r.region_code, r.industry, r.unit, r.how, to_char(r.sealed_on, 'YYYY-MM-DD') AS sealed_on, to_char(r.dismantled_on, 'YYYY-MM-DD') AS dismantled_on,
            c.credit_code, r.capacity, jsonb_array_length(r.facilities) AS facilities
       FROM retired_capacity r JOIN cases c USING (case_id)
      WHERE r.region_code LIKE $1 AND r.year = $2 AND r.exited_on <= $3::date
      ORDER BY r.region_code, r.industry, r.unit, r.case_id`,
    [within, year, asOf],
  );
  return rows.map((r) => ({
    region: r.region_code,
    industry: r.industry,
    unit: r.unit,
    how: exitMethodAsOf({ how: ExitMethod.parse(r.how), sealedOn: r.sealed_on, dismantledOn: r.dismantled_on }, asOf),
    creditCode: r.credit_code,
    capacity: Number(r.capacity),
    facilities: r.facilities,
  }));
}

/**
 * The cases open at the end of `asOf` (opened by then, not yet in a terminal stage then), with
 * whether each was past its deadline's legal date on that day. A case closed without a recorded
 * stage event counts as closed from its last update. Shared by the ledger's counts and a report's
 * table of open cases, so the two always agree.
 */
export const OPEN_CASES_SQL = `
  SELECT c.case_id, c.case_number, c.credit_code, c.region_code, c.industry, c.stage, to_char(c.deadline_date, 'YYYY-MM-DD') AS deadline_date,
         COALESCE(c.deadline_date < $2::date, false) AS overdue
    FROM cases c
    CROSS JOIN LATERAL (
      SELECT COALESCE((SELECT min(ev.occurred_at) FROM case_events ev WHERE ev.case_id = c.case_id AND ev.kind = 'stage' AND ev.stage = ANY($3)),
                      CASE WHEN c.stage = ANY($3) THEN c.updated_at END) AS closed_at
    ) x
   WHERE c.region_code LIKE $1
     AND (c.opened_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
     AND (x.closed_at IS NULL OR (x.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)`;

async function casesOf(db: Db, within: string, asOf: string): Promise<CaseCount[]> {
  const { rows } = await db.query(
    `SELECT region_code, count(*)::int AS open, count(*) FILTER (WHERE overdue)::int AS overdue
       FROM (${OPEN_CASES_SQL}) open_cases
      GROUP BY region_code ORDER BY region_code`,
    [within, asOf, TERMINAL_STAGES],
  );
  return rows.map((r) => ({ region: r.region_code, open: r.open, overdue: r.overdue }));
}

interface StoredMilestone {
  nameZh?: string;
  id?: string;
  due?: string;
  status?: string;
  lapsedOn?: string | null;
  completedOn?: string | null;
}

/**
 * Whether a milestone stood lapsed at the end of `asOf`: it lapsed before that day (the workflow marks
 * it at the end of its due date, `lapsedOn` = due, as a case's deadline) and was not completed by then.
 * So the campaign row's `overdue` of today is reproduced for any earlier date.
 */
export function stoodLapsed(m: StoredMilestone, asOf: string): boolean {
  const lapsed = m.lapsedOn ?? (m.status === 'overdue' ? m.due : null);
  if (!lapsed || compareLegalDates(lapsed, asOf) >= 0) return false;
  return !m.completedOn || compareLegalDates(m.completedOn, asOf) > 0;
}

/** The sub-divisions' own campaigns of the year, with the milestones each had let lapse at the end of `asOf`. */
async function subdivisionCampaignsOf(db: Db, division: string, year: number, asOf: string): Promise<SubdivisionCampaign[]> {
  const children = childDivisions(division).map((d) => d.code);
  if (!children.length) return [];
  const { rows } = await db.query<{ division: string; milestones: StoredMilestone[] }>(`SELECT division, milestones FROM campaigns WHERE division = ANY($1) AND year = $2 ORDER BY division`, [children, year]);
  return rows.map((r) => ({ division: r.division, lapsed: (r.milestones ?? []).filter((m) => stoodLapsed(m, asOf)).map((m) => m.nameZh ?? m.id ?? '') }));
}
