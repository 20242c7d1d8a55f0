/**
 * Types of a parsed W&B sweep config (defaults filled in) and of the run observations the search
 * routines read. Field names are W&B's (snake_case) so a config round-trips to the W&B server.
 */

/** Every `distribution` W&B's schema knows. */
export const DISTRIBUTIONS = [
  'constant',
  'categorical',
  'categorical_w_probabilities',
  'int_uniform',
  'uniform',
  'q_uniform',
  'log_uniform',
  'log_uniform_values',
  'q_log_uniform',
  'q_log_uniform_values',
  'inv_log_uniform',
  'inv_log_uniform_values',
  'normal',
  'q_normal',
  'log_normal',
  'q_log_normal',
  'beta',
  'q_beta',
] as const;

export type Distribution = (typeof DISTRIBUTIONS)[number];

export interface ConstantParam {
  distribution: 'constant';
  value: unknown;
}
export interface CategoricalParam {
  distribution: 'categorical';
  values: unknown[];
}
export interface WeightedCategoricalParam {
  distribution: 'categorical_w_probabilities';
  values: unknown[];
  probabilities: number[];
}
export interface IntUniformParam {
  distribution: 'int_uniform';
  min: number;
  max: number;
}
/** Distributions bounded by `min`/`max` (for the v1 log forms these are exponents of e). */
export interface RangeParam {
  distribution: 'uniform' | 'log_uniform' | 'log_uniform_values' | 'inv_log_uniform' | 'inv_log_uniform_values';
  min: number;
  max: number;
}
export interface QuantizedRangeParam {
  distribution: 'q_uniform' | 'q_log_uniform' | 'q_log_uniform_values';
  min: number;
  max: number;
  q: number;
}
export interface NormalParam {
  distribution: 'normal' | 'log_normal';
  mu: number;
  sigma: number;
}
export interface QuantizedNormalParam {
  distribution: 'q_normal' | 'q_log_normal';
  mu: number;
  sigma: number;
  q: number;
}
export interface BetaParam {
  distribution: 'beta';
  a: number;
  b: number;
}
export interface QuantizedBetaParam {
  distribution: 'q_beta';
  a: number;
  b: number;
  q: number;
}

/** One leaf parameter with its W&B defaults filled in. */
export type LeafParam =
  | ConstantParam
  | CategoricalParam
  | WeightedCategoricalParam
  | IntUniformParam
  | RangeParam
  | QuantizedRangeParam
  | NormalParam
  | QuantizedNormalParam
  | BetaParam
  | QuantizedBetaParam;

/** A nested group (`{parameters: {...}}`); its run config value is a plain nested object. */
export interface NestedParam {
  parameters: Record<string, ParamSpec>;
}

export type ParamSpec = LeafParam | NestedParam;

export interface MetricSpec {
  name: string;
  goal: 'minimize' | 'maximize';
  target?: number;
  impute: 'worst' | 'best' | 'latest';
  impute_while_running: 'false' | 'worst' | 'best' | 'latest';
}

export interface HyperbandSpec {
  type: 'hyperband';
  max_iter?: number;
  min_iter?: number;
  s?: number;
  eta: number;
  strict: boolean;
}

/**
 * A validated sweep config. `seed` is this project's extension (not in W&B's schema); strip it with
 * `toWandbSweepConfig` before sending the config to a W&B server.
 */
/** The search methods (each an entry of methods.ts's METHODS). */
export type SweepMethod = 'grid' | 'random' | 'bayes' | 'custom';

export interface SweepConfig {
  method: SweepMethod;
  parameters: Record<string, ParamSpec>;
  metric?: MetricSpec;
  metrics?: MetricSpec[];
  early_terminate?: HyperbandSpec;
  run_cap?: number;
  seed?: number | string;
  name?: string;
  description?: string;
  program?: string;
  command?: unknown[];
  entity?: string;
  project?: string;
  controller?: { type: 'local' | 'cloud' };
  job?: string;
  image_uri?: string;
  apiVersion?: string;
  kind?: 'sweep';
  scheduler?: Record<string, unknown>;
}

/** W&B's run states as the sweep engine sees them. */
export type SweepRunState = 'pending' | 'running' | 'finished' | 'failed' | 'crashed' | 'killed' | 'preempted' | 'preempting';

/** What the search needs to know about one run of the sweep. */
export interface SweepRunObservation {
  runId: string;
  /** The run's parameter values as the run received them: plain nested values, no `{value}` wrappers. */
  config: Record<string, unknown>;
  state: SweepRunState;
  /**
   * The run's value of `metric.name` as W&B reads it: for a finished run its best value (min when
   * minimising, max when maximising) over history and summary; see `runMetricValue`.
   */
  metric?: number;
  /** Optional: the metric's values in step order; lets `impute: latest|worst` match W&B exactly. */
  history?: readonly number[];
}

/** A leaf parameter with its position in the nested config. */
export interface FlatParam {
  /** Path of keys from the top of the run config to the value, e.g. `['opt', 'lr']`. */
  path: string[];
  /** W&B's flattened name, which fixes the sort order of parameters. */
  flatName: string;
  spec: LeafParam;
}
