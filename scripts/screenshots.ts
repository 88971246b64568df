/**
 * `npm run screenshots`: PNGs of the main pages of the portal, the console and Temporal UI in
 * docs/screenshots/, as README shows them. Uses exitflow where it runs (SCREENSHOTS_API_URL, else
 * http://localhost:API_PORT) or starts it (`npm start`, stopped again at the end), runs the demo
 * (scripts/demo.ts) so every page has data, signs in as the demo identities through the development
 * sign-in, and shoots each page in headless Chromium (Debian's `chromium`; Chinese needs Debian's
 * `fonts-noto-cjk`, installed with apt-get where missing and when run as root).
 *
 * Options: --only <name,…> (e.g. --only temporal-workflows,temporal-case), --no-demo (use the data
 * already there: the cases are then found through the API).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mintToken } from '../api/auth';
import { jwtSecret, loadConfig } from '../config';
import { toLegalDate } from '../domain/deadlines';
import type { Principal } from '../domain/roles';
import { runDemo } from './demo';
import { shootTemporalUi } from './lib/temporal-ui-shots';
import { exited, prefixOutput, sleep } from './lib/processes';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const API = process.env.SCREENSHOTS_API_URL ?? `http://localhost:${process.env.API_PORT ?? 3000}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const year = Number(toLegalDate(new Date().toISOString()).slice(0, 4));
const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : undefined;
const withDemo = !args.includes('--no-demo');
const config = loadConfig({ DATABASE_URL: 'postgres://unused', ...process.env });
const tokens = { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE };

/** The demo identities the shots sign in as (the console's sign-in page offers them in development). */
const WHO = {
  government: '郑州市人民政府',
  office: '郑州市淘汰落后产能工作领导小组办公室',
  bureau: '郑州市工业和信息化局 演示执法人员',
  operator: '运维值班',
} as const;
const operator: Principal = { sub: 'demo-operator', name: WHO.operator, role: 'operator' };

const say = (msg: string) => console.log(`[screenshots] ${msg}`);

async function healthy(): Promise<boolean> {
  const res = await fetch(`${API}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  return res?.status === 200;
}

/** Start `npm start` (scripts/start.ts) unless exitflow already answers; resolves with the child to stop, if any. */
async function ensureStack(): Promise<ChildProcess | undefined> {
  if (await healthy()) {
    say(`using exitflow at ${API}`);
    return undefined;
  }
  say(`exitflow is not running at ${API}: starting it (npm start)…`);
  // Warnings only from the API and the worker (every request would be logged otherwise).
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'start.ts')], { cwd: ROOT, env: { LOG_LEVEL: 'warn', ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixOutput(child, '[start]');
  const deadline = Date.now() + 10 * 60_000;
  while (!(await healthy())) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}) before exitflow was healthy`);
    if (Date.now() > deadline) throw new Error('exitflow did not become healthy within 10 minutes');
    await sleep(2000);
  }
  return child;
}

/** Chinese text needs a CJK font in headless Chromium: Debian's fonts-noto-cjk, installed where missing (as root). */
function ensureCjkFonts(): void {
  const listed = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (listed.status === 0 && listed.stdout.trim()) return;
  if (process.getuid?.() !== 0) {
    say('no Chinese font found: install fonts-noto-cjk (apt-get install fonts-noto-cjk), or the Chinese text shows as boxes');
    return;
  }
  say('installing fonts-noto-cjk (apt-get) for the Chinese text…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'fonts-noto-cjk'], { stdio: 'inherit', env }) : update;
  if (install.status !== 0) say('fonts-noto-cjk could not be installed: the Chinese text may show as boxes');
}

async function api(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${API}${path}`, { headers: { Authorization: `Bearer ${await mintToken(operator, tokens)}` } });
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The demo's cases to show: the newest demo case of a stage (and, optionally, region). */
async function newestCase(query: string): Promise<{ caseId: string; links: { temporalUi: string } }> {
  const list = await api(`/api/v1/cases?${query}&sort=-openedAt&pageSize=50`).catch(() => api(`/api/v1/cases?${query}&pageSize=50`));
  const items = (list.items as { caseId: string; caseNumber: string; openedAt: string }[]).filter((c) => c.caseNumber.startsWith('DEMO-'));
  items.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  if (!items[0]) throw new Error(`no demo case for ${query}: run without --no-demo`);
  return (await api(`/api/v1/cases/${items[0].caseId}`)) as unknown as { caseId: string; links: { temporalUi: string } };
}

class Shooter {
  readonly problems: string[] = [];
  constructor(private readonly browser: Browser) {}

  /** A fresh tab (its own sessionStorage), reporting what breaks in the page. */
  async page(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ baseURL: API, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => this.problems.push(`${page.url()}: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) this.problems.push(`${page.url()}: ${m.text()}`);
    });
    return { context, page };
  }

  /** Signed in as a demo identity, on the console's start page. */
  async signedIn(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const tab = await this.page();
    await open(tab.page, '/console/login');
    await tab.page.getByRole('button', { name: `登录为 ${name}`, exact: true }).click();
    await tab.page.waitForURL(/\/console(\/|$)(?!login)/);
    return tab;
  }

  async shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    await settle(page);
    // A one-pixel resize and back: the header menu measures its room again (Ant Design folds items into "…" when it measured too early).
    const viewport = page.viewportSize();
    if (viewport) {
      await page.setViewportSize({ ...viewport, width: viewport.width + 1 });
      await sleep(200);
      await page.setViewportSize(viewport);
      await sleep(400);
    }
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage: opts.fullPage ?? true, animations: 'disabled' });
    say(`${path.relative(ROOT, file)}  ${page.url()}`);
  }
}

/**
 * Open a page of the app; while the console is being rebuilt (`vite build` empties console/dist
 * first, e.g. when `npm test` runs beside) its pages answer 404 for a moment: wait and open again.
 */
async function open(page: Page, url: string): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const res = await page.goto(url);
    if (!res || res.status() !== 404 || Date.now() > deadline) return;
    say(`${url} answered 404 (the console is being rebuilt?): opening it again in 5 s`);
    await sleep(5000);
  }
}

/** Wait until the page has loaded its data: no requests in flight, no spinner, then a moment for charts to draw. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const deadline = Date.now() + 20_000;
  while ((await page.locator('.ant-spin-spinning, .ant-skeleton-active').count()) > 0 && Date.now() < deadline) await sleep(200);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await sleep(800);
}

const wanted = (name: string) => !only || only.has(name);

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium, or set CHROMIUM_PATH`);
  ensureCjkFonts();
  mkdirSync(OUT, { recursive: true });
  const started = await ensureStack();
  let browser: Browser | undefined;
  try {
    if (withDemo) {
      say('running the demo (npm run demo)…');
      await runDemo({ api: API, tokens, log: () => undefined });
    }
    const campaignId = `campaign-410100-${year}`;
    const exited = await newestCase('stage=exited&region=410185');
    const extension = await newestCase('stage=extension_requested&region=410100') as Awaited<ReturnType<typeof newestCase>>;
    const temporalUi = new URL(exited.links.temporalUi).origin;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
    });
    const s = new Shooter(browser);

    // The portal (no sign-in): Zhengzhou's lists of the year, the exit announcement, the report form, at a phone's width.
    if (wanted('portal-lists') || wanted('portal-exit-announcement')) {
      const { context, page } = await s.page();
      await open(page, `/?region=410100&year=${year}`);
      await page.getByRole('row').nth(1).waitFor();
      if (wanted('portal-lists')) await s.shot(page, 'portal-lists');
      await page.getByRole('tab', { name: '退出公告' }).click();
      await page.getByRole('row').nth(1).waitFor();
      if (wanted('portal-exit-announcement')) await s.shot(page, 'portal-exit-announcement');
      await context.close();
    }
    if (wanted('portal-phone')) {
      const { context, page } = await s.page({ width: 390, height: 844 });
      await open(page, `/?region=410100&year=${year}`);
      await page.getByRole('row').nth(1).waitFor();
      await s.shot(page, 'portal-phone');
      await context.close();
    }
    if (wanted('report-form')) {
      const { context, page } = await s.page();
      await open(page, '/report');
      await s.shot(page, 'report-form');
      await context.close();
    }
    if (wanted('login')) {
      const { context, page } = await s.page();
      await open(page, '/console/login');
      await page.getByRole('button', { name: `登录为 ${WHO.government}` }).waitFor();
      await s.shot(page, 'login', { fullPage: false });
      await context.close();
    }

    // The console: the government's inbox and the case waiting for its decision; the bureau's case list and a case's timeline.
    if (wanted('inbox') || wanted('case-decision')) {
      const { context, page } = await s.signedIn(WHO.government);
      await page.getByRole('row').nth(1).waitFor();
      if (wanted('inbox')) await s.shot(page, 'inbox');
      if (wanted('case-decision')) {
        await open(page, `/console/cases/${encodeURIComponent(extension.caseId)}`);
        await s.shot(page, 'case-decision');
      }
      await context.close();
    }
    if (wanted('cases') || wanted('case')) {
      const { context, page } = await s.signedIn(WHO.bureau);
      if (wanted('cases')) {
        await open(page, '/console/cases');
        await page.getByRole('row').nth(1).waitFor();
        await s.shot(page, 'cases');
      }
      if (wanted('case')) {
        await open(page, `/console/cases/${encodeURIComponent(exited.caseId)}`);
        await s.shot(page, 'case');
      }
      await context.close();
    }
    // The campaign of Zhengzhou as its office sees it: milestones, progress charts, lagging 中原区, supervision, reports.
    if (wanted('campaign')) {
      const { context, page } = await s.signedIn(WHO.office);
      await open(page, `/console/campaigns/${campaignId}`);
      await settle(page);
      if (new URL(page.url()).pathname.startsWith(`/console/campaigns/`)) {
        await page.waitForSelector('canvas, svg', { timeout: 20_000 }).catch(() => say('the campaign page drew no chart'));
        await s.shot(page, 'campaign');
      } else say(`the console has no campaign page yet (${page.url()}): campaign.png not taken`);
      await context.close();
    }

    // The public reports (举报) the bureau verifies, with their deadlines.
    if (wanted('public-reports')) {
      const { context, page } = await s.signedIn(WHO.bureau);
      await open(page, '/console/reports');
      await settle(page);
      if (new URL(page.url()).pathname === '/console/reports') {
        await page.getByRole('row').nth(1).waitFor();
        // Every state, and the report handed to the ecology & environment bureau too: no status filter, not only "assigned to me".
        try {
          const status = page.locator('.ant-form-item').filter({ hasText: '状态' }).first();
          await status.hover();
          await status.locator('.ant-select-clear').click({ timeout: 5000 });
          await page.getByText('只看分派给我的').click();
          await page.getByRole('button', { name: '查询' }).click();
          await settle(page);
        } catch {
          say('the public reports page kept its default filter');
        }
        await s.shot(page, 'public-reports');
      } else say(`the console has no public reports page (${page.url()}): public-reports.png not taken`);
      await context.close();
    }

    // Temporal UI (the dev server's): the workflow list, and the exited case's workflow with its timeline.
    if (wanted('temporal-workflows')) {
      const { context, page } = await s.page({ width: 1920, height: 1000 });
      // The list's columns as an operator would choose them (Temporal UI keeps them in localStorage): the enterprise, the stage and who is awaited beside the id.
      const columns = { default: [['Status', true], ['Workflow ID', true], ['ExitflowEnterprise', false], ['ExitflowStage', false], ['ExitflowAwaiting', false], ['ExitflowDeadline', false], ['Type', false]].map(([label, pinned]) => ({ label, pinned })) };
      await context.addInitScript(`localStorage.setItem('namespace-workflow-table-columns', ${JSON.stringify(JSON.stringify(columns))})`);
      // The cases only (the campaigns, supervision items and reports have workflows of their own beside them).
      await open(page, `${temporalUi}/namespaces/default/workflows?query=${encodeURIComponent('WorkflowType="caseWorkflow"')}`);
      await page.getByText(exited.caseId).first().waitFor({ timeout: 60_000 });
      await s.shot(page, 'temporal-workflows', { fullPage: false });
      await context.close();
    }
    if (wanted('temporal-case')) {
      const { context, page } = await s.page({ width: 1440, height: 1600 });
      await open(page, exited.links.temporalUi);
      await page.getByText(exited.caseId).first().waitFor({ timeout: 60_000 });
      await s.shot(page, 'temporal-case');
      await context.close();
    }
    // A case waiting for the city government's decision: its current details and the pending timer in words.
    if (wanted('temporal-case-waiting')) {
      const { context, page } = await s.page({ width: 1440, height: 1400 });
      await open(page, extension.links.temporalUi);
      await page.getByText(extension.caseId).first().waitFor({ timeout: 60_000 });
      await s.shot(page, 'temporal-case-waiting');
      await context.close();
    }
    // Temporal UI in the case file's words (scripts/lib/temporal-ui-shots.ts, docs/screenshots/temporal-ui-*.png): the list filtered
    // by who is awaited and by enterprise, a case's and the campaign's summary, details and current details, the case's history.
    if (wanted('temporal-ui')) {
      const waiting = (await api(`/api/v1/cases/${encodeURIComponent(extension.caseId)}`)) as { enterpriseName?: string };
      await shootTemporalUi({ browser, uiUrl: temporalUi, caseId: exited.caseId, awaitingGovernment: { caseId: extension.caseId, enterprise: waiting.enterpriseName ?? '' }, campaignId, outDir: OUT, log: say });
    }
    if (s.problems.length) say(`the pages reported:\n  ${s.problems.join('\n  ')}`);
  } finally {
    await browser?.close();
    if (started) {
      say('stopping the exitflow this script started…');
      // One SIGINT, as Ctrl-C in its terminal: start.ts stops the worker, the API and the services it started.
      started.kill('SIGINT');
      const stopped = await Promise.race([exited(started).then(() => true), sleep(90_000).then(() => false)]);
      if (!stopped) started.kill('SIGKILL');
    }
  }
}

// Exit when done: keep-alive sockets to the stack just stopped must not hold the process open.
main().then(() => process.exit(0), (err: unknown) => {
  console.error(`[screenshots] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
