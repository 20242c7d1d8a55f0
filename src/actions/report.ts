import { existsSync, rmSync } from 'node:fs';
import type { ActionContext, ActionHandler, ActionResult } from './context.js';
import type { ReportFormat } from '../report/index.js';
import { randomId } from '../random-id.js';
import { selectRuns } from './report/select.js';
import { buildReportData } from './report/data.js';
import { assetDirFor, reportPath, writeReport } from './report/write.js';
import type { OnlineReportDeps } from '../online/reports.js';
import { reportSpec } from '../report/wandb-spec.js';
import { toolPaths } from '../protected-paths.js';
import { checkNamedRun } from '../runs/lifecycle.js';
import { capSummary, summaryCapWarning } from '../runs/summary-cap.js';

/**
 * `report`: renders the chosen runs of the project (line charts per metric, configs and summaries,
 * the sweep's parallel coordinates and best run, media, artifacts, alerts, group statistics) to an
 * HTML, Markdown or JSON file, records it for the dashboard, and online also creates it in W&B.
 * The output carries the runs, best run and statistics, so an agent need not open the file.
 */
export const report: ActionHandler = (ctx) => reportWith(ctx);

/** The handler with injectable online dependencies (tests, embedders). */
export async function reportWith(ctx: ActionContext, deps?: OnlineReportDeps): Promise<ActionResult> {
  const cfg = ctx.input.reportConfig ?? {};
  const format: ReportFormat = cfg.format ?? 'html';
  const project = ctx.settings.project;
  const title = cfg.title ?? `${project} report`;
  if (ctx.settings.mode === 'disabled') return { project, report: { path: '', format, runs: [] } };

  const store = ctx.store();
  checkNamedRun(ctx, store);
  // Checked before any rendering, so a bad path costs nothing.
  const tool = toolPaths(ctx.settings);
  const path = reportPath({
    dir: ctx.settings.dir,
    cwd: ctx.settings.cwd,
    outputPath: cfg.outputPath,
    title,
    format,
    nowMs: ctx.now(),
    overwrite: cfg.overwrite,
    tool,
  });
  const runs = selectRuns(store, project, { runIds: cfg.runIds, sweepId: cfg.sweepId, tags: cfg.tags }, (m) => ctx.warn(m));
  const data = await buildReportData(ctx, store, runs, cfg, title);
  const assetDir = assetDirFor(path);
  // Vega loads only if a chart needs it (metric charts are drawn without it; see report/index.ts).
  const { renderReport } = await import('../report/index.js');
  const rendered = await renderReport(data, { format, assetDir, ...(cfg.maxPoints !== undefined ? { maxPoints: cfg.maxPoints } : {}) });
  const fresh = !existsSync(path);
  const files = writeReport(path, rendered.content, rendered.files, tool);
  for (const w of rendered.summary.warnings) ctx.warn(w);

  const id = randomId(ctx, 'rp-');
  try {
    store.write(() =>
      store.reports.insert({
        id,
        project,
        title,
        format,
        path,
        url: null,
        viewId: null,
        sweepId: cfg.sweepId ?? null,
        runIds: runs.map((r) => r.id),
        createdAt: ctx.now() / 1000,
      }),
    );
  } catch (err) {
    // A report the store cannot record (a busy store) is not left behind, unless it replaced a file.
    if (fresh) for (const f of [path, ...files]) rmSync(f, { force: true });
    throw err;
  }

  const out: NonNullable<ActionResult['report']> = {
    id,
    title,
    path,
    format,
    runs: outputRuns(ctx, rendered.summary.runs, format === 'json' ? path : undefined),
    // The charted metrics: at most 64 (report/model.ts caps what it finds; the schema caps what is named).
    metrics: rendered.summary.metrics,
  };
  if (files.length > 0) out['files'] = files;
  if (rendered.summary.best) out.best = rendered.summary.best as unknown as Record<string, unknown>;
  if (rendered.summary.stats) out.stats = rendered.summary.stats as unknown as Record<string, unknown>;

  if (ctx.settings.mode === 'online') {
    try {
      // Loaded only online: the W&B client's documents and transport cost an offline report nothing.
      const { publishReport } = await import('../online/reports.js');
      const { url, viewId, shareUrl } = await publishReport(
        ctx,
        { title, description: cfg.description, spec: reportSpec(title, cfg.description, rendered.summary), share: cfg.share },
        deps,
      );
      out.url = url;
      if (shareUrl !== undefined) out.shareUrl = shareUrl;
      store.write(() => store.reports.setOnline(id, url, viewId));
    } catch (err) {
      ctx.warn(`the report was written locally but not created in W&B: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const result: ActionResult = { project, report: out };
  if (cfg.sweepId !== undefined) result.sweepId = cfg.sweepId;
  return result;
}

/** The runs as the output lists them: each summary cut to 200 keys (the report file keeps them all). */
function outputRuns(
  ctx: ActionContext,
  runs: ReadonlyArray<{ runId: string; summary: Record<string, unknown> }>,
  jsonPath: string | undefined,
): Array<Record<string, unknown>> {
  const cut: string[] = [];
  let most = 0;
  const out = runs.map((r) => {
    const { summary, total } = capSummary(r.summary);
    if (total === undefined) return { ...r };
    cut.push(r.runId);
    most = Math.max(most, total);
    return { ...r, summary, summaryKeys: total };
  });
  if (cut.length > 0)
    ctx.warn(
      `${summaryCapWarning(cut, most, undefined, ctx.settings.project)}${jsonPath === undefined ? '' : `; this report's file ${jsonPath} already holds them`}`,
    );
  return out;
}
