import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { collectFiles, hashBytes, walkFiles } from '../../src/artifacts/index.js';
import type { CollectProgress } from '../../src/artifacts/index.js';
import { assertSkillError } from '../media/helpers/assert-skill-error.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walk-'));
  await mkdir(join(dir, 'data/sub'), { recursive: true });
  await writeFile(join(dir, 'data/b.txt'), 'bee');
  await writeFile(join(dir, 'data/a.txt'), 'a');
  await writeFile(join(dir, 'data/sub/c.bin'), Buffer.alloc(3000, 7));
  await writeFile(join(dir, 'secret.txt'), 'secret');
});
after(async () => rm(dir, { recursive: true, force: true }));

async function list(path: string, opts = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkFiles(path, opts)) out.push(e.path);
  return out;
}

test('a directory yields its files sorted, `/`-separated, with an optional prefix', async () => {
  assert.deepEqual(await list(join(dir, 'data')), ['a.txt', 'b.txt', 'sub/c.bin']);
  assert.deepEqual(await list(join(dir, 'data'), { name: 'ds' }), ['ds/a.txt', 'ds/b.txt', 'ds/sub/c.bin']);
  assert.deepEqual(await list(join(dir, 'data/b.txt')), ['b.txt']);
  assert.deepEqual(await list('data/b.txt', { root: dir, name: 'x/y.txt' }), ['x/y.txt']);
});

test('collectFiles hashes as it goes and reports bytes and files done', async () => {
  const seen: CollectProgress[] = [];
  const files = await collectFiles(join(dir, 'data'), { onProgress: (p) => seen.push(p) });
  assert.deepEqual(
    files.map((f) => [f.path, f.size]),
    [
      ['a.txt', 1],
      ['b.txt', 3],
      ['sub/c.bin', 3000],
    ],
  );
  assert.equal(files[1]?.md5, hashBytes('bee').md5);
  const last = seen[seen.length - 1];
  assert.deepEqual(last, { filesDone: 3, filesTotal: 3, bytesDone: 3004, bytesTotal: 3004 });
  assert.ok(seen.every((p, i) => i === 0 || p.bytesDone >= (seen[i - 1]?.bytesDone ?? 0)));
});

test('`..` leaving the root is refused, naming artifactConfig.path', async () => {
  await assert.rejects(list('../secret.txt', { root: join(dir, 'data') }), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  await assert.rejects(list('sub/../../secret.txt', { root: join(dir, 'data') }), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  await assert.rejects(list(join(dir, 'data'), { name: '../up' }), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  await assert.rejects(list(join(dir, 'nope')), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
});

test('symbolic links: one leading outside is refused, one staying inside is followed', async () => {
  const tree = await mkdtemp(join(dir, 'tree-'));
  await writeFile(join(tree, 'real.txt'), 'r');
  await symlink(join(tree, 'real.txt'), join(tree, 'alias.txt'));
  await symlink(tree, join(tree, 'loop')); // a link back to the root: not walked twice
  assert.deepEqual(await list(tree), ['alias.txt', 'real.txt']);
  await symlink(join(dir, 'secret.txt'), join(tree, 'zz-escape.txt'));
  await assert.rejects(list(tree), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  const dirLink = await mkdtemp(join(dir, 'tree-'));
  await symlink(join(dir, 'data'), join(dirLink, 'outside-dir'));
  await assert.rejects(list(dirLink), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  // the input path itself through a link out of the root
  await symlink(join(dir, 'secret.txt'), join(dir, 'data/link-out.txt'));
  await assert.rejects(list('link-out.txt', { root: join(dir, 'data') }), (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.path'));
  await rm(join(dir, 'data/link-out.txt'));
});
