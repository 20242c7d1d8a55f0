/**
 * The report as one self-contained HTML file: inline CSS, inline SVG charts, images as data: URIs,
 * no script, no external reference. Every user string passes through `escapeHtml`; a CSP meta tag
 * blocks scripts and remote loads even if something slipped through.
 */

import { escapeHtml as e } from './escape.js';
import { metricDefinition } from './extract.js';
import { HTML_MARK } from './marker.js';
import type { LoadedMedia } from './media-embed.js';
import { DEFAULT_TOP_RUNS, type ReportChart, type ReportModel } from './model.js';
import { palette } from './specs.js';
import { inlineSvg } from './svg-inline.js';
import { alertsTable, artifactsTable, bestTable, comparisonTable, groupTable, otherMediaTable, runsTable, type TextTable } from './tables.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 Helvetica,Arial,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 6px}
h2{font-size:19px;margin:32px 0 12px;padding-bottom:4px;border-bottom:2px solid #e3e5e8}
h3{font-size:15px;margin:20px 0 8px}
.meta{color:#555;font-size:13px}
.desc{white-space:pre-wrap;margin:10px 0}
.card{background:#fff;border:1px solid #e3e5e8;border-radius:6px;padding:12px 16px;margin:10px 0}
.grid{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
figure{margin:0;background:#fff;border:1px solid #e3e5e8;border-radius:6px;padding:10px;max-width:100%;overflow-x:auto}
figure svg{display:block;max-width:none}
figcaption{font-size:12px;color:#555;margin-top:4px;max-width:512px;overflow-wrap:anywhere}
.scroll{overflow-x:auto;background:#fff;border:1px solid #e3e5e8;border-radius:6px}
table{border-collapse:collapse;font-size:12.5px;width:100%}
th,td{padding:5px 9px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top;white-space:nowrap;max-width:360px;overflow:hidden;text-overflow:ellipsis}
th{background:#f0f2f5;font-weight:600}
td.wrap{white-space:normal}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.state{padding:1px 7px;border-radius:9px;font-size:11.5px;background:#e8e8e8}
.state-finished{background:#dff3e4;color:#1c6b34}.state-running{background:#dceaff;color:#1f4f99}
.state-failed,.state-crashed{background:#fde2e1;color:#a12622}.state-killed{background:#eee;color:#555}
.level-ERROR{color:#a12622;font-weight:600}.level-WARN{color:#8a5a00;font-weight:600}
.media img{width:240px;height:auto;max-height:320px;object-fit:contain;display:block}
.note{color:#666;font-size:12.5px}
ul.warnings{color:#8a5a00}
footer{margin-top:40px;color:#777;font-size:12px}
`;

/** A number as the tables print it (NaN, infinities, exponents, p-values like "< 0.001"), or an empty / missing mark. */
const NUMBER = /^(?:[<>]\s*)?[-+\u2212]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?%?$|^[-+]?(?:NaN|Infinity)$/i;
const EMPTY = /^(?:|\u2013|\u2014|-)$/;

function table(t: TextTable, cell?: (row: number, col: number, text: string) => string): string {
  // A column whose cells are all numbers (blanks and dashes aside) is right-aligned, its header too.
  const numeric = t.headers.map((_, j) => {
    const cells = t.rows.map((r) => (r[j] ?? '').trim()).filter((c) => !EMPTY.test(c));
    return cells.length > 0 && cells.every((c) => NUMBER.test(c));
  });
  const cls = (j: number): string => (numeric[j] ? ' class="n"' : '');
  const head = t.headers.map((h, j) => `<th${cls(j)}>${e(h)}</th>`).join('');
  const body = t.rows.map((r, i) => `<tr>${r.map((c, j) => `<td${cls(j)} title="${e(c)}">${cell ? cell(i, j, c) : e(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function figure(chart: ReportChart | undefined, svgs: ReadonlyMap<string, string>, caption?: string): string {
  if (!chart) return '';
  const svg = svgs.get(chart.id);
  if (svg === undefined) return '';
  const text = [caption, chart.caption].filter((c) => c !== undefined && c !== '').join(' ');
  const cap = text ? `<figcaption>${e(text)}</figcaption>` : '';
  return `<figure id="${e(chart.id)}" role="img" aria-label="${e(chart.title)}">${inlineSvg(svg)}${cap}</figure>`;
}

function header(model: ReportModel): string {
  const d = model.data;
  const where = d.entity ? `${d.entity}/${d.project}` : d.project;
  const parts = [`project ${e(where)}`, `${d.runs.length} run${d.runs.length === 1 ? '' : 's'}`, `x axis ${e(model.xAxis)}`, `generated ${e(d.generatedAt)}`];
  const url = d.url ? `<div class="meta">W&amp;B report: <code>${e(d.url)}</code></div>` : '';
  const desc = d.description ? `<p class="desc">${e(d.description)}</p>` : '';
  return `<header><h1>${e(d.title)}</h1><div class="meta">${parts.join(' · ')}</div>${url}${desc}</header>`;
}

function runsSection(model: ReportModel): string {
  const colors = palette(model.data.runs.length);
  const t = runsTable(model);
  // Colours match the charts only while every run is a line of its own (charts of more runs colour by rank).
  const swatches = model.data.runs.length <= DEFAULT_TOP_RUNS;
  const body = table(t, (row, col, text) => {
    if (col === 0 && swatches) return `<span class="swatch" style="background:${colors[row % colors.length] ?? '#999'}"></span>${e(text)}`;
    if (col === 2) return `<span class="state state-${e(text)}">${e(text)}</span>`;
    return e(text);
  });
  return `<section><h2>Runs</h2>${body}</section>`;
}

function sweepSection(model: ReportModel, svgs: ReadonlyMap<string, string>): string {
  const s = model.data.sweep;
  if (!s) return '';
  const info = `<div class="card">Sweep <code>${e(s.sweepId)}</code> · method ${e(s.method)} · ${e(s.metric.goal)} <b>${e(s.metric.name)}</b>${s.state ? ` · ${e(s.state)}` : ''}</div>`;
  const best = bestTable(model);
  const bestHtml = best ? `<h3>Best run</h3>${table(best)}` : '<p class="note">No run has a value for the sweep metric yet.</p>';
  const scoring = `<p class="note" id="sweep-scoring">How runs are scored: ${e(metricDefinition(s.metric.name, s.metric.goal, s.runValues !== undefined))}.</p>`;
  return `<section><h2>Sweep</h2>${info}${scoring}<div class="grid">${figure(model.sweepChart, svgs, 'One line per run, coloured by the metric; the best run is drawn thicker.')}</div>${bestHtml}</section>`;
}

function statsSection(model: ReportModel, svgs: ReadonlyMap<string, string>): string {
  const stats = model.stats;
  if (!stats) return '';
  const intro = `<p class="note">Runs grouped by <code>${e(stats.groupBy)}</code>; each metric's summary value per run (its last value when the summary has none). Welch's t-test does not assume equal variances; the Mann-Whitney U test does not assume normality. Both are two-sided; with more than two groups, Holm-adjusted p-values account for the number of pairs. Each test is followed by its effect size: Hedges' g (the mean difference in pooled standard deviations, small-sample corrected; about 0.2 small, 0.5 medium, 0.8 large) and the rank-biserial correlation (from −1 to 1: the share of pairs where A's value is larger minus the share where it is smaller).${stats.ungrouped.length ? ` ${stats.ungrouped.length} run(s) without a group value are left out.` : ''}</p>`;
  const parts = stats.metrics.map((t) => {
    const charts = model.groupCharts.find((g) => g.metric === t.metric);
    const comparisons = t.comparisons.length ? table(comparisonTable(t)) : '<p class="note">Fewer than two groups: nothing to compare.</p>';
    return `<h3>${e(t.metric)}</h3>${table(groupTable(t))}<div style="height:8px"></div>${comparisons}<div class="grid" style="margin-top:12px">${figure(charts?.band, svgs)}${figure(charts?.means, svgs)}</div>`;
  });
  return `<section><h2>Hypothesis tests</h2>${intro}${parts.join('\n')}</section>`;
}

function mediaItem(m: LoadedMedia & { chart?: ReportChart }, model: ReportModel, svgs: ReadonlyMap<string, string>): string {
  const label = `${model.labels.get(m.runId) ?? m.runId} · ${m.key}${m.step === undefined ? '' : ` @ ${m.step}`}`;
  const caption = m.caption ? `${label} — ${m.caption}` : label;
  if (m.image) {
    const src = `data:${m.image.mediaType};base64,${Buffer.from(m.image.bytes).toString('base64')}`;
    return `<figure class="media"><img alt="${e(caption)}" src="${src}"><figcaption>${e(caption)}</figcaption></figure>`;
  }
  if (m.chart) return figure(m.chart, svgs, caption);
  return '';
}

function mediaSection(model: ReportModel, svgs: ReadonlyMap<string, string>): string {
  if (model.media.length === 0) return '';
  const inline = model.media.map((m) => mediaItem(m, model, svgs)).filter((s) => s !== '');
  const tables = model.media
    .filter((m) => m.table)
    .map((m) => {
      const t = m.table as NonNullable<LoadedMedia['table']>;
      const shown = t.rows.length < t.totalRows ? ` (first ${t.rows.length} of ${t.totalRows} rows)` : ` (${t.totalRows} rows)`;
      const title = `${model.labels.get(m.runId) ?? m.runId} · ${m.key}${m.step === undefined ? '' : ` @ ${m.step}`}${shown}`;
      return `<h3>${e(title)}</h3>${table({ headers: t.columns, rows: t.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : (JSON.stringify(c) ?? '')))) })}`;
    });
  const others = otherMediaTable(model);
  const list = others.rows.length ? `<h3>Other media</h3>${table(others)}` : '';
  return `<section><h2>Media and tables</h2><div class="grid">${inline.join('\n')}</div>${tables.join('\n')}${list}</section>`;
}

function simpleSection(title: string, t: TextTable, cell?: (row: number, col: number, text: string) => string): string {
  return t.rows.length ? `<section><h2>${e(title)}</h2>${table(t, cell)}</section>` : '';
}

/** Renders the HTML document; `svgs` maps chart ids to the SVG strings rendered for them. */
export function renderHtml(model: ReportModel, svgs: ReadonlyMap<string, string>): string {
  const charts = model.lineCharts.length
    ? `<section><h2>Metrics</h2><div class="grid">${model.lineCharts.map((c) => figure(c, svgs)).join('\n')}</div></section>`
    : '<section><h2>Metrics</h2><p class="note">No numeric metrics were logged.</p></section>';
  const presets = model.presetCharts.length
    ? `<section><h2>Logged charts</h2><div class="grid">${model.presetCharts.map((c) => figure(c, svgs)).join('\n')}</div></section>`
    : '';
  const best = !model.data.sweep && model.best ? `<section><h2>Best run</h2>${table(bestTable(model) as TextTable)}</section>` : '';
  const warnings = model.warnings.length
    ? `<section><h2>Notes</h2><ul class="warnings">${model.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>`
    : '';
  const alerts = simpleSection('Alerts', alertsTable(model), (_r, col, text) => (col === 1 ? `<span class="level-${e(text)}">${e(text)}</span>` : e(text)));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${HTML_MARK}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${e(model.data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${header(model)}
${charts}
${presets}
${runsSection(model)}
${best}
${sweepSection(model, svgs)}
${statsSection(model, svgs)}
${mediaSection(model, svgs)}
${simpleSection('Artifacts', artifactsTable(model))}
${alerts}
${warnings}
<footer>Generated by wandb-experiment-tracker on ${e(model.data.generatedAt)}.</footer>
</main>
</body>
</html>
`;
}
