/**
 * Several `.wandb` files of one run: W&B's client writes one offline run folder per process that
 * resumes a run. They import as one run, segment after segment in start order, and the store
 * records where each later one began (run_segments), so an export writes them back the same way.
 */
import { dirname, join } from 'node:path';
import type { HistoryRowSource, RunRecord, RunSegment, Store } from '../store/index.js';
import type { ParsedRun } from './parse-run.js';

/** Rows of several segments read as one list. */
export class JoinedRows implements HistoryRowSource {
  readonly length: number;
  private readonly starts: number[] = [];
  constructor(private readonly parts: readonly HistoryRowSource[]) {
    let n = 0;
    for (const p of parts) {
      this.starts.push(n);
      n += p.length;
    }
    this.length = n;
    this.lineBytesAt = parts.every((p) => p.lineBytesAt !== undefined)
      ? (i) => {
          const [p, j] = this.at(i);
          return (p.lineBytesAt as (i: number) => Uint8Array)(j);
        }
      : undefined;
  }
  private at(i: number): [HistoryRowSource, number] {
    let k = this.parts.length - 1;
    while (k > 0 && (this.starts[k] as number) > i) k--;
    return [this.parts[k] as HistoryRowSource, i - (this.starts[k] as number)];
  }
  stepAt(i: number): number {
    const [p, j] = this.at(i);
    return p.stepAt(j);
  }
  lineAt(i: number): string {
    const [p, j] = this.at(i);
    return p.lineAt(j);
  }
  /** Present when every part holds its lines as bytes. */
  readonly lineBytesAt: ((i: number) => Uint8Array) | undefined;
  lastStep(): number | undefined {
    return this.length === 0 ? undefined : this.stepAt(this.length - 1);
  }
}

/** One segment file parsed, with the `files/` folder beside it. */
export interface SegmentFile {
  path: string;
  parsed: ParsedRun;
}

/** A run as several segments make it (the fields the import writes), and where each later segment starts. */
export interface MergedRun extends Omit<ParsedRun, 'rows' | 'files'> {
  rows: JoinedRows;
  /** Run-relative file names with the folder they are copied from (a later segment's copy wins). */
  files: Array<{ name: string; srcDir: string }>;
  /** The segments after the first, as the store records them (fromSeq counted from `baseSeq`). */
  segments: Array<Omit<RunSegment, 'ord'>>;
}

/** Merges segments in order: later run records update what they name, config and summary keys merge, the last exit ends it. */
export function mergeSegments(parts: readonly SegmentFile[], baseSeq: number, before?: RunRecord): MergedRun {
  const first = (parts[0] as SegmentFile).parsed;
  const last = (parts[parts.length - 1] as SegmentFile).parsed;
  const m: MergedRun = {
    ...first,
    config: { ...(before?.config ?? {}) },
    summary: { ...(before?.summary ?? {}) },
    alerts: [],
    files: [],
    rows: new JoinedRows(parts.map((p) => p.parsed.rows)),
    segments: [],
    exit: last.exit,
    lastTime: last.lastTime,
  };
  let seq = baseSeq;
  let prev: ParsedRun | undefined;
  for (const { path, parsed: p } of parts) {
    if (prev !== undefined || before !== undefined) {
      const last = prev?.rows.lastStep() ?? (before !== undefined && before.historyCount > 0 ? before.step - 1 : undefined);
      m.segments.push({
        fromSeq: seq,
        startedAt: p.startTime,
        startingStep: p.resumed ? p.startingStep : last === undefined ? 0 : last + 1,
        runtimeBase: p.resumed ? p.startRuntime : (prev?.exit?.runtime ?? before?.runtimeBase ?? 0),
        prevExitCode: prev !== undefined ? (prev.exit?.code ?? null) : (before?.exitCode ?? null),
      });
    }
    if (prev !== undefined) {
      if (p.entity) m.entity = p.entity;
      if (p.displayName) m.displayName = p.displayName;
      if (p.tags.length > 0) m.tags = p.tags;
      if (p.notes) m.notes = p.notes;
      if (p.group) m.group = p.group;
      if (p.jobType) m.jobType = p.jobType;
      if (p.host) m.host = p.host;
    }
    Object.assign(m.config, p.config);
    Object.assign(m.summary, p.summary);
    m.alerts.push(...p.alerts);
    const srcDir = join(dirname(path), 'files');
    for (const name of p.files) {
      const i = m.files.findIndex((f) => f.name === name);
      if (i >= 0) m.files.splice(i, 1);
      m.files.push({ name, srcDir });
    }
    seq += p.rows.length;
    prev = p;
  }
  m.records = parts.reduce((n, p) => n + p.parsed.records, 0);
  return m;
}

/** The start times of a stored run's segments (its creation, then each resume). */
export function storedStarts(store: Store, run: RunRecord): number[] {
  return [run.createdAt, ...store.runSegments.list(run.key).map((s) => s.startedAt)];
}

/** Index of the stored segment a file's start time names (-1: none; W&B's times are kept to the nanosecond, ours to the microsecond). */
export function segmentAt(starts: readonly number[], startTime: number): number {
  return starts.findIndex((t) => Math.abs(t - startTime) < 1e-5);
}
