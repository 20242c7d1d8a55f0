/**
 * The numeric kernels of the Gaussian process (gp.ts): the Matérn 5/2 kernel over grouped
 * columns, an in-place Cholesky factorisation and the triangular solves, on flat Float64Arrays.
 */

const SQRT5 = Math.sqrt(5);

export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
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
