/**
 * `npm run demo`: realistic cases for the seed regions, opened and driven through the API of a
 * running exitflow (`npm start`), so that within a minute Temporal UI and the API show cases
 * waiting, extended, overdue and escalated, closed (red list, joint punishment), sealed and exited.
 *
 * It also leaves every page of the console and the portal something to show: Zhengzhou's campaign
 * with its survey committed (targets by industry, capacity sealed, dismantled and exited per
 * sub-division), 中原区 lagging with a notice (通报) and a summons (约谈), reports upward in each state,
 * the six public lists of 410100 published as editions, public reports (举报) in each state with
 * 登封市工信局, and decisions waiting in the Zhengzhou government's inbox (closure, extension,
 * acceptance). Run again, it opens new cases and leaves the year's survey and editions as they are.
 *
 * Nothing is faked: overdue cases are served with a notice dated months ago, so their legal
 * deadline has already passed and the workflow escalates them as it would any case. Every demo
 * case says so in its legal basis ("演示案件") and its case number starts with DEMO-.
 * `runDemo` is the same against any API (test/demo.test.ts, scripts/screenshots.ts).
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { mintToken } from '../api/auth';
import { DEMO_OFFICIALS } from '../api/routes/dev-login';
import { jwtSecret, loadConfig } from '../config';
import { creditCodeCheckCharacter } from '../domain/credit-code';
import { addCalendarMonths, toLegalDate } from '../domain/deadlines';
import { division } from '../domain/divisions';
import { DEPARTMENT_NAMES_ZH } from '../domain/model';
import { evidenceUri } from '../domain/inputs';
import { SURVEY_COLUMNS, type SurveyKey } from '../domain/survey';
import type { Principal } from '../domain/roles';

let API = process.env.DEMO_API_URL ?? `http://localhost:${process.env.API_PORT ?? 3000}`;
const config = loadConfig({ DATABASE_URL: 'postgres://unused', ...process.env });
let tokens = { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };
/** Where the demo tells what it did (the test silences it). */
let log: (line: string) => void = (line) => console.log(line);
const run = new Date().toISOString().replace(/\D/g, '').slice(2, 12); // yyMMddHHmm: case numbers stay unique per run
const today = toLegalDate(new Date().toISOString());
const monthsAgo = (n: number) => addCalendarMonths(today, -n);
const year = Number(today.slice(0, 4));

type Json = Record<string, unknown>;

async function call(principal: Principal, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await mintToken(principal, tokens)}`, ...(body instanceof Buffer ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : body instanceof Buffer ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function must(principal: Principal, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Json> {
  const r = await call(principal, method, path, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A fresh, valid credit code registered in `region`'s city. */
function creditCode(region: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const org = [...randomBytes(9)].map((b) => alphabet[b % alphabet.length]).join('');
  const first17 = `91${region.slice(0, 4)}00${org}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** The demo identities the console's sign-in page offers: the demo acts under the same subject and name, so the case file names them as the console does. */
const demoName = (sub: string) => DEMO_OFFICIALS.find((p) => p.sub === sub)?.name;
const official = (department: string, jurisdiction: string, name: string): Principal => ({ sub: `demo-${department}-${jurisdiction}`, name: demoName(`demo-${department}-${jurisdiction}`) ?? name, role: 'enforcement_official', department: department as Principal['department'], jurisdiction });
const operator: Principal = { sub: 'demo-operator', name: '运维值班', role: 'operator' };

async function waitForStage(caseId: string, stages: string[], timeoutMs = 90_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(operator, 'GET', `/api/v1/cases/${caseId}`);
    if (r.status === 200 && stages.includes(String(r.body.stage))) return r.body;
    if (Date.now() > deadline) throw new Error(`${caseId} did not reach ${stages.join('/')} (now ${String(r.body.stage)})`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

/** How the case file names who decided: 郑州市人民政府, 新密市人民政府, … */
function deciderName(role: string, jurisdiction: string): string {
  const known = demoName(`demo-${role}-${jurisdiction}`);
  if (known) return known;
  const place = division(jurisdiction)?.name ?? jurisdiction;
  const suffix: Record<string, string> = { approving_government: '人民政府', coordination_office: '淘汰落后产能工作领导小组办公室', enforcement_official: ' 演示执法人员' };
  return `${place}${suffix[role] ?? ` ${role}`}`;
}

/** Take the case's open decision of `kind` as whoever it is assigned to. */
async function decide(caseId: string, kind: string, path: string, body: Json): Promise<Json> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const inbox = await must(operator, 'GET', `/api/v1/decisions?kind=${kind}&pageSize=200`);
    const d = (inbox.items as Json[]).find((i) => i.caseId === caseId);
    if (d) {
      const decider: Principal = { sub: `demo-${String(d.assigneeRole)}-${String(d.jurisdiction)}`, name: deciderName(String(d.assigneeRole), String(d.jurisdiction)), role: d.assigneeRole as Principal['role'], jurisdiction: String(d.jurisdiction), ...(d.assigneeDepartment ? { department: d.assigneeDepartment as Principal['department'] } : {}) };
      return must(decider, 'POST', `/api/v1/cases/${caseId}/${path}`, body);
    }
    if (Date.now() > deadline) throw new Error(`no open ${kind} decision for ${caseId}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

interface Seed {
  key: string;
  region: string;
  name: string;
  industry: string;
  facility: { id: string; name: string; kind: 'equipment' | 'production_line'; capacity: number; unit: string };
  dimension: string;
  department: string;
  served: string;
  serious?: boolean;
  /** Where the policy lets the department choose (environment): 限制生产 or 停产整治. */
  measure?: 'restrict_production' | 'suspend_production';
  story: string;
}

const SEEDS: Seed[] = [
  { key: 'A', region: '410102', name: '郑州中原钢铁有限公司（演示）', industry: 'steel', facility: { id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' }, dimension: 'energy', department: 'industry_it', served: today, story: 'waiting: in its 6-month rectification period' },
  { key: 'B', region: '410122', name: '中牟县华源水泥有限公司（演示）', industry: 'cement', facility: { id: 'KL-1', name: '1号熟料生产线 2500t/d', kind: 'production_line', capacity: 77.5, unit: '万吨/年' }, dimension: 'energy', department: 'industry_it', served: today, story: 'extended: 3 more months granted by the Zhengzhou government, filed with the province' },
  { key: 'C', region: '210303', name: '鞍山铁西焦化有限公司（演示）', industry: 'coking', facility: { id: 'CO-3', name: '3号焦炉 4.3m', kind: 'equipment', capacity: 30, unit: '万吨/年' }, dimension: 'energy', department: 'industry_it', served: monthsAgo(8), story: 'overdue and escalated: served 8 months ago, never rectified' },
  { key: 'D', region: '350121', name: '闽侯县永盛造纸有限公司（演示）', industry: 'paper', facility: { id: 'PM-1', name: '1号造纸机 1092型', kind: 'equipment', capacity: 1.5, unit: '万吨/年' }, dimension: 'quality', department: 'market_regulation', served: monthsAgo(7), story: 'closed: overdue, closure approved, red list and joint punishment pushed' },
  { key: 'E', region: '652301', name: '昌吉市天山硅铁有限公司（演示）', industry: 'nonferrous', facility: { id: 'EF-1', name: '1号矿热炉 6300kVA', kind: 'equipment', capacity: 1.2, unit: '万吨/年' }, dimension: 'technology', department: 'industry_it', served: today, story: 'sealed: eliminated equipment sealed with the four measures, to be dismantled' },
  { key: 'F', region: '440232', name: '乳源县粤北平板玻璃有限公司（演示）', industry: 'flat_glass', facility: { id: 'FG-1', name: '1号平拉玻璃生产线', kind: 'production_line', capacity: 120, unit: '万重量箱/年' }, dimension: 'technology', department: 'industry_it', served: today, story: 'exited: dismantled, accepted on site with photos, capacity retired' },
  { key: 'H', region: '410184', name: '新郑市金源铸造有限公司（演示）', industry: 'foundry', facility: { id: 'CF-1', name: '1号冲天炉 5t/h', kind: 'equipment', capacity: 3, unit: '万吨/年' }, dimension: 'energy', department: 'industry_it', served: monthsAgo(8), story: 'closed in Henan: overdue, the Zhengzhou government ordered the closure (red list)' },
  { key: 'I', region: '410122', name: '中牟县清源造纸有限公司（演示）', industry: 'paper', facility: { id: 'PM-2', name: '2号造纸机 1575型', kind: 'equipment', capacity: 2, unit: '万吨/年' }, dimension: 'environment', department: 'ecology_environment', served: today, measure: 'restrict_production', story: 'over-standard emissions: rectifying (over-standard list)' },
  { key: 'J', region: '410181', name: '巩义市中孚铝材有限公司（演示）', industry: 'electrolytic_aluminium', facility: { id: 'AL-1', name: '1号电解槽系列 240kA', kind: 'production_line', capacity: 8, unit: '万吨/年' }, dimension: 'energy', department: 'industry_it', served: today, story: 'extension requested: waiting in the Zhengzhou government\'s inbox' },
  { key: 'G', region: '410183', name: '新密市豫中化工有限公司（演示）', industry: 'chemical', facility: { id: 'RX-1', name: '1号反应釜', kind: 'equipment', capacity: 5, unit: '万吨/年' }, dimension: 'environment', department: 'ecology_environment', served: today, serious: true, story: 'serious environmental case: closure proposed to the government at once' },
];

/** Three tiny distinct PNGs standing in for the before / during / after photos. */
function photo(phase: string): Buffer {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex');
  return Buffer.concat([png, Buffer.from(`exitflow demo ${phase} ${run}`)]);
}

async function openSeed(s: Seed): Promise<{ caseId: string; creditCode: string; officer: Principal }> {
  const officer = official(s.department, s.region.slice(0, 4) + '00', `${division(s.region.slice(0, 4) + '00')?.name ?? ''}${DEPARTMENT_NAMES_ZH[s.department as keyof typeof DEPARTMENT_NAMES_ZH] ?? s.department} 演示执法人员`);
  const code = creditCode(s.region);
  await must(officer, 'POST', '/api/v1/enterprises', {
    creditCode: code, name: s.name, regionCode: s.region, industry: s.industry,
    contact: { name: '合规负责人', email: `compliance+${s.key.toLowerCase()}${run}@demo.example.cn` },
    facilities: [s.facility],
  });
  const opened = await must(officer, 'POST', '/api/v1/cases', {
    creditCode: code, caseNumber: `DEMO-${run}-${s.key}`, dimension: s.dimension, department: s.department,
    legalBasis: '演示案件 (demo case, not a real finding); 工信部联产业〔2017〕30号', noticeServedOn: s.served,
    serious: s.serious ?? false, ...(s.measure ? { measure: s.measure } : {}), facilityIds: [s.facility.id],
  });
  return { caseId: String(opened.caseId), creditCode: code, officer };
}

async function drive(s: Seed, c: { caseId: string; creditCode: string; officer: Principal }): Promise<void> {
  const enterprise: Principal = { sub: `demo-ent-${c.creditCode}`, name: s.name, role: 'enterprise', creditCode: c.creditCode };
  const office: Principal = { sub: `demo-office-${s.region}`, name: '淘汰落后产能工作办公室', role: 'coordination_office', jurisdiction: s.region.slice(0, 2) + '0000' };
  switch (s.key) {
    case 'A':
      await waitForStage(c.caseId, ['rectification']);
      return;
    case 'B':
      await waitForStage(c.caseId, ['rectification']);
      await must(enterprise, 'POST', `/api/v1/cases/${c.caseId}/extension-requests`, { months: 3, reason: '余热回收系统改造需跨冬季施工' });
      await decide(c.caseId, 'extension', 'extension-decisions', { approve: true, reason: '改造方案可行，同意延期3个月' });
      return;
    case 'C':
      await waitForStage(c.caseId, ['closure_proposed']);
      return;
    case 'D':
      await waitForStage(c.caseId, ['closure_proposed']);
      await decide(c.caseId, 'closure', 'closure-decisions', { outcome: 'approve', reason: '逾期未整改，依法责令关闭' });
      await waitForStage(c.caseId, ['closure_ordered', 'exit_in_progress']);
      return;
    case 'E':
      await waitForStage(c.caseId, ['exit_in_progress']);
      await must(c.officer, 'POST', `/api/v1/cases/${c.caseId}/sealings`, {
        sealedOn: today, measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
        commitmentRef: 'https://www.changji.gov.cn/demo/commitment', announcementUrl: 'https://www.changji.gov.cn/demo/announcement',
      });
      await waitForStage(c.caseId, ['sealed']);
      return;
    case 'F': {
      await waitForStage(c.caseId, ['exit_in_progress']);
      const evidence = [];
      for (const phase of ['before', 'during', 'after']) {
        const e = await must(c.officer, 'POST', `/api/v1/cases/${c.caseId}/evidence?phase=${phase}&filename=${phase}.png`, photo(phase), { 'Content-Type': 'image/png' });
        evidence.push({ phase, uri: evidenceUri(c.caseId, String(e.evidenceId)), sha256: String(e.sha256) });
      }
      await must(c.officer, 'POST', `/api/v1/cases/${c.caseId}/dismantlings`, { dismantledOn: today, evidence });
      await waitForStage(c.caseId, ['acceptance']);
      await must(office, 'POST', `/api/v1/cases/${c.caseId}/acceptances`, { opinion: '经现场核查，主体设备已拆除，产能已退出，同意验收。', evidence });
      await waitForStage(c.caseId, ['exited']);
      return;
    }
    case 'G':
      await waitForStage(c.caseId, ['closure_proposed']);
      return;
    case 'H':
      await waitForStage(c.caseId, ['closure_proposed']);
      await decide(c.caseId, 'closure', 'closure-decisions', { outcome: 'approve', reason: '逾期未整改，能耗仍超限额，依法责令关闭' });
      await waitForStage(c.caseId, ['closure_ordered', 'exit_in_progress']);
      return;
    case 'I':
      await waitForStage(c.caseId, ['rectification', 'suspended_production']);
      return;
    case 'J':
      await waitForStage(c.caseId, ['rectification']);
      await must(enterprise, 'POST', `/api/v1/cases/${c.caseId}/extension-requests`, { months: 2, reason: '电解槽节能改造设备到货延迟，申请延期2个月' });
      await waitForStage(c.caseId, ['extension_requested']);
      return;
  }
}

/** 郑州市's coordination office: starts the campaigns, commits the survey, publishes the lists, supervises. */
const zhengzhouOffice: Principal = { sub: 'demo-office-410100', name: '郑州市淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410100' };
/** The city's industry & IT bureau: seals and records the dismantling of the surveyed equipment. */
const zhengzhouBureau = official('industry_it', '410100', '郑州市工信局 演示执法');

interface SurveyEntry {
  key: string;
  region: string;
  name: string;
  industry: string;
  facility: Seed['facility'];
  dimension: 'energy' | 'technology';
  treatment: 'exit' | 'rectify';
  /** What the demo does with the case the survey opens. */
  then: 'rectify' | 'seal' | 'dismantle' | 'exit';
  story: string;
}

/**
 * Zhengzhou's survey (摸底排查) of the year, committed by the city's office: it registers the
 * enterprises, opens their cases and makes the target list (the exit rows), so the campaign's ledger
 * has targets per industry and sub-division, and capacity that exited against them.
 */
const SURVEY: SurveyEntry[] = [
  { key: 'S1', region: '410102', name: '郑州中原特钢有限公司（演示）', industry: 'steel', facility: { id: 'BF-1', name: '1号高炉 400m³', kind: 'equipment', capacity: 35, unit: '万吨/年' }, dimension: 'energy', treatment: 'exit', then: 'rectify', story: 'to exit this year, not yet: 中原区 lags' },
  { key: 'S2', region: '410122', name: '中牟县天瑞水泥有限公司（演示）', industry: 'cement', facility: { id: 'KL-2', name: '2号熟料生产线 1000t/d', kind: 'production_line', capacity: 31, unit: '万吨/年' }, dimension: 'technology', treatment: 'exit', then: 'seal', story: 'sealed with the four measures' },
  { key: 'S3', region: '410183', name: '新密市豫新焦化有限公司（演示）', industry: 'coking', facility: { id: 'CO-1', name: '1号焦炉 4.3m', kind: 'equipment', capacity: 25, unit: '万吨/年' }, dimension: 'technology', treatment: 'exit', then: 'dismantle', story: 'dismantled: its acceptance waits in the Zhengzhou government’s inbox' },
  { key: 'S4', region: '410185', name: '登封市嵩山水泥有限公司（演示）', industry: 'cement', facility: { id: 'KL-1', name: '1号熟料生产线 2000t/d', kind: 'production_line', capacity: 62, unit: '万吨/年' }, dimension: 'technology', treatment: 'exit', then: 'exit', story: 'exited: dismantled, accepted by the Zhengzhou government' },
  { key: 'S5', region: '410185', name: '登封市少林钢铁有限公司（演示）', industry: 'steel', facility: { id: 'BF-3', name: '3号高炉 380m³', kind: 'equipment', capacity: 30, unit: '万吨/年' }, dimension: 'technology', treatment: 'exit', then: 'exit', story: 'exited: dismantled, accepted by the Zhengzhou government' },
  { key: 'S6', region: '410181', name: '巩义市永安耐材有限公司（演示）', industry: 'building_materials', facility: { id: 'TK-1', name: '1号隧道窑', kind: 'equipment', capacity: 5, unit: '万吨/年' }, dimension: 'energy', treatment: 'rectify', then: 'rectify', story: 'to rectify (not on the target list)' },
];

/** The survey as its XLSX template is filled in: the template's Chinese headers, one row per facility. */
async function surveyWorkbook(rows: Partial<Record<SurveyKey, string | number>>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('摸底排查');
  ws.addRow(SURVEY_COLUMNS.map((c) => c.zh));
  for (const r of rows) ws.addRow(SURVEY_COLUMNS.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Upload the before/during/after photos of a case and record its dismantling: it then waits for acceptance. */
async function dismantle(caseId: string, officer: Principal): Promise<Json[]> {
  await waitForStage(caseId, ['exit_in_progress']);
  const evidence: Json[] = [];
  for (const phase of ['before', 'during', 'after']) {
    const e = await must(officer, 'POST', `/api/v1/cases/${caseId}/evidence?phase=${phase}&filename=${phase}.png`, photo(`${caseId} ${phase}`), { 'Content-Type': 'image/png' });
    evidence.push({ phase, uri: evidenceUri(caseId, String(e.evidenceId)), sha256: String(e.sha256) });
  }
  await must(officer, 'POST', `/api/v1/cases/${caseId}/dismantlings`, { dismantledOn: today, evidence });
  await waitForStage(caseId, ['acceptance']);
  return evidence;
}

/** Commit the survey once a year (a campaign that has targets already keeps them) and drive the cases it opens. */
async function demoSurvey(campaignId: string): Promise<{ key: string; caseId: string; stage: string }[]> {
  const targets = await must(operator, 'GET', `/api/v1/campaigns/${campaignId}/targets?format=json`);
  if ((targets.items as Json[]).length > 0) return [];
  const rows = SURVEY.map((e) => ({
    entry: e,
    row: {
      creditCode: creditCode(e.region), name: e.name, regionCode: e.region, industry: e.industry,
      contactName: '合规负责人', contactEmail: `compliance+${e.key.toLowerCase()}${run}@demo.example.cn`,
      facilityId: e.facility.id, facilityName: e.facility.name, facilityKind: e.facility.kind, capacity: e.facility.capacity, unit: e.facility.unit,
      dimension: e.dimension, department: 'industry_it', legalBasis: '演示案件 (demo case, not a real finding); 工信部联产业〔2017〕30号', serious: '否',
      caseNumber: `DEMO-${run}-${e.key}`, noticeServedOn: today, treatment: e.treatment,
    },
  }));
  await must(zhengzhouOffice, 'POST', `/api/v1/campaigns/${campaignId}/surveys?mode=commit`, await surveyWorkbook(rows.map((r) => r.row)), {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  return Promise.all(
    rows.map(async ({ entry, row }) => {
      const caseId = `case-${entry.region}-${row.creditCode}-${row.caseNumber}`;
      switch (entry.then) {
        case 'rectify':
          await waitForStage(caseId, ['rectification']);
          break;
        case 'seal':
          await waitForStage(caseId, ['exit_in_progress']);
          await must(zhengzhouBureau, 'POST', `/api/v1/cases/${caseId}/sealings`, {
            sealedOn: today, measures: ['cut_water', 'cut_power', 'remove_power_units', 'seal_main_equipment'],
            commitmentRef: 'https://www.zhengzhou.gov.cn/demo/commitment', announcementUrl: 'https://www.zhengzhou.gov.cn/demo/announcement',
          });
          await waitForStage(caseId, ['sealed']);
          break;
        case 'dismantle':
          await dismantle(caseId, zhengzhouBureau);
          break;
        case 'exit': {
          const evidence = await dismantle(caseId, zhengzhouBureau);
          await decide(caseId, 'acceptance', 'acceptances', { opinion: '经现场核查，主体设备已拆除，产能已退出，同意验收。（演示）', evidence });
          await waitForStage(caseId, ['exited']);
          break;
        }
      }
      const now = await must(operator, 'GET', `/api/v1/cases/${caseId}`);
      return { key: entry.key, caseId, stage: String(now.stage) };
    }),
  );
}

/** The lists the portal shows, published by the city's office as editions (the target list twice: for comment, then final). */
async function demoPublications(campaignId: string): Promise<Record<string, number>> {
  const kinds: [string, string[]][] = [
    ['target_list', [`郑州市${year}年度淘汰落后产能目标计划（征求意见稿，演示）`, `郑州市${year}年度淘汰落后产能目标计划，公示期7天（演示）`]],
    ['yellow', ['不达标应限期整改企业名单（黄牌，演示）']],
    ['red', ['经整改仍不达标、已依法关闭企业名单（红牌，演示）']],
    ['over_standard', ['超标排放企业名单（演示）']],
    ['serious_over_standard', ['超标排放情节严重企业名单（演示）']],
    ['exit_announcement', [`郑州市${year}年度落后产能退出企业名单（演示）`]],
  ];
  const editions: Record<string, number> = {};
  for (const [kind, notes] of kinds) {
    const path = `/api/v1/public/lists/${kind}/editions?region=410100&year=${year}`;
    const before = ((await must(operator, 'GET', path)).items as Json[]).length;
    if (before === 0) for (const note of notes) await must(zhengzhouOffice, 'POST', `/api/v1/campaigns/${campaignId}/publications`, { kind, note });
    editions[kind] = ((await must(operator, 'GET', path)).items as Json[]).length;
  }
  return editions;
}

/**
 * The office records the survey milestone done once the target list is published (late: it lapsed
 * and was escalated), and closes the pace items (进展缓慢, assessed as of the exit deadline) of the
 * sub-divisions that have since caught up, so the campaign page shows items open, summoned and closed.
 */
async function demoCatchUp(campaignId: string): Promise<number> {
  const c = await must(operator, 'GET', `/api/v1/campaigns/${campaignId}`);
  const survey = (c.milestones as Json[]).find((m) => m.kind === 'survey');
  if (survey && survey.status !== 'completed') await must(zhengzhouOffice, 'POST', `/api/v1/campaigns/${campaignId}/milestone-completions`, { milestoneId: survey.id, note: '演示：摸底排查已完成，年度目标计划已公示' });
  const progress = await must(zhengzhouOffice, 'GET', `/api/v1/campaigns/${campaignId}/progress`);
  const lagging = new Set((progress.lagging as Json[]).map((l) => String(l.division)));
  const items = (await must(zhengzhouOffice, 'GET', '/api/v1/supervision-items?pageSize=200')).items as Json[];
  const settled = items.filter((i) => i.supervisor === '410100' && (i.reason as Json).kind === 'pace' && i.status === 'open' && !lagging.has(String(i.region)));
  let closed = 0;
  for (const i of settled) {
    const r = await call(zhengzhouOffice, 'POST', `/api/v1/supervision-items/${encodeURIComponent(String(i.itemId))}/closure`, { conclusion: `演示：${String(i.regionName)}已完成年度退出任务，经核查属实，督办事项办结。` });
    if (r.status < 300) closed++;
    else log(`   (supervision item ${String(i.itemId)} not closed: ${r.status} ${String(r.body.code ?? '')})`);
  }
  return closed;
}

/** The city's office supervises 中原区: a published notice (通报) on its first lapsed milestone, then a summons (约谈) with a follow-up deadline. */
async function demoSupervision(items: Json[]): Promise<void> {
  const first = items[0]!;
  const path = `/api/v1/supervision-items/${encodeURIComponent(String(first.itemId))}`;
  const item = await must(zhengzhouOffice, 'GET', path);
  if ((item.notices as Json[]).length === 0) {
    await must(zhengzhouOffice, 'POST', `${path}/notices`, { text: `中原区${year}年度淘汰落后产能工作进展缓慢，「${String((first.reason as Json).nameZh ?? '工作节点')}」逾期未完成，现予通报，请于30日内整改到位。（演示）`, publish: true });
  }
  if ((item.summons as Json[]).length === 0 && item.status === 'open') {
    await must(zhengzhouOffice, 'POST', `${path}/summons`, {
      heldOn: today, summoned: [{ name: '王某（演示）', title: '中原区人民政府副区长' }, { name: '李某（演示）', title: '中原区工业和信息化局局长' }],
      minutesRef: `郑淘汰办纪〔${year}〕1号（演示）`, followUpBy: addCalendarMonths(today, 1),
    });
  }
}

/**
 * Zhengzhou's campaign of this year and 中原区's (410102) beside it, both started by the city's
 * coordination office: the city files its plan; the milestones already past are overdue, escalated
 * and supervised (督办) by the office above — so 中原区 lags on the city's ledger. 中原区 drafts and
 * sends its survey report to the city, which signs for it.
 */
async function demoCampaign() {
  const districtOffice: Principal = { sub: 'demo-office-410102', name: '中原区淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410102' };
  for (const division of ['410100', '410102']) {
    const started = await call(zhengzhouOffice, 'POST', '/api/v1/campaigns', { division, year });
    if (started.status >= 300 && started.status !== 409) throw new Error(`POST /api/v1/campaigns → ${started.status}: ${JSON.stringify(started.body)}`);
  }
  const id = `campaign-410100-${year}`;
  const district = `campaign-410102-${year}`;
  const c = await must(operator, 'GET', `/api/v1/campaigns/${id}`);
  const plans = (c.milestones as Json[]).find((m) => m.kind === 'plans_filed');
  if (plans && plans.status !== 'completed') await must(zhengzhouOffice, 'POST', `/api/v1/campaigns/${id}/milestone-completions`, { milestoneId: plans.id, note: '演示：工作方案已印发' });
  const surveyed = await demoSurvey(id);

  // 中原区's survey report to the city: drafted (figures as of yesterday), submitted, signed for.
  const reportPath = `/api/v1/campaigns/${district}/reports/zhengzhou_survey_to_city`;
  const listed = await waitFor(async () => {
    const r = await call(operator, 'GET', reportPath);
    return r.status === 200 ? (r.body.report as Json) : undefined;
  }, `${district}'s reports`);
  if (listed.status === 'pending' || listed.status === 'drafted') {
    if (listed.status === 'pending') await must(districtOffice, 'POST', `${reportPath}/drafts`, {});
    await must(districtOffice, 'POST', `${reportPath}/submissions`, { note: '演示：中原区摸排情况' });
  }
  const reportNow = async () => String(((await must(operator, 'GET', reportPath)).report as Json).status);
  if ((await reportNow()) === 'sent') await must(zhengzhouOffice, 'POST', `${reportPath}/receipts`, { note: '演示：已签收' });

  const now = await must(operator, 'GET', `/api/v1/campaigns/${id}`);
  const overdue = (now.milestones as Json[]).filter((m) => m.status === 'overdue').length;
  const items = await waitFor(async () => {
    const r = await call(zhengzhouOffice, 'GET', '/api/v1/supervision-items', undefined);
    const list = (r.body.items as Json[] | undefined)?.filter((i) => i.region === '410102' && i.campaignId === id && i.status !== 'closed') ?? [];
    return list.length ? list : undefined;
  }, 'supervision items of 中原区');
  await demoSupervision(items);
  const reports = await demoReportsUpward(id, district);
  const editions = await demoPublications(id);
  const closedItems = await demoCatchUp(id);
  const received = await must(zhengzhouOffice, 'GET', `/api/v1/campaigns/${id}/received-reports`);
  log(`
Campaign ${id}  郑州市${year}年淘汰落后产能工作
   stage ${String(now.stage)}, ${overdue} milestone(s) overdue and escalated to the province office
   ${String((now.links as Json).temporalUi)}`);
  log(`   中原区 (410102) lags: ${items.length} supervision item(s) of the city office (GET /api/v1/supervision-items?region=410102)`);
  log(`   received from its districts: ${JSON.stringify((received.reports as Json[] | undefined)?.map((r) => r.reportId) ?? [])}  (GET /api/v1/campaigns/${id}/received-reports)`);
  log(`   中原区's survey report: ${await reportNow()}  (GET ${reportPath}?format=xlsx for its workbook)`);
  for (const c of surveyed) log(`   survey ${c.key} ${SURVEY.find((e) => e.key === c.key)!.story}: ${c.caseId} (${c.stage})`);
  for (const [report, state] of Object.entries(reports)) log(`   report ${report}: ${state}`);
  log(`   ${closedItems} pace supervision item(s) closed for sub-divisions that caught up; the survey milestone recorded done`);
  log(`   lists published for 410100 (editions): ${JSON.stringify(editions)}  (portal: /?region=410100&year=${year})`);
  return { campaignId: id, district, surveyed, reports, editions, supervisionItems: items.map((i) => String(i.itemId)) };
}

/**
 * Reports upward (报送) in each state the campaign page shows: 中原区's survey report signed for by
 * the city (above), its year's summary sent and waiting for the city to sign; the city's target plan
 * sent to the province and signed for there; the city's summary drafted by the campaign (a week
 * before it falls due, with the figures of the day before); the closures letter not yet due (pending); and Anshan's (鞍山, Liaoning) summary to the province, which the plan
 * has approved by the city government first, waiting for that approval.
 */
async function demoReportsUpward(id: string, district: string): Promise<Record<string, string>> {
  const provinceOffice: Principal = { sub: 'demo-office-410000', name: '河南省淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410000' };
  const districtOffice: Principal = { sub: 'demo-office-410102', name: '中原区淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: '410102' };
  const anshanOffice: Principal = { sub: 'demo-office-210300', name: '鞍山市淘汰落后产能工作协调小组办公室', role: 'coordination_office', jurisdiction: '210300' };
  const status = async (campaign: string, reportId: string) =>
    waitFor(async () => {
      const r = await call(operator, 'GET', `/api/v1/campaigns/${campaign}/reports/${reportId}`);
      return r.status === 200 ? String((r.body.report as Json).status) : undefined;
    }, `${campaign}'s report ${reportId}`);
  /** Draft (where still pending) and submit: sent to the recipient, or to the government where the plan asks for approval. */
  const send = async (who: Principal, campaign: string, reportId: string, note: string) => {
    const path = `/api/v1/campaigns/${campaign}/reports/${reportId}`;
    if ((await status(campaign, reportId)) === 'pending') await mustOnceReady(who, `${path}/drafts`, {});
    if ((await status(campaign, reportId)) === 'drafted') await mustOnceReady(who, `${path}/submissions`, { note });
  };
  await send(districtOffice, district, 'zhengzhou_summary_to_city', '演示：中原区年度工作总结');
  await send(zhengzhouOffice, id, 'target_plan_to_province', '演示：郑州市年度淘汰落后产能目标计划');
  if ((await status(id, 'target_plan_to_province')) === 'sent') await must(provinceOffice, 'POST', `/api/v1/campaigns/${id}/reports/target_plan_to_province/receipts`, { note: '演示：省办已签收' });
  const anshan = `campaign-210300-${year}`;
  const started = await call(anshanOffice, 'POST', '/api/v1/campaigns', { division: '210300', year });
  if (started.status >= 300 && started.status !== 409) throw new Error(`POST /api/v1/campaigns → ${started.status}: ${JSON.stringify(started.body)}`);
  await send(anshanOffice, anshan, 'cities_summary_to_province', '演示：请市政府审定');
  const states: Record<string, string> = {};
  for (const [campaign, reportId] of [[district, 'zhengzhou_survey_to_city'], [district, 'zhengzhou_summary_to_city'], [id, 'target_plan_to_province'], [id, 'summary_to_province'], [id, 'closures_to_industry_it'], [anshan, 'cities_summary_to_province']] as const) {
    states[`${campaign}/${reportId}`] = await status(campaign, reportId);
  }
  return states;
}

/** POST, again while the campaign just started is still computing its milestones (409 campaign_not_ready asks to retry). */
async function mustOnceReady(who: Principal, path: string, body: unknown): Promise<Json> {
  return waitFor(async () => {
    const r = await call(who, 'POST', path, body);
    if (r.status === 409 && r.body.code === 'campaign_not_ready') return undefined;
    if (r.status >= 300) throw new Error(`POST ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as Json;
  }, `POST ${path}`);
}

/** Poll `read` until it answers something (90 s at most: a loaded machine is slow, a stuck workflow still fails). */
async function waitFor<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

/**
 * Two public reports (举报, issue 13) in 登封市 (410185): one anonymous, left with the industry & IT
 * bureau to verify (its inbox shows it with the deadline); one real-name, verified on site and
 * confirmed into a case through POST /reports/{id}/cases, whose reporter reads the reply by the
 * tracking number and the secret.
 */
async function demoReports() {
  const region = '410185';
  const verifier = official('industry_it', region, '登封市工信局 演示执法');
  const file = async (body: Json) => {
    const res = await fetch(`${API}/api/v1/public/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST /api/v1/public/reports → ${res.status}: ${await res.text()}`);
    return (await res.json()) as { trackingNumber: string; secret: string };
  };
  const where = { region, address: '河南省郑州市登封市某镇工业园（演示）', industry: 'steel' };
  const anonymous = await file({ ...where, enterpriseName: '登封市某铸造有限公司（演示）', dimension: 'technology', equipment: '1台中频炉', description: '演示举报：夜间使用中频炉生产建筑用钢。' });
  const realName = await file({ ...where, enterpriseName: '登封市演示钢铁有限公司', dimension: 'energy', equipment: '2号高炉 450m³', capacity: 40, unit: '万吨/年', description: '演示举报：高炉能耗长期超过限额标准。', reporter: { name: '演示举报人', email: 'reporter@demo.example.cn' } });
  const reportPath = `/api/v1/reports/${realName.trackingNumber}`;
  await waitFor(async () => ((await call(verifier, 'GET', reportPath)).body.status === 'verifying' ? true : undefined), `${realName.trackingNumber} routed`);
  await must(verifier, 'POST', `${reportPath}/verifications`, { verifiedOn: today, method: 'on_site', findings: '演示：现场核查，2号高炉在产，能耗超过限额标准。' });
  const e = { creditCode: creditCode(region), name: '登封市演示钢铁有限公司', regionCode: region, industry: 'steel', contact: { name: '演示联系人', email: 'compliance@dengfeng-demo.example.cn' }, facilities: [{ id: 'BF-2', name: '2号高炉 450m³', kind: 'equipment', capacity: 40, unit: '万吨/年' }] };
  await must(verifier, 'POST', '/api/v1/enterprises', e);
  const confirmed = await must(verifier, 'POST', `${reportPath}/cases`, {
    case: { creditCode: e.creditCode, caseNumber: `DEMO-JB-${run}`, dimension: 'energy', department: 'industry_it', legalBasis: `演示案件; 举报受理编号 ${realName.trackingNumber}; 工信部联产业〔2017〕30号`, noticeServedOn: today, facilityIds: ['BF-2'] },
    replyNote: '演示：感谢您的监督。',
  });
  const reply = await waitFor(async () => {
    const res = await fetch(`${API}/api/v1/public/reports/${realName.trackingNumber}`, { headers: { 'X-Report-Secret': realName.secret } });
    const body = (await res.json()) as Json;
    return body.reply ? body : undefined;
  }, `the reply to ${realName.trackingNumber}`);
  // Three more, recorded by the bureau from the 12345 hotline (officials' records are not rate limited like the public form):
  // one found unfounded, one handed to the ecology & environment bureau (转办), one verified on site and awaiting its conclusion.
  const record = async (body: Json) => String((await must(verifier, 'POST', '/api/v1/reports', { ...where, channel: 'hotline_12345', receivedOn: today, ...body })).trackingNumber);
  const routed = (n: string) => waitFor(async () => ((await call(verifier, 'GET', `/api/v1/reports/${n}`)).body.status === 'verifying' ? true : undefined), `${n} routed`);
  const unfounded = await record({ enterpriseName: '登封市某耐火材料有限公司（演示）', industry: 'building_materials', dimension: 'technology', equipment: '2座倒焰窑', externalRef: `12345-DEMO-${run}-1`, description: '演示举报：使用国家明令淘汰的倒焰窑生产耐火材料。' });
  const transferred = await record({ enterpriseName: '登封市某铸造有限公司（演示）', industry: 'foundry', dimension: 'energy', equipment: '1台冲天炉', externalRef: `12345-DEMO-${run}-2`, description: '演示举报：冲天炉夜间冒黑烟，疑似超标排放。', reporter: { name: '演示来电人', phone: '0371-62800000' } });
  const verified = await record({ enterpriseName: '登封市某碳素有限公司（演示）', industry: 'other', dimension: 'energy', equipment: '1号环式焙烧炉', externalRef: `12345-DEMO-${run}-3`, description: '演示举报：焙烧炉能耗高，未按期整改。', reporter: { name: '演示来电人乙', phone: '0371-62800001' } });
  for (const n of [unfounded, transferred, verified]) await routed(n);
  await must(verifier, 'POST', `/api/v1/reports/${unfounded}/conclusions`, { outcome: 'unfounded', reasons: '演示：现场核查，倒焰窑已于上年拆除，举报不实。', replyNote: '演示：感谢您的监督。' });
  await must(verifier, 'POST', `/api/v1/reports/${transferred}/transfers`, { dimension: 'environment', reason: '演示：经初步核实，举报反映的是超标排放问题，属生态环境部门职责。' });
  await must(verifier, 'POST', `/api/v1/reports/${verified}/verifications`, { verifiedOn: today, method: 'on_site', findings: '演示：现场核查，焙烧炉在产，能耗数据待核算。' });
  log(`
举报 (public reports): ${anonymous.trackingNumber} anonymous, waiting for 登封市工信局 to verify (GET /api/v1/decisions?kind=report_verification)`);
  log(`   ${unfounded} (12345) concluded unfounded · ${transferred} (12345) handed to 登封市生态环境局 · ${verified} (12345) verified on site, to be concluded`);
  log(`   ${realName.trackingNumber} real-name, confirmed into case ${String(confirmed.caseId)}; the reporter reads: ${String(reply.reply).split('\n')[0]}`);
  return { verifying: anonymous.trackingNumber, confirmed: realName.trackingNumber, unfounded, transferred, verified };
}

export interface DemoOptions {
  /** The API's base URL (default DEMO_API_URL, else http://localhost:API_PORT). */
  api?: string;
  /** The key and claims tokens are signed with (default: the configured key, the development key unless AUTH_JWT_SECRET is set). */
  tokens?: { secret: string; issuer: string; audience: string };
  log?: (line: string) => void;
}

export interface DemoResult {
  run: string;
  cases: { key: string; caseId: string; stage: string }[];
  campaign: Awaited<ReturnType<typeof demoCampaign>>;
  reports: Awaited<ReturnType<typeof demoReports>>;
}

/**
 * Wait until exitflow answers ready (Temporal, a worker polling, PostgreSQL, SMTP): right after
 * `npm start`, or a test stack's start, the worker may not have polled yet. Nothing listening fails at once.
 */
async function untilReady(timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const health = await fetch(`${API}/health/ready`).catch(() => undefined);
    if (!health) throw new Error(`exitflow is not running at ${API} (start it with \`npm start\` in another terminal).`);
    if (health.status === 200) return;
    if (Date.now() > until) throw new Error(`exitflow at ${API} is not ready after ${timeoutMs / 1000} s: ${await health.text()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Open and drive the demo's cases, campaign, lists and reports through the API at `opts.api`. */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  if (opts.api) API = opts.api;
  if (opts.tokens) tokens = opts.tokens;
  if (opts.log) log = opts.log;
  await untilReady();
  log(`Opening ${SEEDS.length} demo cases at ${API} (run ${run})…`);
  const results = await Promise.all(
    SEEDS.map(async (s) => {
      const c = await openSeed(s);
      await drive(s, c);
      const now = await must(operator, 'GET', `/api/v1/cases/${c.caseId}`);
      return { s, caseId: c.caseId, stage: String(now.stage), deadline: now.deadline, overdue: now.overdue, ui: (now.links as Json).temporalUi };
    }),
  );
  for (const r of results) {
    log(`\n${r.s.key}  ${r.s.name}  [${r.s.dimension}]\n   ${r.s.story}\n   stage ${r.stage}${r.deadline ? `, deadline ${String(r.deadline)}` : ''}${r.overdue ? ', OVERDUE' : ''}\n   ${String(r.ui)}`);
  }
  const campaign = await demoCampaign();
  const reports = await demoReports();
  log(`\nIn Temporal UI (${new URL(String(results[0]!.ui)).origin}), filter e.g.  ExitflowOverdue = true   or   ExitflowRegionPath = "410000" AND ExitflowStage = "rectification"`);
  log(`Sign in to the console at ${API}/console as 郑州市人民政府 (its inbox), 郑州市淘汰落后产能工作领导小组办公室 (the campaign) or 郑州市工业和信息化局 演示执法人员 (the public reports of 登封市 it verifies); the portal: ${API}/?region=410100&year=${year}`);
  log(`Mail sent to the enterprises and officials: http://localhost:1080 · platform pushes: http://localhost:4010/calls`);
  return { run, cases: [...results.map((r) => ({ key: r.s.key, caseId: r.caseId, stage: r.stage })), ...campaign.surveyed], campaign, reports };
}

if (require.main === module) {
  runDemo().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
