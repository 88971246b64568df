import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/pool';
import { inTransaction } from '../../db/pool';
import { refusedFacilities, type StoredFacilityStatus } from '../../domain/capacity-exit';
import { toLegalDate } from '../../domain/deadlines';
import type { RegisterEnterprise } from '../../domain/enterprise';
import type { Principal } from '../../domain/roles';
import { checkRow, columnZh, crossRowErrors, mayOpenSurveyedCase, type RowError, type SurveyRow } from '../../domain/survey';
import { ApiProblem, problems } from '../problem';
import { appendAudit } from './audit';
import { openCase } from './cases';
import { registerEnterprise } from './enterprises';
import { surveyCells, type SheetFormat } from './survey-sheet';

export interface SurveyServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface CampaignRef {
  campaignId: string;
  division: string;
}

/** At most this many row errors are listed (all are counted): enough to fix a file, not a 50 MB answer. */
const MAX_LISTED_ERRORS = 1_000;
/** Enterprises looked up per query, and cases opened at once. */
const BATCH = 500;
const CONCURRENCY = 8;

/** One line of the target list (domain/progress.ts defines it; the ledger reads what the survey writes). */
export type { TargetLine } from '../../domain/progress';
import type { TargetLine } from '../../domain/progress';

export interface CheckedSurvey {
  fileSha256: string;
  /** The good rows (every row read, when errorCount is 0). */
  rows: SurveyRow[];
  /** Survey rows the file has, good or bad. */
  rowsRead: number;
  /** Rows with at least one error. */
  badRows: number;
  errors: RowError[];
  errorCount: number;
  /** Credit codes of the file's enterprises already registered. */
  registered: Set<string>;
}

const byRowThenColumn = (a: RowError, b: RowError) => a.row - b.row || a.field.localeCompare(b.field);

/** The target list a set of rows makes: exits per industry and unit (capacity, enterprises, facilities). */
export function targetsOf(rows: readonly SurveyRow[]): TargetLine[] {
  const lines = new Map<string, TargetLine & { codes: Set<string> }>();
  for (const r of rows) {
    if (r.treatment !== 'exit') continue;
    const f = r.enterprise.facilities[0]!;
    const key = `${r.enterprise.industry}\u0000${f.unit}`;
    const line = lines.get(key) ?? { industry: r.enterprise.industry, unit: f.unit, capacity: 0, enterprises: 0, facilities: 0, codes: new Set<string>() };
    line.capacity += f.capacity;
    line.facilities += 1;
    line.codes.add(r.enterprise.creditCode);
    line.enterprises = line.codes.size;
    lines.set(key, line);
  }
  return [...lines.values()].map(({ codes: _c, ...l }) => l).sort((a, b) => a.industry.localeCompare(b.industry) || a.unit.localeCompare(b.unit));
}

/**
 * The rules only the database can answer, a batch of enterprises at a time: a registered enterprise
 * keeps its division (its cases are opened there) and has the facility registered; a facility whose
 * capacity exited never comes back (api/services/enterprises.ts exitedFacilityErrors, one query per batch).
 */
async function storedErrors(db: Db, rows: readonly SurveyRow[], registered: Set<string>): Promise<RowError[]> {
  const codes = [...new Set(rows.map((r) => r.enterprise.creditCode))];
  const { rows: enterprises } = await db.query<{ credit_code: string; region_code: string }>(`SELECT credit_code, region_code FROM enterprises WHERE credit_code = ANY($1)`, [codes]);
  const { rows: facilities } = await db.query<{ credit_code: string; id: string; status: StoredFacilityStatus['status']; case_id: string | null; region_code: string }>(
    `SELECT f.credit_code, f.facility_id AS id, f.status, f.status_case_id AS case_id, e.region_code FROM facilities f JOIN enterprises e USING (credit_code) WHERE f.credit_code = ANY($1)`,
    [codes],
  );
  const region = new Map(enterprises.map((e) => [e.credit_code, e.region_code]));
  for (const code of region.keys()) registered.add(code);
  const stored = new Map<string, StoredFacilityStatus[]>();
  for (const f of facilities) stored.set(f.credit_code, [...(stored.get(f.credit_code) ?? []), { id: f.id, status: f.status, caseId: f.case_id, regionCode: f.region_code }]);
  const errors: RowError[] = [];
  const error = (r: SurveyRow, field: string, rule: string, message: string, messageZh: string) => errors.push({ row: r.row, field, column: columnZh(field), rule, message, messageZh });
  for (const r of rows) {
    const code = r.enterprise.creditCode;
    const facility = r.enterprise.facilities[0]!;
    const own = stored.get(code) ?? [];
    const registeredIn = region.get(code);
    if (registeredIn !== undefined && registeredIn !== r.enterprise.regionCode) {
      error(r, 'regionCode', 'registered_region', `the enterprise is registered in ${registeredIn}, not ${r.enterprise.regionCode}`, `该企业登记的行政区划为${registeredIn}`);
    }
    if (registeredIn !== undefined && !own.some((f) => f.id === facility.id)) {
      error(r, 'facilityId', 'facility_known', `facility ${facility.id} is not registered for this enterprise (registered without it)`, '该企业已登记，但未登记此设施');
    }
    for (const refusal of refusedFacilities([facility.id], own, r.enterprise.regionCode)) error(r, 'facilityId', refusal.rule, refusal.message, refusal.messageZh);
  }
  return errors;
}

/**
 * Read and check every row of a survey file (the dry run, and the first half of a commit): each
 * row by itself as it is read (domain/survey.ts checkRow), then across rows, then against what is
 * stored, in batches. Nothing is written.
 */
export async function checkSurvey(db: Db, campaign: CampaignRef, content: Buffer, format: SheetFormat, now: Date): Promise<CheckedSurvey> {
  const today = toLegalDate(now.toISOString());
  const rows: SurveyRow[] = [];
  const errors: RowError[] = [];
  const bad = new Set<number>();
  let errorCount = 0;
  let rowsRead = 0;
  const note = (found: RowError[]) => {
    errorCount += found.length;
    for (const e of found) {
      if (e.row > 0) bad.add(e.row);
      if (errors.length < MAX_LISTED_ERRORS) errors.push(e);
    }
  };
  for await (const { row, cells } of surveyCells(content, format, note)) {
    rowsRead++;
    const checked = checkRow(row, cells, campaign.division, today);
    if ('ok' in checked) rows.push(checked.ok);
    else note(checked.errors);
  }
  if (rows.length === 0 && errorCount === 0) note([{ row: 0, field: '(body)', column: '(文件)', rule: 'rows_present', message: 'the file has no survey rows', messageZh: '文件中没有数据行' }]);
  note(crossRowErrors(rows));
  const registered = new Set<string>();
  for (let i = 0; i < rows.length; i += BATCH) note(await storedErrors(db, rows.slice(i, i + BATCH), registered));
  errors.sort(byRowThenColumn);
  return { fileSha256: sha256Of(content), rows, rowsRead, badRows: bad.size, errors, errorCount, registered };
}

export const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * How many survey rows the file has, counting no further than `limit + 1` (an XLSX is streamed, so
 * telling a large file from a small one reads only its first rows). A file that cannot be read is
 * the same 422 the check gives.
 */
export async function countSurveyRows(content: Buffer, format: SheetFormat, limit: number): Promise<number> {
  let n = 0;
  for await (const _row of surveyCells(content, format, () => {})) if (++n > limit) break;
  return n;
}

/** The rows' errors as one 422, each naming its row, column and rule (field `rows.<row>.<key>`). */
export function surveyProblem(checked: CheckedSurvey): ApiProblem {
  const errors = checked.errors.map((e) => ({ ...e, field: e.row > 0 ? `rows.${e.row}.${e.field}` : e.field }));
  const p = problems.validation(errors);
  return new ApiProblem(422, 'survey_rows_invalid', 'Rows of the survey break one or more rules', '摸底排查表中有不符合规则的行', `${checked.errorCount} error(s) in ${new Set(checked.errors.map((e) => e.row)).size}+ row(s); nothing was stored`, p.errors, {
    errorCount: checked.errorCount,
    listed: errors.length,
  });
}

export interface SurveySummary {
  fileSha256: string;
  rows: number;
  enterprises: number;
  cases: number;
  exits: number;
  targets: TargetLine[];
}

export function summary(checked: CheckedSurvey): SurveySummary {
  const cases = new Set(checked.rows.map((r) => `${r.enterprise.creditCode}/${r.finding.caseNumber}`));
  return {
    fileSha256: checked.fileSha256,
    rows: checked.rows.length,
    enterprises: new Set(checked.rows.map((r) => r.enterprise.creditCode)).size,
    cases: cases.size,
    exits: checked.rows.filter((r) => r.treatment === 'exit').length,
    targets: targetsOf(checked.rows),
  };
}

export interface CommitProgress {
  rows: number;
  done: number;
  failed: number;
  casesOpened: number;
  alreadyPresent: number;
  enterprisesRegistered: number;
}

export interface CommitResult extends SurveySummary, CommitProgress {
  failures: RowError[];
}

/** Run `fn` over `items`, `n` at a time. */
async function inPool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** A problem raised for a whole group of rows, as an error on each of them. */
function failuresOf(rows: readonly SurveyRow[], err: unknown): RowError[] {
  if (!(err instanceof ApiProblem)) throw err;
  const first = err.errors[0];
  return rows.map((r) => ({ row: r.row, field: first?.field ?? '(row)', column: columnZh(first?.field ?? '(row)'), rule: first?.rule ?? err.code, message: first?.message ?? err.detail ?? err.title, messageZh: first?.messageZh ?? err.titleZh }));
}

/** The enterprises of the rows, each once with all its facilities (one registration per enterprise). */
function enterprisesOf(rows: readonly SurveyRow[]): RegisterEnterprise[] {
  const all = new Map<string, RegisterEnterprise>();
  for (const r of rows) {
    const e = all.get(r.enterprise.creditCode);
    if (e) e.facilities.push(...r.enterprise.facilities);
    else all.set(r.enterprise.creditCode, { ...r.enterprise, facilities: [...r.enterprise.facilities] });
  }
  return [...all.values()];
}

/** The rows of one case: one enterprise, one notice number (several facilities), in file order. */
function casesOf(rows: readonly SurveyRow[]): SurveyRow[][] {
  const groups = new Map<string, SurveyRow[]>();
  for (const r of rows) {
    const key = `${r.enterprise.creditCode}/${r.finding.caseNumber}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** Where a commit stands after a batch: cases before `nextCase` (in file order) are settled. */
export interface CommitCheckpoint {
  nextCase: number;
  progress: CommitProgress;
  /** The failed rows so far (at most MAX_LISTED_ERRORS listed; all counted in progress.failed). */
  failures: RowError[];
}

export interface CommitOptions {
  /** The command's fingerprint (Idempotency-Key), kept in the audit entry. */
  command?: string;
  /** Every BATCH rows settled (the synchronous commit logs it). */
  onProgress?: (p: CommitProgress) => void;
  /** Cases per batch. */
  batchSize?: number;
  /**
   * A background job resuming after a crash (activities/survey-import.ts): cases before
   * `nextCase` are settled with these counts; a row of a later case already recorded from this
   * very file was recorded by the attempt that crashed, so it counts as done, not as already present.
   */
  resume?: CommitCheckpoint;
  /** After each batch (a background job stores its progress there and heartbeats). */
  onBatch?: (checkpoint: CommitCheckpoint) => Promise<void>;
}

/** Register the file's enterprises not yet registered, each once with all its facilities; those that could not be, with why. */
async function registerEnterprises(deps: SurveyServiceDeps, checked: CheckedSurvey, actor: Principal, requestId: string, progress: CommitProgress): Promise<Map<string, unknown>> {
  const failedCodes = new Map<string, unknown>();
  const fresh = enterprisesOf(checked.rows).filter((e) => !checked.registered.has(e.creditCode));
  await inPool(fresh, CONCURRENCY, async (e) => {
    try {
      await registerEnterprise(deps.db, e, actor, requestId);
      progress.enterprisesRegistered++;
    } catch (err) {
      // Registered meanwhile (another commit of the same survey): its cases are opened as usual.
      if (!(err instanceof ApiProblem && err.code === 'enterprise_exists')) failedCodes.set(e.creditCode, err);
    }
  });
  return failedCodes;
}

/**
 * Commit a checked survey: register the enterprises not yet registered (one registration each,
 * with all its facilities), open each case through openCase (the path of POST /cases) with a
 * fingerprint per case so a retry after a crash recognises its own workflow, record each row with
 * its case (a row already recorded for the campaign is present, not opened again), write the
 * survey's target list and one audit entry with the counts. The synchronous commit and the
 * background job (activities/survey-import.ts) both commit through here.
 */
export async function commitSurvey(
  deps: SurveyServiceDeps,
  campaign: CampaignRef,
  checked: CheckedSurvey,
  actor: Principal,
  requestId: string,
  now: Date,
  opts: CommitOptions = {},
): Promise<CommitResult> {
  const progress: CommitProgress = opts.resume ? { ...opts.resume.progress } : { rows: checked.rows.length, done: 0, failed: 0, casesOpened: 0, alreadyPresent: 0, enterprisesRegistered: 0 };
  const failures: RowError[] = opts.resume ? [...opts.resume.failures] : [];
  const fail = (rows: RowError[]) => {
    progress.failed += rows.length;
    for (const f of rows) if (failures.length < MAX_LISTED_ERRORS) failures.push(f);
  };
  const failedCodes = await registerEnterprises(deps, checked, actor, requestId, progress);
  const batchSize = opts.batchSize ?? BATCH;
  const groups = casesOf(checked.rows);
  let reported = 0;
  for (let i = opts.resume?.nextCase ?? 0; i < groups.length; i += batchSize) {
    const batch = groups.slice(i, i + batchSize);
    const { rows: present } = await deps.db.query<{ credit_code: string; facility_id: string; file_sha256: string }>(
      `SELECT credit_code, facility_id, file_sha256 FROM campaign_survey_rows WHERE campaign_id = $1 AND credit_code = ANY($2)`,
      [campaign.campaignId, [...new Set(batch.map((g) => g[0]!.enterprise.creditCode))]],
    );
    const presentFrom = new Map(present.map((p) => [`${p.credit_code}/${p.facility_id}`, p.file_sha256]));
    await inPool(batch, CONCURRENCY, async (group) => {
      const head = group[0]!;
      const code = head.enterprise.creditCode;
      const keyOf = (r: SurveyRow) => `${code}/${r.enterprise.facilities[0]!.id}`;
      const todo = group.filter((r) => !presentFrom.has(keyOf(r)));
      const recordedBefore = group.length - todo.length;
      const ownCrashed = opts.resume ? group.filter((r) => presentFrom.get(keyOf(r)) === checked.fileSha256).length : 0;
      progress.alreadyPresent += recordedBefore - ownCrashed;
      progress.done += ownCrashed;
      if (todo.length === 0) {
        if (ownCrashed > 0) progress.casesOpened++;
        return;
      }
      try {
        if (failedCodes.has(code)) throw failedCodes.get(code);
        const opened = await openCase(deps, { ...head.finding, facilityIds: todo.map((r) => r.enterprise.facilities[0]!.id) }, actor, requestId, now, {
          waitForNotice: false,
          fingerprint: `survey:${campaign.campaignId}:${code}:${head.finding.caseNumber}`,
          mayOpen: (region) => mayOpenSurveyedCase(actor, campaign.division, region),
        });
        await recordRows(deps.db, campaign.campaignId, todo, opened.caseId, checked.fileSha256);
        progress.casesOpened++;
        progress.done += todo.length;
      } catch (err) {
        fail(failuresOf(todo, err));
      }
    });
    await opts.onBatch?.({ nextCase: i + batch.length, progress: { ...progress }, failures: [...failures].sort(byRowThenColumn) });
    const settled = progress.done + progress.failed + progress.alreadyPresent;
    if (opts.onProgress && settled - reported >= BATCH) {
      reported = settled;
      opts.onProgress({ ...progress });
    }
  }
  await writeSurveyTargets(deps.db, campaign.campaignId);
  await inTransaction(deps.db, (tx) =>
    appendAudit(tx, {
      requestId,
      actor,
      action: 'campaign.survey.commit',
      target: campaign.campaignId,
      region: campaign.division,
      result: 200,
      detail: { fileSha256: checked.fileSha256, ...progress, ...(opts.command ? { command: opts.command } : {}) },
    }),
  );
  failures.sort(byRowThenColumn);
  return { ...summary(checked), ...progress, failures };
}

async function recordRows(db: Db, campaignId: string, rows: readonly SurveyRow[], caseId: string, fileSha256: string): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((r) => {
    const f = r.enterprise.facilities[0]!;
    const at = values.push(campaignId, r.enterprise.creditCode, f.id, r.enterprise.regionCode, r.enterprise.industry, f.capacity, f.unit, r.treatment, caseId, r.row, fileSha256);
    return `(${Array.from({ length: 11 }, (_, k) => `$${at - 10 + k}`).join(',')})`;
  });
  await db.query(
    `INSERT INTO campaign_survey_rows (campaign_id, credit_code, facility_id, region_code, industry, capacity, unit, treatment, case_id, row_number, file_sha256)
     VALUES ${tuples.join(',')} ON CONFLICT (campaign_id, credit_code, facility_id) DO NOTHING`,
    values,
  );
}

/**
 * The survey's target list, from every row the campaign's surveys recorded: exits per industry and
 * unit. A line the office set or corrected (source 'office') stands: the office's word is the later one.
 */
async function writeSurveyTargets(db: Db, campaignId: string): Promise<void> {
  await db.query(
    `INSERT INTO campaign_targets (campaign_id, industry, unit, capacity, enterprises, facilities, source)
     SELECT campaign_id, industry, unit, sum(capacity), count(DISTINCT credit_code), count(*), 'survey'
       FROM campaign_survey_rows WHERE campaign_id = $1 AND treatment = 'exit' GROUP BY campaign_id, industry, unit
     ON CONFLICT (campaign_id, industry, unit) DO UPDATE
        SET capacity = EXCLUDED.capacity, enterprises = EXCLUDED.enterprises, facilities = EXCLUDED.facilities, set_at = now()
      WHERE campaign_targets.source = 'survey'`,
    [campaignId],
  );
}

export interface Target extends TargetLine {
  source: 'survey' | 'office';
  reason: string | null;
  setBy: Record<string, unknown> | null;
  setAt: string;
}

const toTarget = (r: { industry: string; unit: string; capacity: string; enterprises: number; facilities: number; source: Target['source']; reason: string | null; set_by: Record<string, unknown> | null; set_at: Date }): Target => ({
  industry: r.industry,
  unit: r.unit,
  capacity: Number(r.capacity),
  enterprises: r.enterprises,
  facilities: r.facilities,
  source: r.source,
  reason: r.reason,
  setBy: r.set_by,
  setAt: r.set_at.toISOString(),
});

/** The campaign's target list (年度淘汰目标计划), per industry and unit. */
export async function listTargets(db: Db, campaignId: string): Promise<Target[]> {
  const { rows } = await db.query(`SELECT * FROM campaign_targets WHERE campaign_id = $1 ORDER BY industry, unit`, [campaignId]);
  return rows.map(toTarget);
}

/** The office sets or corrects one line of the target list, with its reason; audited with the line as it was. */
export async function setTarget(db: Db, campaign: CampaignRef, line: TargetLine & { reason: string }, actor: Principal, requestId: string, command?: string): Promise<Target> {
  return inTransaction(db, async (tx) => {
    const before = await tx.query(`SELECT * FROM campaign_targets WHERE campaign_id = $1 AND industry = $2 AND unit = $3 FOR UPDATE`, [campaign.campaignId, line.industry, line.unit]);
    const { rows } = await tx.query(
      `INSERT INTO campaign_targets (campaign_id, industry, unit, capacity, enterprises, facilities, source, reason, set_by, set_at)
       VALUES ($1,$2,$3,$4,$5,$6,'office',$7,$8, now())
       ON CONFLICT (campaign_id, industry, unit) DO UPDATE
          SET capacity = EXCLUDED.capacity, enterprises = EXCLUDED.enterprises, facilities = EXCLUDED.facilities, source = 'office', reason = EXCLUDED.reason, set_by = EXCLUDED.set_by, set_at = now()
       RETURNING *`,
      [campaign.campaignId, line.industry, line.unit, line.capacity, line.enterprises, line.facilities, line.reason, JSON.stringify(actor)],
    );
    const was = before.rows[0] ? toTarget(before.rows[0]) : null;
    await appendAudit(tx, {
      requestId,
      actor,
      action: 'campaign.target.set',
      target: campaign.campaignId,
      region: campaign.division,
      reason: line.reason,
      result: 200,
      detail: {
        industry: line.industry,
        unit: line.unit,
        before: was && { capacity: was.capacity, enterprises: was.enterprises, facilities: was.facilities, source: was.source },
        after: { capacity: line.capacity, enterprises: line.enterprises, facilities: line.facilities },
        ...(command ? { command } : {}),
      },
    });
    return toTarget(rows[0]);
  });
}
