import type { Db } from '../../db/pool';
import { mayReadCampaign } from '../../domain/campaign';
import { ExitMethod } from '../../domain/capacity-exit';
import { compareLegalDates, toLegalDate } from '../../domain/deadlines';
import { divisionPrefix } from '../../domain/jurisdiction';
import { policyById } from '../../domain/policy';
import { campaignProgress, type CaseCount, exitMethodAsOf, type Progress, type RetiredRow, type TargetLine } from '../../domain/progress';
import type { Principal } from '../../domain/roles';
import { TERMINAL_STAGES } from '../../domain/stages';
import { authorise } from '../auth';
import { problems } from '../problem';

/**
 * The progress ledger of a campaign (issue 12), read from PostgreSQL and computed by
 * domain/progress.ts: the target list (campaign_targets, and the survey's rows per sub-division),
 * capacity exited in the campaign year (retired_capacity) and the cases of the division, each as it
 * stood at the end of `asOf`, so a report drawn for a date shows the same figures when drawn again.
 * The targets are the year's list as it stands (no history of the office's corrections is kept).
 */

/** Today's legal date in China (Asia/Shanghai), the ledger's date when none is asked for. */
export const todayInChina = (now = new Date()) => toLegalDate(now.toISOString());

/** A ledger of the future is not a report anyone can reproduce: refused. */
export function asOfRefusal(asOf: string, today: string) {
  if (compareLegalDates(asOf, today) <= 0) return undefined;
  return problems.validation([{ field: 'asOf', rule: 'not_in_future', message: `asOf ${asOf} is after today (${today}, China time)`, messageZh: '统计截止日期不能晚于今天' }]);
}

interface CampaignRow {
  campaign_id: string;
  division: string;
  year: number;
  policy_id: string;
  policy_version: string;
}

/** The campaign: 403 unless the caller may read it (domain/campaign.ts mayReadCampaign), else 404 when unknown. */
async function readableCampaign(db: Db, campaignId: string, principal: Principal): Promise<CampaignRow> {
  // The id names the division (campaign-<division>-<year>): an outsider learns nothing, not even whether it exists.
  authorise(mayReadCampaign(principal, campaignId.split('-')[1] ?? ''));
  const { rows } = await db.query<CampaignRow>(`SELECT campaign_id, division, year, policy_id, policy_version FROM campaigns WHERE campaign_id = $1`, [campaignId]);
  const row = rows[0];
  if (!row) throw problems.notFound('campaign', campaignId);
  authorise(mayReadCampaign(principal, row.division));
  return row;
}

export async function campaignProgressOf(db: Db, campaignId: string, principal: Principal, asOf: string): Promise<Progress & { campaignId: string; policy: { id: string; version: string } }> {
  const c = await readableCampaign(db, campaignId, principal);
  // The campaign's pinned policy, as its workflow runs it.
  const policy = policyById(c.policy_id, c.policy_version);
  if (!policy) throw new Error(`campaign ${campaignId} pins policy ${c.policy_id}@${c.policy_version}, which is not shipped`);
  const within = `${divisionPrefix(c.division)}%`;
  const [targets, subdivisionTargets, retired, cases] = await Promise.all([
    targetsOf(db, campaignId),
    surveyedTargetsOf(db, campaignId),
    retiredOf(db, within, c.year, asOf),
    casesOf(db, within, asOf),
  ]);
  const progress = campaignProgress({ policy, division: c.division, year: c.year, asOf, targets, subdivisionTargets, retired, cases });
  return { campaignId, policy: { id: policy.id, version: policy.version }, ...progress };
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
 * Cases open at the end of `asOf` per region (opened by then, not yet in a terminal stage then), and
 * those past their deadline's legal date on that day. A case closed without a recorded stage event
 * counts as closed from its last update.
 */
async function casesOf(db: Db, within: string, asOf: string): Promise<CaseCount[]> {
  const { rows } = await db.query(
    `SELECT c.region_code, count(*)::int AS open, count(*) FILTER (WHERE c.deadline_date < $2::date)::int AS overdue
       FROM cases c
       CROSS JOIN LATERAL (
         SELECT COALESCE((SELECT min(ev.occurred_at) FROM case_events ev WHERE ev.case_id = c.case_id AND ev.kind = 'stage' AND ev.stage = ANY($3)),
                         CASE WHEN c.stage = ANY($3) THEN c.updated_at END) AS closed_at
       ) x
      WHERE c.region_code LIKE $1
        AND (c.opened_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date
        AND (x.closed_at IS NULL OR (x.closed_at AT TIME ZONE 'Asia/Shanghai')::date > $2::date)
      GROUP BY c.region_code ORDER BY c.region_code`,
    [within, asOf, TERMINAL_STAGES],
  );
  return rows.map((r) => ({ region: r.region_code, open: r.open, overdue: r.overdue }));
}
