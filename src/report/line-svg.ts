/**
 * Line charts straight to SVG: axes, grid, one path per line, bands, a legend that lists every
 * entry. Metric charts are the bulk of a report, and drawing them here instead of through a Vega
 * view costs about 1 ms a chart instead of 15 to 60, and spares loading Vega at all when a report has
 * no other chart (measured in bench/report.ts). Vega-Lite stays for presets and the other charts.
 * Every user string is escaped; the SVG carries a `<title>` and `role="img"` for screen readers.
 */
import { escapeHtml as e } from './escape.js';

/** One drawn line: x ascending. `dash` draws it dashed from `dashFrom` (an x) on. */
export interface LineTrace {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  width?: number;
  /** Legend text after the label (a last value, a run count). */
  note?: string;
  dashFrom?: number;
}

/** A shaded band between `lo` and `hi` over `xs`. */
export interface BandTrace {
  label: string;
  color: string;
  xs: readonly number[];
  lo: readonly number[];
  hi: readonly number[];
  opacity?: number;
}

export interface LineChartData {
  title: string;
  xTitle: string;
  yTitle: string;
  lines: LineTrace[];
  bands: BandTrace[];
  /** Legend rows in order: `line` names a line or band label to take the look from. */
  legend?: Array<{ label: string; color: string; kind: 'line' | 'band' | 'dashed'; note?: string }>;
  width?: number;
  height?: number;
}

const M = { left: 58, right: 14, top: 30, bottom: 42 };
const LEGEND_ROW = 17;
/** Legend labels longer than this are shortened (the full label is the entry's tooltip). */
const LABEL_CHARS = { one: 64, two: 30 };

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** A tick label: 20k, 1.5M, 0.25, 1e-5. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a < 1e-3) return v.toExponential(1).replace('.0e', 'e');
  return String(Number(v.toPrecision(4)));
}

function extent(c: LineChartData): { x: [number, number]; y: [number, number] } | undefined {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  const see = (x: number, y: number): void => {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  };
  for (const l of c.lines) for (let i = 0; i < l.xs.length; i++) see(l.xs[i] as number, l.ys[i] as number);
  for (const b of c.bands) {
    for (let i = 0; i < b.xs.length; i++) {
      see(b.xs[i] as number, b.lo[i] as number);
      see(b.xs[i] as number, b.hi[i] as number);
    }
  }
  if (x0 > x1) return undefined;
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  return { x: [x0, x1], y: [y0, y1] };
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

/** A path's points to a tenth of a pixel (plain concatenation: tens of thousands of points a report). */
function path(xs: ArrayLike<number>, ys: ArrayLike<number>, from: number, to: number, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  for (let i = from; i < to; i++) d += (i === from ? 'M' : 'L') + Math.round(sx(xs[i] as number) * 10) / 10 + ',' + Math.round(sy(ys[i] as number) * 10) / 10;
  return d;
}

function short(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** The chart as a standalone SVG document. */
export function lineChartSvg(c: LineChartData): string {
  const w = c.width ?? 440;
  const h = c.height ?? 240;
  const legend = c.legend ?? c.lines.map((l) => ({ label: l.label, color: l.color, kind: 'line' as const, ...(l.note !== undefined ? { note: l.note } : {}) }));
  const legendRows = Math.ceil(legend.length / (legend.length > 6 ? 2 : 1));
  const width = M.left + w + M.right;
  const height = M.top + h + M.bottom + legendRows * LEGEND_ROW + 6;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${e(c.title)}">`,
  );
  out.push(`<title>${e(c.title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="8" y="18" font-family="Helvetica, Arial, sans-serif" font-size="14" font-weight="bold">${e(c.title)}</text>`);
  const ext = extent(c);
  out.push(`<g transform="translate(${M.left},${M.top})" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${w}" height="${h}" fill="none" stroke="#ddd"/>`);
  if (ext === undefined) out.push(`<text x="${w / 2}" y="${h / 2}" text-anchor="middle" fill="#777">no finite values</text>`);
  else {
    const yt = niceTicks(ext.y[0], ext.y[1], 5);
    const ylo = Math.min(ext.y[0], yt[0] as number);
    const yhi = Math.max(ext.y[1], yt[yt.length - 1] as number);
    const sx = (v: number): number => ((v - ext.x[0]) / (ext.x[1] - ext.x[0])) * w;
    const sy = (v: number): number => h - ((v - ylo) / (yhi - ylo)) * h;
    for (const t of yt) {
      const y = r2(sy(t));
      out.push(`<line x1="0" x2="${w}" y1="${y}" y2="${y}" stroke="#eee"/><text x="-6" y="${y + 3.5}" text-anchor="end" fill="#333">${e(tickLabel(t))}</text>`);
    }
    for (const t of niceTicks(ext.x[0], ext.x[1], 6)) {
      const x = r2(sx(t));
      out.push(
        `<line x1="${x}" x2="${x}" y1="${h}" y2="${h + 4}" stroke="#888"/><text x="${x}" y="${h + 16}" text-anchor="middle" fill="#333">${e(tickLabel(t))}</text>`,
      );
    }
    out.push(`<text x="${w / 2}" y="${h + 34}" text-anchor="middle" font-size="12">${e(c.xTitle)}</text>`);
    out.push(`<text transform="translate(-44,${h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${e(c.yTitle)}</text>`);
    for (const b of c.bands) {
      const up = path(b.xs, b.hi, 0, b.xs.length, sx, sy);
      let down = '';
      for (let i = b.xs.length - 1; i >= 0; i--) down += 'L' + Math.round(sx(b.xs[i] as number) * 10) / 10 + ',' + Math.round(sy(b.lo[i] as number) * 10) / 10;
      out.push(
        `<path aria-roledescription="band" aria-label="${e(b.label)}" d="${up}${down}Z" fill="${e(b.color)}" fill-opacity="${b.opacity ?? 0.18}" stroke="none"/>`,
      );
    }
    for (const l of c.lines) {
      const n = l.xs.length;
      if (n === 0) continue;
      const attrs = `fill="none" stroke="${e(l.color)}" stroke-width="${l.width ?? 1.6}" stroke-linejoin="round"`;
      let split = n;
      if (l.dashFrom !== undefined) {
        split = 0;
        while (split < n && (l.xs[split] as number) < l.dashFrom) split++;
      }
      const solidEnd = Math.min(n, split + 1);
      if (split > 0) out.push(`<path aria-roledescription="line mark" aria-label="${e(l.label)}" d="${path(l.xs, l.ys, 0, solidEnd, sx, sy)}" ${attrs}/>`);
      if (split < n) {
        const label = split > 0 ? `${l.label} (fewer runs)` : l.label;
        out.push(
          `<path aria-roledescription="dashed line" aria-label="${e(label)}" d="${path(l.xs, l.ys, Math.max(0, split - 1), n, sx, sy)}" ${attrs} stroke-dasharray="5,4"/>`,
        );
      }
      // Every line ends in a dot, so a run of a few steps among long ones is still seen; short series show each point.
      const dots = n <= 30 ? Array.from({ length: n }, (_, i) => i) : [n - 1];
      for (const i of dots) out.push(`<circle cx="${r2(sx(l.xs[i] as number))}" cy="${r2(sy(l.ys[i] as number))}" r="2.4" fill="${e(l.color)}"/>`);
    }
  }
  out.push('</g>');
  const cols = legend.length > 6 ? 2 : 1;
  const colW = (w + M.left) / cols;
  legend.forEach((item, i) => {
    const x = 8 + (i % cols) * colW;
    const y = M.top + h + M.bottom + Math.floor(i / cols) * LEGEND_ROW + 8;
    const mark =
      item.kind === 'band'
        ? `<rect x="0" y="-9" width="18" height="10" fill="${e(item.color)}" fill-opacity="0.3"/>`
        : `<line x1="0" x2="18" y1="-4" y2="-4" stroke="${e(item.color)}" stroke-width="3"${item.kind === 'dashed' ? ' stroke-dasharray="4,3"' : ''}/>`;
    const text = `${short(item.label, cols === 2 ? LABEL_CHARS.two : LABEL_CHARS.one)}${item.note ? ` · ${item.note}` : ''}`;
    out.push(
      `<g transform="translate(${r2(x)},${y})" font-family="Helvetica, Arial, sans-serif" font-size="11">${mark}<text x="24" y="0">${e(text)}<title>${e(item.label)}</title></text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}
