import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildConsoleIfStale } from '../../scripts/lib/console-build';
import type { Stack } from './stack';

/** Debian's chromium (scripts/test.sh installs it where missing); Playwright's own download does not work here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserStack {
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The stack's app on a free port (API and built console, as `npm start` serves them) and one
 * headless Chromium for the test file, with a fresh profile and no background networking (this
 * machine refuses connections out).
 */
export async function startBrowser(stack: Stack): Promise<BrowserStack> {
  buildConsoleIfStale();
  const server: Server = createServer(stack.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Playwright adds --headless and a fresh, empty profile (--user-data-dir) of its own.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  return {
    baseUrl,
    browser,
    context,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * What went wrong in the page, as a user would see it break: uncaught exceptions, console errors, and
 * the console's own files answering 4xx/5xx (the API's answers are each test's concern). The array
 * fills as the page runs; a test file checks it is empty after each test.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) errors.push(`${r.status()} ${r.url()}`);
  });
  return errors;
}

/**
 * The controls on the page without an accessible name (a label, aria-label or -labelledby, a title,
 * or their own text). Run in the page, so written as the page's JavaScript (the tests compile without DOM types).
 */
const UNLABELLED_CONTROLS = `(() => {
  const named = (el) => {
    const id = el.getAttribute('id');
    return Boolean(
      el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby') || el.getAttribute('title') || el.closest('label') ||
      (id && document.querySelector('label[for="' + CSS.escape(id) + '"]')) ||
      (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' && (el.textContent?.trim() || el.querySelector('[aria-label]'))),
    );
  };
  const controls = [...document.querySelectorAll('input:not([type=hidden]), textarea, select, button, [role=combobox], [role=tab], a[href]')];
  return controls.filter((el) => !named(el) && el.checkVisibility({ visibilityProperty: true })).map((el) => el.outerHTML.slice(0, 120));
})()`;

export const unlabelledControls = (page: Page) => page.evaluate<string[]>(UNLABELLED_CONTROLS);
