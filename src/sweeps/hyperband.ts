/**
 * Hyperband early termination as W&B's engine decides it (SWEEPS.md section 7): bands from
 * `max_iter`/`s` or `min_iter`, one threshold per band from every run that reached it, and a stop
 * for each running run whose value at its latest band (strict) or best value (non-strict) is worse.
 */
import { SkillError } from '../errors.js';
import { finiteValues } from './metric.js';
import type { HyperbandSpec, SweepConfig, SweepRunState } from './types.js';

/** A run as early termination sees it. */
export interface HyperbandRun {
  runId: string;
  state: SweepRunState;
  /** The metric's values in step order; non-finite entries are ignored, as W&B does. */
  history: readonly number[];
}

/** The decision for one running run. */
export interface HyperbandDecision {
  runId: string;
  /** The latest band the run reached, or undefined before the first band. */
  band?: number;
  /** The run's value at that band (strict) or its best so far (non-strict), in the metric's units. */
  value?: number;
  threshold?: number;
  stop: boolean;
}

export interface HyperbandReport {
  bands: number[];
  /** One threshold per band in the metric's units; null where no run reached the band (W&B: +∞). */
  thresholds: (number | null)[];
  decisions: HyperbandDecision[];
}

/**
 * W&B's bands. `max_iter` form: b = max_iter, then s times b ← b/eta, stopping once b < 1, keeping
 * ⌊b⌋, ascending. `min_iter` form: 100 bands ⌊min_iter·eta^k⌋ with the product kept as a float.
 * @example hyperbandBands({type: 'hyperband', max_iter: 27, s: 2, eta: 3, strict: true}) // [3, 9]
 */
export function hyperbandBands(spec: HyperbandSpec): number[] {
  const bands: number[] = [];
  if (spec.max_iter !== undefined) {
    let b = spec.max_iter;
    const s = spec.s ?? 0;
    for (let i = 0; i < s; i++) {
      b = b / spec.eta;
      if (b < 1) break;
      bands.push(Math.floor(b));
    }
    bands.sort((x, y) => x - y);
  } else if (spec.min_iter !== undefined) {
    let b = spec.min_iter;
    for (let k = 0; k < 100; k++) {
      bands.push(Math.floor(b));
      b *= spec.eta;
    }
  }
  if (bands.length === 0) {
    throw new SkillError('INVALID_INPUT', 'early_terminate: bands must be an array of length at least 1 (max_iter / eta^s is below 1)', {
      details: { issues: [{ path: 'sweepConfig.early_terminate', message: 'yields no hyperband band' }] },
    });
  }
  return bands;
}

/**
 * Evaluates early termination with its bands, thresholds and one decision per running run
 * (what W&B stores as `early_terminate_info`).
 */
export function hyperbandReport(config: SweepConfig, runs: readonly HyperbandRun[]): HyperbandReport {
  const spec = config.early_terminate;
  if (!spec) return { bands: [], thresholds: [], decisions: [] };
  if (!config.metric)
    throw new SkillError('INVALID_INPUT', 'early_terminate requires a metric', {
      details: { issues: [{ path: 'sweepConfig.metric', message: 'is required by early_terminate' }] },
    });
  const bands = hyperbandBands(spec);
  // Work in "lower is better" units, as W&B negates histories when maximising.
  const sign = config.metric.goal === 'maximize' ? -1 : 1;
  const histories = runs.map((r) => finiteValues(r.history).map((v) => sign * v));
  const thresholds = bands.map((b) => {
    // Every run that reached the band counts, whatever its state (the judged run included).
    const at = histories
      .filter((h) => h.length >= b)
      .map((h) => h[b - 1] as number)
      .sort((x, y) => x - y);
    return at.length === 0 ? Infinity : (at[Math.floor(at.length / spec.eta)] as number);
  });
  const decisions: HyperbandDecision[] = [];
  runs.forEach((run, i) => {
    if (run.state !== 'running') return;
    const h = histories[i] as number[];
    let k = -1;
    for (let j = 0; j < bands.length; j++) if ((bands[j] as number) <= h.length) k = j;
    if (k < 0) {
      decisions.push({ runId: run.runId, stop: false });
      return;
    }
    const band = bands[k] as number;
    const threshold = thresholds[k] as number;
    const value = spec.strict ? (h[band - 1] as number) : h.reduce((m, v) => (v < m ? v : m), Infinity);
    decisions.push({ runId: run.runId, band, value: sign * value, threshold: sign * threshold, stop: value > threshold });
  });
  return { bands, thresholds: thresholds.map((t) => (Number.isFinite(t) ? sign * t : null)), decisions };
}

/**
 * The ids of running runs that hyperband says to stop now.
 * @example hyperbandStops(cfg, [{runId: 'a', state: 'running', history: [5, 1, 9]}, ...])
 */
export function hyperbandStops(config: SweepConfig, runs: readonly HyperbandRun[]): string[] {
  return hyperbandReport(config, runs)
    .decisions.filter((d) => d.stop)
    .map((d) => d.runId);
}
