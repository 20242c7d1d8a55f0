/**
 * Reads one `.wandb` file into a run as our store holds it: metadata from the `run` record(s),
 * config, history rows in order, the summary (every summary record applied in order, so summary
 * overrides win), the exit, and the files it names. Reading stops at the first damaged or unknown
 * record; what came before is returned with where and why it stopped.
 */
import type { RunMeta } from '../store/index.js';
import { FrameReader, type FrameStop } from './framing.js';
import { HistoryRows, WrittenRows, type RunRows } from './history-rows.js';
import { OTHER, ROW, SLOW, decodeHistoryRow, newKeyRanges } from './history-decode.js';
import { FLAT, decodeNestedRow, newNestedLayout } from './nested-decode.js';
import { newNestedShape, nestedRow } from './nested-row.js';
import { SummaryFold } from './summary-fold.js';
import { KNOWN_KINDS, decodeRecord, deletePath, historyRowOf, itemPath, type RowKeys, parseValueJson, setPath, toNumber, type WRecord } from './records.js';

/** A run as a `.wandb` file holds it: the store's run fields, plus what only the file carries. */
export interface ParsedRun extends Pick<RunMeta, 'entity' | 'displayName' | 'config' | 'tags' | 'notes' | 'group' | 'jobType'> {
  runId: string;
  project: string;
  host: string | null;
  /** Seconds since the epoch. */
  startTime: number;
  /** Its run record says it continues a run (W&B's `resumed`), from this step and runtime (seconds). */
  resumed: boolean;
  startingStep: number;
  startRuntime: number;
  /** Its history rows in order (steps and JSON lines; only their count and last step when a sink took them). */
  rows: RunRows;
  summary: Record<string, unknown>;
  exit: { code: number; runtime: number } | null;
  /** Its `alert` records, with the step and time of the history row before each. */
  alerts: Array<{ title: string; text: string; level: string; waitDuration: number; step: number | null; createdAt: number }>;
  /** Run-relative paths of the files its `files` records name (media, tables, ...). */
  files: string[];
  /** The last `_timestamp` of its history (seconds), or the start time. */
  lastTime: number;
  /** Records read (whole and understood). */
  records: number;
  stopped?: FrameStop & { record: number };
}

export class NoRunRecordError extends Error {}

function applyConfig(
  config: Record<string, unknown>,
  rec: {
    update?: Array<{ key?: string | null; nested_key?: string[] | null; value_json?: string | null }> | null;
    remove?: Array<{ key?: string | null; nested_key?: string[] | null }> | null;
  },
): void {
  for (const it of rec.update ?? []) setPath(config, itemPath(it), parseValueJson(it.value_json ?? ''));
  for (const it of rec.remove ?? []) deletePath(config, itemPath(it));
}

/**
 * Where a parse may hand its rows as it goes (an import writing them in the same pass): rows in
 * batches, kept no longer, so a large file's rows never sit in memory whole.
 */
export interface RowSink {
  /** The run's first run record was read: true to take its rows (then every one goes to `rows`), false to keep them in the result. */
  started(run: ParsedRun): boolean;
  /** The next rows, in order (the first is row `rows.dropped` of the run); they are dropped when it returns. */
  rows(rows: HistoryRows): void;
}

// A sink takes rows in batches of this many (a multiple of the store's multi-row INSERT), or fewer when they take this many bytes.
const SINK_ROWS = 1024;
const SINK_BYTES = 1 << 20;

/** Parses a `.wandb` file's bytes; throws NoRunRecordError when no whole `run` record comes before the damage. */
export function parseRunFile(buf: Buffer): ParsedRun {
  return parseRunFrames(new FrameReader(buf), buf.length);
}

/**
 * Parses a `.wandb` file of `size` bytes read by `frames`; with a sink that takes the rows, the
 * result's `rows` holds only their count and last step.
 */
export function parseRunFrames(frames: FrameReader, size: number, sink?: RowSink): ParsedRun {
  let run: ParsedRun | undefined;
  let rows: HistoryRows | undefined;
  let sunk = false;
  let stopped: ParsedRun['stopped'];
  const pendingConfig: Record<string, unknown> = {};
  let count = 0;
  let fold: SummaryFold | undefined;
  const shape = newNestedShape();
  let nestedRun = false;
  const lastKeys: RowKeys = { keys: [], quoted: [] };
  const fastKeys = newKeyRanges();
  const layout = newNestedLayout();
  let offset = frames.end;
  let i = -1;
  // A pending summary value may be a view of the frames' window: it is copied before the window moves.
  frames.onRefill = () => fold?.detach();
  const give = (r: HistoryRows): void => {
    (sink as RowSink).rows(r);
    r.drop();
    // The fast decoder's last keys were in the dropped bytes.
    fastKeys.n = 0;
  };
  // Each record is src[s, e): the file's own bytes, read in place, unless it spans chunks.
  for (let src = frames.nextSpan(); src !== undefined; offset = frames.end, src = frames.nextSpan()) {
    i++;
    const s = frames.from;
    const e = frames.to;
    // The bulk: history rows and summary records read from their bytes (SLOW: a history row the
    // general path takes). The decoder the last row needed (nested keys or not) is tried first.
    if (rows !== undefined && run !== undefined) {
      let fast: number = nestedRun ? decodeNestedRow(src, rows, layout, s, e) : decodeHistoryRow(src, rows, fastKeys, s, e);
      if (fast === FLAT) {
        fast = decodeHistoryRow(src, rows, fastKeys, s, e);
        nestedRun = false;
      } else if (fast === SLOW && !nestedRun) {
        fast = decodeNestedRow(src, rows, layout, s, e);
        nestedRun = fast !== FLAT;
        if (fast === FLAT) fast = SLOW;
      }
      if (fast === ROW) {
        if (sunk && (rows.length >= SINK_ROWS || rows.pos >= SINK_BYTES)) give(rows);
        count = i + 1;
        continue;
      }
      if (fast === OTHER && (fold ??= new SummaryFold(run.summary)).applyBytes(src, s, e)) {
        count = i + 1;
        continue;
      }
    }
    const payload = src.subarray(s, e);
    let rec: WRecord;
    try {
      rec = decodeRecord(payload);
    } catch (err) {
      stopped = { offset, record: i + 1, reason: `undecodable record (${err instanceof Error ? err.message : String(err)})` };
      break;
    }
    const kind = rec.record_type;
    if (kind === undefined || !KNOWN_KINDS.has(kind)) {
      stopped = { offset, record: i + 1, reason: 'a record of an unknown kind' };
      break;
    }
    try {
      if (kind === 'run' && rec.run) {
        const r = rec.run;
        const config = run?.config ?? pendingConfig;
        if (r.config) applyConfig(config, r.config);
        const start = r.start_time ? toNumber(r.start_time.seconds) + (r.start_time.nanos ?? 0) / 1e9 : 0;
        const base: ParsedRun = run ?? {
          runId: r.run_id ?? '',
          project: r.project ?? '',
          entity: null,
          displayName: '',
          config,
          tags: [],
          notes: null,
          group: null,
          jobType: null,
          host: null,
          startTime: start,
          resumed: r.resumed === true,
          startingStep: toNumber(r.starting_step),
          startRuntime: r.runtime ?? 0,
          rows: (rows = new HistoryRows(sink === undefined ? size : 2 * SINK_BYTES)),
          summary: {},
          exit: null,
          alerts: [],
          files: [],
          lastTime: start,
          records: 0,
        };
        // A later run record (a resumed segment) updates what it names.
        if (r.entity) base.entity = r.entity;
        if (r.project) base.project = r.project;
        if (r.display_name) base.displayName = r.display_name;
        if (r.tags && r.tags.length > 0) base.tags = [...r.tags];
        if (r.notes) base.notes = r.notes;
        if (r.run_group) base.group = r.run_group;
        if (r.job_type) base.jobType = r.job_type;
        if (r.host) base.host = r.host;
        if (run === undefined && sink !== undefined) sunk = sink.started(base);
        run = base;
      } else if (kind === 'config' && rec.config) {
        applyConfig(run?.config ?? pendingConfig, rec.config);
      } else if (run !== undefined) {
        if (kind === 'history' && rec.history) {
          const h = rec.history;
          const items = h.item ?? [];
          nestedRun = items.some((it) => it.nested_key && it.nested_key.length > 1);
          const nested = nestedRun ? nestedRow(items, shape) : undefined;
          const { step, line, ts } = nested ?? historyRowOf(items, () => toNumber(h.step?.num), lastKeys);
          const held = rows as HistoryRows;
          held.noteTime(ts);
          held.pushLine(step, line);
          if (sunk && (held.length >= SINK_ROWS || held.pos >= SINK_BYTES)) give(held);
        } else if (kind === 'summary' && rec.summary) {
          (fold ??= new SummaryFold(run.summary)).apply(rec.summary);
          fold.learn(payload);
        } else if (kind === 'exit' && rec.exit) {
          run.exit = { code: rec.exit.exit_code ?? 0, runtime: rec.exit.runtime ?? 0 };
        } else if (kind === 'alert' && rec.alert) {
          const a = rec.alert;
          run.alerts.push({
            title: a.title ?? '',
            text: a.text ?? '',
            level: a.level || 'INFO',
            waitDuration: toNumber(a.wait_duration) / 1000,
            step: rows?.lastStep() ?? null,
            createdAt: rows?.lastTime() ?? run.startTime,
          });
        } else if (kind === 'files' && rec.files) {
          for (const f of rec.files.files ?? []) if (f.path && !run.files.includes(f.path)) run.files.push(f.path);
        }
      }
    } catch (err) {
      stopped = { offset, record: i + 1, reason: `bad value in a ${kind} record (${err instanceof Error ? err.message : String(err)})` };
      break;
    }
    count = i + 1;
  }
  fold?.flush();
  frames.onRefill = undefined;
  if (sunk && rows !== undefined) {
    if (rows.length > 0) give(rows);
    (run as ParsedRun).rows = new WrittenRows(rows.dropped, rows.lastStep());
  }
  if (stopped === undefined && frames.stopped !== undefined) stopped = { ...frames.stopped, record: i + 2 };
  if (run === undefined || run.runId === '') {
    throw new NoRunRecordError(stopped ? `no whole run record before offset ${stopped.offset}: ${stopped.reason}` : 'no run record in the file');
  }
  // W&B's `_wandb` entry is kept as the store keeps its own (chart panels under `visualize`, ...),
  // except the empty one every run record starts with.
  const wandb = run.config['_wandb'];
  if (wandb === undefined || (typeof wandb === 'object' && wandb !== null && Object.keys(wandb).length === 0)) delete run.config['_wandb'];
  run.records = count;
  run.lastTime = rows?.lastTime() ?? run.startTime;
  if (stopped !== undefined) run.stopped = stopped;
  return run;
}
