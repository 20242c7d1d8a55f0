import { SkillError } from '../errors.js';

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
 * W&B's `run.log` step rules, as a pure function:
 * - no step: merge into the row at the current step; commit (default true) writes it and advances;
 * - a step: `commit` defaults to false; a higher step first commits the pending row, then moves there;
 *   the same step merges; a lower step is refused (W&B drops it with a warning, we answer CONFLICT).
 */
export function applyLog(state: StepState, req: LogRequest): StepOutcome {
  const commits: CommittedRow[] = [];
  let { step, pending } = state;
  if (req.step !== undefined) {
    if (req.step < step) {
      throw new SkillError(
        'CONFLICT',
        `logData.step ${req.step} is lower than the run's current step ${step}; steps must increase`,
        { details: { currentStep: step, issues: [{ path: 'logData.step', message: `must be >= ${step} (the current step)` }] } },
      );
    }
    if (req.step > step) {
      if (pending !== null) {
        commits.push({ step, row: pending });
        pending = null;
      }
      step = req.step;
    }
  }
  const commit = req.commit ?? req.step === undefined;
  pending = pending === null ? req.metrics : Object.assign(pending, req.metrics);
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
