/**
 * Pure W&B sweep search: config parsing, grid/random/bayes proposals, hyperband early termination,
 * metric helpers and run-argument formatting. No I/O beyond reading the bundled schema once.
 */
export { createSweepConfigParser, parseSweepConfig, storableSweepConfig, sweepConfigWarnings, toWandbSweepConfig } from './config.js';
export type { ParseSweepConfigOptions, SweepConfigParser, SweepConfigParserOptions } from './config.js';
export { nextSuggestion, countedRuns } from './suggest.js';
export type { NextSuggestionOptions, Suggestion, SuggestionDoneReason } from './suggest.js';
export type { BayesInfo, BayesState } from './bayes.js';
export { hyperbandBands, hyperbandReport, hyperbandStops } from './hyperband.js';
export type { HyperbandDecision, HyperbandReport, HyperbandRun } from './hyperband.js';
export { bestRun, finiteValues, isBetter, isTargetReached, latestValue, runMetricValue } from './metric.js';
export type { Goal } from './metric.js';
export { fromWandbArgs, pythonJsonDumps, pythonRepr, pythonStr, toCommandArgs, toWandbArgs } from './args.js';
export type { ArgsMacro } from './args.js';
export { gridSize } from './grid.js';
export { parameterNames } from './params.js';
export { sweepAxes } from './axes.js';
export type { AxisScale, SweepAxis } from './axes.js';
export { METHODS } from './methods.js';
export type { SearchMethod } from './methods.js';
export { createRng } from './rng.js';
export type { Rng } from './rng.js';
export { DISTRIBUTIONS } from './types.js';
export type {
  Distribution,
  HyperbandSpec,
  LeafParam,
  MetricSpec,
  NestedParam,
  ParamSpec,
  SweepConfig,
  SweepMethod,
  SweepRunObservation,
  SweepRunState,
} from './types.js';
