/**
 * Vega-Lite spec -> SVG string in Node: compile to Vega, run a headless View, serialise the scene.
 * No canvas package (Vega then estimates text widths), no fonts, and a loader that refuses every
 * URL, so a spec can never make the renderer touch the network or the disk.
 */

import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { VegaLiteSpec } from './specs.js';

const refuse = (uri: unknown): Promise<never> => Promise.reject(new Error(`report charts load no external data (${String(uri)})`));

const offlineLoader = {
  load: refuse,
  sanitize: refuse,
  http: refuse,
  file: refuse,
};

/** Renders a Vega-Lite spec to a standalone SVG document string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: offlineLoader as unknown as vega.Loader,
    logLevel: vega.Error,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export { inlineSvg } from './svg-inline.js';
