import type { Db } from '../../db/pool';
import { division } from '../../domain/divisions';
import { randomCreditCode } from './fixtures';

/**
 * A past year of a Henan city as the case workflows and campaigns would have left it, written straight
 * to PostgreSQL: the province's, the city's and one county's campaigns (no workflow runs), the city's
 * target list, two exits, and cases open at mid-year. The database is shared: each test file takes a
 * city of its own (a case still open counts in every later year's ledger) and a year of its own (one
 * campaign per division and year, the province's included).
 */

export const T = '万吨/年';

/** The city and the counties its year is seeded in: a, b exit; c, d stay open. */
export interface Place {
  city: string;
  a: string;
  b: string;
  c: string;
  d: string;
}
/** 新乡市: 新乡县, 辉县市, 获嘉县, 原阳县. */
export const XINXIANG: Place = { city: '410700', a: '410721', b: '410782', c: '410724', d: '410725' };
/** 焦作市: 修武县, 沁阳市, 博爱县, 武陟县. */
export const JIAOZUO: Place = { city: '410800', a: '410821', b: '410882', c: '410822', d: '410823' };

export interface ReportYear {
  year: number;
  place: Place;
  /** a: dismantled on Mar 1 (two lines); b: sealed May 10, dismantled Aug 1. */
  exits: { a: { creditCode: string; caseId: string }; b: { creditCode: string; caseId: string } };
  /**
   * Open on Jun 30: b's sealed case, c's past its deadline (Apr 30), d's within it. Every case is
   * closed by the year's end, so none lingers in another file's ledger of a later year.
   */
  open: { b: string; c: string; d: string };
}

const nameOf = (code: string) => division(code)?.name ?? code;

interface Facility {
  id: string;
  name: string;
  kind: 'equipment' | 'production_line';
  capacity: number;
  unit: string;
}

interface CaseSeed {
  region: string;
  name: string;
  industry?: string;
  facilities: Facility[];
  /** Stage events: [stage, China date]; the last is the case's stage now. */
  stages: [string, string][];
  deadline?: string;
  exit?: { how: 'dismantled' | 'sealed'; exitedOn: string; sealedOn?: string; dismantledOn?: string };
  /** The policy the case pins (Henan's unless said): a case pinned elsewhere changes which lists its region publishes. */
  policy?: { id: string; version: string };
}

let n = 0;

/** An enterprise and its case, with its stage events (dated noon China time) and its exit. */
export async function seedCase(db: Db, year: number, o: CaseSeed): Promise<{ creditCode: string; caseId: string; caseNumber: string }> {
  const industry = o.industry ?? 'cement';
  const creditCode = randomCreditCode(`${o.region.slice(0, 4)}00`);
  const caseNumber = `XX-${year}-${++n}-${creditCode.slice(-4)}`;
  const caseId = `${o.region}/${creditCode}/${caseNumber}`;
  const at = (day: string) => `${day}T12:00:00+08:00`;
  await db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,$4,'王经理','a@b.example.cn','{}')`, [creditCode, o.name, o.region, industry]);
  await db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, deadline_date, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,$5,'technology','industry_it','30号文',$6,$7,$11,$12,$8,$9,'{}',$10)`,
    [caseId, caseNumber, creditCode, o.region, industry, o.stages[0]![1], JSON.stringify(o.facilities), o.stages.at(-1)![0], o.deadline ?? null, at(o.stages[0]![1]), o.policy?.id ?? 'henan', o.policy?.version ?? 'henan-2021.1'],
  );
  for (const [i, [stage, day]] of o.stages.entries()) {
    await db.query(`INSERT INTO case_events (case_id, idempotency_key, kind, stage, occurred_at) VALUES ($1,$2,$3,$4,$5)`, [caseId, `${caseId}/${i}`, i === 0 ? 'opened' : 'stage', stage, at(day)]);
  }
  if (o.exit) {
    const e = o.exit;
    await db.query(
      `INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on, how, sealed_on, dismantled_on) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [caseId, o.region, industry, Number(e.exitedOn.slice(0, 4)), o.facilities.reduce((a, f) => a + f.capacity, 0), o.facilities[0]!.unit, JSON.stringify(o.facilities), e.exitedOn, e.how, e.sealedOn ?? null, e.dismantledOn ?? null],
    );
  }
  return { creditCode, caseId, caseNumber };
}

/** A campaign record as the campaign workflow writes it (recordCampaignStarted), milestones included. */
export async function seedCampaign(db: Db, division: string, year: number, milestones: unknown[] = []): Promise<string> {
  const campaignId = `campaign-${division}-${year}`;
  await db.query(
    `INSERT INTO campaigns (campaign_id, division, year, policy_id, policy_version, stage, overdue, milestones, started_at)
     VALUES ($1,$2,$3,'henan','henan-2021.1','exit',$4,$5,$6)`,
    [campaignId, division, year, milestones.some((m) => (m as { status?: string }).status === 'overdue'), JSON.stringify(milestones), `${year}-01-02T01:00:00Z`],
  );
  return campaignId;
}

export async function seedReportYear(db: Db, year: number, place: Place = XINXIANG): Promise<ReportYear> {
  await seedCampaign(db, '410000', year);
  await seedCampaign(db, place.city, year);
  // County a's own campaign let its survey lapse on May 31 (marked at the end of the day) and has not completed it.
  await seedCampaign(db, place.a, year, [
    { id: 'survey', kind: 'survey', nameZh: '摸底排查完成、目标计划公示', due: `${year}-05-31`, status: 'overdue', completedOn: null, completedBy: null, note: null, lapsedOn: `${year}-05-31`, remindersSent: [] },
    { id: 'exit_by', kind: 'exit_by', nameZh: '落后产能退出完成（拆除或封存）', due: `${year}-10-31`, status: 'pending', completedOn: null, completedBy: null, note: null, lapsedOn: null, remindersSent: [] },
  ]);
  await db.query(
    `INSERT INTO campaign_targets (campaign_id, industry, unit, capacity, enterprises, facilities, source) VALUES ($1,'cement',$2,300,4,5,'survey'), ($1,'steel',$2,100,1,1,'survey')`,
    [`campaign-${place.city}-${year}`, T],
  );
  const line = (id: string, capacity: number): Facility => ({ id, name: `${id}熟料生产线`, kind: 'production_line', capacity, unit: T });
  const a = await seedCase(db, year, {
    region: place.a,
    name: `${nameOf(place.a)}甲水泥有限公司`,
    facilities: [line('KL-1', 60), line('KL-2', 40)],
    stages: [['opened', `${year}-01-05`], ['exit_in_progress', `${year}-02-01`], ['exited', `${year}-03-02`]],
    exit: { how: 'dismantled', exitedOn: `${year}-03-01`, dismantledOn: `${year}-03-01` },
  });
  const b = await seedCase(db, year, {
    region: place.b,
    name: `${nameOf(place.b)}乙水泥有限公司`,
    facilities: [line('KL-3', 50)],
    stages: [['opened', `${year}-01-05`], ['sealed', `${year}-05-10`], ['exited', `${year}-08-02`]],
    exit: { how: 'dismantled', exitedOn: `${year}-05-10`, sealedOn: `${year}-05-10`, dismantledOn: `${year}-08-01` },
  });
  const c = await seedCase(db, year, { region: place.c, name: `${nameOf(place.c)}丙钢铁有限公司`, industry: 'steel', facilities: [{ id: 'BF-1', name: '1号高炉', kind: 'equipment', capacity: 100, unit: T }], stages: [['opened', `${year}-01-10`], ['rectification', `${year}-01-11`], ['compliant', `${year}-12-20`]], deadline: `${year}-04-30` });
  const d = await seedCase(db, year, { region: place.d, name: `${nameOf(place.d)}丁水泥有限公司`, facilities: [line('KL-4', 30)], stages: [['opened', `${year}-02-10`], ['rectification', `${year}-02-11`], ['compliant', `${year}-12-20`]], deadline: `${year}-12-31` });
  return { year, place, exits: { a, b }, open: { b: b.caseId, c: c.caseId, d: d.caseId } };
}
