/**
 * Screenshots of Temporal UI (the version the dev server ships) showing exitflow in the case file's
 * words (patch 'ui-metadata', workflows/ui-texts.ts): the workflow list with the enterprise, stage and
 * who is awaited as columns, the list filtered by them, and one case's timeline, event history and
 * user metadata (summary, details, current details). Written to docs/screenshots/temporal-ui-*.png.
 *
 * `shootTemporalUi` takes an open Chromium (scripts/screenshots.ts can call it with its own); run
 * this file directly (`npx tsx scripts/lib/temporal-ui-shots.ts [--api URL] [--ui URL]`) against a
 * running exitflow (`npm start`, which serves Temporal UI; the demo, `npm run demo`, gives it cases):
 * it picks the newest demo cases through the API. Chinese needs a CJK font (Debian fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mintToken } from '../../api/auth';
import { jwtSecret, loadConfig } from '../../config';

export interface TemporalUiShotsOptions {
  browser: Browser;
  /** Temporal UI's base URL (the dev server's --ui-port), e.g. http://localhost:8233. */
  uiUrl: string;
  namespace?: string;
  /** The case whose timeline, history and metadata are shot (one well along its path shows most). */
  caseId: string;
  /** A case waiting for an official's decision: the list is filtered to the government's desk with it in view. */
  awaitingGovernment?: { caseId: string; enterprise: string };
  /** A campaign whose summary, details and current details are shot too. */
  campaignId?: string;
  outDir: string;
  log?: (line: string) => void;
}

/** The list's columns, as an operator would set them in "Configure Columns" (Temporal UI keeps them in localStorage). */
const LIST_COLUMNS = ['Status', 'Workflow ID', 'ExitflowEnterprise', 'ExitflowStage', 'ExitflowAwaiting', 'ExitflowDeadline', 'Type', 'Start'];

const BROWSER_ARGS = ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'];

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(1200);
}

/** Take the Temporal UI shots; returns the files written. */
export async function shootTemporalUi(o: TemporalUiShotsOptions): Promise<string[]> {
  const ns = o.namespace ?? 'default';
  const log = o.log ?? (() => undefined);
  const written: string[] = [];
  mkdirSync(o.outDir, { recursive: true });
  const context = await o.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1000 }, deviceScaleFactor: 1 });
  await context.addInitScript(`localStorage.setItem('namespace-workflow-table-columns', ${JSON.stringify(JSON.stringify({ default: LIST_COLUMNS.map((label) => ({ label })) }))})`);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const shot = async (name: string, opts: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {}) => {
    await settle(page);
    const file = path.join(o.outDir, `temporal-ui-${name}.png`);
    await page.screenshot({ path: file, fullPage: opts.fullPage ?? false, animations: 'disabled', ...(opts.clip ? { clip: opts.clip } : {}) });
    written.push(file);
    log(`${file}  ${page.url()}`);
  };
  const list = (query: string) => `${o.uiUrl}/namespaces/${ns}/workflows?query=${encodeURIComponent(query)}`;

  try {
    // The cases: enterprise, stage, who is awaited and the deadline beside each id.
    await page.goto(list('WorkflowType = "caseWorkflow"'));
    await page.getByText(o.caseId).first().waitFor();
    await shot('workflows');

    // Filtered by who is awaited (the government's desk), the enterprise's name in view.
    if (o.awaitingGovernment) {
      await page.goto(list(`ExitflowAwaiting = "government"`));
      await page.getByText(o.awaitingGovernment.caseId).first().waitFor();
      await shot('awaiting-government');
      await page.goto(list(`ExitflowEnterprise = "${o.awaitingGovernment.enterprise}"`));
      await page.getByText(o.awaitingGovernment.caseId).first().waitFor();
      await shot('enterprise-filter');
    }

    // A case's summary and details and what it waits for (User Metadata: the one waiting for the government, if given).
    const waiting = o.awaitingGovernment?.caseId ?? o.caseId;
    await page.goto(`${o.uiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(waiting)}`);
    await page.getByText(waiting).first().waitFor();
    await page.getByText('User Metadata', { exact: true }).first().click();
    await page.getByText('Current Details').first().waitFor();
    await shot('case-metadata');

    if (o.campaignId) {
      await page.goto(`${o.uiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(o.campaignId)}`);
      await page.getByText(o.campaignId).first().waitFor();
      await page.getByText('User Metadata', { exact: true }).first().click();
      await page.getByText('Current Details').first().waitFor();
      await shot('campaign-metadata');
    }

    // The case's timeline and event history.
    const workflow = `${o.uiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(o.caseId)}`;
    await page.goto(workflow);
    await page.getByText(o.caseId).first().waitFor();
    const timeline = page.getByRole('heading', { name: 'Timeline' }).first();
    await timeline.waitFor();
    await settle(page);
    await timeline.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('case-timeline');

    // The event history, oldest first and compact (one line per activity or timer, with its summary), on a tall page.
    await page.setViewportSize({ width: 1920, height: 1500 });
    await page.getByRole('link', { name: /Event History/ }).or(page.getByText(/^Event History/)).first().click();
    await page.waitForURL(/\/history/);
    await page.getByRole('button', { name: 'Compact' }).or(page.getByText('Compact', { exact: true })).first().click();
    await settle(page);
    const heading = page.getByRole('heading', { name: 'Event History' }).first();
    if (await heading.count()) await heading.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('case-history');
  } finally {
    await context.close();
  }
  return written;
}

// ---- run directly: against a running exitflow with the demo's cases ------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const api = opt('--api') ?? process.env.SCREENSHOTS_API_URL ?? `http://localhost:${process.env.API_PORT ?? 3000}`;
  const config = loadConfig({ DATABASE_URL: 'postgres://unused', ...process.env });
  const token = await mintToken({ sub: 'demo-operator', name: '运维值班', role: 'operator' }, { secret: jwtSecret(config), issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  const get = async (p: string): Promise<any> => {
    const res = await fetch(`${api}${p}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET ${p} → ${res.status}`);
    return res.json();
  };
  /** The newest demo case of a stage (its full record, with the Temporal UI link). */
  const newest = async (query: string) => {
    const items = ((await get(`/api/v1/cases?${query}&pageSize=100`)).items as { caseId: string; caseNumber: string; openedAt: string }[]).filter((c) => c.caseNumber.startsWith('DEMO-'));
    items.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    if (!items[0]) throw new Error(`no demo case with ${query} at ${api}: run the demo (npm run demo) first`);
    return get(`/api/v1/cases/${encodeURIComponent(items[0].caseId)}`);
  };
  const exited = await newest('stage=exited');
  const proposed = await newest('stage=closure_proposed');
  const uiUrl = opt('--ui') ?? new URL(exited.links.temporalUi).origin;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: BROWSER_ARGS });
  try {
    await shootTemporalUi({
      browser,
      uiUrl,
      caseId: opt('--case') ?? exited.caseId,
      awaitingGovernment: { caseId: proposed.caseId, enterprise: proposed.enterpriseName },
      campaignId: opt('--campaign') ?? `campaign-410100-${new Date().getUTCFullYear()}`,
      outDir: path.resolve(__dirname, '..', '..', 'docs', 'screenshots'),
      log: (l) => console.log(`[temporal-ui-shots] ${l}`),
    });
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[temporal-ui-shots] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
