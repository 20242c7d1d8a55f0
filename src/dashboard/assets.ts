/**
 * The page's own files (src/dashboard/static) and the browser builds of Vega, Vega-Lite,
 * vega-embed and Vega's expression interpreter, served from the installed packages: nothing comes
 * from a CDN, so the dashboard works offline. Files are read once and kept in memory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';

export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Vendor files by URL name: [package, file inside its build folder]. */
const VENDOR: Record<string, [string, string]> = {
  'vega.min.js': ['vega', 'vega.min.js'],
  'vega-lite.min.js': ['vega-lite', 'vega-lite.min.js'],
  'vega-embed.min.js': ['vega-embed', 'vega-embed.min.js'],
  'vega-interpreter.min.js': ['vega-interpreter', 'vega-interpreter.min.js'],
  'uPlot.iife.min.js': ['uplot', 'uPlot.iife.min.js'],
  'uPlot.min.css': ['uplot', 'uPlot.min.css'],
};

/** The page's own files: a fixed list, so a URL can never name any other file. */
const STATIC_FILES = [
  'index.html',
  'style.css',
  'app.js',
  'dom.js',
  'api.js',
  'charts.js',
  'plot.js',
  'series.js',
  'workspace.js',
  'workspace-state.js',
  'filters.js',
  'projects.js',
  'runs.js',
  'run.js',
  'run-sections.js',
  'panels.js',
  'compare.js',
  'sweep.js',
  'parallel.js',
  'live.js',
  'media-steps.js',
  'table-view.js',
  'artifacts.js',
  'reports.js',
];

export interface Assets {
  /** `/static/<name>` */
  page(name: string): Asset | undefined;
  /** `/vendor/<name>` */
  vendor(name: string): Asset | undefined;
}

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

export function createAssets(): Assets {
  const root = join(packageRoot(import.meta.url), 'src', 'dashboard', 'static');
  const require = createRequire(import.meta.url);
  const cache = new Map<string, Asset>();
  const load = (key: string, path: () => string): Asset => {
    let a = cache.get(key);
    if (!a) {
      a = { body: readFileSync(path()), type: typeOf(key) };
      cache.set(key, a);
    }
    return a;
  };
  const buildDir = (pkg: string): string => {
    // vega-interpreter comes with vega-embed; resolve it from there when it is not hoisted.
    if (pkg === 'vega-interpreter') return dirname(createRequire(require.resolve('vega-embed')).resolve(pkg));
    return dirname(require.resolve(pkg));
  };
  return {
    page: (name) => (STATIC_FILES.includes(name) ? load(`static/${name}`, () => join(root, name)) : undefined),
    vendor(name) {
      const v = VENDOR[name];
      return v ? load(`vendor/${name}`, () => join(buildDir(v[0]), v[1])) : undefined;
    },
  };
}
