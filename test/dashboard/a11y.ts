/** Accessibility checks shared by the browser tests: controls without a name, charts without a title. */
import type { Page } from 'playwright-core';

interface El {
  getAttribute(a: string): string | null;
  labels?: { length: number } | null;
  textContent: string | null;
  type?: string;
  outerHTML: string;
}

/** The page's inputs, selects, buttons, text areas and media players with no aria-label, label or text. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.$$eval('main input, main select, main button, main textarea, main audio, main video', (els) =>
    els
      .map((e) => e as unknown as El)
      .filter((el) => el.type !== 'hidden' && !el.getAttribute('aria-label') && !(el.labels && el.labels.length > 0) && !(el.textContent ?? '').trim())
      .map((el) => el.outerHTML.slice(0, 80)),
  );
}

/** The page's canvases and SVGs drawn as charts (role img, or a heat strip, parallel axes, bars, lineage) with no aria-label. */
export function untitledCharts(page: Page): Promise<string[]> {
  return page.$$eval('main canvas[role="img"], main svg[role="img"], main canvas.heat-strip, main svg.parallel, main svg.hist-bars, main svg.lineage', (els) =>
    els
      .map((e) => e as unknown as El)
      .filter((el) => !(el.getAttribute('aria-label') ?? '').trim())
      .map((el) => el.outerHTML.slice(0, 80)),
  );
}
