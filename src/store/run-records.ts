/** A run as the store holds it (RunRow) and as callers get it (RunRecord), and how one becomes the other. */
import { parseExtended } from '../json/extended-json.js';

export type RunState = 'running' | 'finished' | 'failed' | 'crashed' | 'killed' | 'pending';

/** A run as the store holds it, with its JSON columns parsed. */
export interface RunRecord {
  key: number;
  project: string;
  id: string;
  entity: string | null;
  displayName: string;
  state: RunState;
  config: Record<string, unknown>;
  /** The summary folded over history rows [0, summarySeq); `readSummary` folds the rest. */
  summary: Record<string, unknown>;
  summarySeq: number;
  tags: string[];
  notes: string | null;
  group: string | null;
  jobType: string | null;
  username: string | null;
  host: string | null;
  sweepId: string | null;
  createdAt: number;
  updatedAt: number;
  heartbeatAt: number;
  finishedAt: number | null;
  exitCode: number | null;
  /** The run's current step: where the pending row lives and the next committed row goes. */
  step: number;
  historyCount: number;
  runtimeBase: number;
  segmentStart: number;
  pendingRow: Record<string, unknown> | null;
}

export interface RunRow {
  key: number;
  project: string;
  id: string;
  entity: string | null;
  display_name: string;
  state: string;
  config: string;
  summary: string;
  summary_seq: number;
  tags: string;
  notes: string | null;
  group_name: string | null;
  job_type: string | null;
  username: string | null;
  host: string | null;
  sweep_id: string | null;
  created_at: number;
  updated_at: number;
  heartbeat_at: number;
  finished_at: number | null;
  exit_code: number | null;
  step: number;
  history_count: number;
  runtime_base: number;
  segment_start: number;
  pending_row: string | null;
}

/** A value and everything inside it made read-only (a parsed JSON column shared by many records). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/** The JSON columns of a held run row, parsed once for every record made from that row. */
export interface ParsedColumns {
  summary: Record<string, unknown>;
  config: Record<string, unknown>;
  tags: string[];
}

/**
 * The record of a row this connection holds (see held-rows.ts), made on every log call: a plain
 * object, its JSON columns parsed once per row and shared, frozen, by the records made from it (a
 * held row's JSON columns never change in place: a new summary replaces the row). toRecord's
 * accessors made each record cost about 4 us; the same fields in the same order. (Written out,
 * not a spread of shared scalar fields: the spread cost a log call as much as the accessors did.)
 */
export function heldRecord(r: RunRow, parsed: WeakMap<RunRow, ParsedColumns>): RunRecord {
  let cols = parsed.get(r);
  if (cols === undefined) {
    cols = deepFreeze({
      summary: parseExtended(r.summary) as Record<string, unknown>,
      config: parseExtended(r.config) as Record<string, unknown>,
      tags: JSON.parse(r.tags) as string[],
    });
    parsed.set(r, cols);
  }
  return {
    key: r.key,
    project: r.project,
    id: r.id,
    entity: r.entity,
    displayName: r.display_name,
    state: r.state as RunState,
    summarySeq: r.summary_seq,
    notes: r.notes,
    group: r.group_name,
    jobType: r.job_type,
    username: r.username,
    host: r.host,
    sweepId: r.sweep_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    heartbeatAt: r.heartbeat_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    step: r.step,
    historyCount: r.history_count,
    runtimeBase: r.runtime_base,
    segmentStart: r.segment_start,
    pendingRow: r.pending_row === null ? null : (parseExtended(r.pending_row) as Record<string, unknown>),
    summary: cols.summary,
    config: cols.config,
    tags: cols.tags,
  };
}

export function toRecord(r: RunRow): RunRecord {
  // config, tags and summary are parsed on first use (log() touches none of them): accessors in the
  // literal, enumerable like data, so a spread copy reads them.
  let summary: Record<string, unknown> | undefined;
  let config: Record<string, unknown> | undefined;
  let tags: string[] | undefined;
  return {
    key: r.key,
    project: r.project,
    id: r.id,
    entity: r.entity,
    displayName: r.display_name,
    state: r.state as RunState,
    summarySeq: r.summary_seq,
    notes: r.notes,
    group: r.group_name,
    jobType: r.job_type,
    username: r.username,
    host: r.host,
    sweepId: r.sweep_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    heartbeatAt: r.heartbeat_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    step: r.step,
    historyCount: r.history_count,
    runtimeBase: r.runtime_base,
    segmentStart: r.segment_start,
    pendingRow: r.pending_row === null ? null : (parseExtended(r.pending_row) as Record<string, unknown>),
    get summary() {
      return (summary ??= parseExtended(r.summary) as Record<string, unknown>);
    },
    set summary(v: Record<string, unknown>) {
      summary = v;
    },
    get config() {
      return (config ??= parseExtended(r.config) as Record<string, unknown>);
    },
    set config(v: Record<string, unknown>) {
      config = v;
    },
    get tags() {
      return (tags ??= JSON.parse(r.tags) as string[]);
    },
    set tags(v: string[]) {
      tags = v;
    },
  };
}
