import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
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
