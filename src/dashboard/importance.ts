/**
 * Parameter importance for a sweep, as W&B shows it: how much a random forest that predicts the
 * metric from the parameters relies on each one (mean decrease in variance over its splits,
 * normalised to sum to 1), beside the linear correlation of the parameter with the metric.
 * Categorical parameters enter the forest as one indicator per value (their importances summed)
 * and have no correlation. Deterministic: the bootstrap draws come from a seeded generator.
 */
import { seededRandom } from '../seeded-random.js';

export interface ParamImportance {
  name: string;
  importance: number;
  /** Pearson correlation with the metric; null for a categorical or constant parameter. */
  correlation: number | null;
}

interface Tree {
  /** Variance decrease credited to each feature by this tree. */
  gains: number[];
}

function sse(ys: readonly number[], idx: readonly number[]): number {
  let s = 0;
  let q = 0;
  for (const i of idx) {
    s += ys[i] as number;
    q += (ys[i] as number) ** 2;
  }
  return idx.length === 0 ? 0 : q - (s * s) / idx.length;
}

function grow(xs: readonly number[][], ys: readonly number[], idx: number[], depth: number, rnd: () => number, tree: Tree, tries: number): void {
  if (idx.length < 4 || depth > 8) return;
  const parent = sse(ys, idx);
  if (parent <= 1e-12) return;
  const nf = (xs[0] as number[]).length;
  let best: { f: number; t: number; gain: number } | undefined;
  for (let k = 0; k < tries; k++) {
    const f = Math.floor(rnd() * nf);
    const values = [...new Set(idx.map((i) => (xs[i] as number[])[f] as number))].sort((a, b) => a - b);
    for (let v = 0; v + 1 < values.length; v++) {
      const t = ((values[v] as number) + (values[v + 1] as number)) / 2;
      const left = idx.filter((i) => ((xs[i] as number[])[f] as number) <= t);
      const right = idx.filter((i) => ((xs[i] as number[])[f] as number) > t);
      const gain = parent - sse(ys, left) - sse(ys, right);
      if (!best || gain > best.gain) best = { f, t, gain };
    }
  }
  if (!best || best.gain <= 0) return;
  tree.gains[best.f] = (tree.gains[best.f] as number) + best.gain;
  const { f, t } = best;
  grow(
    xs,
    ys,
    idx.filter((i) => ((xs[i] as number[])[f] as number) <= t),
    depth + 1,
    rnd,
    tree,
    tries,
  );
  grow(
    xs,
    ys,
    idx.filter((i) => ((xs[i] as number[])[f] as number) > t),
    depth + 1,
    rnd,
    tree,
    tries,
  );
}

function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 3) return null;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    da += ((a[i] as number) - ma) ** 2;
    db += ((b[i] as number) - mb) ** 2;
  }
  return da === 0 || db === 0 ? null : num / Math.sqrt(da * db);
}

/** Importance and correlation of each parameter for `metric`, from runs with a finite metric value. */
export function parameterImportance(
  parameters: readonly string[],
  runs: ReadonlyArray<{ params: Record<string, unknown>; metric: number | undefined }>,
  trees = 100,
): ParamImportance[] {
  const used = runs.filter((r) => typeof r.metric === 'number' && Number.isFinite(r.metric));
  const ys = used.map((r) => r.metric as number);
  // Features: a numeric parameter is one column; any other is one indicator column per value.
  const features: Array<{ param: number; value?: string }> = [];
  const numeric = parameters.map((p) => used.every((r) => typeof r.params[p] === 'number' || typeof r.params[p] === 'boolean'));
  parameters.forEach((p, j) => {
    if (numeric[j]) features.push({ param: j });
    else for (const v of new Set(used.map((r) => JSON.stringify(r.params[p] ?? null)))) features.push({ param: j, value: v });
  });
  const xs = used.map((r) =>
    features.map((f) => {
      const v = r.params[parameters[f.param] as string];
      return f.value === undefined ? Number(v) : JSON.stringify(v ?? null) === f.value ? 1 : 0;
    }),
  );
  const gains = features.map(() => 0);
  if (used.length >= 4 && features.length > 0) {
    const rnd = seededRandom(0x5eed);
    const tries = Math.max(1, Math.ceil(features.length / 3));
    for (let t = 0; t < trees; t++) {
      const sample = used.map(() => Math.floor(rnd() * used.length));
      const tree: Tree = { gains: features.map(() => 0) };
      grow(xs, ys, sample, 0, rnd, tree, tries);
      tree.gains.forEach((g, k) => (gains[k] = (gains[k] as number) + g));
    }
  }
  const perParam = parameters.map(() => 0);
  features.forEach((f, k) => (perParam[f.param] = (perParam[f.param] as number) + (gains[k] as number)));
  const total = perParam.reduce((s, v) => s + v, 0);
  return parameters
    .map((name, j) => ({
      name,
      importance: total > 0 ? (perParam[j] as number) / total : 0,
      correlation: numeric[j]
        ? pearson(
            used.map((r) => Number(r.params[name])),
            ys,
          )
        : null,
    }))
    .sort((a, b) => b.importance - a.importance);
}
