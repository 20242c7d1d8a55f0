/** Small helpers for the benchmark table. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

export function printTable(rows: Row[]): string {
  const head: Row = { name: 'benchmark', value: 'ours', baseline: 'baseline (same run)', ratio: 'ratio', target: 'target' };
  const all = [head, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row) =>
    `| ${r.name.padEnd(w('name'))} | ${r.value.padEnd(w('value'))} | ${r.baseline.padEnd(w('baseline'))} | ${r.ratio.padEnd(w('ratio'))} | ${r.target.padEnd(w('target'))} |`;
  const sep = `|${'-'.repeat(w('name') + 2)}|${'-'.repeat(w('value') + 2)}|${'-'.repeat(w('baseline') + 2)}|${'-'.repeat(w('ratio') + 2)}|${'-'.repeat(w('target') + 2)}|`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}

export function fmtUs(ms: number): string {
  return `${(ms * 1000).toFixed(0)} µs`;
}
