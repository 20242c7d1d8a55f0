import { join } from 'node:path';

/**
 * One path segment from a project name or run id: percent-encoded, so no name can add a folder or
 * climb out (`.` and `..` are encoded too). The one encoder for identifiers that go into paths.
 */
export function pathSegmentOf(name: string): string {
  const s = encodeURIComponent(name);
  if (s === '.' || s === '..') return s.replace(/\./g, '%2E');
  return s;
}

/** The folder of a run's files (media, config.yaml, wandb-summary.json, ...), as W&B's `<run dir>/files`. */
export function runFilesDir(dir: string, project: string, runId: string): string {
  return join(dir, 'wandb', 'runs', pathSegmentOf(project), pathSegmentOf(runId), 'files');
}
