import type pg from 'pg';
import { LegalDateSchema } from '../domain/calendar';
import { facilityStatusAfter, sealingExitMethod, type ExitMethod } from '../domain/capacity-exit';
import { toLegalDate } from '../domain/deadlines';

/**
 * The read model of capacity exits (产能退出): retired_capacity, one row per case and unit, and the
 * status of the facilities whose capacity exited. Written from what the case workflow already
 * records (the 'sealed' stage, the acceptance), inside the caller's transaction, so a retried
 * activity writes nothing twice.
 */

type Tx = Pick<pg.PoolClient, 'query'>;

export interface ExitedFacility {
  id: string;
  name: string;
  capacity: number;
  unit: string;
}

interface CaseOfExit {
  creditCode: string;
  regionCode: string;
  industry: string;
  facilities: ExitedFacility[];
}

/** The legal date given, or the legal date of the instant when it is missing or malformed. */
function legalDateOr(value: unknown, instantIso: string): string {
  return LegalDateSchema.safeParse(value).success ? (value as string) : toLegalDate(instantIso);
}

/** Facilities by unit, each unit's total: tonnes and megawatts never add up. */
function byUnit(facilities: readonly ExitedFacility[]): { unit: string; capacity: number; facilities: ExitedFacility[] }[] {
  const groups = new Map<string, ExitedFacility[]>();
  for (const f of facilities) groups.set(f.unit, [...(groups.get(f.unit) ?? []), f]);
  return [...groups].map(([unit, fs]) => ({ unit, capacity: fs.reduce((sum, f) => sum + f.capacity, 0), facilities: fs }));
}

async function caseOfExit(tx: Tx, caseId: string): Promise<CaseOfExit> {
  const { rows } = await tx.query(`SELECT credit_code, region_code, industry, facilities FROM cases WHERE case_id = $1`, [caseId]);
  const row = rows[0];
  if (!row) throw new Error(`case ${caseId} has no record`);
  return {
    creditCode: row.credit_code,
    regionCode: row.region_code,
    industry: row.industry,
    facilities: (row.facilities as ExitedFacility[]).map((f) => ({ id: f.id, name: f.name, capacity: Number(f.capacity), unit: f.unit })),
  };
}

/**
 * The facilities whose capacity this case may count: not those that already exited under another
 * case (two cases on one facility, e.g. energy and environment, retire its capacity once).
 */
async function countable(tx: Tx, caseId: string, creditCode: string, facilities: readonly ExitedFacility[]): Promise<ExitedFacility[]> {
  const { rows } = await tx.query<{ facility_id: string }>(
    `SELECT facility_id FROM facilities
      WHERE credit_code = $1 AND facility_id = ANY($2) AND status <> 'active' AND status_case_id IS DISTINCT FROM $3`,
    [creditCode, facilities.map((f) => f.id), caseId],
  );
  const elsewhere = new Set(rows.map((r) => r.facility_id));
  return facilities.filter((f) => !elsewhere.has(f.id));
}

/** A facility's status only moves forward (active → sealed → retired): nothing here brings one back. */
async function markFacilities(tx: Tx, caseId: string, c: CaseOfExit, how: ExitMethod, at: string): Promise<void> {
  const status = facilityStatusAfter(how);
  await tx.query(
    `UPDATE facilities SET status = $3, status_case_id = $4, status_changed_at = $5
      WHERE credit_code = $1 AND facility_id = ANY($2) AND (status = 'active' OR (status = 'sealed' AND $3 = 'retired'))`,
    [c.creditCode, c.facilities.map((f) => f.id), status, caseId, at],
  );
}

/**
 * 封存 (30号文 (九)): a sealed case's capacity has exited, in the year of sealing; a Guangdong
 * coal-power unit kept as emergency backup (关而不拆) likewise, marked as such. Its facilities are sealed.
 * `detail` is the 'sealed' stage's: { sealedOn, coalPowerOption }.
 */
export async function recordSealedCapacity(tx: Tx, caseId: string, detail: Record<string, unknown>, occurredAt: string): Promise<void> {
  const sealedOn = legalDateOr(detail.sealedOn, occurredAt);
  const how = sealingExitMethod(detail.coalPowerOption);
  const c = await caseOfExit(tx, caseId);
  for (const g of byUnit(await countable(tx, caseId, c.creditCode, c.facilities))) {
    await tx.query(
      `INSERT INTO retired_capacity (case_id, unit, capacity, facilities, region_code, industry, year, exited_on, how, sealed_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) ON CONFLICT (case_id, unit) DO NOTHING`,
      [caseId, g.unit, g.capacity, JSON.stringify(g.facilities), c.regionCode, c.industry, Number(sealedOn.slice(0, 4)), sealedOn, how],
    );
  }
  await markFacilities(tx, caseId, c, how, occurredAt);
}

/** The date the case's equipment was dismantled, as its 'recordDismantling' event holds it. */
async function dismantlingDate(tx: Tx, caseId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ on: unknown }>(
    `SELECT detail->>'dismantledOn' AS on FROM case_events WHERE case_id = $1 AND kind = 'recordDismantling' ORDER BY occurred_at DESC LIMIT 1`,
    [caseId],
  );
  const on = rows[0]?.on;
  return LegalDateSchema.safeParse(on).success ? (on as string) : undefined;
}

/** Capacity that passed acceptance (验收), as the case workflow reports it. */
export interface AcceptedExit {
  caseId: string;
  regionCode: string;
  industry: string;
  /** The acceptance date: stands in only when no dismantling date was recorded. */
  exitedOn: string;
  facilities: ExitedFacility[];
}

/**
 * 拆除 and accepted (验收): the capacity counts in the year it was dismantled, not accepted. Capacity
 * sealed before keeps the year of sealing, when it first counted; its row now says dismantled.
 * Its facilities are retired.
 */
export async function recordDismantledCapacity(tx: Tx, r: AcceptedExit): Promise<void> {
  const dismantledOn = (await dismantlingDate(tx, r.caseId)) ?? r.exitedOn;
  const { creditCode } = await caseOfExit(tx, r.caseId);
  const c: CaseOfExit = { creditCode, regionCode: r.regionCode, industry: r.industry, facilities: r.facilities };
  for (const g of byUnit(await countable(tx, r.caseId, c.creditCode, c.facilities))) {
    await tx.query(
      `INSERT INTO retired_capacity (case_id, unit, capacity, facilities, region_code, industry, year, exited_on, how, dismantled_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dismantled', $8)
       ON CONFLICT (case_id, unit) DO UPDATE SET how = 'dismantled', dismantled_on = EXCLUDED.dismantled_on`,
      [r.caseId, g.unit, g.capacity, JSON.stringify(g.facilities), c.regionCode, c.industry, Number(dismantledOn.slice(0, 4)), dismantledOn],
    );
  }
  await markFacilities(tx, r.caseId, c, 'dismantled', new Date().toISOString());
}
