// The log path folds from its in-memory feed (the rows this connection appended since the mark,
// summarised as they were committed) instead of reading them back. Its buckets must be exactly what a
// fold that reads the rows back writes: compared here bucket by bucket after two connections take
// turns on one run (each other's commits make a feed stale), after a rolled-back write, and with
// non-finite, nested and shadowed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store, type StoredBucket } from '../../src/store/index.js';
import { newRun } from '../store/contract.js';
import { catchUp, foldAfterAppend, FOLD_ROWS } from '../../src/history/fold.js';
import { TIER_SIZES } from '../../src/history/accumulator.js';
import { stringifyExtended } from '../../src/json/extended-json.js';
import { appendLogged, randomMetrics, rng } from './helpers.js';

/** Every stored bucket of a run, by tier and key, with its mark, keys and media rows. */
function allBuckets(store: Store, runKey: number) {
  const hb = store.historyBuckets;
  const keys = hb.keys(runKey);
  const buckets: Record<string, StoredBucket[]> = {};
  for (let tier = 0; tier < TIER_SIZES.length; tier++) for (const k of keys) buckets[`${tier}:${k}`] = hb.range(runKey, tier, k, 0, 1e9);
  return { mark: hb.mark(runKey), keys: [...keys].sort(), buckets, media: hb.mediaLines(runKey) };
}

/**
 * The run's buckets as stored, and as folded afresh by reading every row back (a copy of the file,
 * its buckets cleared, then caught up). Closes the writers first, so the file holds every commit.
 */
function storedAndRefolded(dir: string, path: string, runKey: number, writers: Store[]) {
  for (const w of writers) w.close();
  const store = openStore({ path });
  let stored;
  try {
    stored = allBuckets(store, runKey);
  } finally {
    store.close();
  }
  return { stored, refolded: refolded(dir, path, runKey) };
}

function refolded(dir: string, path: string, runKey: number) {
  const copy = join(dir, 'copy.sqlite');
  copyFileSync(path, copy);
  const store = openStore({ path: copy });
  try {
    store.write(() => store.historyBuckets.clear(runKey));
    catchUp(store, runKey);
    return allBuckets(store, runKey);
  } finally {
    store.close();
  }
}

function setUp(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'feed-'));
  const path = join(dir, 'store.sqlite');
  const a = openStore({ path });
  const b = openStore({ path });
  t.after(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, path, a, b };
}

test('two connections taking turns on one run: the buckets equal a fold that reads every row back', (t) => {
  const { dir, path, a, b } = setUp(t);
  const r = rng(7);
  const key = a.write(() => a.runs.insert(newRun()).key);
  let step = 0;
  // Turns of uneven length, some crossing a fold boundary, one connection's commits staling the other's feed.
  for (const [who, n, batch] of [
    [a, 300, 1],
    [b, 20, 1],
    [a, 500, 7],
    [b, 260, 3],
    [a, 1200, 1],
    [b, 1, 1],
    [a, 700, 64],
  ] as const) {
    appendLogged(
      who,
      key,
      Array.from({ length: n }, () => randomMetrics(r)),
      step,
      batch,
    );
    step += n * 2;
  }
  const { stored, refolded } = storedAndRefolded(dir, path, key, [a, b]);
  assert.ok(
    stored.mark !== undefined && stored.mark.folded === Math.floor(2981 / FOLD_ROWS) * FOLD_ROWS,
    `the log path folded: ${JSON.stringify(stored.mark)}`,
  );
  assert.ok(Object.values(stored.buckets).some((bs) => bs.length > 0));
  assert.deepStrictEqual(stored, refolded);
});

test('a write that rolls back after feeding its rows leaves no trace in the buckets', (t) => {
  const { dir, path, a, b } = setUp(t);
  const r = rng(11);
  const key = a.write(() => a.runs.insert(newRun()).key);
  appendLogged(
    a,
    key,
    Array.from({ length: 200 }, () => randomMetrics(r)),
    0,
  );
  // Rows fed and then rolled back: 50 rows that would be in the next fold had they committed.
  assert.throws(() =>
    a.write(() => {
      const rows = [];
      for (let seq = 200; seq < 250; seq++) {
        const row = { rolledBack: seq, _step: 10_000 + seq };
        const line = stringifyExtended(row);
        a.history.append(key, seq, 10_000 + seq, line);
        rows.push({ step: 10_000 + seq, row, line });
      }
      foldAfterAppend(a, key, `run-${key}`, 200, rows);
      throw new Error('roll back');
    }),
  );
  appendLogged(
    a,
    key,
    Array.from({ length: 400 }, () => randomMetrics(r)),
    1000,
  );
  const { stored, refolded } = storedAndRefolded(dir, path, key, [a, b]);
  assert.equal(stored.mark?.folded, 512);
  assert.ok(stored.keys.includes('loss') && !stored.keys.includes('rolledBack'), 'no rolled-back value in a bucket');
  assert.deepStrictEqual(stored, refolded);
});

test('non-finite, negative zero, nested and shadowed values fold the same from the feed as from the lines', (t) => {
  const { dir, path, a, b } = setUp(t);
  const key = a.write(() => a.runs.insert(newRun()).key);
  const values = [NaN, Infinity, -Infinity, -0, 0, 1.5, -2.25, 1e308, -1e-308];
  const rows = Array.from({ length: 1100 }, (_, i) => ({
    x: values[i % values.length],
    y: i % 3 === 0 ? 'text' : i,
    deep: i % 2 === 0 ? { z: values[(i * 7) % values.length], w: { v: i } } : undefined,
    'deep.z': i % 5 === 0 ? 42 : undefined,
    media: i % 100 === 0 ? { _type: 'image-file', path: `m${i}.png` } : undefined,
  }));
  appendLogged(a, key, rows, 0, 1);
  const { stored, refolded } = storedAndRefolded(dir, path, key, [a, b]);
  assert.equal(stored.mark?.folded, 1024);
  assert.ok(stored.keys.includes('deep.w.v') && stored.keys.includes('deep.z') && stored.keys.includes('x'), stored.keys.join(','));
  assert.ok(stored.media.length > 0, 'media rows recorded');
  assert.deepStrictEqual(stored, refolded);
});

test("another connection replacing the run's rows (an import) makes this connection's feed stale", (t) => {
  const { dir, path, a, b } = setUp(t);
  const key = a.write(() => a.runs.insert(newRun()).key);
  const rows = (base: number, n: number) => Array.from({ length: n }, (_, i) => ({ v: base + i }));
  appendLogged(a, key, rows(0, 100), 0);
  // The same 100 seqs and steps, other values, written by another connection.
  b.write(() => {
    b.wandbFiles.clearRunContent(key);
    b.wandbFiles.appendHistory(key, 0, {
      length: 100,
      stepAt: (i) => i,
      lineAt: (i) => stringifyExtended({ v: 5000 + i, _step: i }),
    });
  });
  appendLogged(a, key, rows(100, 200), 100);
  const { stored, refolded } = storedAndRefolded(dir, path, key, [a, b]);
  assert.equal(stored.mark?.folded, 256);
  assert.equal(stored.buckets['0:v']?.[0]?.min, 5000, 'the first bucket holds the replacing rows');
  assert.deepStrictEqual(stored, refolded);
});
