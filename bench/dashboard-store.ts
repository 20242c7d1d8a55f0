/**
 * The dashboard server bench's store, written with plain SQL (same schema, via openStore): a
 * generated run of `steps` rows x 10 metrics with one spike, its downsampled form folded as the log
 * path keeps it, and copies of it as other runs (their own ids, rows and buckets) with or without
 * that form (a run without it is what an older store or an import leaves).
 */
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { catchUp } from '../src/history/fold.js';
import { INSERT_LINE_SQL, inRun, rowKey, seqOf } from '../src/store/history-layout.js';

export const METRICS = 10;
/** Where the generated run has its spike (metric_3 = 1000 for one row). */
export const SPIKE = { key: 'metric_3', value: 1000, at: 0.7 };
const NOW = 1_700_000_000;

const INSERT_RUN = `INSERT INTO runs (project, id, entity, display_name, state, config, summary, summary_seq, tags,
  created_at, updated_at, heartbeat_at, finished_at, step, history_count, segment_start) VALUES (?, ?, NULL, ?, 'finished', ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)`;

function summaryOf(): string {
  const summary: Record<string, number> = {};
  for (let k = 0; k < METRICS; k++) summary[`metric_${k}`] = k;
  return JSON.stringify(summary);
}

function addRun(db: Database.Database, project: string, id: string, steps: number, r: number): number {
  const info = db
    .prepare(INSERT_RUN)
    .run(project, id, id, JSON.stringify({ lr: 0.001 * (r + 1) }), summaryOf(), steps, NOW, NOW, NOW + steps, NOW + steps, steps, steps, NOW);
  return Number(info.lastInsertRowid);
}

/** Writes run `project/id` of `steps` rows and folds its downsampled form; returns its key. */
export function writeRun(path: string, project: string, id: string, steps: number): number {
  openStore({ path }).close();
  const db = new Database(path);
  const insertRow = db.prepare(INSERT_LINE_SQL);
  const spikeAt = Math.floor(steps * SPIKE.at);
  let key = 0;
  db.transaction(() => {
    key = addRun(db, project, id, steps, 0);
    for (let i = 0; i < steps; i++) {
      let row = '{';
      for (let k = 0; k < METRICS; k++) {
        const v = i === spikeAt && `metric_${k}` === SPIKE.key ? SPIKE.value : Math.sin(i / 500 + k) + k + ((i * 7919) % 101) / 1000;
        row += `"metric_${k}":${v},`;
      }
      insertRow.run(key, i, i, `${row}"_step":${i},"_runtime":${i / 100},"_timestamp":${NOW + i / 100}}`);
    }
  })();
  db.close();
  const store = openStore({ path });
  try {
    catchUp(store, key);
  } finally {
    store.close();
  }
  return key;
}

/** Copies run `fromKey` (rows, and its downsampled form when `withBuckets`) as runs `<project>-<i>`; returns their ids. */
export function copyRun(path: string, fromKey: number, project: string, count: number, steps: number, withBuckets: boolean): string[] {
  const db = new Database(path);
  const ids: string[] = [];
  try {
    for (let r = 0; r < count; r++) {
      const id = `${project}-${r}`;
      db.transaction(() => {
        const key = addRun(db, project, id, steps, r);
        db.prepare(
          `INSERT INTO history_rows (id, step, row) SELECT ${rowKey('@key', seqOf('id'))}, step, row FROM history_rows WHERE ${inRun('id', '@from')}`,
        ).run({ key, from: fromKey });
        if (!withBuckets) return;
        for (const table of ['history_buckets', 'history_marks', 'history_keys', 'history_media']) {
          const cols = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => c !== 'run_key');
          db.prepare(`INSERT INTO ${table} (run_key, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM ${table} WHERE run_key = ?`).run(key, fromKey);
        }
      })();
      ids.push(id);
    }
  } finally {
    db.close();
  }
  return ids;
}
