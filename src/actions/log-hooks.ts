import type { ActionContext, ActionResult } from './context.js';
import type { RunRecord, Store } from '../store/index.js';
import { sweepLogHook } from './sweep/log-hook.js';
import { alertLogHook } from '../alerts/log-hook.js';

/** What a log hook sees: the run (as read at the start of the transaction) and the rows just committed. */
export interface LogHookInput {
  ctx: ActionContext;
  store: Store;
  run: RunRecord;
  /** Rows committed by this call, with W&B's reserved keys (_step, _runtime, _timestamp). */
  committed: Array<Record<string, unknown>>;
}

/** Output fields a hook adds (e.g. `shouldStop`, `alerts`). */
export type LogHookResult = Partial<Pick<ActionResult, 'shouldStop' | 'alerts'>> & { warnings?: string[] };

/**
 * A hook runs inside log()'s write transaction (it may read and write the store, atomically with the
 * row) and may return a continuation that runs after the commit (for network work such as webhook
 * deliveries). A hook must be cheap when it has nothing to do: log() is the hot path.
 */
export type LogHook = (input: LogHookInput) => (() => Promise<LogHookResult>) | undefined;

/** The hooks every committed log runs, in order. */
export const LOG_HOOKS: readonly LogHook[] = [sweepLogHook, alertLogHook];
