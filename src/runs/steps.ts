import { SkillError, invalidInput } from '../errors.js';
import { mergeLogged } from './merge.js';

/**
 * The largest step a row can have: `_step` is a JSON number, exact only up to 2^53 - 1. A run that
 * has committed it is full (its next step, 2^53, is never written), so steps never repeat.
 */
export const MAX_STEP = Number.MAX_SAFE_INTEGER;

/** A run's step state: its current step and the row accumulated there but not yet committed. */
export interface StepState {
  step: number;
  pending: Record<string, unknown> | null;
}

export interface LogRequest {
  /** Taken over by applyLog when there is no pending row (it may end up in the result): pass a copy. */
  metrics: Record<string, unknown>;
  step?: number | undefined;
  commit?: boolean | undefined;
}

export interface CommittedRow {
  step: number;
  row: Record<string, unknown>;
}

export interface StepOutcome {
  /** Rows to append to history, in order (0, 1 or 2 of them). */
  commits: CommittedRow[];
  next: StepState;
  /** The step the logged metrics went into. */
  step: number;
  /** Whether the row holding these metrics was committed by this call. */
  committed: boolean;
}

/**
 * Throws what applyLog would throw for a log at `step` (undefined: the current step), so a caller can
 * refuse the call before doing any other work: a step that is not a whole number up to MAX_STEP
 * (INVALID_INPUT), a full run or a step lower than the current one (CONFLICT).
 */
export function checkStep(state: StepState, step: number | undefined): void {
  if (step !== undefined && !(Number.isSafeInteger(step) && step >= 0)) {
    throw invalidInput('logData.step', `must be a whole number from 0 to ${MAX_STEP}`);
  }
  const current = state.step;
  if (current > MAX_STEP) {
    throw new SkillError('CONFLICT', `logData.step: the run has reached step ${MAX_STEP}, the largest step W&B history holds exactly; it takes no more rows`, {
      details: { currentStep: current, issues: [{ path: 'logData.step', message: `no step after ${MAX_STEP}` }] },
    });
  }
  if (step !== undefined && step < current) {
    throw new SkillError('CONFLICT', `logData.step ${step} is lower than the run's current step ${current}; steps must increase`, {
      details: { currentStep: current, issues: [{ path: 'logData.step', message: `must be >= ${current} (the current step)` }] },
    });
  }
}

/**
 * W&B's `run.log` step rules, as a pure function:
 * - no step: merge into the row at the current step; commit (default true) writes it and advances;
 * - a step: `commit` defaults to false; a higher step first commits the pending row, then moves there;
 *   the same step merges; a lower step is refused (W&B drops it with a warning, we answer CONFLICT);
 * - metrics merge into the pending row as W&B merges them: nested objects key by key, the rest replaced;
 * - no row goes past MAX_STEP: a log that would is refused with CONFLICT.
 */
export function applyLog(state: StepState, req: LogRequest): StepOutcome {
  const commits: CommittedRow[] = [];
  let { step, pending } = state;
  checkStep(state, req.step);
  if (req.step !== undefined) {
    if (req.step > step) {
      if (pending !== null) {
        commits.push({ step, row: pending });
        pending = null;
      }
      step = req.step;
    }
  }
  const commit = req.commit ?? req.step === undefined;
  if (pending === null) pending = req.metrics;
  else mergeLogged(pending, req.metrics);
  const at = step;
  if (commit) {
    commits.push({ step, row: pending });
    pending = null;
    step += 1;
  }
  return { commits, next: { step, pending }, step: at, committed: commit };
}

/** What `finish` (or a resumed run's next start) does with the pending row: commit it. */
export function flushPending(state: StepState): StepOutcome {
  if (state.pending === null) return { commits: [], next: state, step: state.step, committed: false };
  return {
    commits: [{ step: state.step, row: state.pending }],
    next: { step: state.step + 1, pending: null },
    step: state.step,
    committed: true,
  };
}
