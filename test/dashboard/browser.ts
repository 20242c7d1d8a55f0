/** Real Chromium for the dashboard tests (Debian's package; CI installs it). */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Why browser tests skip, or false when Chromium is there. */
export const noBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}: install Debian's chromium package to run the dashboard's browser tests`;

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects the page's uncaught errors and console errors into `into` (console errors matching `ignore` left out). */
export function watchErrors(page: Page, into: string[], ignore?: RegExp): void {
  page.on('pageerror', (e) => into.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(ignore?.test(m.text()) ?? false)) into.push(m.text());
  });
}
