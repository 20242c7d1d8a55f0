/**
 * A run's page data: its facts, config and summary; its charts as the report's Vega-Lite specs
 * (downsampled on the server); its media; its history rows for custom panels; and the comparison
 * of several runs as overlaid charts.
 */
import type { RunRecord, Store } from '../store/index.js';
import { histogramSpec, lineChartSpec, type VegaLiteSpec } from '../report/specs.js';
import { downsampleXY } from '../report/downsample.js';
import { parseExtended } from '../json/extended-json.js';
import { runFilesDir } from '../runs/paths.js';
import { HttpError } from './http.js';
import { runPath, type Scope } from './scope.js';
import { seriesOfLines, type RunSeries, type SeriesCache } from './series.js';
import { alertsOfRun, artifactsOfRun } from './sections.js';

export function findRunOr404(store: Store, scope: Scope, runId: string): RunRecord {
  const run = store.runs.get(scope.project, runId);
  const entityOk = run !== undefined && (scope.entity === 'local' ? run.entity === null || run.entity === 'local' : run.entity === scope.entity);
  if (!run || !entityOk) throw new HttpError(404, 'NOT_FOUND', `no run ${runId} in ${scope.entity}/${scope.project}`);
  return run;
}

function duration(run: RunRecord): number {
  return run.runtimeBase + Math.max(0, (run.finishedAt ?? run.heartbeatAt) - run.segmentStart);
}

/** The run's facts shown in its header and polled for live updates. */
export function runStatus(run: RunRecord): Record<string, unknown> {
  return {
    id: run.id,
    name: run.displayName,
    state: run.state,
    historyCount: run.historyCount,
    step: run.step,
    heartbeatAt: run.heartbeatAt,
    duration: duration(run),
  };
}

export function runDetail(store: Store, cache: SeriesCache, scope: Scope, run: RunRecord): Record<string, unknown> {
  return {
    run: {
      ...runStatus(run),
      entity: run.entity,
      project: run.project,
      tags: run.tags,
      notes: run.notes,
      group: run.group,
      jobType: run.jobType,
      sweepId: run.sweepId,
      username: run.username,
      host: run.host,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      exitCode: run.exitCode,
      path: runPath(run.entity, run.project, run.id),
    },
    config: run.config,
    summary: cache.summary(run),
    alerts: alertsOfRun(store, run),
    artifacts: artifactsOfRun(store, run),
    scope,
  };
}

export interface ChartOut {
  metric: string;
  spec: VegaLiteSpec;
}

/** One line chart per metric, each run a line: the report's lineChartSpec over downsampled series. */
export function lineCharts(cache: SeriesCache, runs: readonly RunRecord[], maxPoints: number, only?: readonly string[]): ChartOut[] {
  return chartsOf(
    runs,
    runs.map((r) => cache.get(r)),
    maxPoints,
    only,
  );
}

/** Rows above which a first visit gets a sampled preview first (reading 100,000 rows takes ~0.5 s). */
export const PREVIEW_ABOVE = 20000;

/**
 * A quick first look at a long run not yet in the cache: about `rows` evenly spaced history rows
 * (picked on the primary-key index, so only those rows are read), charted with the same specs.
 * The page then asks for the full charts (every row, min/max downsampled) and redraws.
 */
export function previewCharts(store: Store, cache: SeriesCache, run: RunRecord, maxPoints: number, rows = 2000): ChartOut[] | undefined {
  if (run.historyCount <= PREVIEW_ABOVE || cache.isCurrent(run)) return undefined;
  const every = Math.ceil(run.historyCount / rows);
  const lines = store.history.strideSample(run.key, { lo: 0, hi: run.historyCount - 1 }, every);
  return chartsOf([run], [seriesOfLines(lines)], maxPoints);
}

function chartsOf(runs: readonly RunRecord[], all: readonly RunSeries[], maxPoints: number, only?: readonly string[]): ChartOut[] {
  const labels = uniqueLabels(runs);
  const metrics: string[] = [];
  const seen = new Set<string>();
  for (const s of all) {
    for (const m of s.metrics.keys()) {
      if (seen.has(m)) continue;
      seen.add(m);
      metrics.push(m);
    }
  }
  const wanted = only && only.length > 0 ? metrics.filter((m) => only.includes(m)) : metrics;
  return wanted.map((metric) => ({
    metric,
    spec: lineChartSpec({
      metric,
      xAxis: '_step',
      domain: labels,
      series: all.flatMap((s, i) => {
        const m = s.metrics.get(metric);
        return m ? [{ label: labels[i] as string, points: downsampleXY(m.xs, m.ys, maxPoints) }] : [];
      }),
    }),
  }));
}

/** Run names, with the id added where names repeat (so each run keeps its own colour). */
function uniqueLabels(runs: readonly RunRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.displayName, (counts.get(r.displayName) ?? 0) + 1);
  return runs.map((r) => ((counts.get(r.displayName) ?? 0) > 1 ? `${r.displayName} (${r.id})` : r.displayName));
}

/** The media a run logged, each with the URL that serves its file (when it has one). */
export function runMedia(cache: SeriesCache, run: RunRecord): Array<Record<string, unknown>> {
  const base = `/files${runPath(run.entity, run.project, run.id)}/`;
  return cache.get(run).media.map((m) => {
    const out: Record<string, unknown> = { key: m.key, step: m.step, type: m.type };
    if (m.caption !== undefined) out['caption'] = m.caption;
    if (m.path !== undefined) out['url'] = base + m.path.split('/').map(encodeURIComponent).join('/');
    const values = m.descriptor['values'];
    const bins = m.descriptor['bins'];
    if (m.type === 'histogram' && Array.isArray(values) && Array.isArray(bins)) {
      out['spec'] = histogramSpec(`${m.key} (step ${m.step})`, values as number[], bins as number[]);
      // The counts and edges themselves: the page draws them over steps (a heat strip) and per step.
      out['values'] = values;
      out['bins'] = bins;
    }
    for (const k of ['width', 'height', 'size', 'ncols', 'nrows', 'format']) if (m.descriptor[k] !== undefined) out[k] = m.descriptor[k];
    return out;
  });
}

/** The run's files folder, where its media live. */
export function filesDirOf(dir: string, run: RunRecord): string {
  return runFilesDir(dir, run.project, run.id);
}

/** History rows for custom panels: at most `maxRows`, evenly spread, always with the last one. */
export function historyRows(store: Store, run: RunRecord, maxRows: number): Array<Record<string, unknown>> {
  const n = run.historyCount;
  const parse = (line: string): Record<string, unknown> => {
    try {
      return parseExtended(line) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  if (n <= maxRows) return store.history.lines(run.key, 0, n).map((l) => parse(l.line));
  const stride = n / maxRows;
  const wanted = new Set<number>();
  for (let i = 0; i < maxRows - 1; i++) wanted.add(Math.floor(i * stride));
  wanted.add(n - 1);
  const out: Array<Record<string, unknown>> = [];
  // Read in chunks and keep the wanted rows; parsing only those keeps this cheap for long runs.
  for (let from = 0; from < n; from += 20000) {
    for (const l of store.history.lines(run.key, from, 20000)) if (wanted.has(l.seq)) out.push(parse(l.line));
  }
  return out;
}

/** The runs named in `?runs=a,b,c` (at most 20), in that order. */
export function compareRuns(store: Store, scope: Scope, ids: readonly string[]): RunRecord[] {
  if (ids.length === 0) throw new HttpError(400, 'INVALID_INPUT', 'name the runs to compare', [{ path: 'runs', message: 'a comma-separated list of run ids' }]);
  if (ids.length > 20) throw new HttpError(400, 'INVALID_INPUT', 'at most 20 runs can be compared', [{ path: 'runs', message: 'at most 20 run ids' }]);
  return ids.map((id) => findRunOr404(store, scope, id));
}

function flatten(obj: Record<string, unknown>, prefix: string, into: Map<string, unknown>, depth: number): void {
  for (const [k, v] of Object.entries(obj)) {
    if (prefix === '' && k.startsWith('_')) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const t = (v as { _type?: unknown })._type;
      if (t !== undefined) into.set(prefix + k, `[${String(t)}]`);
      else if (depth < 6) flatten(v as Record<string, unknown>, `${prefix}${k}.`, into, depth + 1);
      else into.set(prefix + k, v);
    } else into.set(prefix + k, v);
  }
}

export interface CompareRow {
  key: string;
  values: unknown[];
  /** Indexes of the runs without this key (their value is shown as missing, not as null). */
  missing: number[];
  /** True when the runs' values are not all the same (a missing value differs from any value). */
  differs: boolean;
}

/** Config and summary side by side: one row per flattened (dotted) key, one value per run. */
export function compareTable(cache: SeriesCache, runs: readonly RunRecord[]): { config: CompareRow[]; summary: CompareRow[] } {
  const rows = (objs: Array<Record<string, unknown>>): CompareRow[] => {
    const flat = objs.map((o) => {
      const m = new Map<string, unknown>();
      flatten(o, '', m, 0);
      return m;
    });
    const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort();
    return keys.map((key) => {
      const missing: number[] = [];
      const values = flat.map((m, i) => {
        if (!m.has(key)) missing.push(i);
        return m.get(key);
      });
      const seen = new Set(
        values.map((v, i) => (missing.includes(i) ? '\u0000missing' : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? String(x) : x)))),
      );
      return { key, values, missing, differs: seen.size > 1 };
    });
  };
  return { config: rows(runs.map((r) => r.config)), summary: rows(runs.map((r) => cache.summary(r))) };
}
