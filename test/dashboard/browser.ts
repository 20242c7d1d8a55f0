/** Real Chromium for the dashboard tests (Debian's package; CI installs it). */
import { existsSync, mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { tempDir } from '../helpers/tmp.js';

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

/** A describe block's dashboard: a temp folder holding the store its set-up wrote, the server over it, and Chromium. */
export interface DashboardSuite {
  readonly dir: string;
  readonly dash: Dashboard;
  readonly browser: Browser;
}

/**
 * Registers the block's before/after: a temp folder (named from `prefix`), `fill(dir)` to write its
 * store, the dashboard on a free port and Chromium; all closed and removed after. DASH_SHOTS, when
 * set, names a folder made for screenshots.
 */
export function dashboardSuite(prefix: string, fill: (dir: string) => Promise<void>): DashboardSuite {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let dash: Dashboard | undefined;
  let browser: Browser | undefined;
  before(async () => {
    tmp = tempDir(prefix);
    await fill(tmp.dir);
    dash = await startDashboard({ dir: tmp.dir, port: 0 });
    browser = await launch();
    const shots = process.env['DASH_SHOTS'];
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await dash?.close();
    tmp?.cleanup();
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the dashboard suite is not set up (used outside its tests?)');
    return v;
  };
  return {
    get dir() {
      return ready(tmp).dir;
    },
    get dash() {
      return ready(dash);
    },
    get browser() {
      return ready(browser);
    },
  };
}
