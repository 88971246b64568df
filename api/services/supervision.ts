import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { futureFact } from '../../domain/calendar';
import { campaignEscalationDivision } from '../../domain/campaign';
import { toLegalDate } from '../../domain/deadlines';
import { division, divisionFullName, isKnownDivision } from '../../domain/divisions';
import { covers, divisionPath, divisionPrefix } from '../../domain/jurisdiction';
import { policyById } from '../../domain/policy';
import { actorOf, type Principal } from '../../domain/roles';
import { supervisionWorkflowId, type ConcealedCapacityFinding, type SupervisionStatus } from '../../domain/supervision';
import { supervisionWorkflow } from '../../workflows/supervision';
import type { SupervisionInput } from '../../workflows/supervision-messages';
import { SA } from '../../workflows/search-attributes';
import { divisionNamesMemo, supervisionStaticDetails } from '../../workflows/ui-texts';
import { countedPage } from '../paging';
import { ApiProblem, problems } from '../problem';
import { appendAudit } from './audit';

/** A campaign as far as reporting concealed capacity in it needs. */
export interface CampaignOfItem {
  campaignId: string;
  division: string;
  year: number;
  policy: { id: string; version: string };
}

export async function campaignOr404(db: Db, campaignId: string): Promise<CampaignOfItem> {
  const { rows } = await db.query(`SELECT campaign_id, division, year, policy_id, policy_version FROM campaigns WHERE campaign_id = $1`, [campaignId]);
  const row = rows[0];
  if (!row) throw problems.notFound('campaign', campaignId);
  return { campaignId: row.campaign_id, division: row.division, year: row.year, policy: { id: row.policy_id, version: row.policy_version } };
}

/** The read model's row of an item (404 when none). */
export async function itemOr404(db: Db, itemId: string): Promise<Record<string, any>> {
  const { rows } = await db.query(`SELECT *, to_char(follow_up_by, 'YYYY-MM-DD') AS follow_up_by FROM supervision_items WHERE item_id = $1`, [itemId]);
  if (!rows[0]) throw problems.notFound('supervision item', itemId);
  return rows[0];
}

/** How long reporting waits for the item's first record, so the caller can read and act on it at once. */
const FIRST_RECORD_WAIT_MS = 5_000;

async function firstRecord(db: Db, itemId: string): Promise<void> {
  const until = Date.now() + FIRST_RECORD_WAIT_MS;
  while (Date.now() < until) {
    if ((await db.query(`SELECT 1 FROM supervision_items WHERE item_id = $1`, [itemId])).rowCount) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface StartedItem {
  itemId: string;
  supervisor: string;
  region: string;
  campaignId: string;
  /** false: the same finding was reported before; this is its item. */
  created: boolean;
}

/** What makes two reports of concealed capacity the same finding: every field of it, in a stable form. */
function findingHash(region: string, f: ConcealedCapacityFinding): string {
  const canonical = JSON.stringify([region, f.creditCode, f.enterpriseName, f.industry, f.source, f.reference ?? null, f.foundOn, f.facilities.map((x) => [x.name, x.capacity, x.unit])]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Concealed capacity (隐瞒产能) found in a campaign's division: a supervision item of the region, for
 * the office one level above it (domain/campaign.ts campaignEscalationDivision), started through the
 * Temporal client and audited in one transaction. The same finding reported again answers its item;
 * another finding under the same id (same enterprise and day) is a conflict.
 */
export async function reportConcealedCapacity(
  deps: { db: Db; temporal: Client; taskQueue: string },
  campaign: CampaignOfItem,
  body: ConcealedCapacityFinding & { region: string },
  principal: Principal,
  requestId: string,
  now: Date,
  command?: string,
): Promise<StartedItem> {
  const { region, ...finding } = body;
  if (!isKnownDivision(region)) throw problems.validation([{ field: 'region', rule: 'division_known', message: `${region} is not a GB/T 2260 division`, messageZh: '行政区划代码不存在' }]);
  if (!covers(campaign.division, region)) {
    throw problems.validation([{ field: 'region', rule: 'region_in_campaign', message: `${region} is not ${campaign.division} or a division inside it`, messageZh: '地区应为本工作所在地区或其下级地区' }]);
  }
  const future = futureFact('foundOn', finding.foundOn, toLegalDate(now.toISOString()));
  if (future) throw problems.validation([future]);
  const policy = policyById(campaign.policy.id, campaign.policy.version);
  if (!policy) throw problems.unavailable(`policy ${campaign.policy.version} is not shipped with this API`);

  const supervisor = campaignEscalationDivision(policy, region);
  const reason = { kind: 'concealed_capacity' as const, ...finding };
  const itemId = supervisionWorkflowId(region, campaign.year, reason);
  const hash = findingHash(region, finding);
  const input: SupervisionInput = { itemId, supervisor, region, campaignId: campaign.campaignId, year: campaign.year, policy: campaign.policy, reason, openedBy: actorOf(principal), openedAt: now.toISOString() };
  let created = true;
  await inTransaction(deps.db, async (tx) => {
    await appendAudit(tx, {
      requestId,
      actor: principal,
      action: 'supervision.reportConcealedCapacity',
      target: itemId,
      region,
      result: 201,
      detail: { campaignId: campaign.campaignId, supervisor, creditCode: finding.creditCode, source: finding.source, foundOn: finding.foundOn, ...(command ? { command } : {}) },
    });
    try {
      await deps.temporal.workflow.start(supervisionWorkflow, {
        workflowId: itemId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        memo: { finding: hash, ...divisionNamesMemo([...divisionPath(region), ...divisionPath(supervisor)], (c) => division(c)?.name) },
        staticSummary: `督办：${division(region)?.name ?? region} 隐瞒落后产能（${finding.enterpriseName}）`,
        staticDetails: supervisionStaticDetails(region, supervisor, campaign.campaignId, policy, (c) => division(c)?.name),
        typedSearchAttributes: [
          { key: SA.enterprise, value: finding.enterpriseName },
          { key: SA.awaiting, value: 'office' },
          { key: SA.region, value: region },
          { key: SA.regionPath, value: divisionPath(region) },
          { key: SA.stage, value: 'open' },
          { key: SA.overdue, value: false },
          { key: SA.policyVersion, value: `${campaign.policy.id}@${campaign.policy.version}` },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      if ((await deps.temporal.workflow.getHandle(itemId).describe()).memo?.finding !== hash) {
        throw new ApiProblem(409, 'supervision_item_exists', 'Conflict with the current state', '该企业当日发现的隐瞒产能已另行登记', `${itemId} was opened for another report of ${finding.creditCode} found on ${finding.foundOn}`, [
          { field: 'creditCode', rule: 'unique', message: 'concealed capacity of this enterprise found on this day is already recorded with other details', messageZh: '该企业当日发现的隐瞒产能已另行登记' },
        ], { itemId });
      }
      // The same finding again: its item, not a second one (the audit entry records the repeat).
      created = false;
    }
  });
  await firstRecord(deps.db, itemId);
  return { itemId, supervisor, region, campaignId: campaign.campaignId, created };
}

export interface ItemFilter {
  supervisor?: string;
  region?: string;
  status?: SupervisionStatus;
  campaignId?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
}

/** Items the caller's jurisdiction covers (by region or supervisor; operators all), newest first. */
export async function listItems(db: Db, principal: Principal, f: ItemFilter) {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (principal.role !== 'operator') {
    const prefix = `${divisionPrefix(principal.jurisdiction!)}%`;
    where.push(`(region LIKE ${add(prefix)} OR supervisor LIKE $${values.length})`);
  }
  if (f.supervisor) where.push(`supervisor = ${add(f.supervisor)}`);
  if (f.region) where.push(`region LIKE ${add(`${divisionPrefix(f.region)}%`)}`);
  if (f.status) where.push(`status = ${add(f.status)}`);
  if (f.campaignId) where.push(`campaign_id = ${add(f.campaignId)}`);
  if (f.overdue !== undefined) where.push(`overdue = ${add(f.overdue)}`);
  const from = `FROM supervision_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const count = { sql: `SELECT count(*)::int AS total ${from}`, values: [...values] };
  const page = {
    sql: `SELECT *, to_char(follow_up_by, 'YYYY-MM-DD') AS follow_up_by ${from} ORDER BY opened_at DESC, item_id LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
    values,
  };
  const { total, rows } = await countedPage(db, count, page);
  return { items: rows.map(itemSummary), page: f.page, pageSize: f.pageSize, total };
}

export function itemSummary(row: Record<string, any>) {
  return {
    itemId: row.item_id as string,
    supervisor: row.supervisor as string,
    region: row.region as string,
    regionName: divisionFullName(row.region) ?? row.region,
    campaignId: row.campaign_id as string,
    year: row.year as number,
    reason: row.reason as Record<string, unknown>,
    status: row.status as SupervisionStatus,
    overdue: row.overdue as boolean,
    followUpBy: (row.follow_up_by as string | null) ?? null,
    openedAt: (row.opened_at as Date).toISOString(),
  };
}

/** Published 通报 only: region, date and text; nobody's name (the issuing official is not shown). */
export async function publicNotices(db: Db, q: { region?: string; year?: number; page: number; pageSize: number }) {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where = ['n.publish'];
  if (q.region) where.push(`i.region LIKE ${add(`${divisionPrefix(q.region)}%`)}`);
  if (q.year) where.push(`i.year = ${add(q.year)}`);
  const from = `FROM supervision_notices n JOIN supervision_items i USING (item_id) WHERE ${where.join(' AND ')}`;
  const { total, rows } = await countedPage<{ region: string; supervisor: string; year: number; issued_on: string; text: string }>(
    db,
    { sql: `SELECT count(*)::int AS total ${from}`, values: [...values] },
    { sql: `SELECT i.region, i.supervisor, i.year, to_char(n.issued_on, 'YYYY-MM-DD') AS issued_on, n.text ${from} ORDER BY n.issued_on DESC, n.issued_at DESC, n.notice_id LIMIT ${add(q.pageSize)} OFFSET ${add((q.page - 1) * q.pageSize)}`, values },
  );
  return {
    items: rows.map((r) => ({ region: r.region, regionName: divisionFullName(r.region) ?? r.region, issuedBy: r.supervisor, issuedByName: divisionFullName(r.supervisor) ?? r.supervisor, year: r.year, issuedOn: r.issued_on, text: r.text })),
    page: q.page,
    pageSize: q.pageSize,
    total,
  };
}
