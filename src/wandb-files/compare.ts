/**
 * How files being imported compare with a run already stored: the same content (nothing to do), later
 * resume segments of it (appended), or other content (a CONFLICT unless replaced).
 */
import { stringifyExtended } from '../json/extended-json.js';
import type { HistoryRowSource, RunRecord, RunState, Store } from '../store/index.js';
import { mergeSegments, segmentAt, storedStarts, type MergedRun, type SegmentFile } from './segments.js';

export interface Target {
  state: RunState;
  exitCode: number | null;
  finishedAt: number | null;
  runtime: number;
  step: number;
}

export function targetOf(p: MergedRun, base?: RunRecord): Target {
  const last = p.rows.lastStep();
  const wandb = p.summary['_wandb'] as { runtime?: unknown } | undefined;
  const runtime = p.exit && p.exit.runtime > 0 ? p.exit.runtime : typeof wandb?.runtime === 'number' ? wandb.runtime : Math.max(0, p.lastTime - p.startTime);
  // No exit record: the process ended without finishing (W&B's sync marks such a run failed).
  const state: RunState = p.exit === null ? 'crashed' : p.exit.code === 0 ? 'finished' : 'failed';
  return { state, exitCode: p.exit?.code ?? null, finishedAt: p.exit ? p.lastTime : null, runtime, step: last === undefined ? (base?.step ?? 0) : last + 1 };
}

/** True when the stored run already holds exactly what the file says. */
function sameContent(store: Store, run: RunRecord, p: MergedRun, t: Target): boolean {
  const meta =
    run.displayName === p.displayName &&
    run.notes === p.notes &&
    run.group === p.group &&
    run.jobType === p.jobType &&
    run.entity === p.entity &&
    run.state === t.state &&
    run.exitCode === t.exitCode &&
    run.historyCount === p.rows.length &&
    JSON.stringify(run.tags) === JSON.stringify(p.tags) &&
    stringifyExtended(run.config) === stringifyExtended(p.config) &&
    stringifyExtended(run.summary) === stringifyExtended(p.summary);
  if (!meta) return false;
  const alerts = store.alerts
    .forRun(run.key)
    .filter((a) => !a.suppressed)
    .map((a) => [a.title, a.text, a.level, a.waitDuration]);
  if (JSON.stringify(alerts) !== JSON.stringify(p.alerts.map((a) => [a.title, a.text, a.level, a.waitDuration]))) return false;
  return sameRows(store, run, 0, run.historyCount, p.rows);
}

/** True when the stored rows [from, to) are exactly `rows`. */
function sameRows(store: Store, run: RunRecord, from: number, to: number, rows: HistoryRowSource): boolean {
  if (to - from !== rows.length) return false;
  const batch = 5000;
  for (let at = from; at < to; at += batch) {
    const stored = store.history.lines(run.key, at, Math.min(batch, to - at));
    for (let i = 0; i < stored.length; i++) {
      if (stored[i]?.step !== rows.stepAt(at - from + i) || stored[i]?.line !== rows.lineAt(at - from + i)) return false;
    }
  }
  return true;
}

/** What to do with a group of segment files whose run is stored: nothing, append the later ones, or it conflicts. */
export function against(store: Store, run: RunRecord, group: readonly SegmentFile[]): 'unchanged' | 'conflict' | { append: SegmentFile[] } {
  const starts = storedStarts(store, run);
  const at = group.map((g) => segmentAt(starts, g.parsed.startTime));
  // Every stored segment and no other: the run compares whole (metadata too).
  if (at.length === starts.length && at.every((x, i) => x === i)) {
    const m = mergeSegments(group, 0);
    return sameContent(store, run, m, targetOf(m)) ? 'unchanged' : 'conflict';
  }
  // Else: stored segments in order (each with the same rows), then only segments that start after the stored run's last.
  const firstNew = at.findIndex((x) => x < 0);
  const lead = firstNew < 0 ? at.length : firstNew;
  const segs = store.runSegments.list(run.key);
  const from = (x: number): number => (x === 0 ? 0 : (segs[x - 1]?.fromSeq ?? 0));
  const to = (x: number): number => (x + 1 < starts.length ? from(x + 1) : run.historyCount);
  for (let i = 0; i < lead; i++) {
    const x = at[i] as number;
    if ((i > 0 && x !== (at[i - 1] as number) + 1) || !sameRows(store, run, from(x), to(x), group[i]!.parsed.rows)) return 'conflict';
  }
  if (lead === group.length) return 'unchanged';
  const later = group.slice(lead);
  const lastStart = starts[starts.length - 1] as number;
  const continues = (lead === 0 || at[lead - 1] === starts.length - 1) && later.every((g, i) => at[lead + i] === -1 && g.parsed.startTime > lastStart);
  return continues && run.state !== 'running' ? { append: later } : 'conflict';
}
