import assert from 'node:assert/strict';
import { createHash, randomFillSync } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { objectPath } from '../../src/artifacts/object-path.js';
import { SourceReadError, createStoreThread, storeFileSync } from '../../src/artifacts/store-file.js';
import { StoreFilesError, storeAll, workersFor } from '../../src/artifacts/store-pool.js';
import { DIRECT_MIN_BYTES, WriteModeChooser } from '../../src/artifacts/write-mode.js';
import { tempDir } from '../helpers/tmp.js';

const MiB = 1024 * 1024;
/** Sizes around the 4 KiB block and 1 MiB buffer edges, where a direct write pads and truncates. */
const SIZES = [0, 1, 4095, 4096, DIRECT_MIN_BYTES + 1, MiB - 1, MiB, MiB + 1, 2 * MiB + 4097];

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

function makeFiles(dir: string): Array<{ path: string; bytes: Buffer }> {
  mkdirSync(join(dir, 'in'), { recursive: true });
  return SIZES.map((size, i) => {
    const bytes = randomFillSync(Buffer.alloc(size));
    const path = join(dir, 'in', `f${i}.bin`);
    writeFileSync(path, bytes);
    return { path, bytes };
  });
}

for (const mode of ['buffered', 'direct'] as const) {
  test(`storeFileSync (${mode} writes): every size stored byte for byte under its MD5; a second store creates nothing`, (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const root = join(dir, 'cas');
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const files = makeFiles(dir);
    const thread = createStoreThread({ mode });
    for (const f of files) {
      let reported = 0;
      const r = storeFileSync({ src: f.path, root, hashFirst: false }, thread, (n) => (reported += n));
      assert.equal(r.md5, md5(f.bytes));
      assert.equal(r.size, f.bytes.length);
      assert.equal(r.created, true);
      assert.equal(reported, f.bytes.length, 'every byte reported once');
      const stored = objectPath(root, r.md5) as string;
      assert.equal(statSync(stored).size, f.bytes.length, `object of ${f.bytes.length} bytes is not padded`);
      assert.ok(readFileSync(stored).equals(f.bytes));
      // Stored again, hashed first (as a re-log does): nothing copied.
      const again = storeFileSync({ src: f.path, root, hashFirst: true }, thread);
      assert.deepEqual(again, { md5: r.md5, size: r.size, created: false });
    }
    assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temporary file left');
    const snap = thread.chooser.snapshot();
    if (mode === 'buffered') assert.equal(snap.direct.samples, 0);
    // A file system that refuses O_DIRECT (probe false) falls back to buffered writes.
    else if (snap.directWorks === true) assert.ok(snap.direct.samples >= 3, JSON.stringify(snap));
  });
}

test('storeFileSync: a missing source is a SourceReadError; hashFirst copies content that is not stored yet', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = join(dir, 'cas');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const thread = createStoreThread();
  assert.throws(
    () => storeFileSync({ src: join(dir, 'nope.bin'), root, hashFirst: false }, thread),
    (err: unknown) => err instanceof SourceReadError && err.code === 'ENOENT',
  );
  const bytes = randomFillSync(Buffer.alloc(MiB + 7));
  writeFileSync(join(dir, 'a.bin'), bytes);
  let reported = 0;
  const r = storeFileSync({ src: join(dir, 'a.bin'), root, hashFirst: true }, thread, (n) => (reported += n));
  assert.equal(r.created, true);
  assert.equal(reported, bytes.length, 'the copy after the hashing pass is not reported twice');
  assert.ok(readFileSync(objectPath(root, r.md5) as string).equals(bytes));
});

test('storeFileSync: a direct write refused part-way (EINVAL) is redone buffered, and this thread stays buffered', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = join(dir, 'cas');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const thread = createStoreThread({ mode: 'direct' });
  // The probe passes with the aligned buffer; then the buffer moves 16 bytes off alignment, which
  // O_DIRECT refuses with EINVAL on the first write.
  if (!thread.chooser.useDirect(MiB, join(root, 'tmp'), thread.buf)) return; // no O_DIRECT on this file system
  thread.buf = thread.buf.subarray(16, 16 + 512 * 1024);
  const bytes = randomFillSync(Buffer.alloc(3 * MiB + 5));
  writeFileSync(join(dir, 'a.bin'), bytes);
  let reported = 0;
  const r = storeFileSync({ src: join(dir, 'a.bin'), root, hashFirst: false }, thread, (n) => (reported += n));
  assert.equal(r.md5, md5(bytes));
  assert.ok(readFileSync(objectPath(root, r.md5) as string).equals(bytes));
  assert.equal(reported, bytes.length, 'each byte reported once across the two tries');
  assert.equal(thread.chooser.snapshot().directWorks, false);
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
});

test('WriteModeChooser: measures both modes, keeps the faster, tries the other again every 16 files; small files stay buffered', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const thread = createStoreThread();
  const c = thread.chooser;
  const big = 4 * MiB;
  assert.equal(c.useDirect(DIRECT_MIN_BYTES - 1, dir, thread.buf), false, 'small file');
  if (c.snapshot().directWorks === false) return; // this file system refuses O_DIRECT: always buffered
  // Two samples of each first.
  const first: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    const d = c.useDirect(big, dir, thread.buf);
    first.push(d);
    c.record(d, big, d ? big * 1 : big * 3); // direct 1 ns/byte, buffered 3 ns/byte
  }
  assert.deepEqual(first.filter(Boolean).length, 2);
  const picks: boolean[] = [];
  for (let i = 0; i < 32; i++) picks.push(c.useDirect(big, dir, thread.buf));
  assert.equal(picks.filter((d) => !d).length, 2, 'buffered retried twice in 32 files');
  // The machine changes: buffered becomes the cheaper; after a few re-probes the choice follows.
  for (let i = 0; i < 200; i++) {
    const d = c.useDirect(big, dir, thread.buf);
    c.record(d, big, d ? big * 5 : big * 1);
  }
  assert.equal(c.useDirect(big, dir, thread.buf), false);
  const forced = new WriteModeChooser({ mode: 'buffered' });
  assert.equal(forced.useDirect(big, dir, thread.buf), false);
});

test('storeAll: on worker threads and on this thread the results agree; a failure names its file and leaves no temporary file', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const files = makeFiles(dir);
  const jobsFor = (root: string) => files.map((f) => ({ src: f.path, root, hashFirst: false }));
  const results = [];
  for (const workers of [0, 2]) {
    const root = join(dir, `cas${workers}`);
    mkdirSync(join(root, 'tmp'), { recursive: true });
    let bytes = 0;
    const done = new Set<number>();
    results.push(await storeAll(jobsFor(root), 0, { workers, onBytes: (n) => (bytes += n), onFileDone: (i) => done.add(i) }));
    assert.equal(
      bytes,
      files.reduce((n, f) => n + f.bytes.length, 0),
    );
    assert.equal(done.size, files.length);
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(
    results[0]?.map((r) => r.md5),
    files.map((f) => md5(f.bytes)),
  );

  const root = join(dir, 'cas-fail');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const jobs = jobsFor(root);
  jobs.splice(3, 0, { src: join(dir, 'missing.bin'), root, hashFirst: false });
  for (const workers of [0, 2]) {
    await assert.rejects(storeAll(jobs, 0, { workers }), (err: unknown) => {
      assert.ok(err instanceof StoreFilesError);
      assert.equal(err.index, 3);
      assert.equal(err.failure.unreadable, true);
      assert.equal(err.failure.code, 'ENOENT');
      return true;
    });
    assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  }
});

test('storeAll: workers that cannot start leave the work to this thread', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const files = makeFiles(dir);
  const root = join(dir, 'cas');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const broken = join(dir, 'broken-worker.mjs');
  writeFileSync(broken, "throw new Error('this worker cannot load');\n");
  const threads: number[] = [];
  const results = await storeAll(
    files.map((f) => ({ src: f.path, root, hashFirst: false })),
    0,
    { workers: 2, workerPath: broken, onStart: (n) => threads.push(n) },
  );
  assert.deepEqual(threads, [2, 0], 'tried two workers, then did it here');
  assert.deepEqual(
    results.map((r) => r.md5),
    files.map((f) => md5(f.bytes)),
  );
});

test('storeAll: a worker that cannot load leaves its files to the workers that did', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const files = makeFiles(dir);
  const root = join(dir, 'cas');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  // Every other worker thread fails to load; the others run the real worker.
  const real = new URL('../../src/artifacts/store-worker.js', import.meta.url).href;
  const flaky = join(dir, 'flaky-worker.mjs');
  writeFileSync(
    flaky,
    `import { threadId } from 'node:worker_threads';\nif (threadId % 2 === 0) throw new Error('no luck');\nawait import(${JSON.stringify(real)});\n`,
  );
  const threads: number[] = [];
  const results = await storeAll(
    files.map((f) => ({ src: f.path, root, hashFirst: false })),
    0,
    { workers: 4, workerPath: flaky, onStart: (n) => threads.push(n) },
  );
  assert.deepEqual(threads, [4], 'no fallback to this thread: two workers did it all');
  assert.deepEqual(
    results.map((r) => r.md5),
    files.map((f) => md5(f.bytes)),
  );
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
});

test('storeAll: a file written to while a worker copies it fails as changed, and nothing of it is stored', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = join(dir, 'cas');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const path = join(dir, 'growing.bin');
  // Sparse and long enough (about 100 ms of work) that the worker is mid-file at its first progress report.
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 64 * MiB);
  closeSync(fd);
  let appended = false;
  await assert.rejects(
    storeAll([{ src: path, root, hashFirst: false }], 0, {
      workers: 1,
      onBytes: () => {
        if (appended) return;
        appended = true;
        appendFileSync(path, 'more');
      },
    }),
    (err: unknown) => err instanceof StoreFilesError && err.failure.changed && err.index === 0,
  );
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  assert.equal(existsSync(join(root, 'objects')), false, 'no object stored');
});

test('workersFor: small jobs on this thread, big ones on up to four threads, never more than files', () => {
  assert.equal(workersFor(1000, 1024), 0);
  assert.ok(workersFor(1000, 1024 * MiB) >= 1);
  assert.ok(workersFor(1000, 1024 * MiB) <= 4);
  assert.equal(workersFor(1, 1024 * MiB), 1);
  assert.equal(workersFor(3, 0, 8), 3);
});
