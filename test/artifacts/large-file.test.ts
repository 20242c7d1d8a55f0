import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createContentStore, hashFile } from '../../src/artifacts/index.js';
import { encodeMetrics } from '../../src/media/index.js';
import { png } from '../media/helpers/encoders.js';

const SIZE = 200 * 1024 * 1024;

test('a 200 MB file is hashed and stored as a stream: RSS grows far less than its size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'large-'));
  try {
    // Sparse file: a PNG header at the start (so the media encoder accepts it), zeros after.
    const path = join(dir, 'big.png');
    const fh = await open(path, 'w');
    const head = png(2, 2);
    await fh.write(head, 0, head.length, 0);
    await fh.truncate(SIZE);
    await fh.close();
    // The expected digest, computed without reading the file: header + zeros.
    const md5 = createHash('md5').update(head);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = SIZE - head.length;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      md5.update(zeros.subarray(0, n));
      left -= n;
    }
    const expected = md5.digest('base64');

    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    const h = await hashFile(path, sample);
    assert.equal(h.size, SIZE);
    assert.equal(h.md5, expected);
    const cas = createContentStore({ root: join(dir, 'cas') });
    const stored = await cas.put(path, sample);
    assert.equal(stored.digest, expected);
    const { row } = await encodeMetrics({ big: { _type: 'image', path } }, { filesDir: join(dir, 'files'), step: 0 });
    sample();
    assert.equal((row['big'] as { size: number }).size, SIZE);
    const growth = peak - before;
    assert.ok(growth < SIZE / 10, `RSS grew by ${Math.round(growth / 1e6)} MB while hashing ${SIZE / 1e6} MB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
