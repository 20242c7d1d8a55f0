/** Number formatting shared by the HTML and Markdown writers. */

/** A statistic: 4 significant digits, exponent form for tiny or huge magnitudes, `–` for null. */
export function fmtStat(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e7) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** A p-value: `< 1e-16` below double precision, else 3 significant digits. */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  if (p < 1e-16) return '< 1e-16';
  if (p < 1e-4) return p.toExponential(2);
  return String(Number(p.toPrecision(3)));
}

/** A 95% interval as `[lo, hi]`. */
export function fmtInterval(ci: [number, number] | null): string {
  return ci ? `[${fmtStat(ci[0])}, ${fmtStat(ci[1])}]` : '–';
}

/** Bytes in B/KB/MB/GB. */
export function fmtBytes(n: number | undefined): string {
  if (n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
