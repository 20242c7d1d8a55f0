/**
 * The report as data: runs (without their history, which can be millions of rows; each metric's
 * series is described by its length, last, min and max), the best run, the statistics and notes.
 */

import type { ReportModel } from './model.js';
import { REPORT_GENERATOR } from './marker.js';

/** The JSON document of a report (pretty-printed by the caller). */
export function reportJson(model: ReportModel): Record<string, unknown> {
  const d = model.data;
  return {
    // The mark that lets a later report replace this file (marker.ts); first, so a probe finds it.
    generator: REPORT_GENERATOR,
    title: d.title,
    description: d.description ?? null,
    project: d.project,
    entity: d.entity ?? null,
    url: d.url ?? null,
    generatedAt: d.generatedAt,
    xAxis: model.xAxis,
    metrics: model.metrics,
    runs: d.runs.map((r) => ({
      runId: r.runId,
      name: r.name,
      state: r.state,
      group: r.group ?? null,
      jobType: r.jobType ?? null,
      tags: r.tags ?? [],
      createdAt: r.createdAt ?? null,
      url: r.url ?? null,
      config: r.config,
      summary: r.summary,
      historyLength: r.columns?.rows ?? r.history.length,
      series: model.series.get(r.runId) ?? {},
      media: model.media
        .filter((m) => m.runId === r.runId)
        .map((m) => ({ key: m.key, step: m.step ?? null, type: m.type, path: m.path ?? null, caption: m.caption ?? null })),
      artifacts: r.artifacts ?? { logged: [], used: [] },
      alerts: r.alerts ?? [],
    })),
    sweep: d.sweep ?? null,
    best: model.best ?? null,
    stats: model.stats ?? null,
    warnings: model.warnings,
  };
}
