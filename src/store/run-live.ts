/**
 * A run's step and history count as readers must see them. A plain log (the run row committed, no
 * row pending before or after it, no summary fold due, a fresh heartbeat) appends its history row
 * without rewriting the run row: the row's `step` and `history_count` columns then lag behind the
 * history. Every read of a run takes them through these expressions instead, so nothing reads a
 * stale count: rows at seq >= the stored count were all appended that way, so the live count is the
 * last seq + 1 and the live step the last row's step + 1 (both one index seek on history's key).
 */

import { inRun, seqOf } from './history-layout.js';

/** The live history count of the run row named `t` (a table name or alias). */
export function liveHistoryCount(t: string): string {
  return `coalesce((SELECT ${seqOf('h.id')} + 1 FROM history_rows h WHERE ${inRun('h.id', `${t}.key`, `${t}.history_count`)} ORDER BY h.id DESC LIMIT 1), ${t}.history_count)`;
}

/** The live step of the run row named `t`. */
export function liveStep(t: string): string {
  return `coalesce((SELECT h.step + 1 FROM history_rows h WHERE ${inRun('h.id', `${t}.key`, `${t}.history_count`)} ORDER BY h.id DESC LIMIT 1), ${t}.step)`;
}

/** Every column of `runs` (the table named `runs`), step and history_count live: use instead of `SELECT *`. */
export const RUN_COLUMNS = `runs.key, runs.project, runs.id, runs.entity, runs.display_name, runs.state, runs.config, runs.summary,
  runs.summary_seq, runs.tags, runs.notes, runs.group_name, runs.job_type, runs.username, runs.host, runs.sweep_id, runs.created_at,
  runs.updated_at, runs.heartbeat_at, runs.finished_at, runs.exit_code, ${liveStep('runs')} AS step,
  ${liveHistoryCount('runs')} AS history_count, runs.runtime_base, runs.segment_start, runs.pending_row`;
