/**
 * The library's entry to W&B's offline run files. The protobuf code is large, so it loads on the
 * first call, not when the package is imported.
 */
import type { WandbExportOptions, WandbExportResult } from './export.js';
import type { WandbImportOptions, WandbImportResult } from './import.js';

export type { WandbExportOptions, WandbExportResult, ExportedRun } from './export.js';
export type { WandbImportOptions, WandbImportResult, ImportedRun } from './import.js';

/** Writes runs of the store as W&B offline run folders that `wandb sync` uploads. */
export async function exportWandbRuns(options: WandbExportOptions = {}): Promise<WandbExportResult> {
  return (await import('./export.js')).exportWandbRuns(options);
}

/** Reads W&B offline run folders / `.wandb` files (e.g. from W&B's Python SDK) into the store. */
export async function importWandbRuns(paths: readonly string[], options: WandbImportOptions = {}): Promise<WandbImportResult> {
  return (await import('./import.js')).importWandbRuns(paths, options);
}
