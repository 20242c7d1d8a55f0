/**
 * The report's tables as plain strings (unescaped), so HTML and Markdown show the same cells and
 * each writer only escapes and lays them out.
 */

import { displayValue } from './escape.js';
import { getPath } from './extract.js';
import { fmtBytes, fmtInterval, fmtP, fmtStat } from './format.js';
import type { ReportModel } from './model.js';
import type { MetricTest } from './hypothesis.js';
import type { ReportArtifact } from './types.js';

export interface TextTable {
  headers: string[];
  rows: string[][];
}

/** Runs with state, group, config columns and summary columns. */
export function runsTable(model: ReportModel): TextTable {
  const headers = ['run', 'id', 'state', 'group', 'tags', ...model.configKeys.map((k) => `config.${k}`), ...model.summaryKeys];
  const rows = model.data.runs.map((r) => [
    model.labels.get(r.runId) ?? r.name,
    r.runId,
    r.state,
    [r.group, r.jobType].filter((v) => v !== undefined).join(' / '),
    (r.tags ?? []).join(', '),
    ...model.configKeys.map((k) => displayValue(getPath(r.config, k))),
    ...model.summaryKeys.map((k) => displayValue(getPath(r.summary, k))),
  ]);
  return { headers, rows };
}

/** The best run's objective value and config. */
export function bestTable(model: ReportModel): TextTable | undefined {
  const best = model.best;
  if (!best) return undefined;
  const rows = [
    ['run', `${best.name} (${best.runId})`],
    [`${best.metric} (${best.goal}${model.data.sweep?.runValues !== undefined ? ', best over its history' : ''})`, fmtStat(best.value)],
    ...Object.keys(best.config)
      .filter((k) => !k.startsWith('_'))
      .map((k) => [k, displayValue(best.config[k])]),
  ];
  return { headers: ['', ''], rows };
}

/** Per group: n, mean, std, 95% CI. */
export function groupTable(test: MetricTest): TextTable {
  return {
    headers: ['group', 'n (runs with a value)', 'mean', 'std (sample, n − 1)', '95% CI of the mean', 'min', 'max'],
    rows: test.groups.map((g) => [g.group, String(g.n), fmtStat(g.mean), fmtStat(g.std), fmtInterval(g.ci95), fmtStat(g.min), fmtStat(g.max)]),
  };
}

/**
 * Pairwise tests, each followed by its effect size: Welch's t-test then Hedges' g, the Mann-Whitney
 * U test then the rank-biserial correlation; Holm-adjusted p beside each raw p when there are
 * several pairs. Every header names its test and the direction (A is the first group of the pair).
 */
export function comparisonTable(test: MetricTest): TextTable {
  const many = test.comparisons.length > 1;
  const headers = [
    'A vs B',
    'mean A − mean B',
    'Welch t',
    'Welch df',
    'Welch p (two-sided)',
    ...(many ? ['Welch p (Holm-adjusted)'] : []),
    "Hedges' g (A − B)",
    'Mann-Whitney U (of A)',
    'Mann-Whitney p (two-sided)',
    ...(many ? ['Mann-Whitney p (Holm-adjusted)'] : []),
    'rank-biserial r (A > B)',
    'Mann-Whitney p method',
  ];
  const rows = test.comparisons.map((c) => [
    `${c.a} vs ${c.b}`,
    fmtStat(c.welch.meanDiff),
    fmtStat(c.welch.t),
    fmtStat(c.welch.df),
    fmtP(c.welch.p),
    ...(many ? [fmtP(c.welch.pHolm)] : []),
    fmtStat(c.welch.hedgesG),
    fmtStat(c.mannWhitney.u),
    fmtP(c.mannWhitney.p),
    ...(many ? [fmtP(c.mannWhitney.pHolm)] : []),
    fmtStat(c.mannWhitney.rankBiserial),
    c.mannWhitney.method,
  ]);
  return { headers, rows };
}

function artifactName(a: ReportArtifact): string {
  return a.version ? `${a.name}:${a.version}` : a.name;
}

/** Artifacts each run logged (made) and used. */
export function artifactsTable(model: ReportModel): TextTable {
  const rows: string[][] = [];
  for (const r of model.data.runs) {
    const label = model.labels.get(r.runId) ?? r.name;
    for (const [dir, list] of [
      ['logged', r.artifacts?.logged ?? []],
      ['used', r.artifacts?.used ?? []],
    ] as const) {
      for (const a of list) {
        rows.push([label, dir, artifactName(a), a.type, (a.aliases ?? []).join(', '), a.digest ? a.digest.slice(0, 12) : '', fmtBytes(a.size)]);
      }
    }
  }
  return { headers: ['run', 'direction', 'artifact', 'type', 'aliases', 'digest', 'size'], rows };
}

/** Alerts raised by the runs. */
export function alertsTable(model: ReportModel): TextTable {
  const rows: string[][] = [];
  for (const r of model.data.runs) {
    const label = model.labels.get(r.runId) ?? r.name;
    for (const a of r.alerts ?? []) {
      rows.push([label, a.level, a.title, a.text, a.createdAt ?? '', a.suppressed ? 'suppressed' : '']);
    }
  }
  return { headers: ['run', 'level', 'title', 'text', 'time', ''], rows };
}

/** Media that cannot be shown inline (audio, video, html, unreadable files). */
export function otherMediaTable(model: ReportModel): TextTable {
  const rows = model.media
    .filter((m) => !m.image && !m.table && !m.chart)
    .map((m) => [model.labels.get(m.runId) ?? m.runId, m.key, m.step === undefined ? '' : String(m.step), m.type, m.path ?? '', m.note ?? '']);
  return { headers: ['run', 'key', 'step', 'type', 'path', 'note'], rows };
}
