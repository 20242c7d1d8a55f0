/**
 * W&B logs every table a run logs as an artifact too (`_log_table_artifact`): a version of
 * `run-<run id>-<key>`, type `run_table`, holding the table as `<key>.table.json`, an output of the
 * run. Called after the row is committed; a failure here does not undo the row and becomes a warning.
 */
import { normalizeError } from '../errors.js';
import type { ActionContext } from '../actions/context.js';
import type { RunRecord, Store } from '../store/index.js';
import type { MediaFile } from './types.js';

export const RUN_TABLE_TYPE = 'run_table';

/** W&B's `make_artifact_name_safe`: characters outside [A-Za-z0-9_.-] become `_`; over 128, the middle gives way to `..`. */
export function safeArtifactName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return cleaned.length <= 128 ? cleaned : `${cleaned.slice(0, 63)}..${cleaned.slice(-63)}`;
}

/** The run_table artifact name of a table logged under `key`. */
export function runTableArtifactName(runId: string, key: string): string {
  return safeArtifactName(`run-${runId}-${key}`);
}

export interface RunTableVersion {
  key: string;
  name: string;
  version: string;
  deduplicated: boolean;
}

/** Logs each table file among `files` as its run_table artifact version, made at `historyStep` (default: the run's step). */
export async function logRunTables(ctx: ActionContext, store: Store, run: RunRecord, files: readonly MediaFile[], historyStep?: number): Promise<RunTableVersion[]> {
  const tables = files.filter((f) => f.kind === 'table');
  if (tables.length === 0) return [];
  const { logFilesAsArtifact } = await import('../actions/artifact/internal.js');
  const out: RunTableVersion[] = [];
  for (const f of tables) {
    const name = runTableArtifactName(run.id, f.key);
    try {
      const r = await logFilesAsArtifact(ctx, store, run, {
        name,
        type: RUN_TABLE_TYPE,
        files: [{ path: f.absPath, name: `${f.key}.table.json`, size: f.size }],
        ...(historyStep !== undefined ? { historyStep } : {}),
      });
      out.push({ key: f.key, name, version: `v${r.version.versionIndex}`, deduplicated: r.deduplicated });
    } catch (err) {
      const e = normalizeError(err);
      ctx.logger.warn({ err: e }, `run table ${name}: not logged as an artifact`);
      ctx.warn(`the table ${f.key} is logged, but its run_table artifact ${name} is not (${e.code}: ${e.message})`);
    }
  }
  return out;
}
