/**
 * Artifacts the tracker logs on a run's behalf (W&B's `InternalArtifact`, e.g. a logged table's
 * `run_table`): stored by artifacts/log-files.ts, then replicated online like any artifact.
 */
import { logFilesAsVersion, type InternalArtifactFiles, type LoggedFiles } from '../../artifacts/log-files.js';
import type { RunRecord, Store } from '../../store/index.js';
import type { RunTableSink } from '../../media/run-tables.js';
import type { ActionContext } from '../context.js';
import { type OnlineOutcome, replicateLoggedVersion } from '../../online/artifacts.js';

export type { InternalArtifactFiles } from '../../artifacts/log-files.js';

export interface InternalArtifactResult extends LoggedFiles {
  online?: OnlineOutcome;
}

/** Logs `files` as a version of `name` (type `type`) made by `run`; replicated online like any artifact. */
export async function logFilesAsArtifact(ctx: ActionContext, store: Store, run: RunRecord, spec: InternalArtifactFiles): Promise<InternalArtifactResult> {
  const { version, deduplicated } = await logFilesAsVersion(ctx, ctx.settings, store, run, spec);
  if (ctx.settings.mode !== 'online') return { version, deduplicated };
  return { version, deduplicated, online: await replicateLoggedVersion(ctx, store, version, run) };
}

/** Where log() sends a logged table's run_table versions: logged as above, failures to the call's warnings. */
export function runTableSink(ctx: ActionContext, store: Store, run: RunRecord): RunTableSink {
  return { logger: ctx.logger, warn: (m) => ctx.warn(m), logFiles: (spec) => logFilesAsArtifact(ctx, store, run, spec) };
}
