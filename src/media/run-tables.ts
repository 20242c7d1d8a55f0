/**
 * W&B logs every table a run logs as an artifact too (`_log_table_artifact`): a version of
 * `run-<run id>-<key>`, type `run_table`, holding the table as `<key>.table.json`, an output of the
 * run. Called after the row is committed; a failure here does not undo the row and becomes a warning.
 */
import { normalizeError } from '../errors.js';
import type { Logger } from 'pino';
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

/** One table's files, to be logged as a version of `name` (the caller's artifact code does the logging). */
export interface RunTableFiles {
  name: string;
  type: string;
  files: ReadonlyArray<{ path: string; name: string; size: number }>;
  historyStep?: number;
}

/** Where the run_table versions go: the caller logs each one (store, then online) and hears failures. */
export interface RunTableSink {
  logFiles(spec: RunTableFiles): Promise<{ version: { versionIndex: number }; deduplicated: boolean }>;
  readonly logger: Logger;
  warn(message: string): void;
}

/** Logs each table file among `files` as its run_table artifact version, made at `historyStep` (default: the run's step). */
export async function logRunTables(
  sink: RunTableSink,
  run: { readonly id: string },
  files: readonly MediaFile[],
  historyStep?: number,
): Promise<RunTableVersion[]> {
  const tables = files.filter((f) => f.kind === 'table');
  if (tables.length === 0) return [];
  const out: RunTableVersion[] = [];
  for (const f of tables) {
    const name = runTableArtifactName(run.id, f.key);
    try {
      const r = await sink.logFiles({
        name,
        type: RUN_TABLE_TYPE,
        files: [{ path: f.absPath, name: `${f.key}.table.json`, size: f.size }],
        ...(historyStep !== undefined ? { historyStep } : {}),
      });
      out.push({ key: f.key, name, version: `v${r.version.versionIndex}`, deduplicated: r.deduplicated });
    } catch (err) {
      const e = normalizeError(err);
      sink.logger.warn({ err: e }, `run table ${name}: not logged as an artifact`);
      sink.warn(`the table ${f.key} is logged, but its run_table artifact ${name} is not (${e.code}: ${e.message})`);
    }
  }
  return out;
}
