import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { addDays, legalDeadline, toLegalDate, type LegalDeadline } from '../../domain/deadlines';
import { buildHolidayCalendar } from '../../domain/holidays-source';
import type { Principal } from '../../domain/roles';
import { caseApi } from '../support/api';
import { startBrowser, type BrowserStack, watchPageErrors, unlabelledControls } from '../support/browser';
import { bearer, enterpriseBody, officials, openCaseBody } from '../support/fixtures';
import { eventually, startStack, type Stack } from '../support/stack';

/**
 * An official works a case through the console's action forms in a real browser: the clock stopped
 * for an administrative review and restarted, a voluntary exit, the dismantling recorded with its
 * photos; the case page's timeline shows each of them and the mail the case sent; the case list's
 * CSV and Excel exports hold the cases the filtered list shows.
 */
let stack: Stack;
let web: BrowserStack;
let page: Page;
let pageErrors: string[] = [];
const tag = randomUUID().slice(0, 6);
const official = officials.zhengzhouIndustry;
const names = [`办理测试${tag}甲钢铁有限公司`, `办理测试${tag}乙钢铁有限公司`];
const caseIds: string[] = [];
/** Each case's first deadline, as opening it answered. */
const firstDeadlines: string[] = [];
const { photos } = caseApi(() => stack);
/** The second case's rectification deadline (6 months for energy in Henan), which rolled off a rest day. */
let rolled: LegalDeadline;

/** A notice date of the last weeks whose 6-month period ends on a rest day, so its deadline rolls forward. */
function servedBeforeARestDay(): { servedOn: string; deadline: LegalDeadline } {
  const today = toLegalDate(new Date().toISOString());
  const year = Number(today.slice(0, 4));
  const calendar = buildHolidayCalendar([year, year + 1]);
  for (let back = 0; back < 30; back++) {
    const servedOn = addDays(today, -back);
    const deadline = legalDeadline({ from: servedOn, months: 6 }, calendar);
    if (deadline.rolledFrom) return { servedOn, deadline };
  }
  throw new Error('no notice date of the last 30 days has a deadline on a rest day');
}

beforeAll(async () => {
  stack = await startStack();
  web = await startBrowser(stack);
  page = await web.context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = watchPageErrors(page);
  const auth = await bearer(official);
  const rest = servedBeforeARestDay();
  rolled = rest.deadline;
  for (const [i, name] of names.entries()) {
    const enterprise = enterpriseBody({ name });
    expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(enterprise)).status).toBe(201);
    const opened = await request(stack.app).post('/api/v1/cases').set('Authorization', auth).send(openCaseBody(enterprise.creditCode, i === 1 ? { noticeServedOn: rest.servedOn } : {}));
    expect(opened.body.stage).toBe('rectification');
    caseIds.push(opened.body.caseId);
    firstDeadlines.push(opened.body.deadline);
  }
  // A third case of the same name in another dimension: the filtered list and its export leave it out.
  const other = enterpriseBody({ name: `办理测试${tag}丙钢铁有限公司` });
  expect((await request(stack.app).post('/api/v1/enterprises').set('Authorization', auth).send(other)).status).toBe(201);
  const environment = await request(stack.app).post('/api/v1/cases').set('Authorization', await bearer(officials.zhengzhouEcology)).send(openCaseBody(other.creditCode, { dimension: 'environment', department: 'ecology_environment', measure: 'suspend_production', rectificationMonths: 2 }));
  expect(environment.status).toBe(201);
}, 180_000);
afterAll(async () => {
  await web?.close();
  await stack?.close();
});
afterEach(() => {
  expect(pageErrors).toEqual([]);
  pageErrors.length = 0;
});

/** Sign in with a bearer token, as production does. */
async function signIn(who: Principal) {
  await page.goto('/console/login');
  await page.getByLabel('访问令牌').fill((await bearer(who)).replace(/^Bearer /, ''));
  await page.getByRole('button', { name: '登录', exact: true }).last().click();
  await page.getByTestId('signed-in-as').filter({ hasText: who.name }).waitFor();
}

const timeline = () => page.getByTestId('case-timeline');
const form = (name: string) => page.getByRole('region', { name });

describe('an official works the case through the page’s forms', () => {
  beforeAll(async () => {
    await signIn(official);
    await page.goto(`/console/cases/${encodeURIComponent(caseIds[0]!)}`);
    await page.getByTestId('case-stage').filter({ hasText: '限期整改' }).waitFor();
  });

  it('the timeline shows the rectification notice mailed to the enterprise, delivered, and the credit platform’s acknowledgement', async () => {
    const { rows } = await eventually(async () => {
      const r = await stack.db.query(`SELECT subject FROM notifications WHERE case_id = $1 AND kind = 'rectification_notice' AND status = 'sent'`, [caseIds[0]]);
      return r.rows.length ? r : undefined;
    }, 15_000, 'the notice sent');
    // The credit platform's acknowledgement of a push, as the push activity keeps it.
    await stack.db.query(
      `INSERT INTO platform_pushes (idempotency_key, case_id, platform, kind, payload, status, acknowledgement, attempts, acknowledged_at) VALUES ($1, $2, 'credit_platform', 'joint_punishment', '{}', 'acknowledged', $3, 1, '2026-11-30T16:30:00Z')`,
      [`${caseIds[0]}/browser-push`, caseIds[0], `ACK-${tag}`],
    );
    await page.reload();
    await timeline().getByText(`《${rows[0].subject}》`, { exact: false }).waitFor();
    await timeline().getByText(`平台推送：全国信用信息共享平台（信用中国） · 回执 ACK-${tag}`).waitFor();
    // In Beijing time, whatever the browser's zone (16:30 UTC is half past midnight the next day in Beijing).
    expect(await timeline().getByText(`回执 ACK-${tag}`).textContent()).toContain('2026-12-01 00:30');
    const entry = await timeline().getByText('邮件（整改通知）').textContent();
    expect(entry).toContain('compliance@zhongyuan-steel.example.cn');
    expect(entry).toContain('已发送');
    // The stage with the deadline it runs against, and the deadline listed with the case's others.
    await timeline().getByText(`阶段：限期整改（期限 ${firstDeadlines[0]}）`).waitFor();
    expect(await page.getByTestId('case-deadlines').textContent()).toContain(`整改期限：${firstDeadlines[0]}`);
  });

  it('a deadline that fell on a rest day is shown rolled forward, with the date it rolled from', async () => {
    await page.goto(`/console/cases/${encodeURIComponent(caseIds[1]!)}`);
    const deadlines = page.getByTestId('case-deadlines');
    await deadlines.waitFor();
    expect(await deadlines.textContent()).toContain(`整改期限：${rolled.date}（原为 ${rolled.rolledFrom}，遇休息日顺延）`);
    await page.goto(`/console/cases/${encodeURIComponent(caseIds[0]!)}`);
    await page.getByTestId('case-stage').waitFor();
  });

  it('stops the clock for an administrative review: the page then offers only to restart it, and the timeline says who stopped it and why', async () => {
    expect(await form('恢复计时').count()).toBe(0);
    const stop = form('中止计时（复议/诉讼）');
    await stop.getByRole('radio', { name: '行政复议' }).check();
    await stop.getByLabel('说明').fill('企业申请行政复议');
    await stop.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-deadlines').getByText('计时已中止（行政复议/诉讼）').waitFor();
    await form('恢复计时').waitFor();
    expect(await form('中止计时（复议/诉讼）').count()).toBe(0);
    await timeline().getByText(`中止计时（复议/诉讼） · ${official.name}（执法人员）：企业申请行政复议`).waitFor();
  });

  it('restarts the clock, and the timeline shows it after the stop', async () => {
    const resume = form('恢复计时');
    await resume.getByLabel('恢复计时的理由（如复议决定）').fill('复议决定维持原处理决定');
    await resume.getByRole('button', { name: '提交' }).click();
    await form('中止计时（复议/诉讼）').waitFor();
    const entry = timeline().getByText(`恢复计时 · ${official.name}（执法人员）：复议决定维持原处理决定`);
    await entry.waitFor();
    expect(await page.getByTestId('case-deadlines').textContent()).not.toContain('计时已中止');
    // Newest first: the restart above the stop.
    const text = (await timeline().textContent())!;
    expect(text.indexOf('恢复计时 ·')).toBeLessThan(text.indexOf('中止计时（复议/诉讼） ·'));
  });

  it('records a voluntary exit, then the dismantling with its photos; a date in the future is refused next to its field, in Chinese', async () => {
    const exit = form('主动退出');
    await exit.getByLabel('主动退出的说明').fill('企业决定主动关停');
    await exit.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '退出中' }).waitFor();

    await photos(caseIds[0]!, official);
    await page.reload();
    const dismantling = form('登记拆除');
    await dismantling.waitFor();
    // Every field of the case's forms has its label (dates, photos to cite, the rest).
    expect(await unlabelledControls(page)).toEqual([]);
    const tomorrow = toLegalDate(new Date(Date.now() + 86_400_000).toISOString());
    await dismantling.getByLabel('拆除日期').fill(tomorrow);
    for (const phase of ['整改/拆除前', '整改/拆除中', '整改/拆除后']) await dismantling.getByRole('checkbox', { name: new RegExp(phase) }).check();
    await dismantling.getByRole('button', { name: '提交' }).click();
    const dateField = dismantling.locator('.ant-form-item').filter({ has: page.getByLabel('拆除日期') });
    await dateField.locator('.ant-form-item-explain-error').waitFor();
    expect(await dateField.locator('.ant-form-item-explain-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.getByTestId('case-stage').textContent()).toBe('退出中');

    await dismantling.getByLabel('拆除日期').fill(toLegalDate(new Date().toISOString()));
    await dismantling.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '退出验收' }).waitFor();
    await timeline().getByText(`登记拆除 · ${official.name}（执法人员）`).waitFor();
    await timeline().getByText(`主动退出 · ${official.name}（执法人员）：企业决定主动关停`).waitFor();
    // The API took the three photos the form cited.
    const cited = await stack.db.query(`SELECT detail FROM case_events WHERE case_id = $1 AND kind = 'recordDismantling'`, [caseIds[0]]);
    expect(JSON.stringify(cited.rows)).toMatch(/during/);
  });
});

describe('the case list exports what its filters show', () => {
  let shown: string[];

  beforeAll(async () => {
    await signIn(official);
    await page.goto('/console/cases');
    await page.getByLabel('企业名称').fill(`办理测试${tag}`);
    await page.getByLabel('维度').click();
    await page.getByTitle('能耗').click();
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('row').filter({ hasText: names[1]! }).waitFor();
    shown = (await page.locator('tbody tr.ant-table-row td:nth-child(2)').allTextContents()).sort();
  });

  async function exported(button: string): Promise<Buffer> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return fs.readFile((await download.path())!);
  }

  it('as CSV (with a BOM for Excel): the same enterprises as the list, Chinese headings', async () => {
    expect(shown).toEqual([...names].sort());
    const csv = await exported('导出 CSV');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [head, ...rows] = csv.subarray(3).toString('utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    const name = head!.indexOf('企业名称');
    expect(name).toBeGreaterThanOrEqual(0);
    expect(rows.map((r) => r[name]).sort()).toEqual(shown);
  });

  it('as Excel: the same enterprises', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exported('导出 Excel')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    const name = head.indexOf('企业名称') + 1;
    const rows: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push(String(row.getCell(name).value));
    });
    expect(rows.sort()).toEqual(shown);
  });
});
