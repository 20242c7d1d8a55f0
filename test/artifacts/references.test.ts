import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { createReferenceEntries, hashBytes } from '../../src/artifacts/index.js';
import { assertSkillError } from '../media/helpers/assert-skill-error.js';

test('remote references: digest = ETag if known else the URI; nothing fetched', async () => {
  assert.deepEqual(await createReferenceEntries('s3://bucket/data/train.csv', { etag: '"abc"', size: 10 }), {
    'train.csv': { digest: '"abc"', ref: 's3://bucket/data/train.csv', size: 10, extra: { etag: '"abc"' } },
  });
  assert.deepEqual(await createReferenceEntries('https://example.com/x/model.bin', { name: 'models/m.bin' }), {
    'models/m.bin': { digest: 'https://example.com/x/model.bin', ref: 'https://example.com/x/model.bin' },
  });
  assert.deepEqual(Object.keys(await createReferenceEntries('gs://bucket')), ['bucket']);
});

test('file:// references hash local bytes (file or directory) by default', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'refs-'));
  try {
    await mkdir(join(dir, 'd/e'), { recursive: true });
    await writeFile(join(dir, 'd/one.txt'), '1');
    await writeFile(join(dir, 'd/e/two.txt'), '22');
    const fileUri = pathToFileURL(join(dir, 'd/one.txt')).href;
    assert.deepEqual(await createReferenceEntries(fileUri), { 'one.txt': { digest: hashBytes('1').md5, ref: fileUri, size: 1 } });
    const entries = await createReferenceEntries(pathToFileURL(join(dir, 'd')).href, { name: 'ds' });
    assert.deepEqual(Object.keys(entries), ['ds/e/two.txt', 'ds/one.txt']);
    assert.equal(entries['ds/e/two.txt']?.ref, pathToFileURL(join(dir, 'd/e/two.txt')).href);
    assert.deepEqual(await createReferenceEntries(fileUri, { checksum: false }), { 'one.txt': { digest: fileUri, ref: fileUri } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad references refused with INVALID_INPUT', async () => {
  for (const uri of ['ftp://x/y', 'not a uri', 's3:///key', 'file:///definitely/not/here']) {
    await assert.rejects(createReferenceEntries(uri), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.reference'), uri);
  }
  await assert.rejects(createReferenceEntries('s3://b/k', { name: '../x' }), (e) => assertSkillError(e, 'INVALID_INPUT'));
});
