/**
 * The sweep run state machine, used by the `sweep` action and by agents alike: claim a sweep's
 * next run (this store's search, or W&B's controller through `CloudSweeps`), stop runs early
 * (hyperband, stop marks), end trials, and mark crashed the trials whose processes died.
 */
export { type SweepStore } from './tables.js';
export { sweepScope, type SweepRunScope } from './scope.js';
export { findSweep, loadSweep, notRunningReason, type LoadedSweep } from './load.js';
export { metricIn, refreshRunMetric, firstReadSinceStart, sweepRuns, type SweepRunView } from './metric-values.js';
export { searchObservations } from './observations.js';
export { claimLocal, needsOnline, type Claim, type ClaimedRunState } from './claim.js';
export type { CloudSweeps } from './cloud.js';
export { claimNext } from './next.js';
export { endRun, endTrial, trialEndState } from './end-run.js';
export { markCrashedTrials, recordTrialOwner } from './crashed.js';
export { crossedBand, evaluateEarlyStops, stopAfterLog, stopCause } from './early-stop.js';
