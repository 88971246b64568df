import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { runDemo, type DemoResult } from '../scripts/demo';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { bearer, TOKENS } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * `npm run demo` against the whole stack (API over HTTP, as `npm start` serves it, and a worker):
 * afterwards every page of the console and the portal has something to show, read through the API
 * as the people who see each page (the demo identities of the console's sign-in page).
 */
let stack: Stack;
let server: Server;
let demo: DemoResult;
const DATABASE = `exitflow_demo_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const year = Number(toLegalDate(new Date().toISOString()).slice(0, 4));
const ZHENGZHOU = '410100';
/** Every demo enterprise's name says 演示 (the case list's text search). */
const DEMO = encodeURIComponent('演示');

const operator: Principal = { sub: 'demo-operator', name: '运维值班', role: 'operator' };
const government: Principal = { sub: 'demo-approving_government-410100', name: '郑州市人民政府', role: 'approving_government', jurisdiction: ZHENGZHOU };
const cityOffice: Principal = { sub: 'demo-office-410100', name: '郑州市淘汰落后产能工作领导小组办公室', role: 'coordination_office', jurisdiction: ZHENGZHOU };
const bureau: Principal = { sub: 'demo-industry_it-410100', name: '郑州市工业和信息化局 演示执法人员', role: 'enforcement_official', department: 'industry_it', jurisdiction: ZHENGZHOU };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function get(who: Principal | null, path: string): Promise<Json> {
  const r = request(stack.app).get(path);
  const res = who ? await r.set('Authorization', await bearer(who)) : await r;
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Json;
}
/** One of the demo's cases (its case numbers carry the run's stamp). */
const demoCase = (caseId: unknown) => typeof caseId === 'string' && new RegExp(`-DEMO-(JB-)?${demo.run}(-|$)`).test(caseId);
const count = <T>(items: T[], key: (t: T) => string) => items.reduce<Record<string, number>>((n, t) => ({ ...n, [key(t)]: (n[key(t)] ?? 0) + 1 }), {});

beforeAll(async () => {
  // A database of its own: the demo fills real regions (Zhengzhou's lists, 巩义市's yellow list …) that
  // other test files, sharing the tests' database, assert exactly.
  const admin = createPool(process.env.TEST_DATABASE_URL as string, 1);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL as string);
  url.pathname = `/${DATABASE}`;
  await migrate(url.toString());
  stack = await startStack({ databaseUrl: url.toString() });
  server = createServer(stack.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  demo = await runDemo({ api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens: TOKENS, log: () => undefined });
}, 420_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
  const admin = createPool(process.env.TEST_DATABASE_URL as string, 1);
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
});

describe('after npm run demo, every page has its data', () => {
  it('portal: the six lists of Zhengzhou have entries, and each its published editions (the target list two)', async () => {
    const entries: Record<string, number> = {};
    const editions: Record<string, number> = {};
    for (const kind of ['yellow', 'red', 'over_standard', 'serious_over_standard', 'target_list', 'exit_announcement']) {
      entries[kind] = (await get(null, `/api/v1/public/lists/${kind}?region=${ZHENGZHOU}&year=${year}`)).total;
      editions[kind] = (await get(null, `/api/v1/public/lists/${kind}/editions?region=${ZHENGZHOU}&year=${year}`)).items.length;
    }
    expect(entries).toEqual({ yellow: expect.any(Number), red: expect.any(Number), over_standard: expect.any(Number), serious_over_standard: expect.any(Number), target_list: expect.any(Number), exit_announcement: expect.any(Number) });
    for (const [kind, n] of Object.entries(entries)) expect([kind, n > 0]).toEqual([kind, true]);
    for (const [kind, n] of Object.entries(editions)) expect([kind, n >= (kind === 'target_list' ? 2 : 1)]).toEqual([kind, true]);
    // The exit announcement names the capacity that exited this year in 登封市.
    const exits = JSON.stringify((await get(null, `/api/v1/public/lists/exit_announcement?region=410185&year=${year}&pageSize=100`)).rows);
    for (const name of ['登封市嵩山水泥有限公司（演示）', '登封市少林钢铁有限公司（演示）']) expect(exits).toContain(name);
  });

  it('inbox (待办): the Zhengzhou government has a closure, an extension and an acceptance to decide; the bureau its public reports to verify', async () => {
    // Other tests share the database: only the demo's own cases and reports are counted.
    const inbox = await get(government, '/api/v1/decisions?pageSize=200');
    expect(count((inbox.items as Json[]).filter((d) => demoCase(d.caseId)), (d) => d.kind)).toEqual({ closure: 1, extension: 1, acceptance: 1 });
    const reports = await get(bureau, '/api/v1/decisions?kind=report_verification&pageSize=200');
    expect((reports.items as Json[]).filter((d) => Object.values(demo.reports).includes(d.reportId)).length).toBe(2);
  });

  it('case list: cases in every stage of the lifecycle, overdue ones among them', async () => {
    // Other tests share the database: only the demo's case numbers count.
    const cases = ((await get(operator, `/api/v1/cases?q=${DEMO}&pageSize=200`)).items as Json[]).filter((c) => demoCase(c.caseId));
    const stages = count(cases, (c) => c.stage);
    for (const stage of ['rectification', 'extension_requested', 'closure_proposed', 'exit_in_progress', 'sealed', 'acceptance', 'exited']) expect([stage, (stages[stage] ?? 0) > 0]).toEqual([stage, true]);
    expect(cases.length).toBe(demo.cases.length + 1); // and the case a public report was confirmed into
    const overdue = ((await get(operator, `/api/v1/cases?q=${DEMO}&overdue=true&pageSize=200`)).items as Json[]).filter((c) => demoCase(c.caseId));
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    // Zhengzhou's cases in the city bureau's own list.
    const zhengzhou = ((await get(bureau, `/api/v1/cases?region=${ZHENGZHOU}&q=${DEMO}&pageSize=200`)).items as Json[]).filter((c) => demoCase(c.caseId));
    expect(zhengzhou.length).toBeGreaterThanOrEqual(10);
  });

  it('case page: the exited case has its timeline, three photos and an audit trail', async () => {
    const exited = demo.cases.find((c) => c.key === 'F')!;
    expect(exited.stage).toBe('exited');
    const view = await get(operator, `/api/v1/cases/${exited.caseId}`);
    expect(view.history.length).toBeGreaterThanOrEqual(4);
    const evidence = await get(operator, `/api/v1/cases/${exited.caseId}/evidence`);
    expect(count(evidence.items as Json[], (e) => e.phase)).toEqual({ before: 1, during: 1, after: 1 });
    expect((await get(operator, `/api/v1/cases/${exited.caseId}/audit`)).items.length).toBeGreaterThanOrEqual(3);
    const extended = demo.cases.find((c) => c.key === 'B')!;
    expect(extended.stage).toBe('rectification');
    expect((await get(operator, `/api/v1/cases/${extended.caseId}`)).history.some((h: Json) => /extension/.test(JSON.stringify(h)))).toBe(true);
  });

  it('campaign: milestones (some overdue), targets, progress by industry and sub-division, 中原区 lagging', async () => {
    const id = demo.campaign.campaignId;
    expect(id).toBe(`campaign-${ZHENGZHOU}-${year}`);
    const campaign = await get(cityOffice, `/api/v1/campaigns/${id}`);
    expect(campaign.milestones.length).toBeGreaterThanOrEqual(4);
    expect(campaign.milestones.some((m: Json) => m.status === 'overdue')).toBe(true);
    // The survey done (late), once its target list was published.
    expect(campaign.milestones.find((m: Json) => m.kind === 'survey')).toMatchObject({ status: 'completed' });
    expect((await get(cityOffice, `/api/v1/campaigns/${id}/targets?format=json`)).items.map((t: Json) => t.industry).sort()).toEqual(['cement', 'coking', 'steel']);
    const progress = await get(cityOffice, `/api/v1/campaigns/${id}/progress`);
    // Targets from the survey; retired capacity at least the demo's (other tests may retire capacity in Zhengzhou too).
    const totals = Object.fromEntries((progress.totals as Json[]).map((t) => [t.industry, t])) as Record<string, Json>;
    expect(Object.fromEntries(Object.entries(totals).map(([i, t]) => [i, t.target.capacity]))).toEqual({ cement: 93, coking: 25, steel: 65 });
    expect(totals.cement!.retired.capacity).toBeGreaterThanOrEqual(93);
    expect(totals.cement!.retired.byHow.sealed).toBeGreaterThanOrEqual(31);
    expect(totals.steel!.retired.capacity).toBeGreaterThanOrEqual(30);
    const withLines = (progress.subdivisions as Json[]).filter((s) => s.lines.length > 0).map((s) => s.division);
    expect(withLines).toEqual(expect.arrayContaining(['410102', '410122', '410183', '410185']));
    expect((progress.lagging as Json[]).map((l) => l.division)).toContain('410102');
  });

  it('campaign: 中原区 supervised with a notice (通报) and a summons (约谈)', async () => {
    const items = await get(cityOffice, '/api/v1/supervision-items?region=410102&pageSize=100');
    expect(items.total).toBeGreaterThanOrEqual(1);
    const first = await get(cityOffice, `/api/v1/supervision-items/${encodeURIComponent(demo.campaign.supervisionItems[0]!)}`);
    expect(first).toMatchObject({ status: 'summoned', notices: [expect.objectContaining({ publish: true })], summons: [expect.objectContaining({ heldOn: expect.any(String) })] });
    expect((await get(null, '/api/v1/public/supervision-notices')).items.length).toBeGreaterThanOrEqual(1);
  });

  it('campaign: reports upward in each state, and what the districts sent the city', async () => {
    expect(Object.values(demo.campaign.reports).sort()).toEqual(['awaiting_approval', 'drafted', 'pending', 'received', 'received', 'sent']);
    const city = await get(cityOffice, `/api/v1/campaigns/${demo.campaign.campaignId}/reports`);
    expect(new Set((city.reports as Json[]).map((r) => r.status))).toEqual(new Set(['received', 'drafted', 'pending']));
    expect((await get(cityOffice, `/api/v1/campaigns/${demo.campaign.campaignId}/received-reports`)).reports.length).toBe(2);
  });

  it('public reports (举报): reports of 登封市 in their several states, with the bureau or handed to the ecology & environment bureau', async () => {
    const reports = await get(bureau, '/api/v1/reports?pageSize=100');
    const mine = (reports.items as Json[]).filter((r) => Object.values(demo.reports).includes(r.reportId));
    expect(mine.length).toBe(5);
    expect(count(mine, (r) => `${r.status}${r.outcome ? `:${r.outcome}` : ''}`)).toEqual({ verifying: 3, 'closed:unfounded': 1, 'closed:confirmed': 1 });
    expect(count(mine, (r) => r.assignee.department)).toEqual({ industry_it: 4, ecology_environment: 1 });
    expect(mine.find((r) => r.reportId === demo.reports.transferred)!.assignee.department).toBe('ecology_environment');
    expect(mine.every((r) => r.dueDate)).toBe(true);
  });
});

