import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Principal } from '../../domain/roles';
import { toLegalDate } from '../../domain/deadlines';
import { seedExit, seedTarget } from '../lifecycle/campaign-support';
import { caseApi } from '../support/api';
import { bearer, office, randomCreditCode } from '../support/fixtures';
import { startBrowser, type BrowserStack, watchPageErrors, unlabelledControls as unlabelledControlsOf } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';
import { surveyRow, surveySheet } from '../support/survey';

/**
 * The campaign pages of the console in a real browser (headless Chromium) against the whole stack:
 * Zhoukou's (周口市) campaign of this year, started through the API with its workflow running, two
 * counties' targets (川汇区 has exited nothing: it lags; 扶沟县 has exited all of its own). The city's
 * office reads the progress chart and its figures, finds the lagging county, checks a survey with
 * bad rows (each row's error in the table, nothing stored) and acts on a report upward. The official a
 * public report (举报) of 川汇区 is routed to finds it with its deadline, verifies and concludes it.
 */
let stack: Stack;
let web: BrowserStack;
let page: Page;
let pageErrors: string[] = [];
const api = caseApi(() => stack);

const CITY = '411600';
const CHUANHUI = '411602';
const FUGOU = '411621';
const OFFICE = office(CITY);
const year = Number(toLegalDate(new Date().toISOString()).slice(0, 4));
const campaignId = `campaign-${CITY}-${year}`;

beforeAll(async () => {
  stack = await startStack();
  web = await startBrowser(stack);
  page = await web.context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = watchPageErrors(page);

  const started = await api.post(OFFICE, '/api/v1/campaigns', { division: CITY, year });
  expect(started.status).toBe(201);
  // The workflow writes the campaign's record (the answer waits a few seconds for it; a busy machine takes longer).
  await eventually(async () => ((await stack.db.query(`SELECT 1 FROM campaigns WHERE campaign_id = $1`, [campaignId])).rowCount ? true : undefined), 60_000, `${campaignId} recorded`);
  // The targets the survey would have written, and 扶沟县's exit of the whole of its own.
  await seedTarget(stack.db, campaignId, CHUANHUI, 120);
  await seedTarget(stack.db, campaignId, FUGOU, 60);
  await stack.db.query(`INSERT INTO campaign_targets (campaign_id, industry, unit, capacity, enterprises, facilities, source) VALUES ($1,'cement','万吨/年',180,2,2,'survey')`, [campaignId]);
  await seedExit(stack.db, { region: FUGOU, year, capacity: 60, exitedOn: `${year}-05-12`, policy: { id: 'henan', version: 'henan-2021.1' }, name: '扶沟县浏览器水泥有限公司' });
  await eventually(async () => ((await api.get(OFFICE, `/api/v1/campaigns/${campaignId}/reports`)).body.reports?.length ? true : undefined), 60_000, `${campaignId} reports`);
}, 180_000);
afterAll(async () => {
  await web?.close();
  await stack?.close();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
  pageErrors.length = 0;
});

const unlabelledControls = () => unlabelledControlsOf(page);

/** Signs in with a bearer token, as production does (these officials are no demo identities). */
async function signInWithToken(who: Principal = OFFICE) {
  await page.goto('/console/login');
  await page.getByLabel('访问令牌').fill((await bearer(who)).replace(/^Bearer /, ''));
  await page.getByRole('button', { name: '登录', exact: true }).last().click();
  await page.getByTestId('signed-in-as').filter({ hasText: who.name }).waitFor();
}

it('the city’s office finds its campaign in the menu and reads the progress chart, its figures and the lagging county', async () => {
  await signInWithToken();
  await page.getByRole('link', { name: '年度工作', exact: true }).click();
  await page.getByRole('link', { name: `河南省 周口市 ${year}年度` }).click();
  await page.waitForURL(new RegExp(`/console/campaigns/${campaignId}$`));

  // The milestones of the year, on the timeline with their dates.
  await page.getByRole('heading', { name: '工作节点' }).waitFor();
  expect(await page.locator('.ant-timeline').textContent()).toMatch(/落后产能退出完成（拆除或封存）.*期限 \d{4}-\d{2}-\d{2}/);

  // The chart is drawn (a canvas with pixels) …
  const chart = page.getByTestId('progress-region-chart');
  await chart.locator('canvas').waitFor();
  expect(await chart.getAttribute('aria-label')).toContain('分地区完成比例');
  const box = await chart.locator('canvas').boundingBox();
  expect(box!.width).toBeGreaterThan(100);
  expect(box!.height).toBeGreaterThan(100);
  // … and its figures are a table, on request, for whoever does not see it.
  const region = page.getByRole('region', { name: '分地区：完成比例' });
  await region.getByRole('button', { name: '显示数据表' }).click();
  const chuanhui = region.getByRole('row').filter({ hasText: '川汇区' });
  await chuanhui.waitFor();
  expect(await chuanhui.textContent()).toMatch(/水泥（万吨\/年）120.*0.*0%.*是/);
  expect(await region.getByRole('row').filter({ hasText: '扶沟县' }).textContent()).toMatch(/60.*60.*100%.*否/);
  const industry = page.getByRole('region', { name: '分行业：目标与已退出产能' });
  await industry.getByTestId('progress-industry-chart').locator('canvas').waitFor();
  await industry.getByRole('button', { name: '显示数据表' }).click();
  expect(await industry.getByRole('row').filter({ hasText: '水泥（万吨/年）' }).textContent()).toMatch(/^水泥（万吨\/年）18060.*120.*33\.3%$/);

  const lagging = page.getByTestId('lagging-regions');
  expect(await lagging.textContent()).toContain('川汇区');
  expect(await lagging.textContent()).not.toContain('扶沟县');
  expect(await unlabelledControls()).toEqual([]);

  // The campaign put lagging 川汇区 under the city's supervision; the city's notice (通报) shows on its item.
  const item = await eventually(async () => {
    const res = await api.get(OFFICE, '/api/v1/supervision-items', { region: CHUANHUI });
    return (res.body.items as { itemId: string; supervisor: string }[] | undefined)?.find((i) => i.supervisor === CITY);
  }, 60_000, '川汇区 supervision item');
  // Its workflow answers (ready) before the office acts on it.
  await eventually(async () => ((await api.get(OFFICE, `/api/v1/supervision-items/${item.itemId}`)).body.live ? true : undefined), 30_000, 'the item ready');
  await page.reload();
  const itemRow = page.locator(`tr[data-row-key="${item.itemId}"]`);
  expect(await itemRow.textContent()).toContain('河南省 周口市 川汇区');
  expect(await itemRow.textContent()).toContain('已立项督办');
  await itemRow.getByRole('button', { name: /展开行/ }).click();
  const detail = page.getByTestId(`supervision-detail-${item.itemId}`);
  await detail.waitFor();

  // The city's office issues a notice (通报), published, from the item's row.
  const notice = '川汇区年度落后产能退出进展缓慢，现予通报，请于30日内整改到位。';
  await detail.getByRole('button', { name: '通报 河南省 周口市 川汇区' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('通报内容').fill(notice);
  expect(await dialog.getByLabel('向社会公开').isChecked()).toBe(true);
  expect(await unlabelledControls()).toEqual([]);
  await dialog.getByRole('button', { name: '确定' }).click();
  await detail.getByText(`通报：${notice}（已公开）`).waitFor();
  expect(await dialog.count()).toBe(0);
  // Published: on the public list of notices of 川汇区, without the officials' names.
  const published = await request(stack.app).get('/api/v1/public/supervision-notices').query({ region: CHUANHUI });
  expect(published.status).toBe(200);
  expect(published.body.items.map((n: { text: string }) => n.text)).toContain(notice);

  // Then a summons (约谈): a follow-up deadline already past is refused beside its field, in Chinese.
  const today = toLegalDate(new Date().toISOString());
  const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  await detail.getByRole('button', { name: '登记约谈 河南省 周口市 川汇区' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('约谈日期').fill(today);
  await dialog.getByLabel('被约谈人姓名').fill('李某');
  await dialog.getByLabel('被约谈人职务').fill('川汇区人民政府副区长');
  await dialog.getByLabel('整改报告期限').fill(plusDays(today, -1));
  expect(await unlabelledControls()).toEqual([]);
  await dialog.getByRole('button', { name: '确定' }).click();
  // The minutes' reference is missing: the API's error shows beside that field.
  const minutesItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('约谈纪要文号') });
  await minutesItem.locator('.ant-form-item-explain-error').waitFor();
  expect(await minutesItem.locator('.ant-form-item-explain-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
  await dialog.getByLabel('约谈纪要文号').fill('周淘汰办纪〔2026〕1号');
  await dialog.getByRole('button', { name: '确定' }).click();
  const deadlineItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('整改报告期限') });
  await deadlineItem.locator('.ant-form-item-explain-error').filter({ hasText: '应晚于今日' }).waitFor();
  const due = plusDays(today, 30);
  await dialog.getByLabel('整改报告期限').fill(due);
  await dialog.getByRole('button', { name: '确定' }).click();
  await detail.getByText(/约谈：李某（川汇区人民政府副区长） · 周淘汰办纪〔2026〕1号 · 整改期限 \d{4}-\d{2}-\d{2}/).waitFor();
  // The row shows its new state and the deadline it watches (rolled forward off a rest day, if any).
  await itemRow.filter({ hasText: '已约谈，待整改' }).waitFor();
  const stands = (await api.get(OFFICE, `/api/v1/supervision-items/${item.itemId}`)).body;
  expect(stands).toMatchObject({ status: 'summoned', summons: [{ summoned: [{ name: '李某' }], minutesRef: '周淘汰办纪〔2026〕1号' }] });
  expect(stands.followUpBy >= due).toBe(true);
  expect(await itemRow.textContent()).toContain(stands.followUpBy);
  // The city's office supervises; the follow-up is 川汇区's own office's to report: no button for it here.
  expect(await detail.getByRole('button', { name: /^报告整改情况/ }).count()).toBe(0);
  expect(await detail.getByRole('button', { name: /^办结/ }).count()).toBe(1);

  // At a phone's width the page does not scroll sideways (wide tables scroll inside their own box).
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    // The charts redraw at the new width when their box is resized (a ResizeObserver): a moment after.
    let width = Infinity;
    for (const until = Date.now() + 5_000; width > 390 && Date.now() < until; await page.waitForTimeout(100)) width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  // English on request, Chinese again after.
  await page.getByText('English', { exact: true }).click();
  await page.getByRole('heading', { name: 'Progress against the targets' }).waitFor();
  await page.getByRole('button', { name: 'Show the data table' }).first().waitFor();
  await page.getByText('中文', { exact: true }).click();
  await page.getByRole('heading', { name: '目标完成进度' }).waitFor();
});

it('the office records concealed capacity in 川汇区; its item closes only with the accountability outcome (问责)', async () => {
  const today = toLegalDate(new Date().toISOString());
  const code = randomCreditCode(CHUANHUI);
  const wrong = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
  await page.getByRole('button', { name: '登记隐瞒产能' }).click();
  const dialog = page.getByRole('dialog', { name: '登记隐瞒产能' });
  await dialog.getByLabel('所在地区（行政区划代码）').fill(CHUANHUI);
  await dialog.getByLabel('统一社会信用代码').fill(wrong);
  await dialog.getByLabel('企业名称').fill('川汇区浏览器隐瞒铸造有限公司');
  await dialog.getByRole('combobox', { name: '行业' }).fill('铸造');
  await dialog.getByRole('combobox', { name: '行业' }).press('Enter');
  await dialog.getByLabel('设备名称').fill('1号冲天炉');
  await dialog.getByLabel('产能', { exact: true }).fill('5');
  await dialog.getByLabel('发现日期').fill(today);
  expect(await unlabelledControls()).toEqual([]);
  await dialog.getByRole('button', { name: '确定' }).click();
  // A wrong check character: the API's error, in Chinese, beside the credit code.
  const codeItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('统一社会信用代码') });
  await codeItem.locator('.ant-form-item-explain-error').filter({ hasText: '校验码错误' }).waitFor();
  await dialog.getByLabel('统一社会信用代码').fill(code);
  await dialog.getByRole('button', { name: '确定' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const itemId = `supervision-${CHUANHUI}-${year}-concealed-${code}-${today}`;
  const row = page.locator(`tr[data-row-key="${itemId}"]`);
  await row.filter({ hasText: '隐瞒产能' }).waitFor({ timeout: 20_000 });
  await eventually(async () => ((await api.get(OFFICE, `/api/v1/supervision-items/${itemId}`)).body.live ? true : undefined), 30_000, 'the concealed item ready');
  await row.getByRole('button', { name: /展开行/ }).click();
  const detail = page.getByTestId(`supervision-detail-${itemId}`);
  await detail.getByRole('button', { name: /^办结/ }).click();
  const close = page.getByRole('dialog', { name: /^办结/ });
  await close.getByLabel('办结结论').fill('隐瞒产能属实，冲天炉已拆除。');
  await close.getByRole('button', { name: '确定' }).click();
  const accountability = close.locator('.ant-form-item').filter({ has: page.getByRole('combobox', { name: '问责方式' }) });
  await accountability.locator('.ant-form-item-explain-error').filter({ hasText: '须写明问责情况' }).waitFor();
  await close.getByRole('combobox', { name: '问责方式' }).fill('诫勉');
  await close.getByRole('combobox', { name: '问责方式' }).press('Enter');
  await close.getByLabel('问责对象及处理情况').fill('对川汇区工信局分管副局长诫勉谈话');
  await close.getByRole('button', { name: '确定' }).click();
  await detail.getByText('办结：隐瞒产能属实，冲天炉已拆除。').waitFor();
  await row.filter({ hasText: '已办结' }).waitFor();
  // Closed, nothing is left to do on it.
  expect(await detail.getByRole('button').count()).toBe(0);
  expect((await api.get(OFFICE, `/api/v1/supervision-items/${itemId}`)).body.closure).toMatchObject({ accountability: { category: 'admonishment' } });
}, 90_000);

it('a survey dry run shows each bad row’s error in the table, in Chinese, and offers no commit', async () => {
  const place = { city: CITY, regionCode: CHUANHUI, name: '周口浏览器钢铁有限公司', caseNumberPrefix: 'ZKGX' };
  const sheet = await surveySheet([surveyRow(place), surveyRow(place, { creditCode: '91411600MA00000000' }), surveyRow(place, { regionCode: '410102' })], 'csv');
  await page.getByRole('link', { name: '上传摸底排查表' }).click();
  await page.waitForURL(/\/survey$/);
  await page.getByRole('region', { name: '选择摸底排查表' }).locator('input[type=file]').setInputFiles({ name: '周口摸底排查.csv', mimeType: 'text/csv', buffer: sheet });
  await page.getByRole('button', { name: '检查（试运行，不保存）' }).click();
  const errors = page.getByTestId('survey-errors');
  await errors.waitFor();
  const row3 = errors.getByRole('row').filter({ hasText: '统一社会信用代码' });
  expect(await row3.textContent()).toMatch(/^3统一社会信用代码gb32100_check_character校验码错误/);
  const row4 = errors.getByRole('row').filter({ hasText: 'within_campaign_division' });
  expect(await row4.textContent()).toMatch(/^4行政区划代码/);
  await page.getByText('未保存任何数据').waitFor();
  expect(await page.getByRole('button', { name: '确认导入' }).count()).toBe(0);
  expect(await unlabelledControls()).toEqual([]);
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM campaign_survey_rows WHERE campaign_id = $1 AND file_sha256 <> 'test'`, [campaignId]);
  expect(rows[0].n).toBe(0);
});

it('a good survey passes the dry run with its counts and targets, and is committed in the background with its progress', async () => {
  const place = { city: CITY, regionCode: CHUANHUI, name: '周口浏览器导入钢铁有限公司', caseNumberPrefix: 'ZKDR' };
  const sheet = await surveySheet([surveyRow(place, { capacity: 45 })], 'xlsx');
  await page.getByRole('region', { name: '选择摸底排查表' }).locator('input[type=file]').setInputFiles({ name: '周口摸底排查.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: sheet });
  await page.getByRole('button', { name: '检查（试运行，不保存）' }).click();
  const summary = page.getByTestId('survey-summary');
  await summary.waitFor();
  expect(await summary.textContent()).toMatch(/行数1.*当年退出1/);
  expect(await summary.getByRole('row').filter({ hasText: '钢铁' }).textContent()).toContain('45 万吨/年');
  expect(await page.getByTestId('survey-errors').count()).toBe(0);

  await page.getByRole('checkbox', { name: /后台导入/ }).check();
  await page.getByRole('button', { name: '确认导入' }).click();
  const job = page.getByRole('status').filter({ hasText: '已处理' });
  await job.filter({ hasText: '已完成' }).waitFor({ timeout: 60_000 });
  expect(await job.textContent()).toContain('已处理 1 / 1 行，立案 1 件');
  expect(await unlabelledControls()).toEqual([]);
}, 90_000);

it('the office drafts and submits its summary to the province, and sees where it now stands', async () => {
  await page.getByRole('link', { name: '返回年度工作' }).click();
  const status = page.getByTestId('report-status-summary_to_province');
  await status.waitFor();
  if (!(await status.textContent())!.includes('已起草')) {
    await page.getByRole('button', { name: /^起草 / }).last().click();
    const draft = page.getByRole('dialog');
    await draft.getByRole('button', { name: '确定' }).click();
    await status.filter({ hasText: '已起草' }).waitFor();
  }
  const submit = page.getByRole('row').filter({ has: status }).getByRole('button', { name: /^提交 / });
  await submit.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('说明（选填）').fill('请省办审阅');
  expect(await unlabelledControls()).toEqual([]);
  await dialog.getByRole('button', { name: '确定' }).click();
  // Henan's summary goes to the province without the city government's approval: sent at once.
  await status.filter({ hasText: '已报送' }).waitFor();
  const stands = (await api.get(OFFICE, `/api/v1/campaigns/${campaignId}/reports/summary_to_province`)).body.report;
  expect(stands).toMatchObject({ status: 'sent', approval: null, submitted: { note: '请省办审阅' } });
  // Submitted, it is no longer the office's to submit again.
  expect(await page.getByRole('row').filter({ has: status }).getByRole('button', { name: /^提交 / }).count()).toBe(0);
});

describe('a public report (举报) assigned to an official of 川汇区', () => {
  const enterpriseName = '川汇区浏览器铸造有限公司';
  let reportId: string;
  let verifier: Principal;

  beforeAll(async () => {
    const filed = await request(stack.app)
      .post('/api/v1/public/reports')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ region: CHUANHUI, address: '河南省周口市川汇区某工业园', enterpriseName, industry: 'foundry', dimension: 'technology', equipment: '1台中频炉', description: '该厂使用淘汰类中频炉，夜间生产。' });
    expect(filed.status).toBe(201);
    reportId = filed.body.trackingNumber;
    // Routed by its workflow to the verifying department: whoever it names is who acts.
    const assignee = await eventually(async () => {
      const { rows } = await stack.db.query(`SELECT assignee_role, assignee_department, assignee_jurisdiction FROM public_reports WHERE report_id = $1 AND status = 'verifying'`, [reportId]);
      return rows[0];
    }, 20_000, `${reportId} routed`);
    verifier = { sub: 'ch-verifier', name: '川汇区核查人员', role: assignee.assignee_role, ...(assignee.assignee_department ? { department: assignee.assignee_department } : {}), jurisdiction: assignee.assignee_jurisdiction };
  });

  it('is on the official’s list with its verification deadline; recording the verification and concluding it show its new state', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/console\/login/);
    await signInWithToken(verifier);
    await page.getByRole('link', { name: '举报核查', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: reportId });
    await row.waitFor();
    const due = (await api.get(verifier, `/api/v1/reports/${reportId}`)).body.dueDate as string;
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await row.textContent()).toContain(due);
    expect(await row.textContent()).toContain(enterpriseName);
    expect(await unlabelledControls()).toEqual([]);

    await row.getByRole('link', { name: reportId }).click();
    await page.getByTestId('report-due').filter({ hasText: due }).waitFor();
    const verify = page.getByRole('region', { name: '登记核查情况' });
    await verify.getByLabel('核查情况').fill('现场核查：未发现中频炉，厂房已拆除。');
    await verify.getByRole('button', { name: '提交核查情况' }).click();
    await page.getByText('现场核查：未发现中频炉，厂房已拆除。').waitFor();
    expect(await unlabelledControls()).toEqual([]);

    const conclude = page.getByRole('region', { name: '办结' });
    await conclude.getByLabel('办结理由').fill('经现场核查，举报所述设备已拆除。');
    await conclude.getByRole('button', { name: '办结' }).click();
    await page.getByTestId('report-status').filter({ hasText: '已办结' }).waitFor();
    expect((await api.get(verifier, `/api/v1/reports/${reportId}`)).body).toMatchObject({ status: 'closed', outcome: 'unfounded' });
    // Concluded, there is nothing left to act on.
    expect(await page.getByRole('region', { name: '登记核查情况' }).count()).toBe(0);
  });
});
