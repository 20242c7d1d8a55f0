/**
 * W&B's report spec (PROTOCOL.md §8): a heading, the description and a Markdown block with the runs,
 * the best run and the group statistics; live panel grids need the project's internal id and W&B's
 * long runSet defaults, so they are left to the W&B UI.
 */
import type { ReportSummary } from './index.js';

const text = (t: string) => ({ text: t });
const paragraph = (t: string) => ({ type: 'paragraph', children: [text(t)] });

/** Markdown table cells: pipes and newlines would break the row. */
function cell(v: unknown): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
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
