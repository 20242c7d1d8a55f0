import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  artifactDigest,
  comparePaths,
  createManifest,
  hashBytes,
  hashFile,
  manifestFileDigest,
  md5Base64OfFile,
  md5Base64ToHex,
  serializeManifest,
  sha256HexOfFile,
} from '../../src/artifacts/index.js';

test('entry digest: base64 of the raw MD5 (empty file = 1B2M2Y8AsgTpgAmY7PhCfg==)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'digest-'));
  try {
    await writeFile(join(dir, 'empty'), '');
    await writeFile(join(dir, 'hello'), 'hello\n');
    assert.equal(await md5Base64OfFile(join(dir, 'empty')), '1B2M2Y8AsgTpgAmY7PhCfg==');
    assert.equal(await md5Base64OfFile(join(dir, 'hello')), 'sZRqySSS0jR8YjW00mERhA==');
    assert.equal(await sha256HexOfFile(join(dir, 'hello')), '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
    const h = await hashFile(join(dir, 'hello'));
    assert.deepEqual(h, hashBytes('hello\n'));
    assert.equal(md5Base64ToHex('1B2M2Y8AsgTpgAmY7PhCfg=='), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(md5Base64ToHex('../etc/passwd'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('artifact digest matches PROTOCOL 6.1 computed independently, whatever the insertion order', () => {
  const contents = {
    'z.txt': { digest: 'AAAAAAAAAAAAAAAAAAAAAA==', size: 1 },
    'a/b.bin': { digest: 'sZRqySSS0jR8YjW00mERhA==', size: 6 },
    'A.txt': { digest: '1B2M2Y8AsgTpgAmY7PhCfg==', size: 0 },
    'é.txt': { digest: 'xxxx', ref: 's3://b/é.txt' },
    'a.txt': { digest: 'yyyy', size: 3 },
  };
  // By hand: Python sorts by code point: 'A.txt' < 'a.txt' < 'a/b.bin' ('.'=0x2e < '/'=0x2f) < 'z.txt' < 'é.txt'
  const expectedText =
    'wandb-artifact-manifest-v1\n' +
    'A.txt:1B2M2Y8AsgTpgAmY7PhCfg==\n' +
    'a.txt:yyyy\n' +
    'a/b.bin:sZRqySSS0jR8YjW00mERhA==\n' +
    'z.txt:AAAAAAAAAAAAAAAAAAAAAA==\n' +
    'é.txt:xxxx\n';
  const expected = createHash('md5').update(Buffer.from(expectedText, 'utf8')).digest('hex');
  assert.equal(artifactDigest({ contents }), expected);
  const reversed = Object.fromEntries(Object.entries(contents).reverse());
  assert.equal(artifactDigest(createManifest(reversed)), expected);
  assert.equal(artifactDigest({ contents: {} }), createHash('md5').update('wandb-artifact-manifest-v1\n').digest('hex'));
});

test('code-point order differs from UTF-16 order for astral characters', () => {
  // U+FF5E (BMP, high) vs U+1F600 (astral): UTF-16 puts the astral first, code points do not.
  assert.ok('\u{1F600}' < '\uFF5E');
  assert.ok(comparePaths('\uFF5E', '\u{1F600}') < 0);
});

test('manifest v1 JSON: shape, sorted contents, W&B key order, defaults omitted', () => {
  const m = createManifest(
    {
      'b.txt': { digest: 'd2', size: 2, extra: {} },
      'a.txt': { digest: 'd1', size: 1, birthArtifactID: 'QXJ0aWZhY3Q6MQ==' },
      'ref.csv': { digest: 'etag1', ref: 's3://bucket/ref.csv', size: 10, extra: { etag: 'etag1' } },
    },
    { storageRegion: 'coreweave-us' },
  );
  const json = serializeManifest(m);
  assert.equal(
    json,
    JSON.stringify({
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: { storageRegion: 'coreweave-us', storageLayout: 'V2' },
      contents: {
        'a.txt': { digest: 'd1', birthArtifactID: 'QXJ0aWZhY3Q6MQ==', size: 1 },
        'b.txt': { digest: 'd2', size: 2 },
        'ref.csv': { digest: 'etag1', ref: 's3://bucket/ref.csv', size: 10, extra: { etag: 'etag1' } },
      },
    }),
  );
  assert.equal(manifestFileDigest(json), createHash('md5').update(json).digest('base64'));
});
