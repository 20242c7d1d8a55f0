// Shared by the sampled-history tests: random rows, a store run filled the way log() fills it, and
// the equality check of the stored form against the full scan.
import assert from 'node:assert/strict';
import { stringifyExtended } from '../../src/json/extended-json.js';
import type { Store } from '../../src/store/index.js';
import { seededRandom } from '../../src/seeded-random.js';
import { foldAfterAppend, type AppendedRow } from '../../src/history/fold.js';
import { sampleHistory, sampleHistoryByScan, type SampleOptions } from '../../src/history/sampled.js';
import { sampleStored } from '../../src/history/read.js';

/** A seeded generator (mulberry32), so a failure names its seed. */
export function rng(seed: number): () => number {
  return seededRandom(seed);
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, 1e308, -1e308, 5e-324];

/** A random metric value: mostly floats, sometimes NaN/Infinity, huge, a string or missing. */
export function randomValue(r: () => number): unknown {
  const u = r();
  if (u < 0.05) return SPECIAL[Math.floor(r() * SPECIAL.length)];
  if (u < 0.08) return 'text';
  if (u < 0.2) return undefined;
  if (u < 0.3) return Math.floor(r() * 100);
  return (r() - 0.5) * 10 ** Math.floor(r() * 6);
}

/** Random metrics over a few keys, nested ones and arrays included. */
export function randomMetrics(r: () => number): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (const k of ['loss', 'acc', 'lr']) {
    const v = randomValue(r);
    if (v !== undefined) m[k] = v;
  }
  if (r() < 0.5) m['train'] = { loss: randomValue(r) ?? 1, deep: { x: randomValue(r) ?? 2 } };
  if (r() < 0.1) m['arr'] = [1, 2, 3];
  if (r() < 0.05) m['train.loss'] = 'shadow';
  return m;
}

/** Keys the tests sample: plain, nested, shadowed, into arrays, missing, reserved. */
export const KEYS = ['loss', 'acc', 'lr', 'train.loss', 'train.deep.x', 'train', 'arr.0', 'missing', '_step', '_runtime'];

/** Appends rows to a run as log() does (each call its own append and fold, `batch` rows at a time). */
export function appendLogged(store: Store, runKey: number, rows: Array<Record<string, unknown>>, firstStep: number, batch = 1): void {
  let step = firstStep;
  for (let i = 0; i < rows.length; i += batch) {
    store.write(() => {
      const before = store.history.extent(runKey)?.hi ?? -1;
      let seq = before + 1;
      const appended: AppendedRow[] = [];
      for (const row of rows.slice(i, i + batch)) {
        const full = { ...row, _step: step, _runtime: step / 10 };
        const line = stringifyExtended(full);
        store.history.append(runKey, seq++, step, line);
        appended.push({ step, row: full, line });
        step += 1 + (seq % 7 === 0 ? 3 : 0);
      }
      foldAfterAppend(store, runKey, `run-${runKey}`, before + 1, appended);
    });
  }
}

/** Sample counts and step ranges the equality checks try. */
export function optionSets(r: () => number, maxStep: number): SampleOptions[] {
  const out: SampleOptions[] = [];
  for (const samples of [1, 2, 3, 7, 10, 33, 64, 100, 257, 1000, 5000]) out.push({ keys: KEYS, samples });
  for (let i = 0; i < 8; i++) {
    const lo = Math.floor(r() * maxStep);
    const hi = lo + Math.floor(r() * maxStep);
    out.push({ keys: KEYS, samples: 1 + Math.floor(r() * 300), minStep: lo, maxStep: hi });
    out.push({ keys: KEYS, samples: 1 + Math.floor(r() * 50), minStep: lo });
    out.push({ keys: KEYS, samples: 1 + Math.floor(r() * 50), maxStep: hi });
  }
  return out;
}

/** The stored form equals the full scan for every option set. */
export function assertEqualsScan(store: Store, runKey: number, options: readonly SampleOptions[], what: string, rangesMayScan = false): void {
  for (const o of options) {
    const label = `${what}: ${JSON.stringify({ samples: o.samples, minStep: o.minStep, maxStep: o.maxStep })}`;
    const want = sampleHistoryByScan(store, runKey, o);
    // The stored form itself must answer (sampleHistory would hide a miss behind the scan it falls back to);
    // only a step range over steps that went down may be left to the scan.
    const stored = sampleStored(store, runKey, o);
    if (stored === undefined) assert.ok(rangesMayScan && (o.minStep !== undefined || o.maxStep !== undefined), `${label}: the stored form gave no answer`);
    assert.deepStrictEqual(stored ?? sampleHistory(store, runKey, o), want, label);
  }
}
