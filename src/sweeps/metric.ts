/**
 * How W&B reads a run's metric: only finite, non-boolean numbers count; a run's value is its best
 * (min when minimising, max when maximising) over history and summary, not its last.
 */
import type { SweepConfig, SweepRunObservation } from './types.js';

export type Goal = 'minimize' | 'maximize';

/** The finite numbers of a history, in order (NaN, ±Infinity, booleans and strings dropped). */
export function finiteValues(history: readonly unknown[]): number[] {
  return history.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/**
 * The value W&B's bayes search uses for a run: the best over its history and summary value.
 * @example runMetricValue([3, 1, 2], 'minimize') // 1
 */
export function runMetricValue(history: readonly unknown[], goal: Goal = 'minimize', summary?: unknown): number | undefined {
  const values = finiteValues(summary === undefined ? history : [...history, summary]);
  if (values.length === 0) return undefined;
  return values.reduce((m, v) => (isBetter(v, m, goal) ? v : m));
}

/** The last finite value of a history (W&B's `impute: latest`). */
export function latestValue(history: readonly unknown[]): number | undefined {
  const values = finiteValues(history);
  return values[values.length - 1];
}

/** Whether `a` is strictly better than `b` under the goal. */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  return goal === 'maximize' ? a > b : a < b;
}

/** A run's metric as the search reads it: `metric` if finite, else the best of its history. */
export function observedValue(run: SweepRunObservation, goal: Goal): number | undefined {
  if (typeof run.metric === 'number' && Number.isFinite(run.metric)) return run.metric;
  return run.history ? runMetricValue(run.history, goal) : undefined;
}

/**
 * Whether any run has reached `metric.target` (≤ target when minimising, ≥ when maximising);
 * W&B's server then stops creating runs. False when the config has no target.
 */
export function isTargetReached(config: SweepConfig, runs: readonly SweepRunObservation[]): boolean {
  const target = config.metric?.target;
  if (target === undefined) return false;
  const goal = config.metric?.goal ?? 'minimize';
  return runs.some((run) => {
    const v = observedValue(run, goal);
    return v !== undefined && (goal === 'maximize' ? v >= target : v <= target);
  });
}

/**
 * The run with the best metric under `config.metric.goal` (the first one on ties), or undefined
 * when no run has a finite value. Pass `states` to consider only, say, finished runs.
 */
export function bestRun<R extends SweepRunObservation>(
  config: SweepConfig,
  runs: readonly R[],
  options: { states?: readonly SweepRunObservation['state'][] } = {},
): { run: R; value: number } | undefined {
  const goal = config.metric?.goal ?? 'minimize';
  let best: { run: R; value: number } | undefined;
  for (const run of runs) {
    if (options.states && !options.states.includes(run.state)) continue;
    const v = observedValue(run, goal);
    if (v === undefined) continue;
    if (!best || isBetter(v, best.value, goal)) best = { run, value: v };
  }
  return best;
}
