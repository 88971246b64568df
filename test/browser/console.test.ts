import { createHash, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { bearer, enterpriseBody, officials, openCaseBody } from '../support/fixtures';
import { startBrowser, type BrowserStack, watchPageErrors, unlabelledControls as unlabelledControlsOf } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';
import type { Principal } from '../../domain/roles';

/**
 * The console and the portal in a real browser (headless Chromium) against the whole stack: the
 * public list page, a case opened by an official in the 立案 page, an extension requested in the
 * enterprise's form and approved from the city government's inbox, and a bad form's field errors.
 */
let stack: Stack;
let web: BrowserStack;
let page: Page;
/**
 * What broke in the page (uncaught errors, console errors such as a CSP violation, a file of the
 * app that failed to load): none expected. The API's problem answers are the pages' to show.
 */
let pageErrors: string[] = [];
const tag = randomUUID().slice(0, 6);
/** 登封市, a county-level city of Zhengzhou (Henan policy) no other test publishes lists for. */
const DENGFENG = '410185';

beforeAll(async () => {
  stack = await startStack();
  web = await startBrowser(stack);
  page = await web.context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = watchPageErrors(page);
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

async function signInAs(name: string, enterpriseFilter?: string) {
  await page.goto('/console/login');
  if (enterpriseFilter) {
    await page.getByRole('searchbox', { name: '按企业名称筛选' }).fill(enterpriseFilter);
    await page.keyboard.press('Enter');
  }
  await page.getByRole('button', { name: `登录为 ${name}` }).click();
  await page.waitForURL(/\/console(\/|$)/);
}

async function signOut() {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/console\/login/);
}

it('the portal shows the exit announcement of a region with a seeded exit', async () => {
  const name = `登封浏览器水泥${tag}有限公司`;
  const enterprise = enterpriseBody({ name, regionCode: DENGFENG, industry: 'cement' });
  await stack.db.query(`INSERT INTO enterprises (credit_code, name, region_code, industry, contact_name, contact_email, registered_by) VALUES ($1,$2,$3,'cement','王','a@b.cn','{}')`, [enterprise.creditCode, name, DENGFENG]);
  const caseId = `case-${DENGFENG}-${enterprise.creditCode}-B${tag}`;
  const facilities = [{ id: 'L1', name: '1号熟料生产线', kind: 'production_line', capacity: 60, unit: '万吨/年' }];
  await stack.db.query(
    `INSERT INTO cases (case_id, case_number, credit_code, region_code, industry, dimension, department, legal_basis, notice_served_on, facilities, policy_id, policy_version, stage, opened_by, opened_at)
     VALUES ($1,$2,$3,$4,'cement','quality','market_regulation','30号文','2026-03-02',$5,'henan','henan-2021.1','exited','{}',now())`,
    [caseId, `B${tag}`, enterprise.creditCode, DENGFENG, JSON.stringify(facilities)],
  );
  await stack.db.query(`INSERT INTO retired_capacity (case_id, region_code, industry, year, capacity, unit, facilities, exited_on) VALUES ($1,$2,'cement',2026,60,'万吨/年',$3,'2026-09-30')`, [caseId, DENGFENG, JSON.stringify(facilities)]);

  await page.goto(`/?region=${DENGFENG}&year=2026`);
  await page.getByRole('tab', { name: '退出公告' }).click();
  const row = page.getByRole('row').filter({ hasText: name });
  await row.waitFor();
  expect(await row.textContent()).toContain('1号熟料生产线');
  expect(await unlabelledControls()).toEqual([]);
  expect(await page.getByRole('link', { name: '下载 CSV' }).getAttribute('href')).toBe(`/api/v1/public/lists/exit_announcement?region=${DENGFENG}&format=csv&year=2026`);
});

it('the portal is read at a phone’s width without scrolling sideways, and its tabs by keyboard', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(`/?region=${DENGFENG}&year=2026`);
    await page.getByRole('tab', { name: '黄牌（限期整改）' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: '红牌（依法关停）', selected: true }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // English on request, Chinese again after.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('tab', { name: 'Exit announcement' }).waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('tab', { name: '退出公告' }).waitFor();
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

describe('an extension: requested in the enterprise’s form, approved from the city government’s inbox', () => {
  const name = `郑州浏览器钢铁${tag}有限公司`;
  let caseId: string;
  let deadline: string;

  it('an official opens the case: registers the enterprise and serves the notice', async () => {
    const enterprise = enterpriseBody({ name });
    const notice = openCaseBody(enterprise.creditCode);
    await signInAs('郑州市工业和信息化局 演示执法人员');
    await page.getByRole('link', { name: '案件', exact: true }).click();
    await page.getByRole('button', { name: '立案', exact: true }).click();
    await page.waitForURL(/\/console\/cases\/new$/);
    await page.getByLabel('统一社会信用代码').fill(enterprise.creditCode);
    await page.getByRole('button', { name: '查询企业' }).click();

    // Not registered yet: the registration fields, every one labelled.
    const step1 = page.getByRole('region', { name: '企业', exact: true });
    await step1.getByLabel('企业名称', { exact: true }).fill(name);
    expect(await unlabelledControls()).toEqual([]);
    await step1.getByLabel('行业', { exact: true }).click();
    await page.getByTitle('钢铁', { exact: true }).click();
    await step1.getByLabel('地址', { exact: true }).fill(enterprise.address!);
    await step1.getByLabel('联系人', { exact: true }).fill(enterprise.contact.name);
    await step1.getByLabel('联系人电子邮箱').fill(enterprise.contact.email);
    await step1.getByLabel('联系电话').fill(enterprise.contact.phone!);
    for (const [i, f] of enterprise.facilities.entries()) {
      if (i > 0) await step1.getByRole('button', { name: '添加设施' }).click();
      await step1.getByLabel(`设施编号 ${i + 1}`).fill(f.id);
      await step1.getByLabel(`设施名称 ${i + 1}`).fill(f.name);
      await step1.getByLabel(`产能 ${i + 1}`).fill(String(f.capacity));
      await step1.getByLabel(`单位 ${i + 1}`).fill(f.unit);
    }
    // A division code GB/T 2260 does not have: the API's rule, in Chinese, beside the field.
    const region = step1.getByLabel('行政区划代码', { exact: true });
    await region.fill('410199');
    await step1.getByRole('button', { name: '登记企业' }).click();
    const regionItem = step1.locator('.ant-form-item').filter({ has: page.getByLabel('行政区划代码', { exact: true }) });
    await expect(regionItem.locator('.ant-form-item-explain-error').textContent()).resolves.toContain('行政区划代码不存在');
    await region.fill(enterprise.regionCode);
    await step1.getByRole('button', { name: '登记企业' }).click();

    // Registered: shown, and the case's fields.
    await page.getByTestId('case-open-enterprise').filter({ hasText: name }).waitFor();
    const step2 = page.getByRole('region', { name: '立案信息' });
    await step2.getByLabel('文书编号').fill(notice.caseNumber);
    await step2.getByLabel('送达日期').fill(notice.noticeServedOn);
    await step2.getByLabel('标准类别').click();
    await page.getByTitle('能耗', { exact: true }).click();
    await step2.getByLabel('法律依据').fill(notice.legalBasis);
    expect(await step2.getByRole('checkbox', { name: /BF-2/ }).isChecked()).toBe(true);
    expect(await unlabelledControls()).toEqual([]);
    await step2.getByRole('button', { name: '立案并送达' }).click();

    await page.waitForURL(/\/console\/cases\/case-/);
    caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(caseId).toBe(`case-${enterprise.regionCode}-${enterprise.creditCode}-${notice.caseNumber}`);
    await page.getByTestId('case-stage').filter({ hasText: '限期整改' }).waitFor();
    deadline = (await request(stack.app).get(`/api/v1/cases/${caseId}`).set('Authorization', await bearer(officials.zhengzhouIndustry))).body.deadline as string;
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await signOut();
  });

  it('a bad form shows the API’s field errors next to the field, in Chinese', async () => {
    await signInAs(name, name);
    await page.goto(`/console/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('case-deadline').filter({ hasText: deadline }).waitFor();
    const form = page.getByRole('region', { name: '申请延期' });
    await form.getByLabel('申请延期（月）').fill('30');
    await form.getByRole('button', { name: '提交' }).click();
    // months is at most 24 (domain/inputs.ts); the 422 names the field.
    await expect(form.locator('.ant-form-item-explain-error').textContent()).resolves.toContain('超出允许的最大值');
    expect(await page.getByTestId('case-stage').textContent()).toBe('限期整改');
  });

  it('the enterprise attaches a photo, shown with its phase and SHA-256', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.getByRole('region', { name: '上传证据' }).locator('input[type=file]').setInputFiles({ name: '整改前.png', mimeType: 'image/png', buffer: png });
    const row = page.getByRole('row').filter({ hasText: '整改前.png' });
    await row.waitFor();
    expect(await row.textContent()).toContain('整改/拆除前');
    expect(await row.textContent()).toContain(createHash('sha256').update(png).digest('hex').slice(0, 12));
  });

  it('the enterprise requests two more months', async () => {
    const form = page.getByRole('region', { name: '申请延期' });
    await form.getByLabel('申请延期（月）').fill('2');
    await form.getByLabel('申请理由').fill('余热回收改造需跨冬季施工');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '延期申请待批' }).waitFor();
    expect(await unlabelledControls()).toEqual([]);
    await signOut();
  });

  it('the city government approves it from its inbox, and the case page shows the moved deadline', async () => {
    // The request reaches the government's to-do list once the workflow has recorded it (an activity after the update).
    const government: Principal = { sub: 'zz-gov', name: '郑州市人民政府', role: 'approving_government', jurisdiction: '410100' };
    await eventually(async () => {
      const inbox = await request(stack.app).get('/api/v1/decisions').query({ caseId }).set('Authorization', await bearer(government));
      return inbox.body.items?.length ? inbox.body.items : undefined;
    }, 15_000, 'the extension decision in the inbox');
    await signInAs('郑州市人民政府');
    await page.getByRole('link', { name: `办理 ${name} 延期整改申请` }).click();
    await page.waitForURL(/\/console\/cases\//);
    const form = page.getByRole('region', { name: '审批延期申请' });
    await form.waitFor();
    expect(await unlabelledControls()).toEqual([]);
    await form.getByRole('radio', { name: '批准', exact: true }).check();
    await form.getByLabel('批准延期（月，可少于申请）').fill('2');
    await form.getByLabel('理由').fill('同意延期2个月');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '限期整改' }).waitFor();
    const moved = (await request(stack.app).get(`/api/v1/cases/${caseId}`).set('Authorization', await bearer(officials.zhengzhouIndustry))).body.deadline as string;
    expect(moved > deadline).toBe(true);
    await page.getByTestId('case-deadline').filter({ hasText: moved }).waitFor();
    await signOut();
  });

  it('the enterprise reports rectification done citing its photo, and the industry bureau records the re-inspection', async () => {
    await signInAs(name, name);
    await page.goto(`/console/cases/${encodeURIComponent(caseId)}`);
    const report = page.getByRole('region', { name: '报告整改完成' });
    await report.getByLabel('整改情况说明').fill('已完成电机系统节能改造');
    await report.getByRole('checkbox', { name: /整改前\.png/ }).check();
    await report.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '整改复查' }).waitFor();
    await signOut();

    await signInAs('郑州市工业和信息化局 演示执法人员');
    // The re-inspection is the bureau's once its decision is on the to-do list, a moment after the stage
    // changed (an activity writes it): the page shows the form when opened after that, as after a refresh.
    const reinspection = page.getByRole('region', { name: '登记复查结果' });
    for (const until = Date.now() + 30_000; ; ) {
      await page.goto(`/console/cases/${encodeURIComponent(caseId)}`);
      if (await reinspection.waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
      if (Date.now() > until) throw new Error('the re-inspection form did not appear within 30 s');
    }
    await reinspection.getByRole('radio', { name: '达标', exact: true }).check();
    await reinspection.getByLabel('复查情况').fill('单位产品能耗低于限额标准');
    await reinspection.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('case-stage').filter({ hasText: '整改达标' }).waitFor();
    await signOut();
  });

  it('an operator signs in with a bearer token (as in production) and finds the case’s workflow in Temporal UI', async () => {
    await page.goto('/console/login');
    await page.getByLabel('访问令牌').fill((await bearer(officials.operator)).replace(/^Bearer /, ''));
    await page.getByRole('button', { name: '登录', exact: true }).last().click();
    await page.getByTestId('signed-in-as').filter({ hasText: officials.operator.name }).waitFor();
    await page.getByRole('link', { name: '案件', exact: true }).click();
    await page.getByLabel('企业名称').fill(name);
    await page.getByLabel('阶段').click();
    await page.getByTitle('整改达标').click();
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('row').filter({ hasText: name }).filter({ hasText: '整改达标' }).waitFor();
    expect(await unlabelledControls()).toEqual([]);
    await page.getByRole('row').filter({ hasText: name }).getByRole('link').click();
    await page.waitForURL(/\/console\/cases\/case-/);
    expect(await page.getByRole('link', { name: '在 Temporal UI 中查看工作流' }).getAttribute('href')).toContain(encodeURIComponent(caseId));
    await signOut();
  });
});

describe('a public report (举报): filed in the portal’s form, its status read back with the tracking number and secret', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  let trackingNumber: string;
  let secret: string;

  async function fillReport(creditCode?: string) {
    await page.goto('/');
    await page.getByRole('link', { name: '我要举报' }).click();
    await page.waitForURL(/\/report$/);
    await page.getByLabel('所在地区（行政区划代码）').fill('410122');
    await page.getByLabel('详细地址').fill('河南省郑州市中牟县某镇工业园东区');
    await page.getByLabel('企业名称', { exact: true }).fill(`中牟县浏览器钢铁${tag}有限公司`);
    if (creditCode) await page.getByLabel('统一社会信用代码（选填）').fill(creditCode);
    await page.getByLabel('行业（选填）').click();
    await page.getByTitle('钢铁').click();
    await page.getByLabel('设备情况（选填）').fill('1台3吨中频炉，夜间生产');
    await page.getByLabel('问题描述').fill('该厂使用已列入淘汰类的中频炉，白天停工、夜间生产。');
    expect(await unlabelledControls()).toEqual([]);
  }

  it('a bad credit code shows the API’s error next to the field, in Chinese', async () => {
    await fillReport('12345');
    await page.getByRole('button', { name: '提交举报' }).click();
    const field = page.locator('.ant-form-item').filter({ has: page.getByLabel('统一社会信用代码（选填）') });
    const error = field.locator('.ant-form-item-explain-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('统一社会信用代码应为18位');
    expect(await page.getByTestId('report-secret').count()).toBe(0);
  });

  it('a report filed in the form shows its tracking number and the secret once, and takes a photo', async () => {
    await fillReport();
    await page.getByRole('button', { name: '提交举报' }).click();
    await page.getByTestId('report-secret').waitFor();
    trackingNumber = (await page.getByTestId('report-tracking-number').textContent())!.trim();
    secret = (await page.getByTestId('report-secret').textContent())!.trim();
    expect(trackingNumber).toMatch(/^JB-410122-\d{8}-\d{4,6}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await page.getByText('查询密码只显示这一次').waitFor();
    await page.getByRole('region', { name: '补充照片或材料' }).locator('input[type=file]').setInputFiles({ name: '夜间生产.png', mimeType: 'image/png', buffer: png });
    await page.getByText('夜间生产.png 已上传').waitFor();
    expect(await unlabelledControls()).toEqual([]);
    expect(page.url()).not.toContain(secret);
  });

  it('the status page shows the report’s status with the right secret, and “not found” with a wrong one', async () => {
    const lookups: string[] = [];
    const listener = (r: { url(): string }) => lookups.push(r.url());
    page.on('request', listener);
    try {
      await page.getByRole('link', { name: '举报查询' }).click();
      await page.waitForURL(/\/report\/status$/);
      await page.getByRole('textbox', { name: '受理编号' }).fill(trackingNumber);
      await page.getByLabel('查询密码').fill(secret);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.getByTestId('report-status').filter({ hasText: /已受理|待核查/ }).waitFor();
      expect(await unlabelledControls()).toEqual([]);

      await page.getByLabel('查询密码').fill('A'.repeat(22));
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.getByText('未找到该举报').waitFor();
      expect(await page.getByTestId('report-status').count()).toBe(0);
    } finally {
      page.off('request', listener);
    }
    // The secret travels in the X-Report-Secret header only.
    expect(lookups.some((u) => u.includes(trackingNumber))).toBe(true);
    expect(lookups.filter((u) => u.includes(secret))).toEqual([]);
  });

  it('the report form is filled at a phone’s width without scrolling sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/report');
      await page.getByLabel('所在地区（行政区划代码）').focus();
      await page.keyboard.press('Tab');
      await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('address');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
