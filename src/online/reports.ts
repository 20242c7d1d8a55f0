/**
 * The report in W&B (PROTOCOL.md §8): a `View` of type `runs` created with `upsertView` after
 * `upsertModel` makes sure the project exists. The spec holds a heading, the description and a
 * Markdown block with the runs, the best run and the group statistics; live panel grids need the
 * project's internal id and W&B's long runSet defaults, so they are left to the W&B UI.
 */
import type { ReportSummary } from '../report/index.js';
import { createAccessToken, upsertModel, upsertView } from '../wandb/operations.js';
import { reportUrl } from '../wandb/urls.js';
import { connect as defaultConnect, type Connection } from './connection.js';
import type { OnlineScope } from './scope.js';

export interface OnlineReportDeps {
  connect: (ctx: OnlineScope) => Promise<Connection>;
}

/** A view name: 12 characters of [0-9a-z] from the scope's random source. */
function viewName(scope: OnlineScope): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 12; i++) s += alphabet[scope.random(36)];
  return s;
}

const text = (t: string) => ({ text: t });
const paragraph = (t: string) => ({ type: 'paragraph', children: [text(t)] });

/** Markdown table cells: pipes and newlines would break the row. */
function cell(v: unknown): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 200);
}

/** The Markdown block's content. */
export function reportMarkdown(summary: ReportSummary): string {
  const metrics = summary.metrics.slice(0, 8);
  const lines = [`| run | id | state | ${metrics.map(cell).join(' | ')} |`, `|---|---|---|${metrics.map(() => '---|').join('')}`];
  for (const r of summary.runs) lines.push(`| ${cell(r.name)} | ${cell(r.runId)} | ${r.state} | ${metrics.map((m) => cell(r.summary[m] ?? '')).join(' | ')} |`);
  if (summary.best) {
    const b = summary.best;
    lines.push('', `**Best run:** ${cell(b.name)} (${cell(b.runId)}): ${cell(b.metric)} = ${cell(b.value)} (${b.goal})`);
  }
  if (summary.stats) {
    lines.push('', `**Groups by ${cell(summary.stats.groupBy)}**`);
    for (const t of summary.stats.metrics) {
      const groups = t.groups.map((g) => `${cell(g.group)}: n=${g.n}, mean=${g.mean === null ? '-' : cell(g.mean)}`).join('; ');
      lines.push(`- ${cell(t.metric)}: ${groups}`);
    }
  }
  return lines.join('\n');
}

/** W&B's report spec (version 5), wrapped in empty paragraphs as the W&B library writes it. */
export function reportSpec(title: string, description: string | undefined, summary: ReportSummary): string {
  const blocks: unknown[] = [paragraph(''), { type: 'heading', children: [text(title)], level: 1 }];
  if (description) blocks.push(paragraph(description));
  blocks.push({ type: 'markdown-block', children: [text('')], content: reportMarkdown(summary) }, paragraph(''));
  return JSON.stringify({ version: 5, panelSettings: {}, blocks, width: 'readable', authors: [], discussionThreads: [] });
}

/** Creates the report on the server; returns its URL and view id. Throws what the client throws. */
export async function publishReport(
  ctx: OnlineScope,
  report: { title: string; description?: string | undefined; summary: ReportSummary; share?: boolean | undefined },
  deps: OnlineReportDeps = { connect: (c) => defaultConnect(c) },
): Promise<{ url: string; viewId: string; shareUrl?: string }> {
  const conn = await deps.connect(ctx);
  const project = ctx.settings.project;
  await upsertModel(conn.client, { name: project, entityName: conn.entity });
  const view = await upsertView(conn.client, {
    entityName: conn.entity,
    projectName: project,
    type: 'runs',
    name: viewName(ctx),
    // W&B caps displayName at 128 characters.
    displayName: report.title.slice(0, 128),
    description: report.description ?? '',
    spec: reportSpec(report.title, report.description, report.summary),
  });
  const url = reportUrl({ appUrl: conn.appUrl, entity: conn.entity, project, title: report.title.slice(0, 128), viewId: view.id });
  if (report.share !== true) return { url, viewId: view.id };
  // A view-only link for people outside the team (PROTOCOL.md 8): the report URL plus its token.
  const token = await createAccessToken(conn.client, { viewId: view.id, entityName: conn.entity, projectName: project });
  return { url, viewId: view.id, shareUrl: `${url}?accessToken=${encodeURIComponent(token)}` };
}
