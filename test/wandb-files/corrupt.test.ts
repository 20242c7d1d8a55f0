import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { FrameWriter, chunkCrc } from '../../src/wandb-files/framing.js';
import { importWandbRuns } from '../../src/wandb-files/import.js';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { readFramesStrict } from './frame-reader.js';
import { fixtureFile, storeAt } from './helpers.js';

const original = readFileSync(fixtureFile);

/** Chunk positions of an intact single-chunk-per-record file (the fixture is one block). */
function chunks(buf: Buffer): Array<{ offset: number; length: number }> {
  const out: Array<{ offset: number; length: number }> = [];
  for (let at = 7; at + 7 <= buf.length;) {
    const length = buf.readUInt16LE(at + 4);
    out.push({ offset: at, length });
    at += 7 + length;
  }
  return out;
}

const records = readFramesStrict(original).payloads.map((p) => W.Record.decode(p));
const historyBefore = (n: number): number => records.slice(0, n).filter((r) => r.record_type === 'history').length;

async function importBytes(bytes: Buffer, name = 'run-6x46wzrv.wandb') {
  const { dir, cleanup } = tempDir();
  const folder = join(dir, 'in', 'offline-run-x');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), bytes);
  const res = await runCli(['import', join(dir, 'in')], { cwd: dir });
  const out = valid(JSON.parse(res.stdout) as SkillOutput) as SkillOutput & { imported: Array<Record<string, unknown>> };
  const store = storeAt(dir);
  const run = store.runs.get('py-offline', '6x46wzrv');
  const rows = run ? store.history.rows(run.key) : [];
  const state = run?.state;
  store.close();
  cleanup();
  return {
    code: res.code,
    out,
    rows,
    state,
    entry: out.imported[0] as Record<string, unknown> & { stopped?: { offset: number; record: number; reason: string } },
  };
}

test('a bad checksum: the records before it are imported, the run is left crashed, and the stop is reported', async () => {
  const at = chunks(original)[30] as { offset: number; length: number };
  const bad = Buffer.from(original);
  bad.writeUInt8((bad[at.offset + 10] as number) ^ 0xff, at.offset + 10);
  const r = await importBytes(bad);
  assert.equal(r.code, 0, JSON.stringify(r.out));
  assert.equal(r.entry['status'], 'imported');
  assert.deepEqual(r.entry.stopped, { offset: at.offset, record: 31, reason: 'checksum mismatch' });
  assert.match((r.out.warnings ?? []).join('\n'), /stopped at byte \d+ \(record 31\): checksum mismatch/);
  assert.equal(r.rows.length, historyBefore(30));
  assert.deepEqual(
    r.rows.map((x) => x['_step']),
    [...Array(historyBefore(30)).keys()],
  );
  assert.equal(r.state, 'crashed', 'no exit record was read');
});

test('chunk checksums are CRC-32 of the type byte and payload at every length (summed in JS below a size, by zlib above)', () => {
  let seed = 7;
  const bytes = Buffer.alloc(1100);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) % 2147483648) >>> 8;
  const seen = new Set<number>();
  for (let n = 0; n <= bytes.length; n += n < 40 ? 1 : 37) {
    for (const type of [1, 2, 3, 4]) {
      const payload = bytes.subarray(bytes.length - n);
      const got = chunkCrc(type, payload);
      assert.equal(got, crc32(Buffer.concat([Buffer.from([type]), payload])), `length ${n}, type ${type}`);
      seen.add(got);
    }
  }
  assert.ok(seen.size > 100, 'the lengths gave different sums');
});

test('a truncated last block: everything before the cut record is imported', async () => {
  const all = chunks(original);
  const last = all[all.length - 1] as { offset: number; length: number };
  const cut = original.subarray(0, last.offset + 7 + Math.floor(last.length / 2));
  const r = await importBytes(Buffer.from(cut));
  assert.equal(r.entry['status'], 'imported');
  assert.equal(r.entry.stopped?.offset, last.offset);
  assert.match(r.entry.stopped?.reason ?? '', /truncated/);
  assert.equal(r.rows.length, 30, 'every history row precedes the cut exit record');
  assert.equal(r.state, 'crashed');
});

test('a chunk whose length passes the block end stops the read there', async () => {
  const at = chunks(original)[12] as { offset: number; length: number };
  const bad = Buffer.from(original);
  bad.writeUInt16LE(0xfff0, at.offset + 4);
  const r = await importBytes(bad);
  assert.equal(r.entry.stopped?.offset, at.offset);
  assert.match(r.entry.stopped?.reason ?? '', /passes the block end/);
  assert.equal(r.rows.length, historyBefore(12));
});

test('a record of an unknown kind stops the read; what came before is imported', async () => {
  const payloads = readFramesStrict(original).payloads;
  const w = new FrameWriter();
  // Field 150 (not a W&B record kind), varint 1.
  const unknown = Buffer.from([0xb0, 0x09, 0x01]);
  payloads.forEach((p, i) => {
    if (i === 20) w.append(unknown);
    w.append(p);
  });
  const r = await importBytes(w.finish());
  assert.equal(r.entry.stopped?.record, 21);
  assert.equal(r.entry.stopped?.reason, 'a record of an unknown kind');
  assert.equal(r.rows.length, historyBefore(20));
});

test('an empty file and a file of another format are refused and write nothing', async () => {
  for (const [bytes, reason] of [
    [Buffer.alloc(0), /empty file/],
    [Buffer.from('{"not": "a wandb log"}\n'), /not a W&B transaction log/],
    [readFileSync(join(fixtureFile, '..', 'files', 'media', 'images', 'sample_9_ff7de3dce912c8da7e68.png')), /not a W&B transaction log/],
  ] as const) {
    const r = await importBytes(bytes);
    assert.equal(r.code, 1);
    assert.equal(r.out.status, 'error');
    assert.equal(r.entry['status'], 'failed');
    assert.match(String((r.entry['error'] as { message: string }).message), reason);
    // The file's fault, said as such: not dressed as one of our bugs.
    assert.equal((r.entry['error'] as { code: string }).code, 'INVALID_INPUT');
    assert.doesNotMatch(String((r.entry['error'] as { message: string }).message), /internal error/);
    assert.equal(r.state, undefined, 'no run written');
  }
});

test('a damaged file does not disturb a run already in the store', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await importWandbRuns([fixtureFile], { cwd: dir, env: {} });
    const bad = Buffer.from(original);
    const off = (chunks(original)[40] as { offset: number }).offset + 9;
    bad.writeUInt8((bad[off] as number) ^ 0x55, off);
    writeFileSync(join(dir, 'run-6x46wzrv.wandb'), bad);
    const again = await importWandbRuns([join(dir, 'run-6x46wzrv.wandb')], { cwd: dir, env: {} });
    assert.equal(again.imported[0]?.status, 'conflict', 'partial content differs from the stored run');
    const store = storeAt(dir);
    const run = store.runs.get('py-offline', '6x46wzrv')!;
    assert.equal(run.historyCount, 30);
    assert.equal(run.state, 'finished');
    store.close();
  } finally {
    cleanup();
  }
});

test('an export splits stored lines into W&B items exactly: scalars, escapes, nested values, non-finite tokens', async () => {
  const { itemsOfLine } = await import('../../src/wandb-files/json-split.js');
  const { parseExtended, stringifyExtended } = await import('../../src/json/extended-json.js');
  const rows: Array<Record<string, unknown>> = [
    { a: 1, b: -2.5e-7, c: NaN, d: -Infinity, e: 'x"y\\z', 'f"g': null, h: true },
    { n: { deep: [1, { x: 'a,b}' }] }, s: '{not json}', _step: 3 },
    {},
  ];
  for (const row of rows) {
    const line = stringifyExtended(row);
    const back = Object.fromEntries(itemsOfLine(line).map((i) => [i.key, parseExtended(i.value_json)]));
    assert.deepEqual(back, row, line);
  }
});

/** A file of the bulk kind (our export's shape: one-segment keys, plain values) over several blocks, and where each history record ends. */
function bulkFile(rows: number): { bytes: Buffer; historyEnds: number[] } {
  const w = new FrameWriter();
  const parts: Buffer[] = [];
  let drained = 0;
  const add = (rec: Record<string, unknown>): number => {
    w.append(W.Record.encode(rec).finish());
    const piece = w.drain();
    if (piece !== undefined) {
      parts.push(piece);
      drained += piece.length;
    }
    return drained + w.buffered;
  };
  add({ num: 1, run: { run_id: 'bulk1', project: 'bulk', display_name: 'b', start_time: { seconds: 1_800_000_000 } } });
  const historyEnds: number[] = [];
  for (let s = 0; s < rows; s++) {
    const item = [it('_step', String(s)), it('loss', String(1 / (s + 1))), it('_timestamp', String(1_800_000_000 + s))];
    historyEnds.push(add({ num: s + 2, history: { item, step: { num: s } } }));
  }
  add({ num: rows + 2, exit: { exit_code: 0 } });
  return { bytes: Buffer.concat([...parts, w.finish()]), historyEnds };
}
const it = (key: string, value_json: string) => ({ key, value_json });

test('damage in the bulk of a multi-block file: the rows before it are imported, the stop is reported', async () => {
  const { bytes, historyEnds } = bulkFile(3000);
  assert.ok(bytes.length > 3 * 32768, 'several blocks');
  const frames = readFramesStrict(bytes);
  assert.equal(frames.payloads.length, 3002);
  // A flipped byte in the second block: the record holding it and everything after are dropped.
  const at = 40_000;
  const bad = Buffer.from(bytes);
  bad.writeUInt8((bad[at] as number) ^ 0x01, at);
  const whole = historyEnds.filter((end) => end <= at).length;
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'run-bulk1.wandb'), bad);
    const res = await importWandbRuns([join(dir, 'run-bulk1.wandb')], { cwd: dir, env: {} });
    const entry = res.imported[0]!;
    assert.equal(entry.status, 'imported');
    assert.equal(entry.stopped?.reason, 'checksum mismatch');
    assert.ok(entry.stopped!.offset <= at && entry.stopped!.offset >= (historyEnds[whole - 1] as number), JSON.stringify(entry.stopped));
    assert.equal(entry.historyRows, whole);
    const store = storeAt(dir);
    const run = store.runs.get('bulk', 'bulk1')!;
    const rows = store.history.rows(run.key);
    assert.equal(rows.length, whole);
    rows.forEach((r, s) => assert.deepEqual(r, { _step: s, loss: 1 / (s + 1), _timestamp: 1_800_000_000 + s }));
    assert.equal(run.state, 'crashed', 'the exit record was past the damage');
    assert.equal(run.step, whole);
    store.close();
    // The whole file, intact, replaces the partial run only when asked; it imports every row.
    writeFileSync(join(dir, 'run-bulk1.wandb'), bytes);
    const again = await importWandbRuns([join(dir, 'run-bulk1.wandb')], { cwd: dir, env: {}, replace: true });
    assert.equal(again.imported[0]?.status, 'replaced');
    assert.equal(again.imported[0]?.historyRows, 3000);
    assert.equal(again.imported[0]?.stopped, undefined);
  } finally {
    cleanup();
  }
});
