/**
 * Log hooks: work that rides on log()'s write transaction (sweep early stops, alert rules). The
 * types live here, below the handlers, so the folders that provide hooks need not import actions/;
 * `C` is what a hook needs of the call (the log handler passes its whole context).
 */
import type { SkillOutput } from '../contract/types.generated.js';
import type { RunRecord, Store } from '../store/index.js';

/** What a log hook sees: the run (as read at the start of the transaction) and the rows just committed. */
export interface LogHookInput<C> {
  ctx: C;
  store: Store;
  run: RunRecord;
  /** Rows committed by this call, with W&B's reserved keys (_step, _runtime, _timestamp). */
  committed: Array<Record<string, unknown>>;
}

/** Output fields a hook adds (e.g. `shouldStop`, `alerts`). */
export type LogHookResult = Partial<Pick<SkillOutput, 'shouldStop' | 'alerts'>> & { warnings?: string[] };

/**
 * A hook runs inside log()'s write transaction (it may read and write the store, atomically with the
 * row) and may return a continuation that runs after the commit (for network work such as webhook
 * deliveries). A hook must be cheap when it has nothing to do: log() is the hot path.
 */
export type LogHook<C> = (input: LogHookInput<C>) => (() => Promise<LogHookResult>) | undefined;
