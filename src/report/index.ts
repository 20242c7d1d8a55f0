/**
 * Report rendering: `ReportData` (plain data, filled from the store by the report action) to an
 * HTML, Markdown or JSON document, plus the summary an agent reads without opening the file.
 *
 * @example
 * const { content, files, summary } = await renderReport(data, { format: 'markdown' });
 * await writeFile('report.md', content);
 * for (const f of files) { await mkdir(dirname(join('.', f.name)), { recursive: true }); await writeFile(f.name, f.content); }
 */

import { renderHtml } from './html.js';
import type { HypothesisStats } from './hypothesis.js';
import { reportJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { lineChartSvg } from './line-svg.js';
import { allCharts, buildReportModel, type ReportModel } from './model.js';
import type { VegaLiteSpec } from './specs.js';
import { titledSvg } from './svg-inline.js';
import type { RenderReportOptions, ReportBest, ReportData, ReportFile, ReportFormat, ReportRunSummary } from './types.js';

export type * from './types.js';
export type { HypothesisStats, MetricTest } from './hypothesis.js';
export type { Descriptives, WelchResult, MannWhitneyResult, PairwiseComparison } from './stats.js';
export type { ReportModel, ReportChart, SeriesInfo } from './model.js';
export type { VegaLiteSpec } from './specs.js';
export { buildReportModel, allCharts, defaultMaxPoints } from './model.js';
export { inlineSvg, titledSvg } from './svg-inline.js';
export { lineChartSvg, type LineChartData, type LineTrace, type BandTrace } from './line-svg.js';

/**
 * Renders a Vega-Lite spec to a standalone SVG document. Vega is loaded on the first call only: a
 * report whose charts are all metric charts never loads it (about half a second of a fresh process).
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { renderSvg: render } = await import('./svg.js');
  return render(spec);
}
export { downsampleIndices, downsampleXY } from './downsample.js';
export { describe, welchTTest, mannWhitneyU, compareGroups, holmAdjust, hedgesG } from './stats.js';
export { studentTCdf, studentTQuantile, normalCdf } from './distributions.js';
export { lineChartSpec, groupBandSpec, groupMeansSpec, histogramSpec } from './specs.js';
export { parallelCoordinatesSpec } from './parallel.js';

/** What an agent reads: the output's `report.runs` and `report.best`, plus the statistics. */
export interface ReportSummary {
  runs: ReportRunSummary[];
  best?: ReportBest;
  stats?: HypothesisStats;
  metrics: string[];
  warnings: string[];
}

export interface RenderedReport {
  format: ReportFormat;
  /** The document: HTML, Markdown, or pretty-printed JSON. */
  content: string;
  /** Files the Markdown links to (names relative to the .md file); empty for HTML and JSON. */
  files: ReportFile[];
  summary: ReportSummary;
}

const DEFAULTS = { assetDir: 'report-assets', maxImageBytes: 2 * 1024 * 1024, maxTableRows: 20 };

async function renderCharts(model: ReportModel): Promise<Map<string, string>> {
  const svgs = new Map<string, string>();
  // One at a time: each view is CPU-bound, so parallel renders would only hold more memory.
  for (const chart of allCharts(model)) {
    if (chart.line !== undefined) svgs.set(chart.id, lineChartSvg(chart.line));
    else if (chart.spec !== undefined) svgs.set(chart.id, titledSvg(await renderSvg(chart.spec), chart.title));
  }
  return svgs;
}

function summarise(model: ReportModel): ReportSummary {
  const summary: ReportSummary = {
    runs: model.data.runs.map((r) => ({ runId: r.runId, name: r.name, state: r.state, config: r.config, summary: r.summary })),
    metrics: model.metrics,
    warnings: model.warnings,
  };
  if (model.best) summary.best = model.best;
  if (model.stats) summary.stats = model.stats;
  return summary;
}

/** Renders a report. Reads only the media files the data points at; writes nothing. */
export async function renderReport(data: ReportData, options: RenderReportOptions): Promise<RenderedReport> {
  const model = buildReportModel(data, {
    ...(options.maxPoints !== undefined ? { maxPoints: options.maxPoints } : {}),
    maxImageBytes: options.maxImageBytes ?? DEFAULTS.maxImageBytes,
    maxTableRows: options.maxTableRows ?? DEFAULTS.maxTableRows,
  });
  const summary = summarise(model);
  if (options.format === 'json') {
    return { format: 'json', content: `${JSON.stringify(reportJson(model), null, 2)}\n`, files: [], summary };
  }
  const svgs = await renderCharts(model);
  if (options.format === 'markdown') {
    const md = renderMarkdown(model, svgs, options.assetDir ?? DEFAULTS.assetDir);
    return { format: 'markdown', content: md.content, files: md.files, summary };
  }
  return { format: 'html', content: renderHtml(model, svgs), files: [], summary };
}
