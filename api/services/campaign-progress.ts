import { campaignRowOf, type CampaignRow, type Ledger, ledgerOf } from '../../db/ledger';
import type { Db } from '../../db/pool';
import { mayReadCampaign } from '../../domain/campaign';
import { compareLegalDates, toLegalDate } from '../../domain/deadlines';
import type { Principal } from '../../domain/roles';
import { authorise } from '../auth';
import { problems } from '../problem';

/**
 * The progress ledger of a campaign (issue 12) for a caller who may read it; the reading and the
 * figures are db/ledger.ts's, shared with the campaign's reports upward.
 */

/** Today's legal date in China (Asia/Shanghai), the ledger's date when none is asked for. */
export const todayInChina = (now = new Date()) => toLegalDate(now.toISOString());

/** A ledger of the future is not a report anyone can reproduce: refused. */
export function asOfRefusal(asOf: string, today: string) {
  if (compareLegalDates(asOf, today) <= 0) return undefined;
  return problems.validation([{ field: 'asOf', rule: 'not_in_future', message: `asOf ${asOf} is after today (${today}, China time)`, messageZh: '统计截止日期不能晚于今天' }]);
}

/** The campaign: 403 unless the caller may read it (domain/campaign.ts mayReadCampaign), else 404 when unknown. */
export async function readableCampaign(db: Db, campaignId: string, principal: Principal): Promise<CampaignRow> {
  // The id names the division (campaign-<division>-<year>): an outsider learns nothing, not even whether it exists.
  authorise(mayReadCampaign(principal, campaignId.split('-')[1] ?? ''));
  const row = await campaignRowOf(db, campaignId);
  if (!row) throw problems.notFound('campaign', campaignId);
  authorise(mayReadCampaign(principal, row.division));
  return row;
}

export async function campaignProgressOf(db: Db, campaignId: string, principal: Principal, asOf: string): Promise<Ledger> {
  return ledgerOf(db, await readableCampaign(db, campaignId, principal), asOf);
}
