// Chart math on the sampled history the server sends: lines on a chosen x axis, W&B's smoothing,
// and group aggregates (mean with min/max or standard-deviation bands). Pure functions.

/** The server writes NaN and infinities as strings; numbers come back as they were logged. */
export const num = (v) => (typeof v === 'string' ? Number(v) : v);

/**
 * One run's line for `key` on the x axis `x`: `_step` is the bucket's last step; any other key is
 * joined by bucket (points of two keys with one bucket index cover the same rows).
 */
export function lineOf(run, key, x) {
  const col = run.keys?.[key];
  if (!col || col.b.length === 0) return null;
  const ys = col.l.map(num);
  const lo = col.lo?.map(num);
  const hi = col.hi?.map(num);
  let xs;
  if (x === '_step') xs = col.s;
  else {
    const xc = run.keys?.[x];
    if (!xc) return null;
    const byBucket = new Map();
    xc.b.forEach((b, i) => byBucket.set(b, num(xc.l[i])));
    xs = col.b.map((b) => byBucket.get(b) ?? NaN);
  }
  // Drop points without a finite x; sort by x (a metric on x need not grow).
  const idx = xs.map((_, i) => i).filter((i) => Number.isFinite(xs[i]));
  if (x !== '_step') idx.sort((a, b) => xs[a] - xs[b]);
  return {
    xs: idx.map((i) => xs[i]),
    ys: idx.map((i) => ys[i]),
    lo: lo && idx.map((i) => lo[i]),
    hi: hi && idx.map((i) => hi[i]),
  };
}

/** W&B's exponential moving average with its debias (weight in [0, 1)); non-finite values pass through. */
export function ema(ys, weight) {
  const out = new Array(ys.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    n++;
    const debias = 1 - Math.pow(weight, n);
    out[i] = debias === 0 ? y : last / debias;
  }
  return out;
}

/** Running average over the last `window` finite values. */
export function runningAverage(ys, window) {
  const w = Math.max(1, Math.round(window));
  const out = new Array(ys.length);
  const q = [];
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    q.push(y);
    sum += y;
    if (q.length > w) sum -= q.shift();
    out[i] = sum / q.length;
  }
  return out;
}

export function smooth(ys, mode, amount) {
  if (mode === 'ema' && amount > 0) return ema(ys, Math.min(0.999, amount));
  if (mode === 'avg' && amount > 0) return runningAverage(ys, Math.max(1, Math.round(amount * 100)));
  return ys;
}

/** The index of the last point of `line` at or before x, searching on from `from`. */
function indexAt(line, x, from) {
  let i = from;
  while (i + 1 < line.xs.length && line.xs[i + 1] <= x) i++;
  return i;
}

/** The line's value at x, linear between its neighbouring points (NaN stays NaN). */
function interpolate(line, x, i) {
  const x0 = line.xs[i];
  const y0 = line.ys[i];
  if (x0 === x || i + 1 >= line.xs.length) return y0;
  const x1 = line.xs[i + 1];
  const y1 = line.ys[i + 1];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) return y0;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * One aggregate line per group: on a common grid of `points` x values over the group's range, the
 * mean of the member lines that cover x, with min, max, standard deviation and how many runs count.
 */
export function aggregate(lines, points = 300) {
  const live = lines.filter((l) => l && l.xs.length > 0);
  if (live.length === 0) return null;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const l of live) {
    x0 = Math.min(x0, l.xs[0]);
    x1 = Math.max(x1, l.xs[l.xs.length - 1]);
  }
  // The members' own x values when they are few (runs logged at the same steps), else a grid.
  const union = new Set();
  for (const l of live) for (const x of l.xs) if (union.size <= points) union.add(x);
  let xs;
  if (union.size <= points) xs = [...union].sort((a, b) => a - b);
  else {
    xs = [];
    for (let k = 0; k < points; k++) xs.push(x0 + ((x1 - x0) * k) / (points - 1));
  }
  const cursors = live.map(() => 0);
  const out = { xs, ys: [], lo: [], hi: [], std: [], n: [] };
  for (const x of xs) {
    let sum = 0;
    let sq = 0;
    let c = 0;
    let mn = Infinity;
    let mx = -Infinity;
    live.forEach((l, j) => {
      if (x < l.xs[0] || x > l.xs[l.xs.length - 1]) return;
      const i = indexAt(l, x, cursors[j]);
      cursors[j] = i;
      const y = interpolate(l, x, i);
      if (!Number.isFinite(y)) return;
      sum += y;
      sq += y * y;
      c++;
      mn = Math.min(mn, y);
      mx = Math.max(mx, y);
    });
    const mean = c > 0 ? sum / c : null;
    out.ys.push(mean);
    out.lo.push(c > 0 ? mn : null);
    out.hi.push(c > 0 ? mx : null);
    out.std.push(c > 1 ? Math.sqrt(Math.max(0, sq / c - mean * mean)) : 0);
    out.n.push(c);
  }
  return out;
}

/** Runs by the value of their group key (`groupValue` from the server, or a fact of the run). */
export function groupRuns(runs, by) {
  const groups = new Map();
  for (const r of runs) {
    const v = by === 'group' ? r.group : by === 'jobType' ? r.jobType : by === 'sweep' ? r.sweepId : r.groupValue;
    const label = v === null || v === undefined ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(r);
  }
  return groups;
}

/** Text for a value, honest about NaN and infinities. */
export function fmtNum(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(5)));
}
