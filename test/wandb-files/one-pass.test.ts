import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { importWandbRuns } from '../../src/index.js';
import { FrameReader, FrameWriter } from '../../src/wandb-files/framing.js';
import { parseRunFile } from '../../src/wandb-files/parse-run.js';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import { snapshot, storeAt } from './helpers.js';

interface FileShape {
  runId: string;
  /** A second run record near the end naming this host (a resumed writer's). */
  laterHost?: string;
  rows: number;
}

/**
 * A `.wandb` file of several megabytes: rows of ~500 bytes (so an import's window moves and its
 * rows go in several batches), one row of 40 KB (its record spans blocks), a summary record every
 * 100 steps, then a last summary record followed by more than a window of rows without one, an
 * alert, and an exit record.
 */
function writeRunFile(dir: string, shape: FileShape): string {
  const folder = join(dir, `offline-run-20260101_000000-${shape.runId}`);
  mkdirSync(folder, { recursive: true });
  const w = new FrameWriter();
  const pieces: Buffer[] = [];
  let num = 0;
  const put = (rec: Record<string, unknown>): void => {
    w.append(W.Record.encode({ num: ++num, ...rec }).finish());
    const piece = w.drain();
    if (piece !== undefined) pieces.push(piece);
  };
  const run = (host: string) => ({ run: { run_id: shape.runId, project: 'onepass', host, start_time: { seconds: 1_800_000_000, nanos: 0 } } });
  put(run('first-host'));
  put({ config: { update: [{ key: 'lr', value_json: '0.01' }] } });
  const pad = JSON.stringify('x'.repeat(400));
  for (let s = 0; s < shape.rows; s++) {
    const items = [{ key: '_step', value_json: String(s) }];
    for (let m = 0; m < 5; m++) items.push({ key: `m${m}`, value_json: String(Math.sin(s + m)) });
    items.push({ key: 'note', value_json: s === 1500 ? JSON.stringify('y'.repeat(40_000)) : pad });
    // Lines that are not ASCII (the general path writes them from strings): a snowman and an emoji as UTF-8, a lone surrogate as a JSON escape.
    if (s % 700 === 3) items.push({ key: 'ünï', value_json: s % 1400 === 3 ? '"h\u00e9llo \u2603 \ud83d\ude00"' : '"\\ud800"' });
    items.push({ key: '_timestamp', value_json: String(1_800_000_000 + s / 10) });
    // The nested shape for a stretch of rows (W&B's Python client's `val.acc`).
    const nested = s >= 2000 && s < 2500 ? [{ nested_key: ['val', 'acc'], value_json: String(s / shape.rows) }] : [];
    put({ history: { item: [...items, ...nested], step: { num: s } } });
    if (s % 100 === 0 && s < shape.rows - 3000) {
      put({
        summary: {
          update: [
            { key: 'm0', value_json: String(s) },
            { nested_key: ['_wandb', 'runtime'], value_json: String(s) },
          ],
        },
      });
      put({
        summary: {
          update: [
            { key: 'm0', value_json: String(s + 1) },
            { nested_key: ['_wandb', 'runtime'], value_json: String(s + 1) },
          ],
        },
      });
    }
    if (s === 1000) put({ alert: { title: 'loss', text: 'high', level: 'WARN', wait_duration: 0 } });
    if (s === shape.rows - 100 && shape.laterHost !== undefined) put(run(shape.laterHost));
  }
  put({ exit: { exit_code: 0, runtime: 42 } });
  pieces.push(w.finish());
  writeFileSync(join(folder, `run-${shape.runId}.wandb`), Buffer.concat(pieces));
  return folder;
}

/** Every record a reader gives (its bytes and end offset) and where it stopped. */
function readAll(r: FrameReader): { records: string[]; ends: number[]; stopped: unknown } {
  const records: string[] = [];
  const ends: number[] = [];
  for (let b = r.next(); b !== undefined; b = r.next()) {
    records.push(b.toString('base64'));
    ends.push(r.end);
  }
  return { records, ends, stopped: r.stopped };
}

function overFile(path: string): FrameReader {
  const fd = openSync(path, 'r');
  const size = readFileSync(path).length;
  const r = FrameReader.over((into, at, n, position) => readSync(fd, into, at, n, position), size);
  const next = r.next.bind(r);
  r.next = () => {
    const b = next();
    if (b === undefined) closeSync(fd);
    return b === undefined ? undefined : Buffer.from(b);
  };
  return r;
}

test('a reader through a window gives the records, offsets and stop a reader of the whole file gives, whole or damaged past the first window', () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(writeRunFile(dir, { runId: 'frames1', rows: 5000 }), 'run-frames1.wandb');
    const whole = readFileSync(file);
    assert.ok(whole.length > 2.5 * (1 << 20), `the file spans several windows (${whole.length} bytes)`);
    const bad = Buffer.from(whole);
    bad[2_500_000] = (bad[2_500_000] as number) ^ 0xff;
    const variants: Array<[string, Buffer]> = [
      ['whole', whole],
      ['a damaged byte', bad],
      ['cut inside a record', whole.subarray(0, 2_000_003)],
      ['cut at a block end', whole.subarray(0, 64 * 32768)],
    ];
    for (const [name, bytes] of variants) {
      const path = join(dir, `${name}.wandb`);
      writeFileSync(path, bytes);
      const expected = readAll(new FrameReader(bytes));
      const got = readAll(overFile(path));
      assert.equal(got.records.length, expected.records.length, name);
      assert.deepEqual(got, expected, name);
      if (name === 'a damaged byte' || name === 'cut inside a record') assert.notEqual(expected.stopped, undefined, name);
    }
  } finally {
    cleanup();
  }
});

test('a new run imported in one pass is stored as the two-pass import (a replace) stores it, and answers the same', async () => {
  const one = tempDir();
  const two = tempDir();
  try {
    const folder = writeRunFile(one.dir, { runId: 'onepass1', rows: 6000 });
    const parsed = parseRunFile(readFileSync(join(folder, 'run-onepass1.wandb')));
    const a = await importWandbRuns([folder], { cwd: one.dir, env: {} });
    // The two-pass path: the run is stored already (other content), and replaced.
    const other = writeRunFile(join(two.dir, 'other'), { runId: 'onepass1', rows: 10 });
    await importWandbRuns([other], { cwd: two.dir, env: {} });
    const b = await importWandbRuns([folder], { cwd: two.dir, env: {}, replace: true });
    assert.equal(b.imported[0]?.status, 'replaced');
    assert.deepEqual({ ...a.imported[0], status: 'replaced' }, b.imported[0]);
    assert.equal(a.imported[0]?.historyRows, 6000);
    const sa = storeAt(one.dir);
    const sb = storeAt(two.dir);
    try {
      const ra = sa.runs.get('onepass', 'onepass1')!;
      const rb = sb.runs.get('onepass', 'onepass1')!;
      const snap = snapshot(sa, ra);
      assert.deepEqual(snap, snapshot(sb, rb));
      assert.deepEqual(snap['summary'], parsed.summary, 'the summary is the file last values, read after the window moved past them');
      assert.equal((snap['history'] as unknown[]).length, 6000);
      assert.equal(snap['host'], 'first-host');
      // Lines bound as bytes are stored as the text of the parsed rows (not-ASCII ones too).
      const lines = (snap['history'] as Array<{ line: string }>).map((l) => l.line);
      assert.deepEqual(
        lines,
        Array.from({ length: parsed.rows.length }, (_, i) => parsed.rows.lineAt(i)),
      );
      assert.ok(
        lines.some((l) => l.includes('h\u00e9llo \u2603 \ud83d\ude00')),
        'a line of UTF-8 text',
      );
      assert.ok(
        lines.some((l) => l.includes('"\\ud800"')),
        'a lone surrogate, escaped as JSON.stringify escapes it',
      );
      assert.deepEqual([ra.runtimeBase, ra.finishedAt, ra.heartbeatAt, ra.segmentStart], [rb.runtimeBase, rb.finishedAt, rb.heartbeatAt, rb.segmentStart]);
      // Importing it again: unchanged.
      const again = await importWandbRuns([folder], { cwd: one.dir, env: {} });
      assert.equal(again.imported[0]?.status, 'unchanged');
    } finally {
      sa.close();
      sb.close();
    }
  } finally {
    one.cleanup();
    two.cleanup();
  }
});

test('a later run record naming another host: the one-pass import is undone and the file imported in two passes, with the later host', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const folder = writeRunFile(dir, { runId: 'onepass2', rows: 3000, laterHost: 'later-host' });
    const res = await importWandbRuns([folder], { cwd: dir, env: {} });
    assert.equal(res.imported[0]?.status, 'imported', JSON.stringify(res));
    assert.equal(res.imported[0]?.historyRows, 3000);
    const store = storeAt(dir);
    try {
      const run = store.runs.get('onepass', 'onepass2')!;
      assert.equal(run.host, 'later-host');
      assert.equal(run.historyCount, 3000);
      assert.equal(store.history.lines(run.key, 0, 1e9).length, 3000);
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});

test('a file damaged past the first window imports its rows up to the damage in one pass and says where it stopped', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const folder = writeRunFile(dir, { runId: 'onepass3', rows: 5000 });
    const file = join(folder, 'run-onepass3.wandb');
    const bytes = readFileSync(file);
    bytes[2_500_000] = (bytes[2_500_000] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const parsed = parseRunFile(bytes);
    assert.notEqual(parsed.stopped, undefined);
    const res = await importWandbRuns([folder], { cwd: dir, env: {} });
    assert.equal(res.imported[0]?.status, 'imported');
    assert.deepEqual(res.imported[0]?.stopped, parsed.stopped);
    assert.equal(res.imported[0]?.historyRows, parsed.rows.length);
    const store = storeAt(dir);
    try {
      const run = store.runs.get('onepass', 'onepass3')!;
      assert.equal(run.state, 'crashed', 'no exit record was read');
      const lines = store.history.lines(run.key, 0, 1e9);
      assert.equal(lines.length, parsed.rows.length);
      assert.deepEqual(
        lines.map((l) => l.line),
        Array.from({ length: parsed.rows.length }, (_, i) => parsed.rows.lineAt(i)),
      );
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});
