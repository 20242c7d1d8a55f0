/**
 * Which runs a report covers: `runIds`, else the runs of `sweepId`, else runs carrying any of `tags`,
 * else every run of the project; filters given together all apply. Newest first, capped.
 */
import { SkillError } from '../../errors.js';
import type { RunRecord, Store } from '../../store/index.js';

/** More runs than this make charts unreadable and the file large; the caller is told. */
export const MAX_REPORT_RUNS = 200;

export interface RunSelection {
  runIds?: readonly string[] | undefined;
  sweepId?: string | undefined;
  tags?: readonly string[] | undefined;
}

export function selectRuns(store: Store, project: string, sel: RunSelection, warn: (m: string) => void): RunRecord[] {
  let runs: RunRecord[];
  if (sel.runIds !== undefined && sel.runIds.length > 0) {
    const seen = new Set<string>();
    runs = [];
    const missing: Array<{ path: string; message: string }> = [];
    sel.runIds.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      const run = store.runs.get(project, id);
      if (run === undefined) missing.push({ path: `reportConfig.runIds.${i}`, message: `no run ${id} in project ${project}` });
      else runs.push(run);
    });
    if (missing.length > 0) {
      throw new SkillError(
        'NOT_FOUND',
        `reportConfig.runIds: ${missing.length} run(s) not in project ${project} of the store ${store.path}: ${missing.map((m) => m.message.split(' ')[2]).join(', ')}`,
        {
          details: { storePath: store.path, issues: missing },
        },
      );
    }
  } else {
    // Newest first, in one query (not a read per run).
    runs = sel.sweepId !== undefined ? store.sweeps.runs(project, sel.sweepId).reverse() : store.runs.list(project, -1, 0);
  }
  if (sel.sweepId !== undefined && sel.runIds !== undefined && sel.runIds.length > 0) runs = runs.filter((r) => r.sweepId === sel.sweepId);
  if (sel.tags !== undefined && sel.tags.length > 0) {
    const wanted = new Set(sel.tags);
    runs = runs.filter((r) => r.tags.some((t) => wanted.has(t)));
  }
  if (runs.length === 0) {
    const path = sel.tags?.length
      ? 'reportConfig.tags'
      : sel.sweepId !== undefined
        ? 'reportConfig.sweepId'
        : sel.runIds?.length
          ? 'reportConfig.runIds'
          : 'project';
    throw new SkillError('NOT_FOUND', `no runs in project ${project} match the report's selection`, {
      details: { issues: [{ path, message: 'selects no runs' }] },
    });
  }
  if (runs.length > MAX_REPORT_RUNS) {
    warn(`the report covers the newest ${MAX_REPORT_RUNS} of ${runs.length} selected runs; narrow it with reportConfig.runIds, sweepId or tags`);
    runs = runs.slice(0, MAX_REPORT_RUNS);
  }
  return runs;
}
