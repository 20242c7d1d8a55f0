/**
 * A compact comparison of runs: which config keys differ (with each run's value), and for each
 * metric each run's final value (its summary) and its best value over the history, with where it was.
 */
import { readSummary } from '../runs/lifecycle.js';
import type { RunRecord, Store } from '../store/index.js';
import { sampleHistory } from '../history/sampled.js';

/** Metrics compared when none are named, at most. */
const DEFAULT_METRICS = 16;
/** Buckets read per run to find a metric's best: exact steps up to this many rows, a step range beyond. */
const BEST_SAMPLES = 1000;
/** Metric names whose best is the smallest (W&B has no goal outside a sweep; these words say "lower is better"). */
const LOWER_IS_BETTER = /(loss|err|error|mse|mae|rmse|perplexity|ppl|wer|cer|regret|cost|latency|time|_runtime)/i;

export type Goal = 'minimize' | 'maximize';

/** A config flattened to dotted leaves, W&B's own `_` keys left out. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (prefix === '' && k.startsWith('_')) continue;
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    }
    return;
  }
  out.set(prefix, value);
}

function goalOf(metric: string, sweepGoals: ReadonlyMap<string, Goal>): Goal {
  return sweepGoals.get(metric) ?? (LOWER_IS_BETTER.test(metric) ? 'minimize' : 'maximize');
}

export interface CompareOptions {
  metrics?: readonly string[] | undefined;
  /** Goals known from the runs' sweeps (metric name -> goal). */
  sweepGoals?: ReadonlyMap<string, Goal>;
}

/** The comparison of `runs` (values of each list are in the order of `runs`). */
export function compareRuns(store: Store, runs: readonly RunRecord[], options: CompareOptions = {}): Record<string, unknown> {
  const summaries = runs.map((r) => readSummary(store, r).value);
  const configs = runs.map((r) => {
    const m = new Map<string, unknown>();
    flatten(r.config, '', m);
    return m;
  });
  const keys = [...new Set(configs.flatMap((c) => [...c.keys()]))].sort();
  const differs: Record<string, unknown[]> = {};
  let same = 0;
  for (const k of keys) {
    const values = configs.map((c) => (c.has(k) ? c.get(k) : null));
    const texts = new Set(values.map((v) => JSON.stringify(v)));
    if (texts.size > 1 || configs.some((c) => !c.has(k))) differs[k] = values;
    else same += 1;
  }
  const metrics =
    options.metrics ??
    [...new Set(summaries.flatMap((s) => Object.keys(s).filter((k) => !k.startsWith('_') && typeof s[k] === 'number')))].sort().slice(0, DEFAULT_METRICS);
  const goals = options.sweepGoals ?? new Map<string, Goal>();
  const sampled = runs.map((r) => sampleHistory(store, r.key, { keys: metrics, samples: BEST_SAMPLES }));
  const byMetric: Record<string, unknown> = {};
  for (const metric of metrics) {
    const goal = goalOf(metric, goals);
    const best: Array<number | null> = [];
    const bestStep: Array<number | [number, number] | null> = [];
    sampled.forEach((h) => {
      let value: number | null = null;
      let at: number | [number, number] | null = null;
      for (const p of h.series[metric] ?? []) {
        const v = goal === 'minimize' ? p.min : p.max;
        if (Number.isNaN(v)) continue;
        if (value === null || (goal === 'minimize' ? v < value : v > value)) {
          value = v;
          at = h.bucketRows === 1 || p.firstStep === p.lastStep ? p.lastStep : [p.firstStep, p.lastStep];
        }
      }
      best.push(value);
      bestStep.push(at);
    });
    const final = summaries.map((s) => (typeof s[metric] === 'number' ? s[metric] : null));
    const ranked = best.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null);
    ranked.sort((a, b) => (goal === 'minimize' ? a.v - b.v : b.v - a.v));
    byMetric[metric] = { goal, final, best, bestStep, bestRun: ranked.length > 0 ? (runs[ranked[0]!.i] as RunRecord).id : null };
  }
  return {
    runs: runs.map((r) => ({ runId: r.id, project: r.project, name: r.displayName, state: r.state })),
    configDiff: differs,
    sameConfigKeys: same,
    metrics: byMetric,
  };
}
