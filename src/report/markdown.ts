/**
 * The report as Markdown (GitHub-flavoured tables) plus the files it links to. Files are returned,
 * not written: each has a `name` relative to the Markdown file (`<assetDir>/<chart>.svg`,
 * `<assetDir>/media-<n>-<key>.<ext>`), and the caller writes them beside it.
 */

import { escapeMarkdown as m, slug } from './escape.js';
import { metricDefinition } from './extract.js';
import { MARKDOWN_MARK } from './marker.js';
import type { LoadedMedia } from './media-embed.js';
import type { ReportChart, ReportModel } from './model.js';
import { alertsTable, artifactsTable, bestTable, comparisonTable, groupTable, otherMediaTable, runsTable, type TextTable } from './tables.js';
import type { ReportFile } from './types.js';

function table(t: TextTable): string {
  const headers = t.headers.map((h) => (h === '' ? ' ' : m(h)));
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`];
  for (const r of t.rows) lines.push(`| ${r.map((c) => m(c)).join(' | ')} |`);
  return lines.join('\n');
}

function link(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Renders Markdown; `svgs` maps chart ids to SVG strings, which become files under `assetDir`. */
export function renderMarkdown(model: ReportModel, svgs: ReadonlyMap<string, string>, assetDir: string): { content: string; files: ReportFile[] } {
  const files: ReportFile[] = [];
  const dir = assetDir.replace(/\/+$/, '');
  const chart = (c: ReportChart | undefined): string => {
    if (!c) return '';
    const svg = svgs.get(c.id);
    if (svg === undefined) return '';
    const name = `${dir}/${c.id}-${slug(c.title)}.svg`;
    files.push({ name, content: svg, mediaType: 'image/svg+xml' });
    return `![${m(c.title)}](${link(name)})\n${c.caption ? `\n${m(c.caption)}\n` : ''}`;
  };
  const d = model.data;
  const out: string[] = [];
  out.push(`# ${m(d.title)}`, '');
  const where = d.entity ? `${d.entity}/${d.project}` : d.project;
  out.push(`Project ${m(where)} · ${d.runs.length} run${d.runs.length === 1 ? '' : 's'} · x axis ${m(model.xAxis)} · generated ${m(d.generatedAt)}`, '');
  if (d.url) out.push(`W&B report: ${m(d.url)}`, '');
  if (d.description) out.push(...d.description.split(/\r?\n/).map((line) => m(line)), '');

  out.push('## Metrics', '');
  if (model.lineCharts.length === 0) out.push('No numeric metrics were logged.', '');
  for (const c of model.lineCharts) out.push(chart(c));
  if (model.presetCharts.length) out.push('## Logged charts', '', ...model.presetCharts.map((c) => chart(c)));

  out.push('## Runs', '', table(runsTable(model)), '');
  if (!d.sweep && model.best) out.push('## Best run', '', table(bestTable(model) as TextTable), '');

  if (d.sweep) {
    const s = d.sweep;
    out.push('## Sweep', '', `Sweep ${m(s.sweepId)} · method ${m(s.method)} · ${m(s.metric.goal)} **${m(s.metric.name)}**`, '');
    out.push(`How runs are scored: ${m(metricDefinition(s.metric.name, s.metric.goal, s.runValues !== undefined))}.`, '');
    out.push(chart(model.sweepChart));
    const best = bestTable(model);
    out.push(...(best ? ['### Best run', '', table(best), ''] : ['No run has a value for the sweep metric yet.', '']));
  }

  if (model.stats) {
    out.push(
      '## Hypothesis tests',
      '',
      `Runs grouped by ${m(model.stats.groupBy)}; each metric's summary value per run. Welch's t-test and the Mann-Whitney U test, two-sided, each followed by its effect size (Hedges' g; the rank-biserial correlation); Holm-adjusted p-values when there are more than two groups.`,
      '',
    );
    for (const t of model.stats.metrics) {
      const charts = model.groupCharts.find((g) => g.metric === t.metric);
      out.push(`### ${m(t.metric)}`, '', table(groupTable(t)), '');
      if (t.comparisons.length) out.push(table(comparisonTable(t)), '');
      out.push(chart(charts?.band), chart(charts?.means));
    }
  }

  const mediaLines: string[] = [];
  let n = 0;
  const mediaLabel = (x: LoadedMedia): string =>
    `${model.labels.get(x.runId) ?? x.runId} · ${x.key}${x.step === undefined ? '' : ` @ ${x.step}`}${x.caption ? ` — ${x.caption}` : ''}`;
  for (const x of model.media) {
    if (x.image) {
      n++;
      const name = `${dir}/media-${n}-${slug(x.key)}.${x.image.ext}`;
      files.push({ name, content: x.image.bytes, mediaType: x.image.mediaType });
      mediaLines.push(`![${m(mediaLabel(x))}](${link(name)})`, '', m(mediaLabel(x)), '');
    } else if (x.chart) mediaLines.push(chart(x.chart));
    else if (x.table) {
      const t = x.table;
      mediaLines.push(`**${m(mediaLabel(x))}** (${t.rows.length < t.totalRows ? `first ${t.rows.length} of ` : ''}${t.totalRows} rows)`, '');
      mediaLines.push(table({ headers: t.columns, rows: t.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : (JSON.stringify(c) ?? '')))) }), '');
    }
  }
  const others = otherMediaTable(model);
  if (others.rows.length) mediaLines.push('### Other media', '', table(others), '');
  if (mediaLines.length) out.push('## Media and tables', '', ...mediaLines);

  const artifacts = artifactsTable(model);
  if (artifacts.rows.length) out.push('## Artifacts', '', table(artifacts), '');
  const alerts = alertsTable(model);
  if (alerts.rows.length) out.push('## Alerts', '', table(alerts), '');
  if (model.warnings.length) out.push('## Notes', '', ...model.warnings.map((w) => `- ${m(w)}`), '');
  // The mark that lets a later report replace this file (marker.ts), invisible when rendered.
  return {
    content: `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n\n${MARKDOWN_MARK}\n`,
    files,
  };
}
