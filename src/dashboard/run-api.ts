/**
 * A run's page data: its facts, config and summary; its charts as the report's Vega-Lite specs
 * (from the sampled history); its media; its history rows for custom panels; and the config and
 * summary of several runs side by side.
 */
import type { RunRecord, Store } from '../store/index.js';
import { lineChartSpec, type VegaLiteSpec } from '../report/specs.js';
import type { XY } from '../report/downsample.js';
import { parseExtended } from '../json/extended-json.js';
import { runFilesDir } from '../runs/paths.js';
import { HttpError } from './http.js';
import { runPath, type Scope } from './scope.js';
import type { KeyColumns, RunCache } from './run-cache.js';
import { alertsOfRun, artifactsOfRun } from './sections.js';
import { setImmediate as tick } from 'node:timers/promises';

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

export function runDetail(store: Store, cache: RunCache, scope: Scope, run: RunRecord): Record<string, unknown> {
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

/** Most points over all the charts of one answer (each point is about 60 bytes of Vega-Lite JSON). */
export const CHART_POINTS = 40_000;

/**
 * A bucket's points for a line chart: its min and max when it holds more than one row (the one
 * nearer the bucket's last value second, so the line runs on from where the bucket ended), else its
 * value; non-finite values are left out (a chart has no place for them).
 */
function chartPoints(c: KeyColumns): XY[] {
  const out: XY[] = [];
  for (let i = 0; i < c.b.length; i++) {
    const x = c.s[i] as number;
    const l = c.l[i] as number;
    const lo = c.lo?.[i];
    const hi = c.hi?.[i];
    if (lo === undefined || hi === undefined || !Number.isFinite(lo) || lo === hi) {
      const y = lo !== undefined && Number.isFinite(lo) ? lo : l;
      if (Number.isFinite(y)) out.push({ x, y });
    } else if (Math.abs(hi - l) <= Math.abs(l - lo)) out.push({ x, y: lo }, { x, y: hi });
    else out.push({ x, y: hi }, { x, y: lo });
  }
  return out;
}

/**
 * One line chart per metric of the run (or of `only`): the report's lineChartSpec over the sampled
 * history, min and max of each bucket drawn, so every spike shows. At most `maxPoints` points per
 * chart and CHART_POINTS over all of them.
 */
export async function runCharts(cache: RunCache, run: RunRecord, maxPoints: number, only?: readonly string[]): Promise<ChartOut[]> {
  const metrics = await cache.metrics(run);
  const wanted = only && only.length > 0 ? metrics.filter((m) => only.includes(m)) : metrics;
  if (wanted.length === 0) return [];
  const perChart = Math.max(2, Math.min(maxPoints, Math.floor(CHART_POINTS / wanted.length)));
  const got = await cache.sampled(run, wanted, Math.max(1, Math.floor(perChart / 2)));
  const label = run.displayName;
  return wanted.map((metric) => ({
    metric,
    spec: lineChartSpec({
      metric,
      xAxis: '_step',
      domain: [label],
      series: [{ label, points: chartPoints(got.keys[metric] as KeyColumns) }],
    }),
  }));
}

/** The media a run logged, each with the URL that serves its file (when it has one). */
export async function runMedia(cache: RunCache, run: RunRecord): Promise<Array<Record<string, unknown>>> {
  const base = `/files${runPath(run.entity, run.project, run.id)}/`;
  return (await cache.media(run)).map((m) => {
    const out: Record<string, unknown> = { key: m.key, step: m.step, type: m.type };
    if (m.caption !== undefined) out['caption'] = m.caption;
    if (m.path !== undefined) out['url'] = base + m.path.split('/').map(encodeURIComponent).join('/');
    const values = m.descriptor['values'];
    const bins = m.descriptor['bins'];
    if (m.type === 'histogram' && Array.isArray(values) && Array.isArray(bins)) {
      // The counts and edges: the page draws them over steps (a heat strip) and per step.
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

/** Most bytes of history row text in one history answer. */
export const HISTORY_BYTES = 4_000_000;
/** Rows picked per read of a history answer (a turn of the event loop between reads). */
const PICKS_PER_READ = 1000;

/** A history line as JSON text: as stored when it is plain JSON, else parsed (NaN and infinities become null, as sendJson writes them). */
function jsonLine(line: string): string {
  if (!/NaN|Infinity/.test(line) && line.startsWith('{') && line.endsWith('}')) return line;
  try {
    return JSON.stringify(parseExtended(line), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  } catch {
    return '{}'; // an unreadable row is an empty one
  }
}

/**
 * History rows for custom panels, as the JSON text of `{rows, every}`: at most `maxRows`, every
 * `every`-th row (picked on the primary-key index, so only those are read, PICKS_PER_READ at a
 * time with a yield between), always with the last one. `every` is widened first from the size of
 * a probe of 64 rows, then doubled while the rows are over `maxBytes`.
 */
export async function historyRows(store: Store, run: RunRecord, maxRows: number, maxBytes = HISTORY_BYTES): Promise<string> {
  const e = store.history.extent(run.key);
  if (e === undefined) return '{"rows":[],"every":1}';
  const n = e.hi - e.lo + 1;
  let every = n <= maxRows ? 1 : Math.ceil(n / Math.max(1, maxRows - 1));
  const probe = store.history.strideSample(run.key, e, Math.max(1, Math.floor(n / 64)));
  const perRow = probe.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0) / Math.max(1, probe.length);
  while (every < n && (n / every) * perRow > maxBytes) every *= 2;
  for (;;) {
    const parts: string[] = [];
    let bytes = 0;
    for (let lo = e.lo; lo <= e.hi; lo += every * PICKS_PER_READ) {
      if (lo > e.lo) await tick();
      const last = lo + every * (PICKS_PER_READ - 1);
      const lines = store.history.strideSample(run.key, { lo, hi: last >= e.hi ? e.hi : last }, every);
      for (const l of lines) {
        const j = jsonLine(l);
        bytes += Buffer.byteLength(j) + 1;
        parts.push(j);
      }
    }
    if (bytes <= maxBytes || parts.length <= 2 || every >= n) return `{"rows":[${parts.join(',')}],"every":${every}}`;
    every *= 2;
  }
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
export function compareTable(cache: RunCache, runs: readonly RunRecord[]): { config: CompareRow[]; summary: CompareRow[] } {
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
