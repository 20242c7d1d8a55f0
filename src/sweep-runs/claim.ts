import { SkillError } from '../errors.js';
import { createRun } from '../runs/lifecycle.js';
import { nextSuggestion, type BayesState } from '../sweeps/index.js';
import type { RunRecord } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import { findSweep, loadSweep, notRunningReason } from './load.js';
import { searchObservations } from './observations.js';
import { sweepScope, type SweepRunScope } from './scope.js';
import type { SweepStore } from './tables.js';

/** The next run of a sweep, or why there is none. */
export type Claim = { done: true; reason: string; sweep: SweepRecord } | { done: false; run: RunRecord; config: Record<string, unknown>; sweep: SweepRecord };

/** `running` for callers that log directly, `pending` for agent children that init. */
export type ClaimedRunState = 'running' | 'pending';

/** The error of asking a cloud sweep for runs offline: W&B's controller hands them out. */
export function needsOnline(sweep: SweepRecord): SkillError {
  return new SkillError('CONFLICT', `sweep ${sweep.id} is run by the W&B server's controller; ask for its runs in online mode`, {
    details: { issues: [{ path: 'mode', message: 'this sweep needs online mode' }] },
  });
}

const positive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Absent, null (no trend), or `{linear, square}` with positive penalties (square null: no square terms). */
function isTrendPenalties(t: unknown): boolean {
  if (t === undefined || t === null) return true;
  if (typeof t !== 'object') return false;
  const { linear, square } = t as Record<string, unknown>;
  return positive(linear) && (square === null || positive(square));
}

/** A stored search state if it has the shape bayes wrote, with usable (finite, positive) scales and noise; else a fresh fit. A malformed trend is left out (chosen again). */
function asBayesState(v: unknown): BayesState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const ok =
    Array.isArray(o['lengthScales']) &&
    o['lengthScales'].every(positive) &&
    positive(o['noise']) &&
    typeof o['coldAt'] === 'number' &&
    typeof o['fitAt'] === 'number';
  if (!ok) return undefined;
  // The trend's penalties: kept when they have the shape bayes wrote, else chosen again.
  if (isTrendPenalties(o['trend'])) return v as BayesState;
  const { trend: _dropped, ...rest } = o;
  return rest as unknown as BayesState;
}

/**
 * Takes the next suggestion of a locally controlled sweep and creates its run, in one write
 * transaction: the search reads every run of the sweep and the suggestion counter under the
 * store's write lock, so agents in several processes never get the same suggestion.
 * A sweep that ran out of runs (grid, run_cap, target) is marked FINISHED with that reason.
 */
export function claimLocal(scope: SweepRunScope, store: SweepStore, sweepId: string, runState: ClaimedRunState): Claim {
  return store.write((): Claim => {
    const record = findSweep(scope.settings, store, sweepId);
    if (record.controller !== 'local') throw needsOnline(record);
    if (record.state !== 'RUNNING') return { done: true, reason: notRunningReason(record), sweep: record };
    const sweep = loadSweep(scope.cache, store, record);
    const observations = searchObservations(scope.cache, store, sweep);
    const searchState = sweep.config.method === 'bayes' ? asBayesState(store.sweeps.searchState(record.key)) : undefined;
    const s = nextSuggestion(sweep.config, observations, { seed: record.seed, index: record.suggestions, ...(searchState ? { searchState } : {}) });
    const nowSec = scope.now() / 1000;
    if (s.done) {
      store.sweeps.setState(record.key, 'FINISHED', s.reason, nowSec);
      return { done: true, reason: s.reason, sweep: { ...record, state: 'FINISHED', doneReason: s.reason } };
    }
    const run = createRun(sweepScope(scope, record), store, { state: runState, config: s.config, sweepId: record.id });
    store.sweeps.bumpSuggestions(record.key, nowSec);
    // Written only when the search refitted (a reused state comes back as the same object).
    if (s.searchState !== undefined && s.searchState !== searchState) store.sweeps.setSearchState(record.key, s.searchState);
    scope.logger.info({ sweepId: record.id, runId: run.id }, 'sweep run created');
    return { done: false, run, config: s.config, sweep: { ...record, suggestions: record.suggestions + 1 } };
  });
}
