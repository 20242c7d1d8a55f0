import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { exportWandbRuns, importWandbRuns } from '../../src/index.js';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import { parseExtended } from '../../src/json/extended-json.js';
import type { Store } from '../../src/store/index.js';
import { readFramesStrict } from './frame-reader.js';
import { makeResumedRun, snapshot, storeAt, T0 } from './helpers.js';

function segmentsOf(store: Store, runId: string): unknown[] {
  const run = store.runs.get('exp', runId)!;
  return store.runSegments.list(run.key).map((s) => ({ ...s, runtimeBase: Math.floor(s.runtimeBase) }));
}

test('a run resumed twice exports as three W&B segment folders, each framed and CRC-checked, and imports back as the same run', async () => {
  const { dir, cleanup } = tempDir();
  const fresh = tempDir();
  try {
    await makeResumedRun(dir);
    let store = storeAt(dir);
    const stored = segmentsOf(store, 'resumed1') as Array<{ fromSeq: number; startingStep: number; prevExitCode: number | null }>;
    store.close();
    assert.deepEqual(
      stored.map((s) => [s.fromSeq, s.startingStep, s.prevExitCode]),
      [
        [5, 5, 0],
        [9, 9, 2],
      ],
      'each resume of an ended run is recorded where it began',
    );
    const out = await exportWandbRuns({ cwd: dir, env: {}, out: join(dir, 'out') });
    assert.deepEqual(
      out.exported.map((e) => [e.segment, e.segments, e.historyRows]),
      [
        [1, 3, 5],
        [2, 3, 4],
        [3, 3, 3],
      ],
    );
    assert.equal(new Set(out.exported.map((e) => e.folder)).size, 3, 'one folder per segment');
    let step = 0;
    for (const [i, e] of out.exported.entries()) {
      assert.match(basename(e.folder), /^offline-run-\d{8}_\d{6}-resumed1$/);
      assert.equal(e.file, join(e.folder, 'run-resumed1.wandb'));
      const records = readFramesStrict(readFileSync(e.file)).payloads.map((p) => W.Record.decode(p));
      const run = records[0]?.run;
      assert.ok(run, 'a run record first');
      assert.equal(run.run_id, 'resumed1');
      assert.equal(run.resumed, i > 0, 'later segments are marked resumed');
      assert.equal(Number(run.starting_step), i === 0 ? 0 : step);
      const history = records.filter((r) => r.record_type === 'history');
      assert.equal(history.length, [5, 4, 3][i]);
      for (const h of history) assert.equal(Number(h.history!.step!.num), step++, 'steps continue across segments');
      const nested = history[0]!.history!.item!.find((it) => it.key === 'val' || it.nested_key?.[0] === 'val');
      assert.ok(nested, 'the nested metric is in the row');
      const exit = records.find((r) => r.record_type === 'exit');
      assert.equal(exit?.exit?.exit_code ?? 0, [0, 2, 0][i], 'each segment ends with the exit it had');
      assert.equal(
        records.some((r) => r.record_type === 'alert'),
        i === 1,
        'the alert goes with the segment it was raised in',
      );
      assert.equal(
        records.some((r) => r.record_type === 'summary'),
        i === 2,
        'the summary goes with the last segment',
      );
      const config = Object.fromEntries(run.config!.update!.map((it) => [it.key, parseExtended(it.value_json!)]));
      assert.equal(config['lr'], 0.1);
    }
    const imported = await importWandbRuns([join(dir, 'out')], { cwd: fresh.dir, env: {} });
    assert.deepEqual(
      imported.imported.map((r) => [r.status, r.segment]),
      [
        ['imported', 1],
        ['imported', 2],
        ['imported', 3],
      ],
      JSON.stringify(imported),
    );
    const a = storeAt(dir);
    const b = storeAt(fresh.dir);
    try {
      assert.deepEqual(snapshot(b, b.runs.get('exp', 'resumed1')!), snapshot(a, a.runs.get('exp', 'resumed1')!));
      assert.deepEqual(segmentsOf(b, 'resumed1'), segmentsOf(a, 'resumed1'), 'the segments came back');
    } finally {
      a.close();
      b.close();
    }
    const again = await importWandbRuns([join(dir, 'out')], { cwd: fresh.dir, env: {} });
    assert.deepEqual(
      again.imported.map((r) => r.status),
      ['unchanged', 'unchanged', 'unchanged'],
    );
    store = storeAt(fresh.dir);
    assert.equal(store.runs.get('exp', 'resumed1')!.historyCount, 12, 'importing again adds nothing');
    store.close();
  } finally {
    cleanup();
    fresh.cleanup();
  }
});

test('segments imported one call at a time append in order; one already held is unchanged; another run under the id is CONFLICT', async () => {
  const { dir, cleanup } = tempDir();
  const fresh = tempDir();
  const other = tempDir();
  try {
    await makeResumedRun(dir);
    const out = await exportWandbRuns({ cwd: dir, env: {}, out: join(dir, 'out') });
    const [f1, f2, f3] = out.exported.map((e) => e.file) as [string, string, string];
    const first = await importWandbRuns([dirname(f1)], { cwd: fresh.dir, env: {} });
    assert.equal(first.imported[0]?.status, 'imported');
    const rest = await importWandbRuns([f3, f2], { cwd: fresh.dir, env: {} });
    assert.deepEqual(
      rest.imported.map((r) => [r.path, r.status]),
      [
        [f2, 'imported'],
        [f3, 'imported'],
      ],
      'the later segments, put in start order, continue the stored run',
    );
    const a = storeAt(dir);
    const b = storeAt(fresh.dir);
    try {
      assert.deepEqual(snapshot(b, b.runs.get('exp', 'resumed1')!), snapshot(a, a.runs.get('exp', 'resumed1')!));
      assert.deepEqual(segmentsOf(b, 'resumed1'), segmentsOf(a, 'resumed1'));
    } finally {
      a.close();
      b.close();
    }
    const middle = await importWandbRuns([f2], { cwd: fresh.dir, env: {} });
    assert.equal(middle.imported[0]?.status, 'unchanged', 'a segment already held changes nothing');
    // A run of the same id that started earlier and holds other rows: not a resume of the stored one.
    await makeResumedRun(other.dir, T0 - 3_600_000);
    const theirs = await exportWandbRuns({ cwd: other.dir, env: {}, out: join(other.dir, 'out') });
    const clash = await importWandbRuns([theirs.exported[0]!.file], { cwd: fresh.dir, env: {} });
    assert.equal(clash.imported[0]?.status, 'conflict');
    assert.equal(clash.imported[0]?.error?.code, 'CONFLICT');
    const store = storeAt(fresh.dir);
    assert.equal(store.runs.get('exp', 'resumed1')!.historyCount, 12, 'a conflict writes nothing');
    store.close();
  } finally {
    cleanup();
    fresh.cleanup();
    other.cleanup();
  }
});
