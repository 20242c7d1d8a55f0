/**
 * The numeric kernels of the Gaussian process (gp.ts): the Matérn 5/2 kernel over grouped
 * columns, an in-place Cholesky factorisation and the triangular solves, on flat Float64Arrays.
 */

const SQRT5 = Math.sqrt(5);

// exp(x) for x <= 0 as 2^(k/64) · e^r, |r| <= ln2/128: 2^(j/64) and 2^e from tables (read only),
// e^r from a degree-5 Taylor polynomial (truncation below 4e-17). Within 4e-16 of Math.exp
// (relative), about twice as fast in V8: the kernel's exponential is most of a GP's arithmetic.
const EXP_STEPS = 64;
const EXP_FRACTION = Float64Array.from({ length: EXP_STEPS }, (_, j) => 2 ** (j / EXP_STEPS));
const EXP_MIN_POWER = -1100;
const EXP_POWER = Float64Array.from({ length: 1 - EXP_MIN_POWER }, (_, k) => 2 ** (k + EXP_MIN_POWER));
const EXP_INV_STEP = EXP_STEPS / Math.LN2;
const LN2_HI = 6.9314718036912381649e-1 / EXP_STEPS; // ln 2 split in two (fdlibm's), the high part exact in k·LN2_HI
const LN2_LO = 1.90821492927058770002e-10 / EXP_STEPS;
const ROUND = 6755399441055744; // 1.5·2^52: x + ROUND − ROUND rounds x to an integer (|x| < 2^51)

/** e^x, fast for x <= 0 (0 below −700; Math.exp above 0). */
export function expNonPositive(x: number): number {
  if (x > 0) return Math.exp(x);
  if (!(x >= -700)) return x === x ? 0 : x;
  const kf = x * EXP_INV_STEP + ROUND - ROUND;
  const r = x - kf * LN2_HI - kf * LN2_LO;
  const j = kf & (EXP_STEPS - 1);
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return (EXP_FRACTION[j] as number) * p * (EXP_POWER[(kf - j) / EXP_STEPS - EXP_MIN_POWER] as number);
}

export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * expNonPositive(-SQRT5 * r);
}

/**
 * Lower Cholesky factor of a symmetric n×n matrix (row-major, lower triangle read), written in
 * place over `a`; false if not positive definite. The same operations in the same order as the
 * textbook row-by-row form, so fits are bit-for-bit reproducible.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (a[ri + k] as number) * (a[rj + k] as number);
      if (i === j) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else a[ri + j] = s / (a[rj + j] as number);
    }
  }
  return true;
}

/** Solves L z = b (forward substitution) into `z`. */
export function forward(l: Float64Array, n: number, b: ArrayLike<number>, z: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[ri + k] as number) * (z[k] as number);
    z[i] = s / (l[ri + i] as number);
  }
  return z;
}

/** Solves Lᵀ z = b (back substitution). */
export function backward(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (z[k] as number);
    z[i] = s / (l[i * n + i] as number);
  }
  return z;
}

/** Points as one flat row-major array (n × width). */
export function flatten(x: readonly (readonly number[])[], width: number): Float64Array {
  const out = new Float64Array(x.length * width);
  x.forEach((row, i) => out.set(row, i * width));
  return out;
}

/**
 * Where each group's columns end: the columns of a group are contiguous and groups ascend (as
 * bayes-space lays them out), so a distance sums group by group with no scratch buffer.
 */
export function groupEnds(groups: readonly number[], nGroups: number): Int32Array {
  const ends = new Int32Array(nGroups);
  groups.forEach((g, j) => {
    if (g !== (j === 0 ? 0 : (groups[j - 1] as number)) && g !== (groups[j - 1] as number) + 1)
      throw new Error('GP column groups must be contiguous and ascending');
    ends[g] = j + 1;
  });
  return ends;
}

/**
 * The kernel between a point (`p` at offset `po`) and a stored point (`x` at offset `xo`):
 * per-group squared distances summed in column order, then weighted by group in group order.
 */
export function kernelAt(p: Float64Array, po: number, x: Float64Array, xo: number, ends: Int32Array, invL2: Float64Array): number {
  let r2 = 0;
  let j = 0;
  for (let g = 0; g < ends.length; g++) {
    let dg = 0;
    for (const end = ends[g] as number; j < end; j++) {
      const diff = (p[po + j] as number) - (x[xo + j] as number);
      dg += diff * diff;
    }
    r2 += dg * (invL2[g] as number);
  }
  return matern52(r2);
}

/**
 * Training points laid out per group for many distance queries: a one-column group as a column; a
 * group of several columns (a one-hot categorical: at most one non-zero per row) as its hot column
 * and value, so a distance costs one comparison per categorical whatever its number of values.
 */
export interface GroupedPoints {
  n: number;
  starts: Int32Array;
  ends: Int32Array;
  /** Per group, per point (g·n + i): the non-zero column (-1: none) and its value. */
  hotCol: Int32Array;
  hotVal: Float64Array;
}

function hotOf(row: Float64Array, ro: number, start: number, end: number): [number, number] {
  let h = -1;
  let v = 0;
  for (let j = start; j < end; j++) {
    const x = row[ro + j] as number;
    if (x === 0) continue;
    if (h >= 0) throw new Error('GP column groups of several columns must be one-hot');
    h = j;
    v = x;
  }
  return [h, v];
}

export function groupPoints(flat: Float64Array, n: number, width: number, ends: Int32Array): GroupedPoints {
  const nGroups = ends.length;
  const starts = Int32Array.from(ends, (_, g) => (g === 0 ? 0 : (ends[g - 1] as number)));
  const hotCol = new Int32Array(nGroups * n);
  const hotVal = new Float64Array(nGroups * n);
  for (let g = 0; g < nGroups; g++) {
    for (let i = 0; i < n; i++) {
      const [h, v] = hotOf(flat, i * width, starts[g] as number, ends[g] as number);
      hotCol[g * n + i] = h;
      hotVal[g * n + i] = v;
    }
  }
  return { n, starts, ends, hotCol, hotVal };
}

/** r2[i] = Σ_g invL2[g]·‖p_g − x_{i,g}‖² for the point `p` at offset `po`, one typed-array pass per group. */
export function sqDistances(gp: GroupedPoints, p: Float64Array, po: number, invL2: Float64Array, r2: Float64Array): void {
  const { n, starts, ends, hotCol, hotVal } = gp;
  r2.fill(0);
  for (let g = 0; g < ends.length; g++) {
    const sc = invL2[g] as number;
    const base = g * n;
    const start = starts[g] as number;
    if ((ends[g] as number) - start === 1) {
      const pj = p[po + start] as number;
      for (let i = 0; i < n; i++) {
        const d = pj - (hotVal[base + i] as number);
        r2[i] = (r2[i] as number) + d * d * sc;
      }
    } else {
      const [h, hv] = hotOf(p, po, start, ends[g] as number);
      for (let i = 0; i < n; i++) {
        const xv = hotVal[base + i] as number;
        const d2 = hotCol[base + i] === h ? (hv - xv) * (hv - xv) : hv * hv + xv * xv;
        r2[i] = (r2[i] as number) + d2 * sc;
      }
    }
  }
}
